namespace CodeDoc.Pipeline.Tests.Generation;

public sealed class PageGistTests
{
    private const string Page = """
        The `Adder` adds numbers [src/Calc/Adder.cs:3-7].

        ## Usage

        Call `Adder.Add` with two integers.

        ```csharp
        var sum = `NotAName`;
        ```
        """;

    [Fact]
    public void Changed_OnlyBodyTextOrCitationLinesOrWrappingDiffer_IsFalse()
    {
        var edited = Page
            .Replace("[src/Calc/Adder.cs:3-7]", "[src/Calc/Adder.cs:4-9]", StringComparison.Ordinal)
            .Replace("The `Adder` adds", "The `Adder`\nadds", StringComparison.Ordinal)
            .Replace("with two integers", "with any two integers", StringComparison.Ordinal);

        Assert.False(PageGist.Changed(Page, edited));
    }

    [Fact]
    public void Changed_VerificationWarningAdded_IsFalse()
    {
        Assert.False(PageGist.Changed(Page, "> **Warning:** this page could not be fully verified (truthfulness 80%).\n\n" + Page));
    }

    [Theory]
    [InlineData("The `Adder` adds numbers", "The `Adder` adds and subtracts numbers")]
    [InlineData("## Usage", "## Using it")]
    [InlineData("Call `Adder.Add`", "Call `Adder.Sum`")]
    public void Changed_FirstParagraphHeadingOrNameDiffers_IsTrue(string before, string after)
    {
        Assert.True(PageGist.Changed(Page, Page.Replace(before, after, StringComparison.Ordinal)));
    }

    [Fact]
    public void Changed_NamesOnlyInsideCodeBlocksDiffer_IsFalse()
    {
        Assert.False(PageGist.Changed(Page, Page.Replace("`NotAName`", "`OtherName`", StringComparison.Ordinal)));
    }

    [Fact]
    public void Changed_NoPublishedText_IsTrue()
    {
        Assert.True(PageGist.Changed(null, Page));
    }
}
