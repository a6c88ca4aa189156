using CodeDoc.Core;
using CodeDoc.Testing;

namespace CodeDoc.Pipeline.Tests.Markdown;

public sealed class MarkdownFolderLayoutTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task PublishAsync_SampleSet_WritesPageTreeAttachmentsIndexAndManifest()
    {
        var result = await MarkdownTest.Publisher(_temp.Output).PublishAsync(SampleDocumentSets.Basic(), null, TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                ".codedoc/manifest.json",
                "api-reference.md",
                "architecture.assets/overview.svg",
                "architecture.md",
                "architecture/components.md",
                "architecture/data-flow.md",
                "getting-started.md",
                "index.md",
                "overview.md",
            ],
            _temp.Files(includeCodeDoc: true));
        Assert.Equal("architecture/components.md", result.Outcome("components").Link);
        Assert.Equal(
            """
            # Widgets

            - [Overview](overview.md)
            - [Getting started](getting-started.md)
            - [Architecture](architecture.md)
              - [Components](architecture/components.md)
              - [Data flow](architecture/data-flow.md)
            - [API reference](api-reference.md)

            """.ReplaceLineEndings("\n"),
            string.Join('\n', _temp.Read("index.md").Split('\n').Skip(2)));
    }

    [Fact]
    public async Task PublishAsync_SampleSet_MatchesGoldenFile()
    {
        await MarkdownTest.Publisher(_temp.Output).PublishAsync(SampleDocumentSets.Basic(), null, TestContext.Current.CancellationToken);

        var rendered = string.Concat(_temp.Files(includeCodeDoc: true).Select(f => $"==> {f} <==\n{_temp.Read(f)}\n"));
        GoldenFile.AssertMatches(rendered, "sample-set.txt");
    }

    [Fact]
    public async Task PublishAsync_OrderValues_IndexFollowsOrderAndTiesKeepListOrder()
    {
        var set = MarkdownTest.Set(
            MarkdownTest.Page("c", "Third", order: 5),
            MarkdownTest.Page("a", "First", order: 1),
            MarkdownTest.Page("b2", "Second B", order: 2),
            MarkdownTest.Page("b1", "Second A", order: 2),
            MarkdownTest.Page("child", "Child", parentKey: "c", order: 0));

        await MarkdownTest.Publisher(_temp.Output).PublishAsync(set, null, TestContext.Current.CancellationToken);

        var items = _temp.Read("index.md").Split('\n').Where(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["- [First](first.md)", "- [Second B](second-b.md)", "- [Second A](second-a.md)", "- [Third](third.md)", "  - [Child](third/child.md)"],
            items);
    }

    [Fact]
    public async Task PublishAsync_SiblingsWithTheSameTitle_GetNumberedNamesThatStayStable()
    {
        var set = MarkdownTest.Set(
            MarkdownTest.Page("setup-linux", "Setup", order: 1),
            MarkdownTest.Page("setup-windows", "Setup!", order: 2),
            MarkdownTest.Page("index-page", "Index", order: 3));
        var publisher = MarkdownTest.Publisher(_temp.Output);

        var first = await publisher.PublishAsync(set, null, TestContext.Current.CancellationToken);
        var withEarlierTwin = SampleDocumentSets.WithPage(set, MarkdownTest.Page("setup-mac", "Setup", order: 0));
        var second = await publisher.PublishAsync(withEarlierTwin, null, TestContext.Current.CancellationToken);

        Assert.Equal(("setup.md", "setup-2.md", "index-2.md"), (first.Outcome("setup-linux").Link, first.Outcome("setup-windows").Link, first.Outcome("index-page").Link));
        Assert.Contains("setup-2.md", first.Outcome("setup-windows").Reason, StringComparison.Ordinal);
        Assert.Equal(PageOutcomeKind.Unchanged, second.Outcome("setup-linux").Kind);
        Assert.Equal(PageOutcomeKind.Unchanged, second.Outcome("setup-windows").Kind);
        Assert.Equal("setup-3.md", second.Outcome("setup-mac").Link);
    }

    [Fact]
    public async Task PublishAsync_Links_AreRewrittenToRelativePathsAndCodeIsLeftAlone()
    {
        await MarkdownTest.Publisher(_temp.Output).PublishAsync(SampleDocumentSets.Basic(), null, TestContext.Current.CancellationToken);

        Assert.Contains("[public API](architecture/components.md#public-api)", _temp.Read("overview.md"), StringComparison.Ordinal);
        Assert.Contains("[architecture](../architecture.md)", _temp.Read("architecture/components.md"), StringComparison.Ordinal);
        Assert.Contains("![How the parts fit](architecture.assets/overview.svg)", _temp.Read("architecture.md"), StringComparison.Ordinal);
        Assert.Contains("[data flow](architecture/data-flow.md)", _temp.Read("architecture.md"), StringComparison.Ordinal);
        var gettingStarted = _temp.Read("getting-started.md");
        Assert.Contains("`[text](codedoc-page:overview)`", gettingStarted, StringComparison.Ordinal);
        Assert.Contains("[overview](overview.md)", gettingStarted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_UnknownLinkTargets_AreReportedAndBecomePlainText()
    {
        var set = MarkdownTest.Set(MarkdownTest.Page(
            "home", "Home", "See [the missing page](codedoc-page:nowhere#x) and ![a chart](codedoc-attachment:chart.png) here."));

        var result = await MarkdownTest.Publisher(_temp.Output).PublishAsync(set, null, TestContext.Current.CancellationToken);

        Assert.Equal(PageOutcomeKind.Created, result.Outcome("home").Kind);
        Assert.Contains("codedoc-page:nowhere#x", result.Outcome("home").Reason, StringComparison.Ordinal);
        Assert.Contains("codedoc-attachment:chart.png", result.Outcome("home").Reason, StringComparison.Ordinal);
        Assert.Contains("See the missing page and a chart here.", _temp.Read("home.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_PageWithOwnTitleHeading_IsNotGivenASecondOne()
    {
        var set = MarkdownTest.Set(MarkdownTest.Page("home", "Home", "# Welcome home\n\nText."), MarkdownTest.Page("other", "Other & <More>", "Text."));

        await MarkdownTest.Publisher(_temp.Output).PublishAsync(set, null, TestContext.Current.CancellationToken);

        Assert.Single(_temp.Read("home.md").Split('\n'), l => l.StartsWith("# ", StringComparison.Ordinal));
        Assert.Contains("# Welcome home", _temp.Read("home.md"), StringComparison.Ordinal);
        Assert.Contains("# Other \\& \\<More\\>", _temp.Read("other-more.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_BodyEndingInAnOpenCodeBlock_KeepsTheTeamNotesOutsideIt()
    {
        var set = MarkdownTest.Set(MarkdownTest.Page("home", "Home", "Code:\n\n```cs\nvar x = 1;\n"));

        await MarkdownTest.Publisher(_temp.Output).PublishAsync(set, null, TestContext.Current.CancellationToken);

        var notes = TeamNotes.Find(_temp.Read("home.md"));
        Assert.Equal(TeamNotes.DefaultId, Assert.Single(notes).Id);
    }

    [Fact]
    public async Task PublishAsync_CustomIndexAndNoTeamNotes_FollowsTheOptions()
    {
        var set = MarkdownTest.Set(MarkdownTest.Page("readme", "Readme"), MarkdownTest.Page("guide", "Guide"));

        var result = await MarkdownTest.Publisher(_temp.Output, o =>
        {
            o.IndexFileName = "README.md";
            o.AddTeamNotesSection = false;
        }).PublishAsync(set, null, TestContext.Current.CancellationToken);

        Assert.Equal(["README.md", "guide.md", "readme-2.md"], _temp.Files());
        Assert.Equal("readme-2.md", result.Outcome("readme").Link);
        Assert.DoesNotContain("codedoc:team-notes", _temp.Read("guide.md"), StringComparison.Ordinal);
    }
}
