using CodeDoc.Core;
using CodeDoc.Testing;

namespace CodeDoc.Pipeline.Tests.Local;

public sealed class LocalGitProviderGitTests : IDisposable
{
    private readonly TemporaryGitRepository _git = TemporaryGitRepository.Init();
    private readonly LocalGitProvider _provider = LocalProviderTesting.CreateProvider();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _git.Dispose();

    [Fact]
    public async Task ResolveRef_Null_ReturnsTheCheckedOutBranch()
    {
        var sha = _git.Write("a.txt", "a").Commit("one");

        var resolved = await _provider.ResolveRefAsync(_provider.Parse(_git.Path), null, Token);

        Assert.Equal(new ResolvedRef("main", sha, RefKind.Branch), resolved);
    }

    [Fact]
    public async Task ResolveRef_NullOnDetachedHead_ReturnsTheHeadCommit()
    {
        var first = _git.Write("a.txt", "1").Commit("one");
        _git.Write("a.txt", "2").Commit("two");
        _git.Git("checkout", "--quiet", "--detach", first);

        var resolved = await _provider.ResolveRefAsync(_provider.Parse(_git.Path), null, Token);

        Assert.Equal(new ResolvedRef("HEAD", first, RefKind.Commit), resolved);
    }

    [Fact]
    public async Task ResolveRef_BranchesAndTags_ResolveToTheirCommits()
    {
        var first = _git.Write("a.txt", "1").Commit("one");
        _git.Git("branch", "feature/x");
        _git.Git("tag", "light");
        _git.Git("tag", "--annotate", "annotated", "--message", "release");
        var second = _git.Write("a.txt", "2").Commit("two");
        _git.Git("update-ref", "refs/remotes/origin/main", second);
        var repository = _provider.Parse(_git.Path);

        Assert.Equal(new ResolvedRef("feature/x", first, RefKind.Branch), await _provider.ResolveRefAsync(repository, "feature/x", Token));
        Assert.Equal(new ResolvedRef("main", second, RefKind.Branch), await _provider.ResolveRefAsync(repository, "main", Token));
        Assert.Equal(new ResolvedRef("origin/main", second, RefKind.Branch), await _provider.ResolveRefAsync(repository, "origin/main", Token));
        Assert.Equal(new ResolvedRef("light", first, RefKind.Tag), await _provider.ResolveRefAsync(repository, "light", Token));
        Assert.Equal(new ResolvedRef("annotated", first, RefKind.Tag), await _provider.ResolveRefAsync(repository, "annotated", Token));
        Assert.Equal(new ResolvedRef("refs/tags/annotated", first, RefKind.Tag), await _provider.ResolveRefAsync(repository, "refs/tags/annotated", Token));
    }

    [Fact]
    public async Task ResolveRef_AnnotatedTagObjectShaAndTagOfATag_PeelToTheCommit()
    {
        var commit = _git.Write("a.txt", "1").Commit("one");
        _git.Git("tag", "--annotate", "v2", "--message", "release");
        _git.Git("-c", "advice.nestedTag=false", "tag", "--annotate", "v2-signed-off", "v2", "--message", "a tag of a tag");
        var tagObject = _git.Git("rev-parse", "v2");
        Assert.NotEqual(commit, tagObject);
        var repository = _provider.Parse(_git.Path);

        Assert.Equal(commit, (await _provider.ResolveRefAsync(repository, tagObject, Token)).CommitSha);
        Assert.Equal(commit, (await _provider.ResolveRefAsync(repository, "v2-signed-off", Token)).CommitSha);
    }

    [Fact]
    public async Task ResolveRef_FullAndAbbreviatedSha_ResolveAsCommits()
    {
        var first = _git.Write("a.txt", "1").Commit("one");
        _git.Write("a.txt", "2").Commit("two");
        var repository = _provider.Parse(_git.Path);

        Assert.Equal(new ResolvedRef(first, first, RefKind.Commit), await _provider.ResolveRefAsync(repository, first, Token));
        Assert.Equal(new ResolvedRef(first[..8], first, RefKind.Commit), await _provider.ResolveRefAsync(repository, first[..8], Token));
    }

    [Fact]
    public async Task ResolveRef_UnknownRef_ThrowsNotFoundNamingTheRefAndHowToListRefs()
    {
        _git.Write("a.txt", "1").Commit("one");

        var error = await Assert.ThrowsAsync<GitProviderNotFoundException>(
            () => _provider.ResolveRefAsync(_provider.Parse(_git.Path), "no-such-branch", Token));

        Assert.Contains("'no-such-branch'", error.Message, StringComparison.Ordinal);
        Assert.Contains("branch --all", error.Message, StringComparison.Ordinal);
        Assert.Contains(" tag", error.Message, StringComparison.Ordinal);
        Assert.Equal("local", error.ProviderName);
        Assert.Equal("ResolveRef", error.OperationName);
    }

    [Theory]
    [InlineData("main~1")]
    [InlineData("HEAD^")]
    [InlineData("../../etc")]
    public async Task ResolveRef_RevisionExpressionsAndInvalidNames_AreNotFound(string reference)
    {
        _git.Write("a.txt", "1").Commit("one");
        _git.Write("a.txt", "2").Commit("two");

        await Assert.ThrowsAsync<GitProviderNotFoundException>(() => _provider.ResolveRefAsync(_provider.Parse(_git.Path), reference, Token));
    }

    [Fact]
    public async Task ResolveRef_EmptyRepository_ThrowsNotFoundSayingThereAreNoCommits()
    {
        var error = await Assert.ThrowsAsync<GitProviderNotFoundException>(() => _provider.ResolveRefAsync(_provider.Parse(_git.Path), null, Token));

        Assert.Contains("no commits yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveRef_RepositoryOwnedByAnotherAccount_SaysHowToMarkItSafe()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root")
        {
            Assert.Skip("Handing the repository to another account needs root.");
        }

        _git.Write("a.txt", "1").Commit("one");
        using (var chown = System.Diagnostics.Process.Start("chown", ["-R", "54321", _git.Path]))
        {
            await chown.WaitForExitAsync(Token);
            Assert.Equal(0, chown.ExitCode);
        }

        var error = await Assert.ThrowsAsync<GitProviderException>(() => _provider.ResolveRefAsync(_provider.Parse(_git.Path), null, Token));

        Assert.Contains("safe.directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTree_Commit_YieldsExactlyTheTrackedFilesWithCommittedContent()
    {
        _git.Write(".gitignore", "*.log\n").Write("src/app.cs", "committed").Write("docs/guide.md", "guide");
        var sha = _git.Commit("one");
        _git.Write("src/app.cs", "edited in the working tree").Write("untracked.txt", "x").Write("debug.log", "ignored");

        await using var tree = await _provider.OpenTreeAsync(_provider.Parse(_git.Path), sha, Token);
        var entries = await tree.ListAsync();

        Assert.Equal(sha, tree.CommitSha);
        Assert.Equal(
            [".gitignore", "docs", "docs/guide.md", "src", "src/app.cs"],
            entries.Select(e => e.Path));
        var app = Assert.Single(entries, e => e.Path == "src/app.cs");
        Assert.Equal(RepositoryEntryKind.File, app.Kind);
        Assert.Equal("committed", await app.ReadTextAsync());
        Assert.Equal("committed".Length, app.Size);
        Assert.All(entries.Where(e => e.Path is "docs" or "src"), e => Assert.Equal(RepositoryEntryKind.Directory, e.Kind));
    }

    [Fact]
    public async Task OpenTree_OlderCommit_ReadsThatCommitsFiles()
    {
        var first = _git.Write("a.txt", "first").Commit("one");
        _git.Write("a.txt", "second").Write("b.txt", "b").Commit("two");

        await using var tree = await _provider.OpenTreeAsync(_provider.Parse(_git.Path), first, Token);
        var entries = await tree.ListAsync();

        var only = Assert.Single(entries);
        Assert.Equal("a.txt", only.Path);
        Assert.Equal("first", await only.ReadTextAsync());
    }

    [Fact]
    public async Task OpenTree_GitIgnore_ComesFirstInEveryDirectory()
    {
        _git.Write("a.txt", "a").Write(".gitignore", "x")
            .Write("lib/.editorconfig", "e").Write("lib/.gitignore", "y").Write("lib/0.txt", "0").Write("lib/z/.gitignore", "z").Write("lib/z/a.txt", "a");
        var sha = _git.Commit("one");

        var paths = (await _provider.OpenAndListAsync(_provider.Parse(_git.Path), sha)).Select(e => e.Path).ToList();

        Assert.Equal(".gitignore", paths[0]);
        Assert.Equal("lib/.gitignore", paths[paths.IndexOf("lib") + 1]);
        Assert.Equal("lib/z/.gitignore", paths[paths.IndexOf("lib/z") + 1]);
        Assert.True(paths.IndexOf("lib/.gitignore") < paths.IndexOf("lib/.editorconfig"));
        Assert.True(paths.IndexOf("lib/.gitignore") < paths.IndexOf("lib/0.txt"));
    }

    [Fact]
    public async Task OpenTree_ShouldEnterDirectoryFalse_YieldsTheDirectoryButNothingBelowIt()
    {
        _git.Write("node_modules/pkg/index.js", "x").Write("src/app.cs", "y");
        var sha = _git.Commit("one");
        var asked = new List<string>();

        await using var tree = await _provider.OpenTreeAsync(_provider.Parse(_git.Path), sha, Token);
        var entries = await tree.ListAsync(path =>
        {
            asked.Add(path);
            return path != "node_modules";
        });

        Assert.Equal(["node_modules", "src", "src/app.cs"], entries.Select(e => e.Path));
        Assert.Equal(["node_modules", "src"], asked);
    }

    [Fact]
    public async Task OpenTree_Symlink_IsASymbolicLinkEntryWithItsTarget()
    {
        _git.Write("real.txt", "content");
        File.CreateSymbolicLink(Path.Combine(_git.Path, "link.txt"), "real.txt");
        File.CreateSymbolicLink(Path.Combine(_git.Path, "outside"), "/etc");
        var sha = _git.Commit("one");

        var entries = await _provider.OpenAndListAsync(_provider.Parse(_git.Path), sha);

        var link = Assert.Single(entries, e => e.Path == "link.txt");
        Assert.Equal(RepositoryEntryKind.SymbolicLink, link.Kind);
        Assert.Equal("real.txt", link.LinkTarget);
        var outside = Assert.Single(entries, e => e.Path == "outside");
        Assert.Equal(RepositoryEntryKind.SymbolicLink, outside.Kind);
        Assert.Equal("/etc", outside.LinkTarget);
        Assert.DoesNotContain(entries, e => e.Path.StartsWith("outside/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenTree_Gitlink_IsASubmoduleEntry()
    {
        var other = _git.Write("a.txt", "a").Commit("one");
        _git.Git("update-index", "--add", "--cacheinfo", $"160000,{other},vendor/lib");
        _git.Git("commit", "--quiet", "-m", "add submodule");
        var sha = _git.Head();

        var entries = await _provider.OpenAndListAsync(_provider.Parse(_git.Path), sha);

        var submodule = Assert.Single(entries, e => e.Path == "vendor/lib");
        Assert.Equal(RepositoryEntryKind.Submodule, submodule.Kind);
        await Assert.ThrowsAsync<InvalidOperationException>(() => submodule.OpenReadAsync(Token).AsTask());
    }

    [Fact]
    public async Task OpenTree_ExecutableFile_IsAFile()
    {
        _git.Write("run.sh", "#!/bin/sh\n");
        _git.Git("add", "run.sh");
        _git.Git("update-index", "--chmod=+x", "run.sh");
        _git.Git("commit", "--quiet", "-m", "script");

        var entries = await _provider.OpenAndListAsync(_provider.Parse(_git.Path), _git.Head());

        Assert.Equal(RepositoryEntryKind.File, Assert.Single(entries).Kind);
    }

    [Fact]
    public async Task OpenTree_Disposed_ReleasesTheRepositoryAndRefusesToOpenEntries()
    {
        var sha = _git.Write("a.txt", "a").Commit("one");
        var tree = await _provider.OpenTreeAsync(_provider.Parse(_git.Path), sha, Token);
        var entry = Assert.Single(await tree.ListAsync());

        await tree.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => entry.OpenReadAsync(Token).AsTask());
    }

    [Fact]
    public async Task OpenTree_EntryOpenedBeforeDispose_StaysReadableAfterIt()
    {
        var sha = _git.Write("a.txt", "still here").Commit("one");
        var tree = await _provider.OpenTreeAsync(_provider.Parse(_git.Path), sha, Token);
        var content = await Assert.Single(await tree.ListAsync()).OpenReadAsync(Token);

        await tree.DisposeAsync();

        using var reader = new StreamReader(content);
        Assert.Equal("still here", await reader.ReadToEndAsync(Token));
    }

    [Fact]
    public async Task OpenTree_UnknownCommit_ThrowsNotFound()
    {
        _git.Write("a.txt", "a").Commit("one");

        await Assert.ThrowsAsync<GitProviderNotFoundException>(
            () => _provider.OpenTreeAsync(_provider.Parse(_git.Path), new string('0', 40), Token));
    }

    [Fact]
    public async Task OpenTree_PathBelowTheRoot_DocumentsThatFolderWithRelativePaths()
    {
        var sha = _git.Write("README.md", "root").Write("services/api/app.cs", "api").Write("services/api/sub/x.cs", "x").Write("services/web/w.cs", "w").Commit("one");
        var folder = Path.Combine(_git.Path, "services", "api");

        var entries = await _provider.OpenAndListAsync(_provider.Parse(folder), sha);

        Assert.Equal(["app.cs", "sub", "sub/x.cs"], entries.Select(e => e.Path));
    }

    [Fact]
    public async Task OpenTree_PathBelowTheRootNotInTheCommit_ThrowsNotFoundSayingHowToFixIt()
    {
        var sha = _git.Write("a.txt", "a").Commit("one");
        _git.Write("later/b.txt", "b");

        var error = await Assert.ThrowsAsync<GitProviderNotFoundException>(
            () => _provider.OpenTreeAsync(_provider.Parse(Path.Combine(_git.Path, "later")), sha, Token));

        Assert.Contains("'later'", error.Message, StringComparison.Ordinal);
        Assert.Contains("PreferGit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTree_PreferGitFalse_ReadsTheWorkTreeAsItIsOnDiskWithoutGitMetadata()
    {
        var sha = _git.Write("a.txt", "committed").Commit("one");
        _git.Write("a.txt", "edited").Write("new.txt", "new");
        var provider = LocalProviderTesting.CreateProvider(o => o.PreferGit = false);
        var repository = provider.Parse(_git.Path);

        var resolved = await provider.ResolveRefAsync(repository, null, Token);
        await using var tree = await provider.OpenTreeAsync(repository, resolved.CommitSha, Token);
        var entries = await tree.ListAsync();

        Assert.NotEqual(sha, resolved.CommitSha);
        Assert.Equal(["a.txt", "new.txt"], entries.Select(e => e.Path));
        Assert.Equal("edited", await entries[0].ReadTextAsync());
    }

    [Fact]
    public async Task Compare_AddModifyDeleteRename_ListsEveryChangeAndIsComplete()
    {
        var renamed = string.Join('\n', Enumerable.Range(0, 50).Select(i => $"line {i} of a file long enough for rename detection"));
        var before = _git.Write("keep.txt", "1").Write("gone.txt", "bye").Write("old/name.txt", renamed).Commit("one");
        File.Delete(Path.Combine(_git.Path, "gone.txt"));
        File.Move(Path.Combine(_git.Path, "old", "name.txt"), Path.Combine(_git.Path, "new-name.txt"));
        var after = _git.Write("keep.txt", "2").Write("added.txt", "hi").Commit("two");

        var comparison = await _provider.CompareAsync(_provider.Parse(_git.Path), before, after, Token);

        Assert.True(comparison.IsComplete);
        Assert.Null(comparison.IncompleteReason);
        Assert.Equal(before, comparison.BaseSha);
        Assert.Equal(after, comparison.HeadSha);
        Assert.Equal(
            [
                new ChangedPath("added.txt", ChangeKind.Added),
                new ChangedPath("gone.txt", ChangeKind.Deleted),
                new ChangedPath("keep.txt", ChangeKind.Modified),
                new ChangedPath("new-name.txt", ChangeKind.Renamed, "old/name.txt"),
            ],
            comparison.Changes);
    }

    [Fact]
    public async Task Compare_BaseNotAnAncestor_StillComparesButIsIncompleteWithTheReason()
    {
        var root = _git.Write("a.txt", "1").Commit("one");
        var original = _git.Write("a.txt", "2").Commit("two");
        _git.Git("reset", "--quiet", "--hard", root);
        var rewritten = _git.Write("b.txt", "3").Commit("rewritten");

        var comparison = await _provider.CompareAsync(_provider.Parse(_git.Path), original, rewritten, Token);

        Assert.False(comparison.IsComplete);
        Assert.Contains(original[..7], comparison.IncompleteReason, StringComparison.Ordinal);
        Assert.Contains("not an ancestor", comparison.IncompleteReason, StringComparison.Ordinal);
        Assert.Equal(
            [new ChangedPath("a.txt", ChangeKind.Modified), new ChangedPath("b.txt", ChangeKind.Added)],
            comparison.Changes);
    }

    [Fact]
    public async Task Compare_PathBelowTheRoot_ListsOnlyThatFoldersChangesRelativeToIt()
    {
        var before = _git.Write("api/app.cs", "1").Write("web/w.cs", "1").Commit("one");
        var after = _git.Write("api/app.cs", "2").Write("web/w.cs", "2").Write("api/more/x.cs", "x").Commit("two");

        var comparison = await _provider.CompareAsync(_provider.Parse(Path.Combine(_git.Path, "api")), before, after, Token);

        Assert.Equal([new ChangedPath("app.cs", ChangeKind.Modified), new ChangedPath("more/x.cs", ChangeKind.Added)], comparison.Changes);
    }

    [Fact]
    public async Task Compare_UnknownCommit_ThrowsNotFound()
    {
        var sha = _git.Write("a.txt", "1").Commit("one");

        await Assert.ThrowsAsync<GitProviderNotFoundException>(
            () => _provider.CompareAsync(_provider.Parse(_git.Path), new string('1', 40), sha, Token));
    }

    [Fact]
    public async Task ListBranches_ListsLocalBranchesAndMarksTheCheckedOutOne()
    {
        var sha = _git.Write("a.txt", "1").Commit("one");
        _git.Git("branch", "develop");
        _git.Git("update-ref", "refs/remotes/origin/feature", sha);

        var branches = new List<BranchInfo>();
        await foreach (var branch in _provider.ListBranchesAsync(_provider.Parse(_git.Path), Token))
        {
            branches.Add(branch);
        }

        Assert.Equal([new BranchInfo("develop", sha, false), new BranchInfo("main", sha, true)], branches);
    }

    [Fact]
    public async Task GetRepository_CleanWorkTree_NamesTheFolderAndCurrentBranchWithoutNotes()
    {
        _git.Write("a.txt", "1").Commit("one");

        var info = await _provider.GetRepositoryAsync(_provider.Parse(_git.Path), Token);

        Assert.Equal("repo", info.Name);
        Assert.Equal("main", info.DefaultBranch);
        Assert.Null(info.WebUrl);
        Assert.Empty(info.Notes);
    }

    [Fact]
    public async Task GetRepository_UncommittedAndUntrackedChanges_AddsANoteNamingTheCommitRead()
    {
        var sha = _git.Write("a.txt", "1").Write(".gitignore", "*.log\n").Commit("one");
        _git.Write("a.txt", "2").Write("new.txt", "n").Write("build.log", "ignored");

        var info = await _provider.GetRepositoryAsync(_provider.Parse(_git.Path), Token);

        var note = Assert.Single(info.Notes);
        Assert.Contains("2 uncommitted or untracked changes", note, StringComparison.Ordinal);
        Assert.Contains("'a.txt'", note, StringComparison.Ordinal);
        Assert.Contains("'new.txt'", note, StringComparison.Ordinal);
        Assert.DoesNotContain("build.log", note, StringComparison.Ordinal);
        Assert.Contains($"the snapshot reads commit {sha[..7]}", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRepository_DetachedHead_HasNoDefaultBranch()
    {
        var sha = _git.Write("a.txt", "1").Commit("one");
        _git.Git("checkout", "--quiet", "--detach", sha);

        var info = await _provider.GetRepositoryAsync(_provider.Parse(_git.Path), Token);

        Assert.Null(info.DefaultBranch);
    }

    [Fact]
    public async Task GetRepository_EmptyRepository_NotesThatThereAreNoCommits()
    {
        var info = await _provider.GetRepositoryAsync(_provider.Parse(_git.Path), Token);

        Assert.Null(info.DefaultBranch);
        Assert.Contains(info.Notes, n => n.Contains("no commits yet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAccess_GitRepository_PassesAndNamesTheHeadCommit()
    {
        var sha = _git.Write("a.txt", "1").Commit("one");

        var result = await _provider.CheckAccessAsync(_provider.Parse(_git.Path), Token);

        Assert.True(result.Succeeded);
        Assert.Contains(result.Checks, c => c.Message.Contains(sha[..7], StringComparison.Ordinal) && c.Message.Contains("'main'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAccess_EmptyRepository_FailsSayingToCommitFirst()
    {
        var result = await _provider.CheckAccessAsync(_provider.Parse(_git.Path), Token);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Message.Contains("no commits yet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAccess_FolderMissingFromHead_Fails()
    {
        _git.Write("a.txt", "1").Commit("one");
        Directory.CreateDirectory(Path.Combine(_git.Path, "untracked"));

        var result = await _provider.CheckAccessAsync(_provider.Parse(Path.Combine(_git.Path, "untracked")), Token);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Message.Contains("'untracked'", StringComparison.Ordinal));
    }

    [Fact]
    public void GetPermalink_PathAndLines_IsARelativeLinkEscapedForMarkdown()
    {
        var repository = _provider.Parse(_git.Path);
        var sha = new string('a', 40);

        Assert.Equal("src/app.cs#L10-L20", _provider.GetPermalink(repository, sha, "src/app.cs", new LineRange(10, 20)));
        Assert.Equal("src/app.cs#L7", _provider.GetPermalink(repository, sha, "src/app.cs", new LineRange(7, 7)));
        Assert.Equal("src/app.cs", _provider.GetPermalink(repository, sha, "src/app.cs"));
        Assert.Equal("docs/My%20Guide%20%28v2%29%23.md#L3", _provider.GetPermalink(repository, sha, "docs/My Guide (v2)#.md", new LineRange(3, 3)));
        Assert.Equal("d%C3%A9j%C3%A0/%5Bx%5D.md", _provider.GetPermalink(repository, sha, "déjà/[x].md"));
    }
}
