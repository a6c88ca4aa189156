using CodeDoc.Core;
using Microsoft.Extensions.Time.Testing;
using static CodeDoc.Pipeline.Tests.Snapshot.SnapshotTestHost;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>Redaction, token counts, progress, cancellation and failures of the reader as a whole.</summary>
public sealed class SnapshotReaderTests
{
    [Fact]
    public async Task ReadAsync_Tokens_AreCountedOnTheRedactedText()
    {
        var redactor = new FakeSecretRedactor { Override = (_, _) => new RedactionResult("x", [new SecretFinding("everything", 1)]) };
        var tar = new TarBuilder().File("a.cs", "a long file with many many words in it\n").File("b.cs", "another one\nwith lines\n").Build();

        var snapshot = await ReadArchiveAsync(tar, ArchiveFormat.Tar, redactor: redactor, options: new SnapshotOptions { RetainContent = true });

        Assert.All(snapshot.Files, f => Assert.Equal((1, 1, "x"), (f.Tokens, f.Lines, f.Content)));
        Assert.Equal(2, redactor.Calls);
        Assert.Equal(2, snapshot.Redactions.Count());
    }

    [Fact]
    public async Task ReadAsync_RedactionCanary_NeverSurvives()
    {
        var tar = new TarBuilder()
            .File("config/appsettings.json", "{ \"key\": \"CANARY-SECRET\" }\n")
            .File("docs/notes.md", "line one\nline two CANARY-SECRET\n")
            .Build();

        var snapshot = await ReadArchiveAsync(tar, ArchiveFormat.Tar, options: new SnapshotOptions { RetainContent = true });

        Assert.All(snapshot.Files, f => Assert.DoesNotContain(FakeSecretRedactor.Canary, f.Content, StringComparison.Ordinal));
        Assert.Equal([("config/appsettings.json", 1), ("docs/notes.md", 2)], snapshot.Redactions.Select(r => (r.Path, r.Finding.Line)));
    }

    [Fact]
    public async Task ReadAsync_RedactorFails_FailsNamingTheFile()
    {
        var redactor = new FakeSecretRedactor { Override = (_, _) => throw new TimeoutException("rule timed out") };
        var tar = new TarBuilder().File("src/a.cs", "class A {}\n").Build();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadArchiveAsync(tar, ArchiveFormat.Tar, redactor: redactor));

        Assert.Contains("'src/a.cs'", error.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task ReadAsync_Progress_IsThrottledAndEndsWithTheTotal()
    {
        var builder = new TarBuilder();
        for (var i = 0; i < 250; i++)
        {
            builder.File($"f{i:D3}.txt", "x");
        }

        var progress = new RecordingProgress();
        await using var tree = new ArchiveRepositoryTree(Sha, new NonSeekableStream(builder.Build()), ArchiveFormat.Tar, false);
        await CreateReader(time: new FakeTimeProvider()).ReadAsync(tree, new SnapshotOptions(), progress, TestContext.Current.CancellationToken);

        Assert.Equal([100L, 200L, 250L], progress.Reports.Select(r => r.Done));
        Assert.All(progress.Reports, r => Assert.Equal(RunStage.Snapshot, r.Stage));
        Assert.Equal("f099.txt", progress.Reports[0].CurrentItem);
        Assert.Null(progress.Reports[^1].CurrentItem);
    }

    [Fact]
    public async Task ReadAsync_CanceledBeforeStart_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await using var tree = new ArchiveRepositoryTree(Sha, new NonSeekableStream(new TarBuilder().File("a", "a").Build()), ArchiveFormat.Tar, false);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateReader().ReadAsync(tree, null, null, cancellation.Token));
    }

    [Fact]
    public async Task ReadAsync_CanceledMidway_ThrowsOperationCanceled()
    {
        var builder = new TarBuilder();
        for (var i = 0; i < 200; i++)
        {
            builder.File($"f{i}.txt", new string('x', 2000));
        }

        using var cancellation = new CancellationTokenSource();
        var stream = new NonSeekableStream(TarBuilder.Gzip(builder.Build()), maxRead: 512) { OnRead = read => { if (read > 2000) cancellation.Cancel(); } };
        await using var tree = new ArchiveRepositoryTree(Sha, stream, ArchiveFormat.TarGz, false);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateReader().ReadAsync(tree, null, null, cancellation.Token));
    }

    [Fact]
    public async Task ReadAsync_StreamCanceledByItsSource_IsASnapshotException()
    {
        await using var tree = new ArchiveRepositoryTree(Sha, new FailingStream(new TaskCanceledException("HTTP timeout")), ArchiveFormat.TarGz, false);

        var error = await Assert.ThrowsAsync<SnapshotException>(() => CreateReader().ReadAsync(tree, null, null, TestContext.Current.CancellationToken));

        Assert.Contains("canceled by its source", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StreamFails_IsASnapshotException()
    {
        await using var tree = new ArchiveRepositoryTree(Sha, new FailingStream(new IOException("connection reset")), ArchiveFormat.Zip, false);

        var error = await Assert.ThrowsAsync<SnapshotException>(() => CreateReader().ReadAsync(tree, null, null, TestContext.Current.CancellationToken));

        Assert.Contains("connection reset", error.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public async Task ReadAsync_NoOptions_UsesTheConfiguredDefaults()
    {
        var defaults = new SnapshotOptions { MaxFileBytes = 10, MaxRepositoryBytes = 100 };
        await using var tree = new ArchiveRepositoryTree(Sha, new NonSeekableStream(new TarBuilder().File("a.txt", new string('a', 20)).Build()), ArchiveFormat.Tar, false);

        var snapshot = await CreateReader(defaults: defaults).ReadAsync(tree, null, null, TestContext.Current.CancellationToken);

        Assert.Equal(ExclusionReason.TooLarge, snapshot.Excluded("a.txt").Reason);
    }

    [Fact]
    public async Task ReadAsync_EmptyArchive_GivesAnEmptySnapshot()
    {
        var snapshot = await ReadTarAsync(new TarBuilder().Build());

        Assert.Empty(snapshot.Files);
        Assert.Empty(snapshot.Excluded);
        Assert.Equal(Sha, snapshot.CommitSha);
    }

    [Fact]
    public async Task ReadAsync_LongRunOfOneLetter_IsCounted()
    {
        var tar = new TarBuilder().File("blob.txt", new string('a', 200_000)).Build();

        var snapshot = await ReadTarAsync(tar, new SnapshotOptions { UseBuiltInExclusions = false });

        Assert.InRange(snapshot.File("blob.txt").Tokens, 20_000, 40_000);
    }

    [Fact]
    public async Task ReadAsync_ManyFilesInParallel_GivesTheSameResultEachTime()
    {
        var builder = new TarBuilder();
        for (var i = 0; i < 300; i++)
        {
            builder.File($"src/f{i}.cs", $"class C{i} {{ int Value => {i}; }}\n" + new string('/', i));
        }

        var tar = builder.Build();
        var first = await ReadTarAsync(tar);
        var second = await ReadTarAsync(tar);

        Assert.Equal(300, first.Files.Count);
        Assert.Equal(first.Files.Select(f => (f.Path, f.Tokens)), second.Files.Select(f => (f.Path, f.Tokens)));
        Assert.All(first.Files, f => Assert.Equal(Tokens.CountTokens(
            $"class C{f.Path[5..^3]} {{ int Value => {f.Path[5..^3]}; }}\n" + new string('/', int.Parse(f.Path[5..^3], System.Globalization.CultureInfo.InvariantCulture))), f.Tokens));
    }

    [Fact]
    public async Task ReadAsync_NullTree_Throws()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => CreateReader().ReadAsync(null!, null, null, TestContext.Current.CancellationToken));
    }

    private sealed class RecordingProgress : IProgress<RunProgress>
    {
        public List<RunProgress> Reports { get; } = [];

        public void Report(RunProgress value) => Reports.Add(value);
    }

    private sealed class FailingStream(Exception failure) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw failure;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromException<int>(failure);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
