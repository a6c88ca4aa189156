using System.Text;
using CodeDoc.Core;
using CodeDoc.Testing;

namespace CodeDoc.Pipeline.Tests.Markdown;

public sealed class MarkdownFolderChangeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_UnchangedSet_WritesNothingAtAll()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        _temp.AgeEverything();
        var before = _temp.Snapshot();

        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);

        Assert.All(result.Pages, p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
        Assert.Equal(before, _temp.Snapshot());
    }

    [Fact]
    public async Task PublishAsync_OneChangedPage_RewritesOnlyThatFileAndTheManifest()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        _temp.AgeEverything();
        var before = _temp.Snapshot();

        await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "components"), null, Token);

        var after = _temp.Snapshot();
        var changed = before.Keys.Where(k => before[k] != after[k]).ToList();
        Assert.Equal(["out/.codedoc", "out/.codedoc/manifest.json", "out/architecture", "out/architecture/components.md"], changed);
        Assert.Equal(before.Keys, after.Keys);
    }

    [Fact]
    public async Task PublishAsync_FileWithWindowsLineEndingsAndByteOrderMark_IsNotAnEditAndIsNotRewritten()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var crlf = Encoding.UTF8.GetBytes("\uFEFF" + _temp.Read("overview.md").ReplaceLineEndings("\r\n"));
        File.WriteAllBytes(_temp.File("overview.md"), crlf);

        var same = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var changed = await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "components"), null, Token);

        Assert.Equal(PageOutcomeKind.Unchanged, same.Outcome("overview").Kind);
        Assert.Equal(PageOutcomeKind.Unchanged, changed.Outcome("overview").Kind);
        Assert.Equal(crlf, File.ReadAllBytes(_temp.File("overview.md")));
    }

    [Fact]
    public async Task PublishAsync_PageEditedByPerson_IsSkippedAndKept()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        File.AppendAllText(_temp.File("overview.md"), "A person wrote this.\n");

        var result = await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "overview"), null, Token);

        var outcome = result.Outcome("overview");
        Assert.Equal(PageOutcomeKind.SkippedEditedByPerson, outcome.Kind);
        Assert.Contains("overview.md", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("Force", outcome.Reason, StringComparison.Ordinal);
        Assert.EndsWith("A person wrote this.\n", _temp.Read("overview.md"), StringComparison.Ordinal);
        Assert.DoesNotContain("This paragraph is new.", _temp.Read("overview.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_EditedPageWithForce_IsOverwrittenAndKeepsTeamNotes()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        WriteNote("overview.md", "notes", "Ask Dana before changing this.\n");
        File.AppendAllText(_temp.File("overview.md"), "A person wrote this.\n");

        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), new PublishOptions { Force = true }, Token);

        Assert.Equal(PageOutcomeKind.Updated, result.Outcome("overview").Kind);
        Assert.Contains("Force", result.Outcome("overview").Reason, StringComparison.Ordinal);
        var text = _temp.Read("overview.md");
        Assert.DoesNotContain("A person wrote this.", text, StringComparison.Ordinal);
        Assert.Contains("Ask Dana before changing this.", text, StringComparison.Ordinal);
        Assert.Equal(PageOutcomeKind.Unchanged, (await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token)).Outcome("overview").Kind);
    }

    [Fact]
    public async Task PublishAsync_FileDeletedByPerson_IsRecreatedAndSaysSo()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        File.Delete(_temp.File("architecture/data-flow.md"));

        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);

        Assert.Equal(PageOutcomeKind.Created, result.Outcome("data-flow").Kind);
        Assert.Contains("deleted", result.Outcome("data-flow").Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(_temp.File("architecture/data-flow.md")));
    }

    [Fact]
    public async Task PublishAsync_TeamNotesWrittenByPeople_AreNotEditsAndSurviveRegeneration()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        WriteNote("architecture/components.md", "notes", "We plan to split this.\n\n- item one\n");

        var same = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var changed = await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "components"), null, Token);

        Assert.Equal(PageOutcomeKind.Unchanged, same.Outcome("components").Kind);
        Assert.Equal(PageOutcomeKind.Updated, changed.Outcome("components").Kind);
        var text = _temp.Read("architecture/components.md");
        Assert.Contains("This paragraph is new.", text, StringComparison.Ordinal);
        Assert.Contains("<!-- codedoc:team-notes id=\"notes\" -->\nWe plan to split this.\n\n- item one\n<!-- /codedoc:team-notes -->", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_BlockWithTheSameId_GetsTheKeptBody()
    {
        var page = MarkdownTest.Page("home", "Home", "Intro.\n\n## Decisions\n\n<!-- codedoc:team-notes id=\"decisions\" -->\n_None yet._\n<!-- /codedoc:team-notes -->\n\nMore text.");
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(MarkdownTest.Set(page), null, Token);
        WriteNote("home.md", "decisions", "We chose SQLite.\n");

        await publisher.PublishAsync(MarkdownTest.Set(page with { Markdown = page.Markdown + "\n\nEven more text." }), null, Token);

        var text = _temp.Read("home.md");
        Assert.Contains("<!-- codedoc:team-notes id=\"decisions\" -->\nWe chose SQLite.\n<!-- /codedoc:team-notes -->\n\nMore text.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("_None yet._", text, StringComparison.Ordinal);
        Assert.Contains("Even more text.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_BlockWhoseIdIsGone_IsAppendedUnderAHeadingAndStaysStable()
    {
        var page = MarkdownTest.Page("home", "Home", "Intro.\n\n<!-- codedoc:team-notes id=\"decisions\" -->\n<!-- /codedoc:team-notes -->");
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(MarkdownTest.Set(page), null, Token);
        WriteNote("home.md", "decisions", "We chose SQLite.\n");

        var regenerated = await publisher.PublishAsync(MarkdownTest.Set(page with { Markdown = "Intro, rewritten." }), null, Token);
        var again = await publisher.PublishAsync(MarkdownTest.Set(page with { Markdown = "Intro, rewritten." }), null, Token);

        Assert.Equal(PageOutcomeKind.Updated, regenerated.Outcome("home").Kind);
        Assert.Equal(PageOutcomeKind.Unchanged, again.Outcome("home").Kind);
        var text = _temp.Read("home.md");
        Assert.EndsWith(
            $"{TeamNotes.KeptNotesHeading}\n\n<!-- codedoc:team-notes id=\"decisions\" -->\nWe chose SQLite.\n<!-- /codedoc:team-notes -->\n",
            text,
            StringComparison.Ordinal);
        Assert.Contains("<!-- codedoc:team-notes id=\"notes\" -->", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_RetitledPage_MovesItsFileChildrenAndAttachmentsAndRemovesEmptiedFolders()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        WriteNote("architecture/components.md", "notes", "Keep me.\n");

        var result = await publisher.PublishAsync(SampleDocumentSets.WithRetitledPage(SampleDocumentSets.Basic(), "architecture", "Design"), null, Token);

        Assert.Equal(
            ["api-reference.md", "design.assets/overview.svg", "design.md", "design/components.md", "design/data-flow.md", "getting-started.md", "index.md", "overview.md"],
            _temp.Files());
        Assert.False(Directory.Exists(_temp.File("architecture")));
        Assert.False(Directory.Exists(_temp.File("architecture.assets")));
        Assert.Equal(PageOutcomeKind.Updated, result.Outcome("architecture").Kind);
        Assert.Contains("Moved from architecture.md to design.md", result.Outcome("architecture").Reason, StringComparison.Ordinal);
        Assert.Equal(PageOutcomeKind.Updated, result.Outcome("components").Kind);
        Assert.Equal(PageOutcomeKind.Updated, result.Outcome("overview").Kind);
        Assert.Equal(PageOutcomeKind.Unchanged, result.Outcome("getting-started").Kind);
        Assert.Contains("(design/components.md#public-api)", _temp.Read("overview.md"), StringComparison.Ordinal);
        Assert.Contains("Keep me.", _temp.Read("design/components.md"), StringComparison.Ordinal);
        Assert.Contains("![How the parts fit](design.assets/overview.svg)", _temp.Read("design.md"), StringComparison.Ordinal);
        var manifest = await publisher.ReadManifestAsync(SampleDocumentSets.Id, Token);
        Assert.Equal("design/components.md", Assert.Single(manifest!.Pages, p => p.Key == "components").TargetId);
    }

    [Fact]
    public async Task PublishAsync_RetitledPageEditedByPerson_StaysWithItsChildrenAndIsReported()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        File.AppendAllText(_temp.File("architecture.md"), "Edited.\n");

        var result = await publisher.PublishAsync(SampleDocumentSets.WithRetitledPage(SampleDocumentSets.Basic(), "architecture", "Design"), null, Token);

        Assert.Equal(PageOutcomeKind.SkippedEditedByPerson, result.Outcome("architecture").Kind);
        Assert.Contains("title or place in the outline changed", result.Outcome("architecture").Reason, StringComparison.Ordinal);
        Assert.Equal("architecture.md", result.Outcome("architecture").Link);
        Assert.Equal(PageOutcomeKind.Unchanged, result.Outcome("components").Kind);
        Assert.Contains("[Design](architecture.md)", _temp.Read("index.md"), StringComparison.Ordinal);
        Assert.DoesNotContain("design", string.Join(' ', _temp.Files()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_PageMovedToAnotherParent_MovesTheFile()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var moved = SampleDocumentSets.Basic() with
        {
            Pages = [.. SampleDocumentSets.Basic().Pages.Select(p => p.Key == "data-flow" ? p with { ParentKey = "overview" } : p)],
        };

        var result = await publisher.PublishAsync(moved, null, Token);

        Assert.Equal("overview/data-flow.md", result.Outcome("data-flow").Link);
        Assert.Contains("Moved from architecture/data-flow.md to overview/data-flow.md", result.Outcome("data-flow").Reason, StringComparison.Ordinal);
        Assert.Contains("[overview](../overview.md)", _temp.Read("overview/data-flow.md"), StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("architecture/data-flow.md")));
        Assert.True(File.Exists(_temp.File("architecture/components.md")));
    }

    [Fact]
    public async Task PublishAsync_RemovedPagesInDeleteMode_DeletesFilesAttachmentsAndEmptiedFolders()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var withoutArchitecture = SampleDocumentSets.WithoutPage(
            SampleDocumentSets.WithoutPage(SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "components"), "data-flow"), "architecture");

        var result = await publisher.PublishAsync(withoutArchitecture, null, Token);

        Assert.Equal(["api-reference.md", "getting-started.md", "index.md", "overview.md"], _temp.Files());
        Assert.Equal(["architecture", "components", "data-flow"], result.Pages.Where(p => p.Kind == PageOutcomeKind.Removed).Select(p => p.Key).Order());
        Assert.All(result.Pages.Where(p => p.Kind == PageOutcomeKind.Removed), p => Assert.Null(p.Link));
        Assert.Equal(Directory.GetDirectories(_temp.Output).Select(Path.GetFileName), [".codedoc"]);
    }

    [Fact]
    public async Task PublishAsync_RemovedPagesInArchiveMode_MovesThemUnderArchived()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output, o => o.RemovedPages = RemovedPagesMode.Archive);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var withoutArchitecture = SampleDocumentSets.WithoutPage(
            SampleDocumentSets.WithoutPage(SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "components"), "data-flow"), "architecture");

        var result = await publisher.PublishAsync(withoutArchitecture, null, Token);

        Assert.Equal(
            [
                "_archived/architecture.assets/overview.svg", "_archived/architecture.md", "_archived/architecture/components.md",
                "_archived/architecture/data-flow.md", "api-reference.md", "getting-started.md", "index.md", "overview.md",
            ],
            _temp.Files());
        Assert.Equal("_archived/architecture/components.md", result.Outcome("components").Link);
        Assert.Equal(PageOutcomeKind.Removed, result.Outcome("architecture").Kind);
        var manifest = await publisher.ReadManifestAsync(SampleDocumentSets.Id, Token);
        Assert.DoesNotContain(manifest!.Pages, p => p.Key == "architecture");
    }

    [Fact]
    public async Task PublishAsync_RemovedPageEditedByPerson_IsKeptReportedAndForgotten()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        File.AppendAllText(_temp.File("api-reference.md"), "Edited.\n");

        var removed = await publisher.PublishAsync(SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "reference"), null, Token);
        var next = await publisher.PublishAsync(SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "reference"), null, Token);

        Assert.Equal(PageOutcomeKind.Removed, removed.Outcome("reference").Kind);
        Assert.Contains("edited by a person", removed.Outcome("reference").Reason, StringComparison.Ordinal);
        Assert.Equal("api-reference.md", removed.Outcome("reference").Link);
        Assert.True(File.Exists(_temp.File("api-reference.md")));
        Assert.DoesNotContain(next.Pages, p => p.Key == "reference");
        Assert.DoesNotContain("api-reference.md", _temp.Read("index.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_RemovedPageWithTeamNotes_IsKeptInDeleteMode()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        WriteNote("api-reference.md", "notes", "Do not lose me.\n");

        var result = await publisher.PublishAsync(SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "reference"), null, Token);

        Assert.Contains("team notes", result.Outcome("reference").Reason, StringComparison.Ordinal);
        Assert.Contains("Do not lose me.", _temp.Read("api-reference.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_NewPageWithTheTitleOfARemovedOne_TakesItsName()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var rekeyed = SampleDocumentSets.WithPage(
            SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "reference"), SampleDocumentSets.Page("api", "API reference", null, 3, "New text."));

        var result = await publisher.PublishAsync(rekeyed, null, Token);

        Assert.Equal(PageOutcomeKind.Removed, result.Outcome("reference").Kind);
        Assert.Equal(("api-reference.md", PageOutcomeKind.Created), (result.Outcome("api").Link, result.Outcome("api").Kind));
        Assert.Contains("New text.", _temp.Read("api-reference.md"), StringComparison.Ordinal);
        var manifest = await publisher.ReadManifestAsync(SampleDocumentSets.Id, Token);
        Assert.Equal("api-reference.md", Assert.Single(manifest!.Pages, p => p.Key == "api").TargetId);
    }

    [Fact]
    public async Task PublishAsync_AttachmentDroppedFromPage_IsDeleted()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var withoutAttachment = SampleDocumentSets.Basic() with
        {
            Pages = [.. SampleDocumentSets.Basic().Pages.Select(p => p.Key == "architecture" ? p with { Attachments = [], Markdown = "No picture." } : p)],
        };

        var result = await publisher.PublishAsync(withoutAttachment, null, Token);

        Assert.Equal(PageOutcomeKind.Updated, result.Outcome("architecture").Kind);
        Assert.False(Directory.Exists(_temp.File("architecture.assets")));
        var manifest = await publisher.ReadManifestAsync(SampleDocumentSets.Id, Token);
        Assert.Empty(Assert.Single(manifest!.Pages, p => p.Key == "architecture").Attachments);
    }

    [Fact]
    public async Task PublishAsync_DryRunIntoMissingFolder_CreatesNothing()
    {
        var result = await MarkdownTest.Publisher(_temp.Output).PublishAsync(SampleDocumentSets.Basic(), new PublishOptions { DryRun = true }, Token);

        Assert.True(result.DryRun);
        Assert.All(result.Pages, p => Assert.Equal(PageOutcomeKind.Created, p.Kind));
        Assert.Equal("architecture/components.md", result.Outcome("components").Link);
        Assert.False(Directory.Exists(_temp.Output));
    }

    [Fact]
    public async Task PublishAsync_DryRunWithMovesEditsAndRemovals_TouchesNothingAndPredictsTheRealRun()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        File.AppendAllText(_temp.File("overview.md"), "Edited.\n");
        File.Delete(_temp.File("getting-started.md"));
        _temp.AgeEverything();
        var before = _temp.Snapshot();
        var changed = SampleDocumentSets.WithoutPage(
            SampleDocumentSets.WithRetitledPage(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "overview"), "architecture", "Design"), "reference");

        var dryRun = await publisher.PublishAsync(changed, new PublishOptions { DryRun = true }, Token);
        var snapshotAfterDryRun = _temp.Snapshot();
        var realRun = await publisher.PublishAsync(changed, null, Token);

        Assert.Equal(before, snapshotAfterDryRun);
        Assert.Equal(realRun.Pages, dryRun.Pages);
    }

    private void WriteNote(string relativePath, string id, string body)
    {
        var text = _temp.Read(relativePath);
        var start = TeamNotes.StartMarker(id) + "\n";
        var bodyStart = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        Assert.True(bodyStart >= start.Length, $"{relativePath} has no team-notes block '{id}'.");
        var bodyEnd = text.IndexOf(TeamNotes.EndMarker, bodyStart, StringComparison.Ordinal);
        File.WriteAllText(_temp.File(relativePath), text[..bodyStart] + body + text[bodyEnd..]);
    }
}
