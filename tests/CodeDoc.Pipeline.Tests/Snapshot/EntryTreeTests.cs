using CodeDoc.Core;
using static CodeDoc.Pipeline.Tests.Snapshot.SnapshotTestHost;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>Entry trees (folders, tree walks): excluded directories are not entered and excluded files never opened.</summary>
public sealed class EntryTreeTests
{
    [Fact]
    public async Task ReadAsync_EntryTree_PrunesExcludedDirectoriesWithoutOpeningThem()
    {
        var source = new InMemoryEntryTree()
            .File(".gitignore", "build/\n*.log\n")
            .File("src/a.cs", "class A {}\n")
            .File("src/.gitignore", "generated/\n")
            .File("src/generated/g.cs", "class G {}\n")
            .File("build/out.txt", "out\n")
            .File("node_modules/x/index.js", "x\n")
            .File(".git/config", "[core]\n")
            .File("debug.log", "log\n");

        var snapshot = await ReadAsync(source);

        Assert.Equal([".gitignore", "src/.gitignore", "src/a.cs"], snapshot.Paths());
        Assert.Equal([".gitignore", "src/.gitignore", "src/a.cs"], source.Opened.Order(StringComparer.Ordinal));
        AssertNotEntered(snapshot.Excluded("build"), ExclusionReason.GitIgnore);
        AssertNotEntered(snapshot.Excluded("src/generated"), ExclusionReason.GitIgnore);
        AssertNotEntered(snapshot.Excluded("node_modules"), ExclusionReason.Vendored);
        AssertNotEntered(snapshot.Excluded(".git"), ExclusionReason.VersionControl);
        Assert.Equal(ExclusionReason.GitIgnore, snapshot.Excluded("debug.log").Reason);
        Assert.Equal(1, snapshot.Excluded("debug.log").FileCount);
        Assert.Contains("node_modules", source.AskedToEnter);
    }

    [Fact]
    public async Task ReadAsync_EntryTree_ExcludeGlobPrunesDirectories()
    {
        var options = new SnapshotOptions();
        options.Exclude.Add("docs/");
        var source = new InMemoryEntryTree().File("docs/a.md", "a").File("src/b.cs", "b");

        var snapshot = await ReadAsync(source, options);

        Assert.Equal(["src/b.cs"], snapshot.Paths());
        AssertNotEntered(snapshot.Excluded("docs"), ExclusionReason.ExcludedByOptions);
        Assert.DoesNotContain("docs/a.md", source.Opened);
    }

    [Fact]
    public async Task ReadAsync_EntryTree_ListsLinksSubmodulesAndBadNames()
    {
        var source = new InMemoryEntryTree()
            .File("ok.txt", "ok")
            .Entry(new RepositoryEntry("link", RepositoryEntryKind.SymbolicLink) { LinkTarget = "../../outside" })
            .Entry(new RepositoryEntry("lib/sub", RepositoryEntryKind.Submodule))
            .Entry(new RepositoryEntry("bad\u0001name", RepositoryEntryKind.File, 1, _ => throw new InvalidOperationException("never opened")))
            .Entry(new RepositoryEntry("../escape.txt", RepositoryEntryKind.File, 1, _ => throw new InvalidOperationException("never opened")))
            .Entry(new RepositoryEntry("half\uD800surrogate", RepositoryEntryKind.File, 1, _ => throw new InvalidOperationException("never opened")));

        var snapshot = await ReadAsync(source);

        Assert.Equal(["ok.txt"], snapshot.Paths());
        Assert.Equal(ExclusionReason.SymbolicLink, snapshot.Excluded("link").Reason);
        Assert.Contains("'../../outside'", snapshot.Excluded("link").Detail, StringComparison.Ordinal);
        Assert.Equal(ExclusionReason.Submodule, snapshot.Excluded("lib/sub").Reason);
        Assert.Equal(ExclusionReason.InvalidName, snapshot.Excluded(@"bad\u0001name").Reason);
        Assert.Equal(ExclusionReason.UnsafePath, snapshot.Excluded("../escape.txt").Reason);
        Assert.Equal(ExclusionReason.InvalidName, snapshot.Excluded(@"half\uD800surrogate").Reason);
        Assert.Equal(6, snapshot.FilesSeen);
    }

    [Fact]
    public async Task ReadAsync_EntryTree_DataLargerThanDeclared_Fails()
    {
        var source = new InMemoryEntryTree { OpenOverride = _ => new NonSeekableStream(new byte[5000]) }.File("grows.log.txt", "abc");

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadAsync(source));

        Assert.Contains("'grows.log.txt' holds more than the 3 bytes its source declared", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EntryTree_OpenFailure_IsASnapshotException()
    {
        var source = new InMemoryEntryTree { OpenOverride = _ => throw new IOException("disk on fire") }.File("a.txt", "a");

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadAsync(source));

        Assert.IsType<IOException>(error.InnerException);
        Assert.Contains("'a.txt'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EntryTree_UndeclaredSizes_AreMeasured()
    {
        var source = new InMemoryEntryTree()
            .Entry(new RepositoryEntry("big.txt", RepositoryEntryKind.File, null, _ => ValueTask.FromResult<Stream>(new NonSeekableStream(new byte[3000]))))
            .Entry(new RepositoryEntry("small.txt", RepositoryEntryKind.File, null, _ => ValueTask.FromResult<Stream>(new NonSeekableStream("small"u8.ToArray()))));

        var snapshot = await ReadAsync(source, new SnapshotOptions { MaxFileBytes = 1000, MaxRepositoryBytes = 10_000 });

        Assert.Equal(["small.txt"], snapshot.Paths());
        Assert.Equal(3000, snapshot.Excluded("big.txt").Bytes);
        Assert.Equal(ExclusionReason.TooLarge, snapshot.Excluded("big.txt").Reason);
    }

    [Fact]
    public async Task ReadAsync_EntryTree_MoreEntriesThanAllowed_Fails()
    {
        var source = new InMemoryEntryTree();
        for (var i = 0; i < 6; i++)
        {
            source.File($"f{i}.txt", "x");
        }

        var error = await Assert.ThrowsAsync<SnapshotException>(() => ReadAsync(source, new SnapshotOptions { MaxEntries = 5 }));

        Assert.Contains("MaxEntries", error.Message, StringComparison.Ordinal);
        Assert.Contains("'f5.txt'", error.Message, StringComparison.Ordinal);
    }

    private static void AssertNotEntered(ExcludedPath excluded, ExclusionReason reason)
    {
        Assert.Equal(reason, excluded.Reason);
        Assert.True(excluded.IsDirectory);
        Assert.Null(excluded.FileCount);
        Assert.Contains("not entered", excluded.Detail, StringComparison.Ordinal);
    }

    private static async Task<RepositorySnapshot> ReadAsync(InMemoryEntryTree source, SnapshotOptions? options = null)
    {
        await using var tree = source.ToTree();
        return await CreateReader().ReadAsync(tree, options ?? new SnapshotOptions(), null, TestContext.Current.CancellationToken);
    }
}
