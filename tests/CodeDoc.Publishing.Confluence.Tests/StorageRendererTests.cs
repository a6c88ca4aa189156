using System.Xml.Linq;
using CodeDoc.FakeServers.Confluence;
using CsCheck;

namespace CodeDoc.Publishing.Confluence.Tests;

public sealed class StorageRendererTests
{
    private static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        ["overview"] = "Overview",
        ["setup"] = "Install & set up",
    };

    [Fact]
    public void Render_CodeContainingCDataEnd_SplitsTheSectionAndKeepsTheCode()
    {
        const string code = "var x = a[b[0]]>1; // ]]> and ]]]]>";
        var body = Render($"```csharp\n{code}\n```\n").Body;

        Assert.Null(FakeConfluence.StorageProblem(body));
        var plain = Assert.Single(Parse(body).Descendants(Ac("plain-text-body")));
        Assert.Equal(code, plain.Value);
        Assert.Contains("]]]]><![CDATA[>", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("csharp", true, "c#")]
    [InlineData("csharp", false, "csharp")]
    [InlineData("no-such-language", true, "none")]
    public void Render_FencedCode_UsesTheCodeMacroWithTheMappedLanguage(string info, bool cloud, string expected)
    {
        var body = Render($"```{info}\nx\n```\n", cloud: cloud).Body;

        var macro = Assert.Single(Parse(body).Descendants(Ac("structured-macro")), m => (string?)m.Attribute(Ac("name")) == "code");
        Assert.Equal(expected, macro.Elements(Ac("parameter")).Single(p => (string?)p.Attribute(Ac("name")) == "language").Value);
    }

    [Fact]
    public void Render_LinkToPageOfTheSet_BecomesAPageLinkWithAnchor()
    {
        var result = Render("See [setting up](codedoc-page:setup#first-run) and [gone](codedoc-page:missing).");

        var link = Assert.Single(Parse(result.Body).Descendants(Ac("link")));
        Assert.Equal("first-run", (string?)link.Attribute(Ac("anchor")));
        var page = Assert.Single(link.Elements(Ri("page")));
        Assert.Equal("Install & set up", (string?)page.Attribute(Ri("content-title")));
        Assert.Equal("DOC", (string?)page.Attribute(Ri("space-key")));
        Assert.Equal("setting up", link.Element(Ac("plain-text-link-body"))!.Value);
        Assert.Equal(["codedoc-page:missing"], result.UnresolvedLinks);
        Assert.Contains("gone", result.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ExternalLinkAndImages_BecomeAnchorsAndImageMacros()
    {
        var body = Render("[site](https://example.com/?a=1&b=2) ![Arch](codedoc-attachment:arch.png) ![Logo](https://example.com/l.png)", attachments: ["arch.png"]).Body;
        var root = Parse(body);

        Assert.Equal("https://example.com/?a=1&b=2", (string?)root.Descendants("a").Single().Attribute("href"));
        var images = root.Descendants(Ac("image")).ToList();
        Assert.Equal("arch.png", (string?)images[0].Element(Ri("attachment"))!.Attribute(Ri("filename")));
        Assert.Equal("https://example.com/l.png", (string?)images[1].Element(Ri("url"))!.Attribute(Ri("value")));
    }

    [Theory]
    [InlineData("NOTE", "info")]
    [InlineData("TIP", "tip")]
    [InlineData("WARNING", "note")]
    [InlineData("CAUTION", "warning")]
    public void Render_Alert_BecomesTheMatchingMacro(string kind, string macro)
    {
        var body = Render($"> [!{kind}]\n> Mind the *gap*.\n").Body;

        var element = Assert.Single(Parse(body).Descendants(Ac("structured-macro")), m => (string?)m.Attribute(Ac("name")) != "panel");
        Assert.Equal(macro, (string?)element.Attribute(Ac("name")));
        Assert.Contains("gap", element.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TaskListNestedListsAndTable_AreWellFormedStorage()
    {
        const string markdown = "- [ ] todo\n- [x] done\n\n1. one\n   - nested\n2. two\n\n| a | b |\n|---|---|\n| `x<y` | **z** |\n";
        var root = Parse(Render(markdown).Body);

        Assert.Equal(["incomplete", "complete"], root.Descendants(Ac("task-status")).Select(s => s.Value));
        Assert.Equal(["todo", "done"], root.Descendants(Ac("task-body")).Select(b => b.Value));
        Assert.Single(root.Descendants("ol"));
        Assert.Single(root.Descendants("ol").Descendants("ul"));
        Assert.Equal(["a", "b"], root.Descendants("th").Select(c => c.Value));
        Assert.Equal("x<y", root.Descendants("td").First().Value);
    }

    [Fact]
    public void Render_LongPage_StartsWithATableOfContents()
    {
        var longPage = string.Concat(Enumerable.Range(1, 4).Select(i => $"## Part {i}\n\ntext\n\n"));

        Assert.StartsWith("<ac:structured-macro ac:name=\"toc\">", Render(longPage, tocHeadings: 4).Body, StringComparison.Ordinal);
        Assert.DoesNotContain("ac:name=\"toc\"", Render("## One\n\ntext\n", tocHeadings: 4).Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RawHtmlAndControlCharacters_AreEscapedOrDropped()
    {
        var body = Render("<div onclick=\"x\">raw</td>\n\nText\u0001 with <b>bold</b> & \u0007 bell &nbsp; done").Body;

        Assert.Null(FakeConfluence.StorageProblem(body));
        Assert.DoesNotContain("<div", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", body, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0001', body);
    }

    [Fact]
    public void Render_Mermaid_UsesTheMacroWhenConfiguredAndACodeBlockOtherwise()
    {
        const string markdown = "```mermaid\ngraph TD; A-->B\n```\n";

        var withMacro = Parse(Render(markdown, mermaidMacro: "mermaid-cloud").Body);
        var withoutMacro = Parse(Render(markdown).Body);

        Assert.Single(withMacro.Descendants(Ac("structured-macro")), m => (string?)m.Attribute(Ac("name")) == "mermaid-cloud");
        var code = Assert.Single(withoutMacro.Descendants(Ac("structured-macro")), m => (string?)m.Attribute(Ac("name")) == "code");
        Assert.Equal("graph TD; A-->B", code.Element(Ac("plain-text-body"))!.Value);
    }

    [Fact]
    public void Render_GoldenPage_MatchesTheGoldenFile()
    {
        var markdown = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "page.md"));
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "page.storage.xml")).TrimEnd('\n');

        var body = Render(markdown, attachments: ["arch.png"], tocHeadings: 3, teamNotes: true).Body;

        Assert.Equal(expected, body);
    }

    [Fact]
    public void Render_RandomMarkdown_IsAlwaysWellFormedStorage()
    {
        var pieces = Gen.OneOf(
            "# ", "## ", "### ", "\n", "\n\n", "- ", "* ", "1. ", "  - ", "> ", "> [!NOTE]\n> ", "- [ ] ", "- [x] ", "```", "```csharp\n", "```mermaid\n",
            "~~~\n", "    ", "`", "``", "*", "**", "_", "~~", "[", "]", "(", ")", "](codedoc-page:overview)", "](codedoc-page:setup#a)", "](codedoc-page:nope)",
            "](https://example.com/?a=1&b=2)", "![", "](codedoc-attachment:arch.png)", "<", ">", "&", "&amp;", "&nbsp;", "&#0;", "\"", "'", "]]>", "]]", "<![CDATA[",
            "<b>", "</td>", "<br>", "<!-- c -->", "<!-- codedoc:team-notes id=\"ops\" -->", "<!-- /codedoc:team-notes -->", "|", "| a | b |\n|---|---|\n",
            "---\n", "\\", "\t", "\u0001", "\u001f", "\uFFFE", "\uD800", "é", "😀", "text", "more words", "http://example.com", "<https://example.com>", "x@example.com");
        var markdown = pieces.Array[0, 40].Select(parts => string.Concat(parts));

        markdown.Sample(text =>
        {
            var body = Render(text, attachments: ["arch.png"], mermaidMacro: text.Length % 2 == 0 ? "mermaid" : null, tocHeadings: 2, teamNotes: true).Body;
            Assert.Null(FakeConfluence.StorageProblem(body));
        }, iter: 3000);
    }

    private static StorageRenderResult Render(
        string markdown, bool cloud = true, IReadOnlyCollection<string>? attachments = null, string? mermaidMacro = null, int tocHeadings = 0, bool teamNotes = false) =>
        StorageRenderer.Render(new StorageRenderRequest
        {
            Markdown = markdown,
            Title = "Current page",
            SpaceKey = "DOC",
            Cloud = cloud,
            PageTitle = key => Titles.GetValueOrDefault(key),
            Attachments = attachments ?? [],
            MermaidMacroName = mermaidMacro,
            TableOfContentsMinHeadings = tocHeadings,
            AddTeamNotesSection = teamNotes,
        });

    private static XElement Parse(string body) => StorageDocument.Parse(body);

    private static XName Ac(string name) => StorageDocument.Ac + name;

    private static XName Ri(string name) => StorageDocument.Ri + name;
}
