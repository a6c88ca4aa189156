using CodeDoc.Core;
using CodeDoc.Pipeline.Tests.Facts;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeDoc.Pipeline.Tests.Verification;

public sealed class PageCheckerTests
{
    internal const string Sha = "0123456789abcdef0123456789abcdef01234567";
    internal const string OldSha = "fedcba9876543210fedcba9876543210fedcba98";

    private const string CartSource = """
        using Microsoft.Extensions.DependencyInjection;

        namespace Shop;

        public class CartBase
        {
            public void Clear() { }
        }

        public sealed class Cart : CartBase
        {
            public int Count { get; }

            public static void Register(IServiceCollection services) => services.AddSingleton<Cart>();
        }
        """;

    internal static string GitHubPermalink(string path, LineRange? lines) =>
        $"https://github.com/acme/shop/blob/{Sha}/{path}" + (lines is { } range ? "#" + range : string.Empty);

    internal static async Task<PageChecker> CreateAsync(IMermaidValidator? mermaid = null)
    {
        var snapshot = new RepositorySnapshot
        {
            CommitSha = Sha,
            Files =
            [
                SymbolIndexBuilderTests.File("README.md", "# Shop\n"),
                SymbolIndexBuilderTests.File("src/Shop/Cart.cs", CartSource),
                SymbolIndexBuilderTests.File("src/Shop/Shop.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />"),
            ],
            Excluded = [new ExcludedPath("secrets/.env", ExclusionReason.ExcludedByOptions, "secrets/")],
        };
        var index = await new SymbolIndexBuilder(NullLogger<SymbolIndexBuilder>.Instance).BuildAsync(snapshot, TestContext.Current.CancellationToken);
        return new PageChecker(snapshot, index, mermaid ?? new MermaidValidator(), GitHubPermalink);
    }

    [Fact]
    public async Task Check_ValidCitations_BecomePermalinks()
    {
        var checker = await CreateAsync();

        var result = checker.Check("The cart [src/Shop/Cart.cs:10-15] empties [src/Shop/Cart.cs].", threshold: 0.9);

        Assert.Equal(
            $"The cart [src/Shop/Cart.cs:10-15](https://github.com/acme/shop/blob/{Sha}/src/Shop/Cart.cs#L10-L15) empties [src/Shop/Cart.cs](https://github.com/acme/shop/blob/{Sha}/src/Shop/Cart.cs).",
            result.Verification.Markdown);
        Assert.Equal(2, result.Citations);
        Assert.Equal(0, result.InvalidCitations);
        Assert.Equal(["src/Shop/Cart.cs"], result.CitedFiles);
        Assert.Equal(1.0, result.Verification.Truthfulness);
        Assert.True(result.Verification.Passed);
    }

    [Fact]
    public async Task Check_MissingFileAndLinesPastTheEnd_RemovesAndCountsThem()
    {
        var checker = await CreateAsync();

        var result = checker.Check("Orders [src/Shop/Orders.cs:1-3] are capped [src/Shop/Cart.cs:10-400]. Real [src/Shop/Cart.cs:1].", threshold: 0.9);

        Assert.Equal($"Orders are capped. Real [src/Shop/Cart.cs:1](https://github.com/acme/shop/blob/{Sha}/src/Shop/Cart.cs#L1).", result.Verification.Markdown);
        Assert.Equal(3, result.Citations);
        Assert.Equal(2, result.InvalidCitations);
        Assert.Equal(1.0 / 3, result.Verification.Truthfulness, 6);
        Assert.False(result.Verification.Passed);
        Assert.Contains(result.Verification.Problems, p => p.Contains("src/Shop/Orders.cs:1-3", StringComparison.Ordinal) && p.Contains("no such file", StringComparison.Ordinal));
        Assert.Contains(result.Verification.Problems, p => p.Contains("has 15 lines", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_BracketWithValidAndInvalidCitations_KeepsOnlyTheValidOnes()
    {
        var checker = await CreateAsync();

        var result = checker.Check("See [src/Shop/Cart.cs:3, src/Nope.cs:1].", threshold: 0.5);

        Assert.Equal($"See [src/Shop/Cart.cs:3](https://github.com/acme/shop/blob/{Sha}/src/Shop/Cart.cs#L3).", result.Verification.Markdown);
        Assert.Equal(1, result.InvalidCitations);
    }

    [Fact]
    public async Task Check_CitationOfAnExcludedOrOutsidePath_IsRemoved()
    {
        var checker = await CreateAsync();

        var result = checker.Check("Keys [secrets/.env:1] and [../other/x.cs:2].", threshold: 0.9);

        Assert.Equal("Keys and.", result.Verification.Markdown);
        Assert.Equal(2, result.InvalidCitations);
        Assert.Contains(result.Verification.Problems, p => p.Contains("left out of the snapshot", StringComparison.Ordinal));
        Assert.Contains(result.Verification.Problems, p => p.Contains("outside the repository", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Read [the guide](https://evil.example/guide).", "Read the guide.")]
    [InlineData("Read [this](../../etc/passwd).", "Read this.")]
    [InlineData("Read [this](/etc/passwd).", "Read this.")]
    [InlineData("Run [this](javascript:alert(1)).", "Run this.")]
    [InlineData("Mail [us](mailto:a@b.example).", "Mail us.")]
    [InlineData("Pixel ![tracker](https://evil.example/p.png) here.", "Pixel tracker here.")]
    [InlineData("Visit https://evil.example/x now.", "Visit (link removed) now.")]
    [InlineData("Visit <https://evil.example/x> now.", "Visit (link removed) now.")]
    [InlineData("Other [repo](https://github.com/other/repo/blob/0123456/src/Shop/Cart.cs) file.", "Other repo file.")]
    [InlineData("Visit www.evil.example/x now.", "Visit (link removed) now.")]
    [InlineData("Click <a href=\"https://evil.example/\">here</a> now.", "Click here now.")]
    [InlineData("Look <img src='https://evil.example/p.png' alt=\"x\"> here.", "Look  here.")]
    [InlineData("Frame <iframe src=https://evil.example/></iframe> here.", "Frame  here.")]
    [InlineData("See [ref][1].\n\n[1]: https://evil.example/\n", "See [ref][1].\n\n\n")]
    public async Task Check_LinkOutsideTheRepository_IsRemovedAndReported(string markdown, string expected)
    {
        var checker = await CreateAsync();

        var result = checker.Check(markdown, threshold: 0.9);

        Assert.Equal(expected, result.Verification.Markdown);
        Assert.Equal(1, result.RemovedLinks);
        Assert.Contains(result.Verification.Problems, p => p.StartsWith("Removed", StringComparison.Ordinal));
        Assert.DoesNotContain("evil.example/", result.Verification.Markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("See [the cart](src/Shop/Cart.cs#L3-L5).", $"See [the cart](https://github.com/acme/shop/blob/{Sha}/src/Shop/Cart.cs#L3-L5).")]
    [InlineData($"Old [cart](https://github.com/acme/shop/blob/{OldSha}/src/Shop/Cart.cs#L2).", $"Old [cart](https://github.com/acme/shop/blob/{Sha}/src/Shop/Cart.cs#L2).")]
    [InlineData($"Old [cart](https://github.com/acme/shop/blob/{OldSha}/src/Shop/Cart.cs#L2-L900).", $"Old [cart](https://github.com/acme/shop/blob/{Sha}/src/Shop/Cart.cs).")]
    [InlineData("Next: [overview](codedoc-page:overview#setup).", "Next: [overview](codedoc-page:overview#setup).")]
    [InlineData("Below: [setup](#setup).", "Below: [setup](#setup).")]
    public async Task Check_LinkIntoTheRepository_IsKeptAsPermalink(string markdown, string expected)
    {
        var checker = await CreateAsync();

        var result = checker.Check(markdown, threshold: 0.9);

        Assert.Equal(expected, result.Verification.Markdown);
        Assert.Equal(0, result.RemovedLinks);
    }

    [Fact]
    public async Task Check_RelativeLinkToMissingFile_IsRemoved()
    {
        var checker = await CreateAsync();

        var result = checker.Check("See [orders](src/Shop/Orders.cs).", threshold: 0.9);

        Assert.Equal("See orders.", result.Verification.Markdown);
        Assert.Equal(1, result.RemovedLinks);
    }

    [Fact]
    public async Task Check_NamesPresentedAsCode_AreCheckedAgainstTheIndex()
    {
        var checker = await CreateAsync();

        var result = checker.Check(
            "`Cart.Clear()` empties it, `Shop.Cart` holds it, `Cart.Checkout()` pays, `OrderProcessor` ships, "
            + "`services.AddSingleton` registers, `IServiceCollection` is the container, `true` and `npm install` are no names.",
            threshold: 0.9);

        Assert.Equal(["Cart.Checkout()", "OrderProcessor"], result.UnknownNames);
        Assert.Equal(6, result.CheckedNames);
        Assert.Equal(4.0 / 6, result.Verification.Truthfulness, 6);
        Assert.False(result.Verification.Passed);
        Assert.Contains(result.Verification.Problems, p => p.Contains("`OrderProcessor`", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_PathsPresentedAsCode_MustExist()
    {
        var checker = await CreateAsync();

        var result = checker.Check("Edit `src/Shop/Cart.cs`, `src/Shop/`, `Shop.csproj` and `src/Shop/Orders.cs`; `application/json` is a media type.", threshold: 0.5);

        Assert.Equal(["src/Shop/Orders.cs"], result.UnknownNames);
        Assert.Equal(4, result.CheckedNames);
    }

    [Fact]
    public async Task Check_MemberChainsInCodeBlocks_AreCheckedOnlyForRepositoryTypes()
    {
        var checker = await CreateAsync();

        var result = checker.Check("```csharp\nvar cart = new Cart();\nCart.Register(services);\nCart.Checkout(cart);\nconsole.Write(\"Cart.Pay\");\n// Cart.Refund()\n```\n", threshold: 0.9);

        Assert.Equal(["Cart.Checkout"], result.UnknownNames);
        Assert.Equal(2, result.CheckedNames);
    }

    [Fact]
    public async Task Check_PageWithNothingToCheck_IsUnchangedAndFullyTruthful()
    {
        var checker = await CreateAsync();
        const string Markdown = "# Shop\n\nA shop with a cart.\n\n| a | b |\n|---|---|\n| [x] | `y` |\n";

        var result = checker.Check(Markdown, threshold: 1.0);

        Assert.Equal(Markdown, result.Verification.Markdown);
        Assert.Equal(1.0, result.Verification.Truthfulness);
        Assert.Empty(result.Verification.Problems);
    }

    [Fact]
    public async Task Check_BrokenDiagrams_AreRepairedOrDroppedWithANote()
    {
        var checker = await CreateAsync();
        const string Markdown = "Flow:\n\n```mermaid\nflowchart LR\n  A[Cart (web)] --> B\n```\n\nStates:\n\n```mermaid\nstateDiagram-v2\n  Waiting for input --> Done\n```\n\nValid:\n\n```mermaid\ngraph TD\n  A --> B\n```\n";

        var result = checker.Check(Markdown, threshold: 0.9);

        Assert.Equal(1, result.RepairedDiagrams);
        Assert.Equal(1, result.DroppedDiagrams);
        Assert.Contains("```mermaid\nflowchart LR\n  A[\"Cart (web)\"] --> B\n```", result.Verification.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("stateDiagram-v2", result.Verification.Markdown, StringComparison.Ordinal);
        Assert.Contains(PageChecker.DroppedDiagramNote, result.Verification.Markdown, StringComparison.Ordinal);
        Assert.Contains("```mermaid\ngraph TD\n  A --> B\n```", result.Verification.Markdown, StringComparison.Ordinal);
        Assert.Contains(result.Verification.Problems, p => p.StartsWith("Repaired diagram 1", StringComparison.Ordinal));
        Assert.Contains(result.Verification.Problems, p => p.StartsWith("Dropped diagram 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_HtmlIntoTheSet_IsKept()
    {
        var checker = await CreateAsync();
        const string Markdown = "See <a href=\"codedoc-page:overview\">the overview</a> and <img src=\"codedoc-attachment:map.png\">.";

        var result = checker.Check(Markdown, threshold: 0.9);

        Assert.Equal(Markdown, result.Verification.Markdown);
        Assert.Equal(0, result.RemovedLinks);
    }

    [Fact]
    public async Task Check_VerifiedPage_IsStableWhenCheckedAgain()
    {
        var checker = await CreateAsync();
        const string Markdown = "# Cart\n\n`Cart.Clear()` empties it [src/Shop/Cart.cs:5-8, src/Nope.cs:1]; see [the guide](https://evil.example) and [cart](src/Shop/Cart.cs).\n\n```mermaid\nflowchart LR\n  A[Cart (web)] --> B\n```\n\n```mermaid\nstateDiagram-v2\n  Waiting for input --> Done\n```\n";

        var first = checker.Check(Markdown, threshold: 0.5).Verification.Markdown;
        var second = checker.Check(first, threshold: 0.5);

        Assert.Equal(first, second.Verification.Markdown);
        Assert.Equal(0, second.RemovedLinks);
        Assert.Equal(1.0, second.Verification.Truthfulness);
    }
}
