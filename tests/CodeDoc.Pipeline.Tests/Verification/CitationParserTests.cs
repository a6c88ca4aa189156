namespace CodeDoc.Pipeline.Tests.Verification;

public sealed class CitationParserTests
{
    [Theory]
    [InlineData("See [src/Shop/Cart.cs:10-20].", "src/Shop/Cart.cs", 10, 20)]
    [InlineData("See [src/Shop/Cart.cs:7].", "src/Shop/Cart.cs", 7, 7)]
    [InlineData("See [src/Shop/Cart.cs].", "src/Shop/Cart.cs", null, null)]
    [InlineData("See [./src/Shop/Cart.cs:L3-L9].", "src/Shop/Cart.cs", 3, 9)]
    [InlineData("See [src/Shop/Cart.cs#L3-L9].", "src/Shop/Cart.cs", 3, 9)]
    [InlineData("See [Program.cs:4 – 6].", "Program.cs", 4, 6)]
    [InlineData("See [package.json].", "package.json", null, null)]
    [InlineData("See [src\\Shop\\Cart.cs:2].", "src/Shop/Cart.cs", 2, 2)]
    public void Parse_CitationForms_ReadsPathAndLines(string markdown, string path, int? start, int? end)
    {
        var citation = Assert.Single(CitationParser.Parse(markdown));

        Assert.Equal(path, citation.Path);
        Assert.Equal(start, citation.StartLine);
        Assert.Equal(end, citation.EndLine);
        Assert.Equal(markdown.IndexOf('[', StringComparison.Ordinal) + 1, citation.Index);
    }

    [Theory]
    [InlineData("A task list:\n- [x] done\n- [ ] open")]
    [InlineData("> [!NOTE]\n> a GitHub alert")]
    [InlineData("Abbreviations [e.g] and versions [v1.2] are prose.")]
    [InlineData("A link [src/a.cs](src/a.cs) is a link, not a citation.")]
    [InlineData("A reference [src/a.cs][1] is a link too.\n\n[1]: src/a.cs")]
    [InlineData("Code `[src/a.cs:1-2]` is code.")]
    [InlineData("```\n[src/a.cs:1-2]\n```")]
    [InlineData("A sentence [with words in it].")]
    [InlineData("A URL [https://example.com/a.cs] is no path.")]
    public void Parse_NoCitation_FindsNothing(string markdown)
    {
        Assert.Empty(CitationParser.Parse(markdown));
    }

    [Fact]
    public void ParseGroups_SeveralCitationsInOneBracket_ReadsEachWithItsPosition()
    {
        const string Markdown = "Orders flow through [src/a.cs:1-5, src/b.cs:7; lib/c.py] here.";

        var group = Assert.Single(CitationParser.ParseGroups(Markdown));

        Assert.Equal(Markdown.IndexOf('[', StringComparison.Ordinal), group.Start);
        Assert.Equal("[src/a.cs:1-5, src/b.cs:7; lib/c.py]".Length, group.Length);
        Assert.Equal(["src/a.cs:1-5", "src/b.cs:7", "lib/c.py"], group.Citations.Select(c => Markdown.Substring(c.Index, c.Length)));
    }

    [Fact]
    public void ParseGroups_OneItemIsProse_TakesNoneOfTheBracket()
    {
        Assert.Empty(CitationParser.ParseGroups("Both [src/a.cs:1 and more]."));
    }
}
