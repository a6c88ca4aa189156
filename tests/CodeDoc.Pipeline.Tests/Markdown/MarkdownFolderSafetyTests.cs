using System.Text;
using CodeDoc.Core;
using CodeDoc.Testing;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Pipeline.Tests.Markdown;

public sealed class MarkdownFolderSafetyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishAsync_FolderHoldsAnotherSet_ThrowsConflictNamingItAndWritesNothing()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var before = _temp.Snapshot();

        var error = await Assert.ThrowsAsync<DocPublisherConflictException>(
            () => publisher.PublishAsync(SampleDocumentSets.Basic("example.test/acme/widgets@release"), null, Token));

        Assert.Contains(SampleDocumentSets.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("example.test/acme/widgets@release", error.Message, StringComparison.Ordinal);
        Assert.Contains("choose another output folder", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, _temp.Snapshot());
        Assert.Null(await publisher.ReadManifestAsync("example.test/acme/widgets@release", Token));
    }

    [Theory]
    [InlineData("../../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("..\\..\\windows")]
    [InlineData("a/../../b")]
    [InlineData("CON")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("~/.ssh/authorized_keys")]
    public async Task PublishAsync_HostileTitle_StaysInsideTheFolder(string title)
    {
        var set = MarkdownTest.Set(MarkdownTest.Page("hostile", title, $"![x](codedoc-attachment:x.png)") with
        {
            Attachments = [new PageAttachment("x.png", "image/png", new byte[] { 1, 2, 3 })],
        });

        var result = await MarkdownTest.Publisher(_temp.Output).PublishAsync(set, null, Token);

        Assert.Equal(PageOutcomeKind.Created, result.Outcome("hostile").Kind);
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(_temp.Root).Select(Path.GetFileName));
        var link = result.Outcome("hostile").Link!;
        Assert.Matches("^[a-z0-9-]+\\.md$", link);
        Assert.True(File.Exists(_temp.File(link)));
    }

    [Theory]
    [InlineData("../escape", "x.png")]
    [InlineData("UPPER", "x.png")]
    [InlineData("a/b", "x.png")]
    [InlineData("fine", "../escape.png")]
    [InlineData("fine", ".hidden")]
    [InlineData("fine", "dir/x.png")]
    public async Task PublishAsync_HostileKeyOrAttachmentName_IsRejectedBeforeAnyWrite(string key, string attachmentName)
    {
        var set = MarkdownTest.Set(MarkdownTest.Page(key, "Title") with
        {
            Attachments = [new PageAttachment(attachmentName, "image/png", new byte[] { 1 })],
        });

        await Assert.ThrowsAsync<InvalidDocumentSetException>(() => MarkdownTest.Publisher(_temp.Output).PublishAsync(set, null, Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Root));
    }

    [Fact]
    public async Task PublishAsync_ManifestPointingOutsideTheFolder_IsRefusedAndNothingIsTouched()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var victim = Path.Combine(_temp.Root, "victim.md");
        File.WriteAllText(victim, "Not CodeDoc's.");
        var manifestPath = _temp.File(".codedoc/manifest.json");
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"api-reference.md\"", "\"../victim.md\"", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<DocPublisherException>(
            () => publisher.PublishAsync(SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "reference"), null, Token));

        Assert.Contains("../victim.md", error.Message, StringComparison.Ordinal);
        Assert.Equal("Not CodeDoc's.", File.ReadAllText(victim));
    }

    [Fact]
    public async Task PublishAsync_FolderReplacedBySymbolicLink_IsRefused()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var outside = Path.Combine(_temp.Root, "outside");
        Directory.Move(_temp.File("architecture"), outside);
        Directory.CreateSymbolicLink(_temp.File("architecture"), outside);
        var before = _temp.Snapshot();

        var error = await Assert.ThrowsAsync<DocPublisherException>(
            () => publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "components"), null, Token));

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, _temp.Snapshot());
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"schemaVersion\":1,\"documentSetId\":\"x\"}")]
    [InlineData("{\"schemaVersion\":1,\"documentSetId\":\"x\",\"pages\":[{\"key\":\"a\",\"title\":\"A\",\"targetId\":\"a.md\",\"contentHash\":\"nothex\"}]}")]
    [InlineData("null")]
    public async Task PublishAsync_CorruptManifest_ThrowsNamingTheFileAndTheFixAndWritesNothing(string content)
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        File.WriteAllText(_temp.File(".codedoc/manifest.json"), content);
        var before = _temp.Snapshot();

        var error = await Assert.ThrowsAsync<DocPublisherException>(() => publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token));
        await Assert.ThrowsAsync<DocPublisherException>(() => publisher.ReadManifestAsync(SampleDocumentSets.Id, Token));
        var after = _temp.Snapshot();
        var access = await publisher.CheckAccessAsync(Token);

        Assert.Contains(_temp.File(".codedoc/manifest.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("Restore the file", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.False(access.Succeeded);
        Assert.Contains(access.Problems, p => p.Name == "Manifest");
    }

    [Fact]
    public async Task PublishAsync_ForeignFilesInTheFolder_AreNeverOverwrittenOrDeleted()
    {
        Directory.CreateDirectory(_temp.Output);
        File.WriteAllText(_temp.File("overview.md"), "Written by a person before CodeDoc came.");
        File.WriteAllText(_temp.File("notes.txt"), "Unrelated.");
        var publisher = MarkdownTest.Publisher(_temp.Output);

        var first = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        await publisher.PublishAsync(SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "overview"), null, Token);

        Assert.Equal("overview-2.md", first.Outcome("overview").Link);
        Assert.Equal("Written by a person before CodeDoc came.", _temp.Read("overview.md"));
        Assert.Equal("Unrelated.", _temp.Read("notes.txt"));
        Assert.False(File.Exists(_temp.File("overview-2.md")));
    }

    [Fact]
    public async Task PublishAsync_IndexFileNotWrittenByCodeDoc_ThrowsConflict()
    {
        Directory.CreateDirectory(_temp.Output);
        File.WriteAllText(_temp.File("index.md"), "# My own index");

        var error = await Assert.ThrowsAsync<DocPublisherConflictException>(
            () => MarkdownTest.Publisher(_temp.Output).PublishAsync(SampleDocumentSets.Basic(), new PublishOptions { DryRun = true }, Token));

        Assert.Contains("IndexFileName", error.Message, StringComparison.Ordinal);
        Assert.Equal(["index.md"], _temp.Files(includeCodeDoc: true));
    }

    [Fact]
    public async Task PublishAsync_CancelledMidway_RecordsWhatWasWrittenAndTheRerunConverges()
    {
        using var cancellation = new CancellationTokenSource();
        var logger = new CancelAfterPagesLogger(cancellation, pages: 2);
        var publisher = MarkdownTest.Publisher(_temp.Output, logger: logger);
        var set = SampleDocumentSets.Basic();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publisher.PublishAsync(set, null, cancellation.Token));
        var partial = await publisher.ReadManifestAsync(set.Id, Token);
        var filesAfterCancel = _temp.Files();
        var rerun = await publisher.PublishAsync(set, null, Token);

        Assert.Equal(["overview", "getting-started"], partial!.Pages.Select(p => p.Key));
        Assert.Equal(["overview.md", "getting-started.md"], partial.Pages.Select(p => p.TargetId));
        Assert.Equal(["getting-started.md", "overview.md"], filesAfterCancel);
        Assert.Equal(PageOutcomeKind.Unchanged, rerun.Outcome("overview").Kind);
        Assert.Equal(PageOutcomeKind.Created, rerun.Outcome("components").Kind);
        AssertSameAsFreshPublish(set);
    }

    [Fact]
    public async Task PublishAsync_CancelledDuringMovesAndRemovals_RerunLeavesNoOrphans()
    {
        var set = SampleDocumentSets.Basic();
        await MarkdownTest.Publisher(_temp.Output).PublishAsync(set, null, Token);
        var changed = SampleDocumentSets.WithoutPage(SampleDocumentSets.WithRetitledPage(set, "architecture", "Design"), "reference");
        using var cancellation = new CancellationTokenSource();
        var publisher = MarkdownTest.Publisher(_temp.Output, logger: new CancelAfterPagesLogger(cancellation, pages: 4));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publisher.PublishAsync(changed, null, cancellation.Token));
        await MarkdownTest.Publisher(_temp.Output).PublishAsync(changed, null, Token);

        AssertSameAsFreshPublish(changed);
    }

    [Fact]
    public async Task PublishAsync_CrashAfterAMoveBeforeTheManifestWasSaved_AdoptsTheMovedFile()
    {
        var set = SampleDocumentSets.Basic();
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(set, null, Token);
        File.Move(_temp.File("api-reference.md"), _temp.File("reference-manual.md"));

        var result = await publisher.PublishAsync(SampleDocumentSets.WithRetitledPage(set, "reference", "Reference manual"), null, Token);

        Assert.Equal(PageOutcomeKind.Updated, result.Outcome("reference").Kind);
        Assert.Contains("interrupted", result.Outcome("reference").Reason, StringComparison.Ordinal);
        Assert.Equal("reference-manual.md", result.Outcome("reference").Link);
        AssertSameAsFreshPublish(SampleDocumentSets.WithRetitledPage(set, "reference", "Reference manual"));
    }

    [Fact]
    public async Task PublishAsync_CrashBeforeAnUpdateWasRecorded_CountsTheFileAsUnchanged()
    {
        var set = SampleDocumentSets.Basic();
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(set, null, Token);
        var manifest = File.ReadAllBytes(_temp.File(".codedoc/manifest.json"));
        var changed = SampleDocumentSets.WithChangedPage(set, "overview");
        await publisher.PublishAsync(changed, null, Token);
        File.WriteAllBytes(_temp.File(".codedoc/manifest.json"), manifest);

        var result = await publisher.PublishAsync(changed, null, Token);

        Assert.Equal(PageOutcomeKind.Unchanged, result.Outcome("overview").Kind);
        var healed = await publisher.ReadManifestAsync(set.Id, Token);
        Assert.Equal(
            TeamNotes.ContentHash(_temp.Read("overview.md")),
            Assert.Single(healed!.Pages, p => p.Key == "overview").ContentHash);
    }

    // The folder must hold exactly what one clean publish of the set writes: no orphans, no duplicates.
    private void AssertSameAsFreshPublish(DocumentSet set)
    {
        using var fresh = new TempFolder();
        MarkdownTest.Publisher(fresh.Output).PublishAsync(set, null, Token).GetAwaiter().GetResult();
        Assert.Equal(fresh.Files(), _temp.Files());
        Assert.All(fresh.Files(), f => Assert.Equal(fresh.Read(f), _temp.Read(f)));
        var expected = Encoding.UTF8.GetString(File.ReadAllBytes(fresh.File(".codedoc/manifest.json")));
        var actual = Encoding.UTF8.GetString(File.ReadAllBytes(_temp.File(".codedoc/manifest.json")));
        Assert.Equal(expected, actual);
    }

    private sealed class CancelAfterPagesLogger(CancellationTokenSource cancellation, int pages) : ILogger<MarkdownFolderPublisher>
    {
        private int _done;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name == "PageDone" && ++_done == pages)
            {
                cancellation.Cancel();
            }
        }
    }
}
