using CodeDoc.Core;
using static CodeDoc.Pipeline.Tests.Snapshot.SnapshotTestHost;

namespace CodeDoc.Pipeline.Tests.Snapshot;

public sealed class CapsAndGlobsTests
{
    [Fact]
    public async Task ReadAsync_FileOverTheSizeCap_IsListedWithItsSize()
    {
        var tar = new TarBuilder().File("big.txt", new string('x', 3000)).File("small.txt", "x").Build();

        var snapshot = await ReadTarAsync(tar, new SnapshotOptions { MaxFileBytes = 1000, MaxRepositoryBytes = 10_000 });

        Assert.Equal(["small.txt"], snapshot.Paths());
        var big = snapshot.Excluded("big.txt");
        Assert.Equal(ExclusionReason.TooLarge, big.Reason);
        Assert.Equal(3000, big.Bytes);
        Assert.Equal("2.9 KiB > 1000 bytes (CodeDoc:Snapshot:MaxFileBytes)", big.Detail);
    }

    [Fact]
    public async Task ReadAsync_IgnoreFileOverTheSizeCap_IsReported()
    {
        var tar = new TarBuilder().File(".gitignore", "*.log\n" + new string('#', 3000)).File("a.log", "x").Build();

        var snapshot = await ReadTarAsync(tar, new SnapshotOptions { MaxFileBytes = 1000, MaxRepositoryBytes = 10_000 });

        Assert.Equal(["a.log"], snapshot.Paths());
        Assert.Contains(snapshot.Warnings, w => w.Contains("'.gitignore'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_RepositoryCap_ListsEveryFileAfterIt()
    {
        var tar = new TarBuilder()
            .File("f1.txt", new string('1', 400))
            .File("f2.txt", new string('2', 400))
            .File("f3.txt", new string('3', 400))
            .File("f4.txt", "4")
            .File("node_modules/x.js", "x")
            .File("z.png", "not really")
            .Build();

        var snapshot = await ReadTarAsync(tar, new SnapshotOptions { MaxFileBytes = 500, MaxRepositoryBytes = 1000 });

        Assert.Equal(["f1.txt", "f2.txt"], snapshot.Paths());
        Assert.Equal(ExclusionReason.RepositoryCapReached, snapshot.Excluded("f3.txt").Reason);
        Assert.Equal(ExclusionReason.RepositoryCapReached, snapshot.Excluded("f4.txt").Reason);
        Assert.Equal(ExclusionReason.Vendored, snapshot.Excluded("node_modules").Reason);
        Assert.Equal(ExclusionReason.Binary, snapshot.Excluded("z.png").Reason);
        var warning = Assert.Single(snapshot.Warnings);
        Assert.Contains("reached at 'f3.txt'; 2 files were not read", warning, StringComparison.Ordinal);
        Assert.Equal(6, snapshot.FilesSeen);
    }

    [Fact]
    public async Task ReadAsync_IncludeGlobs_ReadOnlyMatchingFiles()
    {
        var options = new SnapshotOptions();
        options.Include.Add("src/");
        options.Include.Add("*.md");
        var tar = new TarBuilder().File("src/a.cs", "a").File("src/deep/b.cs", "b").File("docs/x.md", "x").File("tests/t.cs", "t").Build();

        var snapshot = await ReadTarAsync(tar, options);

        Assert.Equal(["docs/x.md", "src/a.cs", "src/deep/b.cs"], snapshot.Paths());
        Assert.Equal(ExclusionReason.NotIncluded, snapshot.Excluded("tests/t.cs").Reason);
    }

    [Fact]
    public async Task ReadAsync_ExcludeGlobs_UseGitignoreSyntax()
    {
        var options = new SnapshotOptions();
        options.Exclude.Add("docs/");
        options.Exclude.Add("*.txt");
        options.Exclude.Add("!keep.txt");
        var tar = new TarBuilder().File("docs/a.md", "a").File("docs/b/c.md", "c").File("notes.txt", "n").File("keep.txt", "k").File("src/a.cs", "s").Build();

        var snapshot = await ReadTarAsync(tar, options);

        Assert.Equal(["keep.txt", "src/a.cs"], snapshot.Paths());
        var docs = snapshot.Excluded("docs");
        Assert.Equal(ExclusionReason.ExcludedByOptions, docs.Reason);
        Assert.Equal(2, docs.FileCount);
        Assert.Equal("Exclude glob Exclude:1 docs/", docs.Detail);
        Assert.Equal(ExclusionReason.ExcludedByOptions, snapshot.Excluded("notes.txt").Reason);
    }

    [Fact]
    public async Task ReadAsync_IncludeThenExclude_ExcludeNarrowsTheIncludedSet()
    {
        var options = new SnapshotOptions();
        options.Include.Add("src/");
        options.Exclude.Add("src/gen/");
        var tar = new TarBuilder().File("src/a.cs", "a").File("src/gen/g.cs", "g").File("README.md", "r").Build();

        var snapshot = await ReadTarAsync(tar, options);

        Assert.Equal(["src/a.cs"], snapshot.Paths());
        Assert.Equal(ExclusionReason.ExcludedByOptions, snapshot.Excluded("src/gen").Reason);
        Assert.Equal(ExclusionReason.NotIncluded, snapshot.Excluded("README.md").Reason);
    }

    [Fact]
    public async Task ReadAsync_InvalidOptions_AreRejected()
    {
        var tar = new TarBuilder().File("a.txt", "a").Build();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ReadTarAsync(tar, new SnapshotOptions { MaxFileBytes = 0 }));

        Assert.Contains("MaxFileBytes", error.Message, StringComparison.Ordinal);
    }
}
