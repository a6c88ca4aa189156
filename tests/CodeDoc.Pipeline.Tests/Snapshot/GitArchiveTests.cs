using System.Text;
using CodeDoc.Core;
using CodeDoc.Testing;
using static CodeDoc.Pipeline.Tests.Snapshot.SnapshotTestHost;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>Real archives made by <c>git archive</c> from a real repository.</summary>
public sealed class GitArchiveTests : IDisposable
{
    private static readonly string LongDirectory = new('d', 120);

    private readonly TemporaryGitRepository _repository = TemporaryGitRepository.Init();

    public static TheoryData<string, ArchiveFormat> Formats => new()
    {
        { "tar", ArchiveFormat.Tar },
        { "tar.gz", ArchiveFormat.TarGz },
        { "zip", ArchiveFormat.Zip },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ReadAsync_GitArchive_IncludesSourceAndListsEverythingElse(string gitFormat, ArchiveFormat format)
    {
        CreateSampleRepository();

        var snapshot = await ReadArchiveAsync(_repository.Archive(gitFormat), format);

        Assert.Equal(
            [".github/workflows/ci.yml", ".gitignore", "README.md", $"deep/{LongDirectory}/file.txt", "src/App.cs", "src/Util.cs"],
            snapshot.Paths());
        Assert.Equal(ExclusionReason.GitIgnore, snapshot.Excluded("app.log").Reason);
        Assert.Equal(".gitignore:1 *.log", snapshot.Excluded("app.log").Detail);
        var vendored = snapshot.Excluded("node_modules");
        Assert.Equal(ExclusionReason.Vendored, vendored.Reason);
        Assert.True(vendored.IsDirectory);
        Assert.Equal(2, vendored.FileCount);
        Assert.Equal(ExclusionReason.Binary, snapshot.Excluded("logo.png").Reason);
        Assert.Equal(ExclusionReason.Binary, snapshot.Excluded("data/blob.dat").Reason);
        Assert.Equal(ExclusionReason.SymbolicLink, snapshot.Excluded("link-to-readme").Reason);
        Assert.Equal(TrackedFileCount(), snapshot.FilesSeen);
        Assert.Empty(snapshot.Warnings);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ReadAsync_ArchiveWithPrefix_StripsTheTopFolder(string gitFormat, ArchiveFormat format)
    {
        CreateSampleRepository();
        var plain = await ReadArchiveAsync(_repository.Archive(gitFormat), format);

        var prefixed = await ReadArchiveAsync(
            _repository.Archive(gitFormat, "owner-repo-0123456/"), format, hasTopLevelFolder: true);

        Assert.Equal(plain.Paths(), prefixed.Paths());
        Assert.Equal(plain.Excluded.Select(e => (e.Path, e.Reason)), prefixed.Excluded.Select(e => (e.Path, e.Reason)));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ReadAsync_LongPathFirstInTheArchive_KeepsItsFullName(string gitFormat, ArchiveFormat format)
    {
        // git writes a pax header for the first file right after its pax global header.
        var longName = "a" + new string('n', 150) + ".txt";
        _repository.Write(longName, "long\n").Write("z.txt", "z\n").Commit("long name", includeIgnored: true);

        var snapshot = await ReadArchiveAsync(_repository.Archive(gitFormat), format);

        Assert.Equal([longName, "z.txt"], snapshot.Paths());
        Assert.Empty(snapshot.Excluded);
    }

    [Fact]
    public async Task ReadAsync_GitArchive_RedactsBeforeCountingAndKeepsContentOnlyWhenAsked()
    {
        CreateSampleRepository();
        var archive = _repository.Archive("tar.gz");

        var counted = await ReadArchiveAsync(archive, ArchiveFormat.TarGz);
        var retained = await ReadArchiveAsync(archive, ArchiveFormat.TarGz, options: new SnapshotOptions { RetainContent = true });

        var app = retained.File("src/App.cs");
        Assert.NotNull(app.Content);
        Assert.DoesNotContain(FakeSecretRedactor.Canary, app.Content, StringComparison.Ordinal);
        Assert.Contains(FakeSecretRedactor.Placeholder, app.Content, StringComparison.Ordinal);
        Assert.Equal([new SecretFinding("canary", 5)], app.Redactions);
        Assert.Equal(Tokens.CountTokens(app.Content), app.Tokens);
        Assert.Equal(6, app.Lines);
        Assert.Equal(Encoding.UTF8.GetByteCount(SampleApp), app.Bytes);
        Assert.All(counted.Files, f => Assert.Null(f.Content));
        Assert.Equal(retained.Files.Select(f => (f.Path, f.Tokens, f.Lines, f.Bytes)), counted.Files.Select(f => (f.Path, f.Tokens, f.Lines, f.Bytes)));
        Assert.Equal([("src/App.cs", new SecretFinding("canary", 5))], counted.Redactions);
    }

    [Fact]
    public async Task ReadAsync_GitArchiveInOneByteReads_GivesTheSameSnapshot()
    {
        CreateSampleRepository();
        var archive = _repository.Archive("tar.gz");
        var normal = await ReadArchiveAsync(archive, ArchiveFormat.TarGz);

        var trickled = await ReadArchiveAsync(new NonSeekableStream(archive, maxRead: 1), ArchiveFormat.TarGz);

        Assert.Equal(normal.Files.Select(f => (f.Path, f.Bytes, f.Lines, f.Tokens)), trickled.Files.Select(f => (f.Path, f.Bytes, f.Lines, f.Tokens)));
        Assert.Equal(normal.Excluded, trickled.Excluded);
    }

    public void Dispose() => _repository.Dispose();

    private const string SampleApp = "namespace Sample;\n\npublic static class App\n{\n    public const string Key = \"CANARY-SECRET\";\n}\n";

    private void CreateSampleRepository()
    {
        _repository
            .Write("README.md", "# Sample\n\nHello.\n")
            .Write("src/App.cs", SampleApp)
            .Write("src/Util.cs", "namespace Sample;\ninternal static class Util { }\n")
            .Write(".gitignore", "*.log\nbuild/\n")
            .Write(".github/workflows/ci.yml", "on: push\n")
            .Write("app.log", "committed, but ignored\n")
            .Write("node_modules/left-pad/index.js", "module.exports = 1;\n")
            .Write("node_modules/left-pad/package.json", "{}\n")
            .Write($"deep/{LongDirectory}/file.txt", "long\n")
            .Write("logo.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
            .Write("data/blob.dat", [1, 2, 3, 0, 0, 0, 4, 5, 6])
            .Symlink("link-to-readme", "README.md")
            .Commit("sample", includeIgnored: true);
    }

    private int TrackedFileCount() =>
        Encoding.UTF8.GetString(_repository.GitBytes("ls-files", "-z")).Split('\0', StringSplitOptions.RemoveEmptyEntries).Length;
}
