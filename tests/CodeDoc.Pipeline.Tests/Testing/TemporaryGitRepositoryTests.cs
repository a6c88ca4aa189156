using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using CodeDoc.Testing;

namespace CodeDoc.Pipeline.Tests.Testing;

public sealed class TemporaryGitRepositoryTests : IDisposable
{
    private readonly TemporaryGitRepository _repository = TemporaryGitRepository.Init();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Init_InitialBranch_HeadPointsAtItWithNoCommits()
    {
        using var repository = TemporaryGitRepository.Init("trunk");

        Assert.Equal("trunk", repository.Git("symbolic-ref", "--short", "HEAD"));
        Assert.Throws<InvalidOperationException>(repository.Head);
        Assert.Equal(Path.Combine(repository.Root, "repo"), repository.Path);
    }

    [Fact]
    public void CreateFolder_Always_IsAnEmptyWorkTreeWithoutGit()
    {
        using var folder = TemporaryGitRepository.CreateFolder();

        Assert.True(Directory.Exists(folder.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path, "*", new EnumerationOptions { AttributesToSkip = 0 }));
    }

    [Fact]
    public void Git_MachineConfiguration_IsNotRead()
    {
        var scopes = _repository.Git("config", "--list", "--show-scope")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t')[0])
            .ToHashSet(StringComparer.Ordinal);

        Assert.Subset(new HashSet<string>(["command", "local"], StringComparer.Ordinal), scopes);
        Assert.Equal("command line:", _repository.Git("config", "--show-origin", "--get", "user.email").Split('\t')[0]);
        Assert.Equal("false", _repository.Git("config", "--get", "core.autocrlf"));
    }

    [Fact]
    public void Commit_Changes_ReturnsTheNewHeadByTheFixedIdentity()
    {
        var first = _repository.Write("a.txt", "1").Commit("first");
        var second = _repository.Write("a.txt", "2").Commit("second");

        Assert.NotEqual(first, second);
        Assert.Equal(second, _repository.Head());
        Assert.Matches("^[0-9a-f]{40}$", second);
        Assert.Equal(
            $"{TemporaryGitRepository.UserName} <{TemporaryGitRepository.UserEmail}> second",
            _repository.Git("log", "-1", "--format=%an <%ae> %s"));
        Assert.Equal(first, _repository.Git("rev-parse", "HEAD~1"));
    }

    [Fact]
    public void Commit_NothingChanged_StillCommits()
    {
        var first = _repository.Write("a.txt", "1").Commit("first");

        var second = _repository.Commit("again");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Commit_IgnoredFiles_AreCommittedOnlyWhenAsked()
    {
        _repository.Write(".gitignore", "*.log\n").Write("app.cs", "x").Write("debug.log", "y").Commit("without");
        Assert.Equal(".gitignore\napp.cs", _repository.Git("ls-files"));

        _repository.Commit("with", includeIgnored: true);

        Assert.Equal(".gitignore\napp.cs\ndebug.log", _repository.Git("ls-files"));
    }

    [Fact]
    public void Commit_DeletedFile_IsRemovedFromTheCommit()
    {
        _repository.Write("a.txt", "1").Write("b.txt", "2").Commit("both");
        File.Delete(Path.Combine(_repository.Path, "b.txt"));

        _repository.Commit("one");

        Assert.Equal("a.txt", _repository.Git("ls-tree", "--name-only", "HEAD"));
    }

    [Fact]
    public void Write_TextAndBytes_WriteExactlyThoseBytes()
    {
        _repository.Write("dir/sub/text.txt", "é\r\n").Write("bin.dat", [0, 1, 255]);

        Assert.Equal([0xC3, 0xA9, 0x0D, 0x0A], File.ReadAllBytes(Path.Combine(_repository.Path, "dir", "sub", "text.txt")));
        Assert.Equal([0, 1, 255], File.ReadAllBytes(Path.Combine(_repository.Path, "bin.dat")));
    }

    [Fact]
    public void Write_CommittedText_KeepsItsLineEndings()
    {
        _repository.Write("crlf.txt", "a\r\nb\r\n").Commit("crlf");

        Assert.Equal(Encoding.UTF8.GetBytes("a\r\nb\r\n"), _repository.GitBytes("cat-file", "blob", "HEAD:crlf.txt"));
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("a/../../outside.txt")]
    [InlineData("/outside.txt")]
    public void Write_PathOutsideTheWorkTree_Throws(string path)
    {
        Assert.Throws<ArgumentException>(() => _repository.Write(path, "x"));
        Assert.Throws<ArgumentException>(() => _repository.Symlink(path, "target"));
    }

    [Fact]
    public void Symlink_Committed_IsStoredAsALinkToItsTarget()
    {
        _repository.Write("target.txt", "t").Symlink("links/link", "../target.txt").Commit("link");

        Assert.StartsWith("120000 ", _repository.Git("ls-files", "--stage", "links/link"), StringComparison.Ordinal);
        Assert.Equal("../target.txt", _repository.Git("cat-file", "blob", "HEAD:links/link"));
    }

    [Fact]
    public void Archive_TarWithPrefix_HoldsTheCommittedFilesUnderThePrefix()
    {
        _repository.Write("README.md", "# x\n").Write("src/app.cs", "class App { }\n").Commit("one");

        using var tar = new TarReader(new MemoryStream(_repository.Archive("tar", "owner-repo-0123456/")));
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType != TarEntryType.GlobalExtendedAttributes)
            {
                names.Add(entry.Name);
            }
        }

        Assert.Equal(["owner-repo-0123456/", "owner-repo-0123456/README.md", "owner-repo-0123456/src/", "owner-repo-0123456/src/app.cs"], names);
    }

    [Fact]
    public void Archive_ZipOfAnEarlierCommit_HoldsThatCommitsFiles()
    {
        var first = _repository.Write("a.txt", "1").Commit("one");
        _repository.Write("b.txt", "2").Commit("two");

        using var zip = new ZipArchive(new MemoryStream(_repository.Archive("zip", treeish: first)));

        Assert.Equal(["a.txt"], zip.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void Run_StandardInput_ReachesGit()
    {
        var sha = Encoding.UTF8.GetString(_repository.Run(_repository.Root, Encoding.UTF8.GetBytes("hello\n"), "hash-object", "--stdin")).Trim();

        // The blob id of "hello\n" is the same in every git repository.
        Assert.Equal("ce013625030ba8dba906f756967f9e9ca394464a", sha);
    }

    [Fact]
    public void Git_FailingCommand_ThrowsWithGitsMessage()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _repository.Git("rev-parse", "--verify", "no-such-ref"));

        Assert.Contains("git rev-parse --verify no-such-ref failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("fatal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_LinkOutOfTheFolder_DeletesTheLinkButNotItsTarget()
    {
        var outside = Directory.CreateTempSubdirectory("codedoc-git-outside-");
        try
        {
            var kept = Path.Combine(outside.FullName, "kept.txt");
            File.WriteAllText(kept, "keep");
            var repository = TemporaryGitRepository.Init();
            repository.Write("a.txt", "a").Commit("one");
            Directory.CreateSymbolicLink(Path.Combine(repository.Path, "escape"), outside.FullName);

            repository.Dispose();
            repository.Dispose();

            Assert.False(Directory.Exists(repository.Root));
            Assert.Equal("keep", File.ReadAllText(kept));
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }
}
