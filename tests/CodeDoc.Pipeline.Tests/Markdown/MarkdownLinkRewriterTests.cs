namespace CodeDoc.Pipeline.Tests.Markdown;

public sealed class MarkdownLinkRewriterTests
{
    private static readonly Dictionary<string, (string Url, string Title)> Pages = new()
    {
        ["overview"] = ("../overview.md", "Overview"),
        ["api"] = ("api.md", "API [v2]"),
    };

    [Theory]
    [InlineData("See [it](codedoc-page:overview).", "See [it](../overview.md).")]
    [InlineData("See [it](<codedoc-page:overview>).", "See [it](../overview.md).")]
    [InlineData("See [it](codedoc-page:overview \"Title\").", "See [it](../overview.md \"Title\").")]
    [InlineData("See [it](codedoc-page:overview#getting started).", "See [it](codedoc-page:overview#getting started).")]
    [InlineData("See [it](<codedoc-page:overview#getting started (now)>).", "See [it](../overview.md#getting%20started%20%28now%29).")]
    [InlineData("See [it](codedoc-page:api#list).", "See [it](api.md#list).")]
    [InlineData("See <codedoc-page:api>.", "See [API \\[v2\\]](api.md).")]
    [InlineData("![chart](codedoc-attachment:chart.png)", "![chart](page.assets/chart.png)")]
    [InlineData("[![chart](codedoc-attachment:chart.png)](codedoc-page:overview)", "[![chart](page.assets/chart.png)](../overview.md)")]
    [InlineData("[![chart](codedoc-attachment:chart.png)](codedoc-page:gone)", "![chart](page.assets/chart.png)")]
    [InlineData("See [the **old** page](codedoc-page:gone) now.", "See the **old** page now.")]
    [InlineData("See <codedoc-page:gone>.", "See gone.")]
    [InlineData("See [web](https://example.test/codedoc-page:overview).", "See [web](https://example.test/codedoc-page:overview).")]
    [InlineData("Use `[x](codedoc-page:overview)` literally.", "Use `[x](codedoc-page:overview)` literally.")]
    [InlineData("```\n[x](codedoc-page:overview)\n```", "```\n[x](codedoc-page:overview)\n```")]
    [InlineData("Text\n\n    [x](codedoc-page:overview)\n", "Text\n\n    [x](codedoc-page:overview)\n")]
    public void Rewrite_Links_AreRewrittenWhereTheyAreAndNowhereElse(string markdown, string expected) =>
        Assert.Equal(expected, Rewrite(markdown).Markdown);

    [Fact]
    public void Rewrite_ReferenceLinks_RewriteTheDefinitionOnce()
    {
        var result = Rewrite("See [one][ov], [two][ov] and [ov].\n\n[ov]: codedoc-page:overview\n");

        Assert.Equal("See [one][ov], [two][ov] and [ov].\n\n[ov]: ../overview.md\n", result.Markdown);
        Assert.Empty(result.UnresolvedLinks);
    }

    [Fact]
    public void Rewrite_UnknownReferenceLinks_BecomeTextAndTheDefinitionGoes()
    {
        var result = Rewrite("See [one][x] and [x].\n\n[x]: codedoc-page:gone\n");

        Assert.Equal("See one and x.\n\n\n", result.Markdown);
        Assert.Equal(["codedoc-page:gone"], result.UnresolvedLinks);
    }

    [Fact]
    public void Rewrite_UnknownTargets_AreEachReportedOnce()
    {
        var result = Rewrite("[a](codedoc-page:gone) [b](codedoc-page:gone) ![c](codedoc-attachment:nope.png)");

        Assert.Equal(["codedoc-page:gone", "codedoc-attachment:nope.png"], result.UnresolvedLinks);
    }

    [Theory]
    [InlineData("a.md", "b.md", "b.md")]
    [InlineData("a/b.md", "a/c.md", "c.md")]
    [InlineData("a/b.md", "c.md", "../c.md")]
    [InlineData("a/b/c.md", "a/d/e.md", "../d/e.md")]
    [InlineData("x.md", "a/b.md", "a/b.md")]
    [InlineData("a/b.md", "a/b.md", "b.md")]
    [InlineData("a.md", "a/b.md", "a/b.md")]
    [InlineData("a/b.md", "a.md", "../a.md")]
    public void RelativeUrl_BetweenFiles_IsTheShortestRelativePath(string from, string to, string expected) =>
        Assert.Equal(expected, MarkdownLinkRewriter.RelativeUrl(from, to));

    private static LinkRewriteResult Rewrite(string markdown) => MarkdownLinkRewriter.Rewrite(
        markdown,
        key => Pages.TryGetValue(key, out var page) ? page : null,
        file => file == "chart.png" ? "page.assets/chart.png" : null);
}
