using CodeDoc.Core;
using CodeDoc.Pipeline.Tests.Snapshot;
using CodeDoc.Pipeline.Tests.Verification;
using CodeDoc.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeDoc.Pipeline.Tests.Facts;

public sealed class FactsPagesTests : IDisposable
{
    private readonly TemporaryGitRepository _repository = TemporaryGitRepository.Init();

    public void Dispose() => _repository.Dispose();

    private async Task<(RepositorySnapshot Snapshot, ISymbolIndex Index, IReadOnlyList<DocumentPage> Pages)> BuildAsync()
    {
        _repository
            .Write("README.md", "# Shop\n")
            .Write("src/Shop.Core/Shop.Core.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include=\"Polly\" Version=\"8.4.0\" /></ItemGroup></Project>")
            .Write("src/Shop.Core/Cart.cs", """
                namespace Shop.Core;

                /// <summary>Holds items; see [the docs](https://evil.example) and <b>bold</b>.</summary>
                public sealed class Cart
                {
                    /// <summary>Empties the cart.</summary>
                    public void Clear() { }

                    internal void Hidden() { }
                }
                """)
            .Write("src/Shop.Web/Shop.Web.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><ItemGroup><ProjectReference Include=\"..\\Shop.Core\\Shop.Core.csproj\" /></ItemGroup></Project>")
            .Write("src/Shop.Web/Program.cs", "namespace Shop.Web;\npublic static class Program { public static void Main() { } }\n")
            .Write("tests/Shop.Tests/Shop.Tests.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />")
            .Write("tests/Shop.Tests/CartTests.cs", "namespace Shop.Tests;\npublic sealed class CartTests { public void Clear_Empty_Works() { } }\n")
            .Write("tools/report.py", "def render_report(rows):\n    return rows\n")
            .Write("native/io.rs", "pub fn read() {}\n")
            .Write(".gitignore", "secrets/\n")
            .Write("secrets/key.txt", "k")
            .Commit("shop", includeIgnored: true);
        var snapshot = await SnapshotTestHost.ReadArchiveAsync(_repository.Archive("tar"), ArchiveFormat.Tar, options: new SnapshotOptions { RetainContent = true });
        var index = await new SymbolIndexBuilder(NullLogger<SymbolIndexBuilder>.Instance).BuildAsync(snapshot, TestContext.Current.CancellationToken);
        var pages = FactsPages.Build(snapshot, index, new MermaidValidator(), PageCheckerTests.GitHubPermalink, [new PlannedPage("module-src-shop-web", "src/Shop.Web", "modules", "module", ["src/Shop.Web/Program.cs", "src/Shop.Web/Shop.Web.csproj"])]);
        return (snapshot, index, pages);
    }

    private static DocumentPage Page(IReadOnlyList<DocumentPage> pages, string key) => Assert.Single(pages, p => p.Key == key);

    [Fact]
    public async Task Build_Repository_ProducesTheFactsTreeWithValidKeysAndProvenance()
    {
        var (snapshot, _, pages) = await BuildAsync();

        Assert.Equal(FactsPages.RootKey, pages[0].Key);
        Assert.Null(pages[0].ParentKey);
        Assert.Equal(
            ["facts", "facts-repository-map", "facts-modules", "facts-api", "facts-api-shop-core", "facts-api-shop-web", "facts-api-other-python-code", "facts-dependencies", "facts-coverage"],
            pages.Select(p => p.Key));
        Assert.All(pages, p => Assert.Matches("^[a-z0-9][a-z0-9._-]{0,99}$", p.Key));
        Assert.All(pages, p => Assert.Equal(snapshot.CommitSha, p.Provenance!.CommitSha));
        Assert.Equal("facts-api", Page(pages, "facts-api-shop-core").ParentKey);
        Assert.Equal(["src/Shop.Core/Cart.cs"], Page(pages, "facts-api-shop-core").Provenance!.SourceFiles);
        Assert.Contains("(codedoc-page:facts-coverage)", pages[0].Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_ApiReference_ListsPublicSymbolsWithPermalinksAndEscapedSummaries()
    {
        var (_, _, pages) = await BuildAsync();

        var core = Page(pages, "facts-api-shop-core").Markdown;
        Assert.Contains("## Shop.Core", core, StringComparison.Ordinal);
        Assert.Contains("### Cart", core, StringComparison.Ordinal);
        Assert.Contains($"(https://github.com/acme/shop/blob/{PageCheckerTests.Sha}/src/Shop.Core/Cart.cs#L4)", core, StringComparison.Ordinal);
        Assert.Contains("Clear", core, StringComparison.Ordinal);
        Assert.Contains("Empties the cart.", core, StringComparison.Ordinal);
        Assert.DoesNotContain("Hidden", core, StringComparison.Ordinal);
        Assert.DoesNotContain("](https://evil.example)", core, StringComparison.Ordinal);
        Assert.Contains("render_report(rows)", Page(pages, "facts-api-other-python-code").Markdown, StringComparison.Ordinal);
        Assert.Contains("rust", Page(pages, "facts-api").Markdown, StringComparison.Ordinal);
        Assert.Contains("Test projects are left out: Shop.Tests", Page(pages, "facts-api").Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(pages, p => p.Markdown.Contains("Clear_Empty_Works", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Build_Dependencies_DrawsAValidDiagramOfProjectReferences()
    {
        var (_, index, pages) = await BuildAsync();

        var markdown = Page(pages, "facts-dependencies").Markdown;
        var start = markdown.IndexOf("```mermaid\n", StringComparison.Ordinal) + "```mermaid\n".Length;
        var diagram = markdown[start..markdown.IndexOf("\n```", start, StringComparison.Ordinal)];
        Assert.True(new MermaidValidator().Check(diagram).IsValid, diagram);
        Assert.Contains("p0[\"Shop.Core\"]", diagram, StringComparison.Ordinal);
        Assert.Contains("p1 --> p0", diagram, StringComparison.Ordinal);
        Assert.Contains("`Polly 8.4.0`", markdown, StringComparison.Ordinal);
        Assert.Equal(index.Projects.Select(p => p.Path), Page(pages, "facts-dependencies").Provenance!.SourceFiles);
    }

    [Fact]
    public async Task Build_MapModulesAndCoverage_ReportWhatWasReadAndWhatWasLeftOut()
    {
        var (_, _, pages) = await BuildAsync();

        Assert.Contains($"[src/](https://github.com/acme/shop/blob/{PageCheckerTests.Sha}/src)", Page(pages, "facts-repository-map").Markdown, StringComparison.Ordinal);
        Assert.Contains("[src/Shop.Web](codedoc-page:module-src-shop-web)", Page(pages, "facts-modules").Markdown, StringComparison.Ordinal);
        var coverage = Page(pages, "facts-coverage").Markdown;
        Assert.Contains("| rust | 1 | file-level only |", coverage, StringComparison.Ordinal);
        Assert.Contains("| csharp | 3 | definitions indexed |", coverage, StringComparison.Ordinal);
        Assert.Contains("ignored by .gitignore", coverage, StringComparison.Ordinal);
        Assert.Contains("`secrets/", coverage, StringComparison.Ordinal);
    }

    [Fact]
    public void DependencyDiagram_HostileProjectNames_StaysValid()
    {
        var projects = new[]
        {
            new ProjectFact("a \"quoted\" (name) [x] {y} end", "a/package.json", "npm") { ProjectReferences = ["b/package.json"] },
            new ProjectFact("end", "b/package.json", "npm"),
        };

        var diagram = FactsPages.DependencyDiagram(projects);

        Assert.True(new MermaidValidator().Check(diagram).IsValid, diagram);
    }

    [Fact]
    public async Task Build_WithoutProjectsOrSymbols_SaysSoInsteadOfEmptyPages()
    {
        var snapshot = SymbolIndexBuilderTests.Snapshot(SymbolIndexBuilderTests.File("notes.txt", "hello"));
        var index = await new SymbolIndexBuilder(NullLogger<SymbolIndexBuilder>.Instance).BuildAsync(snapshot, TestContext.Current.CancellationToken);

        var pages = FactsPages.Build(snapshot, index, new MermaidValidator(), PageCheckerTests.GitHubPermalink, []);

        Assert.Contains("No project manifests", Page(pages, "facts-dependencies").Markdown, StringComparison.Ordinal);
        Assert.Contains("No public definitions", Page(pages, "facts-api").Markdown, StringComparison.Ordinal);
        Assert.Contains("no folders with code", Page(pages, "facts-modules").Markdown, StringComparison.Ordinal);
    }
}
