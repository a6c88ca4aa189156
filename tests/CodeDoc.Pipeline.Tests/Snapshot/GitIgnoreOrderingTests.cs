using CodeDoc.Core;
using CodeDoc.Testing;
using CsCheck;
using static CodeDoc.Pipeline.Tests.Snapshot.SnapshotTestHost;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>A forward-only archive may deliver a .gitignore after the files it governs; the result must not change.</summary>
public sealed class GitIgnoreOrderingTests : IDisposable
{
    private static readonly (string Path, string Content)[] Entries =
    [
        (".gitignore", "*.log\n!keep.log\nbuild/\n"),
        ("sub/.gitignore", "!-first.log\n*.tmp\n"),
        ("!early.log", "sorts before .gitignore\n"),
        ("a.log", "ignored\n"),
        ("keep.log", "re-included\n"),
        ("build/x.cs", "class X {}\n"),
        ("build/y.cs", "class Y {}\n"),
        ("sub/-first.log", "re-included by sub/.gitignore, sorts before it\n"),
        ("sub/b.tmp", "ignored\n"),
        ("sub/c.cs", "class C {}\n"),
        ("src/d.cs", "class D {}\n"),
    ];

    private readonly TemporaryGitRepository _repository = TemporaryGitRepository.Init();

    [Fact]
    public async Task ReadAsync_IgnoreFilesFirstOrLast_GiveTheSameSnapshot()
    {
        var first = await ReadTarAsync(Tar(Entries.OrderBy(e => e.Path.EndsWith(".gitignore", StringComparison.Ordinal) ? 0 : 1)));
        var last = await ReadTarAsync(Tar(Entries.OrderBy(e => e.Path.EndsWith(".gitignore", StringComparison.Ordinal) ? 1 : 0)));

        Assert.Equal([".gitignore", "keep.log", "src/d.cs", "sub/-first.log", "sub/.gitignore", "sub/c.cs"], first.Paths());
        Assert.Equal(Describe(first), Describe(last));
        var build = first.Excluded("build");
        Assert.Equal(ExclusionReason.GitIgnore, build.Reason);
        Assert.Equal(2, build.FileCount);
        Assert.Equal(".gitignore:3 build/", build.Detail);
        Assert.Equal(ExclusionReason.GitIgnore, first.Excluded("!early.log").Reason);
    }

    [Fact]
    public async Task ReadAsync_AnyEntryOrder_GivesTheSameSnapshot()
    {
        var expected = Describe(await ReadTarAsync(Tar(Entries)));

        await Gen.Int.SampleAsync(
            async seed =>
            {
                var shuffled = Entries.ToArray();
                new Random(seed).Shuffle(shuffled);
                var snapshot = await ReadTarAsync(Tar(shuffled));
                Assert.Equal(expected, Describe(snapshot));
            },
            iter: 40);
    }

    [Fact]
    public async Task ReadAsync_GitArchiveWithIgnoredGithubFolder_ExcludesWhatCameBeforeTheGitignore()
    {
        _repository
            .Write(".github/workflows/ci.yml", "on: push\n")
            .Write(".editorconfig", "root = true\n")
            .Write(".gitignore", ".github/\n.editorconfig\n")
            .Write("src/a.cs", "class A {}\n")
            .Commit("ignored metadata", includeIgnored: true);

        var snapshot = await ReadArchiveAsync(_repository.Archive("tar"), ArchiveFormat.Tar);

        Assert.Equal([".gitignore", "src/a.cs"], snapshot.Paths());
        Assert.Equal(ExclusionReason.GitIgnore, snapshot.Excluded(".github").Reason);
        Assert.Equal(ExclusionReason.GitIgnore, snapshot.Excluded(".editorconfig").Reason);
    }

    [Fact]
    public async Task ReadAsync_GitIgnoreTurnedOff_ReadsIgnoredFiles()
    {
        var snapshot = await ReadTarAsync(Tar(Entries), new SnapshotOptions { UseGitIgnore = false });

        Assert.Equal(Entries.Length, snapshot.Files.Count);
    }

    [Fact]
    public async Task ReadAsync_SpeculativeBudgetUsedUp_ListsTheLateReInclusion()
    {
        var options = new SnapshotOptions { MaxFileBytes = 100, MaxRepositoryBytes = 100 };
        var tar = new TarBuilder()
            .File(".gitignore", "*.log\n")
            .File("sub/-a.log", new string('a', 80))
            .File("sub/-b.log", new string('b', 80))
            .File("sub/.gitignore", "!*.log\n")
            .Build();

        var snapshot = await ReadTarAsync(tar, options);

        Assert.Contains("sub/-a.log", snapshot.Paths());
        var late = snapshot.Excluded("sub/-b.log");
        Assert.Equal(ExclusionReason.GitIgnore, late.Reason);
        Assert.Contains("re-includes it", late.Detail, StringComparison.Ordinal);
        Assert.Contains(snapshot.Warnings, w => w.Contains("re-includes them", StringComparison.Ordinal));
    }

    public void Dispose() => _repository.Dispose();

    private static byte[] Tar(IEnumerable<(string Path, string Content)> entries)
    {
        var builder = new TarBuilder();
        foreach (var (path, content) in entries)
        {
            builder.File(path, content);
        }

        return builder.Build();
    }

    private static string Describe(RepositorySnapshot snapshot) =>
        string.Join("\n", snapshot.Files.Select(f => $"+ {f.Path} {f.Bytes} {f.Tokens}")
            .Concat(snapshot.Excluded.Select(e => $"- {e.Path} {e.Reason} {e.Detail} {e.FileCount} {e.Bytes}")));
}
