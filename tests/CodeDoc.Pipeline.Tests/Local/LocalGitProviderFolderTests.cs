using System.Diagnostics;
using CodeDoc.Core;
using CodeDoc.Testing;

namespace CodeDoc.Pipeline.Tests.Local;

public sealed class LocalGitProviderFolderTests : IDisposable
{
    private readonly TemporaryGitRepository _folder = TemporaryGitRepository.CreateFolder();
    private readonly LocalGitProvider _provider = LocalProviderTesting.CreateProvider();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task OpenTree_PlainFolder_ListsGitIgnoreFirstPerDirectoryThenByOrdinalName()
    {
        _folder.Write("b.txt", "b").Write("A.txt", "a").Write(".gitignore", "*.log").Write(".env.example", "x")
            .Write("src/.gitignore", "bin/").Write("src/Program.cs", "p").Write("src/.editorconfig", "e")
            .Write("src/nested/.gitignore", "n").Write("src/nested/a.cs", "a");

        var entries = await ListFolderAsync(_provider, _folder.Path);

        Assert.Equal(
            [
                ".gitignore", ".env.example", "A.txt", "b.txt", "src",
                "src/.gitignore", "src/.editorconfig", "src/Program.cs", "src/nested",
                "src/nested/.gitignore", "src/nested/a.cs",
            ],
            entries.Select(e => e.Path));
    }

    [Fact]
    public async Task OpenTree_PlainFolder_ReportsSymlinksWithoutFollowingThem()
    {
        _folder.Write("real/file.txt", "content");
        var outside = Path.Combine(_folder.Root, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "not for the snapshot");
        Directory.CreateSymbolicLink(Path.Combine(_folder.Path, "escape"), outside);
        File.CreateSymbolicLink(Path.Combine(_folder.Path, "alias.txt"), "real/file.txt");
        File.CreateSymbolicLink(Path.Combine(_folder.Path, "dangling"), "nowhere");

        var entries = await ListFolderAsync(_provider, _folder.Path);

        Assert.Equal(["alias.txt", "dangling", "escape", "real", "real/file.txt"], entries.Select(e => e.Path));
        Assert.Equal(RepositoryEntryKind.SymbolicLink, entries.Single(e => e.Path == "escape").Kind);
        Assert.Equal(outside, entries.Single(e => e.Path == "escape").LinkTarget);
        Assert.Equal("real/file.txt", entries.Single(e => e.Path == "alias.txt").LinkTarget);
        Assert.Equal(RepositoryEntryKind.SymbolicLink, entries.Single(e => e.Path == "dangling").Kind);
    }

    [Fact]
    public async Task OpenTree_PlainFolder_PrunesWhereAskedAndReadsContent()
    {
        _folder.Write("node_modules/x/index.js", "x").Write("src/app.cs", "class App { }");
        var repository = _provider.Parse(_folder.Path);
        var resolved = await _provider.ResolveRefAsync(repository, null, Token);

        await using var tree = await _provider.OpenTreeAsync(repository, resolved.CommitSha, Token);
        var entries = await tree.ListAsync(path => path != "node_modules");

        Assert.Equal(resolved.CommitSha, tree.CommitSha);
        Assert.Equal(["node_modules", "src", "src/app.cs"], entries.Select(e => e.Path));
        var app = entries[^1];
        Assert.Equal(13, app.Size);
        Assert.Equal("class App { }", await app.ReadTextAsync());
    }

    [Fact]
    public async Task OpenTree_PlainFolder_EmptyFileReadsAsEmpty()
    {
        _folder.Write("empty.txt", string.Empty);

        var entry = Assert.Single(await ListFolderAsync(_provider, _folder.Path));

        Assert.Equal(0, entry.Size);
        Assert.Equal(string.Empty, await entry.ReadTextAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task OpenTree_PlainFolderWithFifo_OpensItWithoutBlocking()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("FIFOs are a Unix feature.");
        }

        Directory.CreateDirectory(_folder.Path);
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(_folder.Path, "pipe")))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var entry = Assert.Single(await ListFolderAsync(_provider, _folder.Path));

        Assert.Equal(string.Empty, await entry.ReadTextAsync());
    }

    [Fact]
    public async Task ResolveRef_PlainFolder_IsAStableFingerprintThatChangesWithTheFolder()
    {
        _folder.Write("a.txt", "1").Write("sub/b.txt", "2");
        var repository = _provider.Parse(_folder.Path);

        var first = await _provider.ResolveRefAsync(repository, null, Token);
        var again = await _provider.ResolveRefAsync(repository, null, Token);
        _folder.Write("sub/c.txt", "3");
        var afterAdd = await _provider.ResolveRefAsync(repository, null, Token);
        _folder.Write("a.txt", "longer content");
        var afterEdit = await _provider.ResolveRefAsync(repository, null, Token);

        Assert.Equal(RefKind.Commit, first.Kind);
        Assert.Matches("^[0-9a-f]{40}$", first.CommitSha);
        Assert.Equal(first.CommitSha, again.CommitSha);
        Assert.NotEqual(first.CommitSha, afterAdd.CommitSha);
        Assert.NotEqual(afterAdd.CommitSha, afterEdit.CommitSha);
    }

    [Fact]
    public async Task ResolveRef_PlainFolderWithABranchName_ThrowsNotFound()
    {
        _folder.Write("a.txt", "1");
        var repository = _provider.Parse(_folder.Path);
        var current = await _provider.ResolveRefAsync(repository, null, Token);

        var error = await Assert.ThrowsAsync<GitProviderNotFoundException>(() => _provider.ResolveRefAsync(repository, "main", Token));

        Assert.Contains("plain folder", error.Message, StringComparison.Ordinal);
        Assert.Equal(current.CommitSha, (await _provider.ResolveRefAsync(repository, current.CommitSha, Token)).CommitSha);
    }

    [Fact]
    public async Task Compare_PlainFolder_ThrowsSayingItNeedsAGitRepository()
    {
        _folder.Write("a.txt", "1");

        var error = await Assert.ThrowsAsync<GitProviderException>(
            () => _provider.CompareAsync(_provider.Parse(_folder.Path), new string('a', 40), new string('b', 40), Token));

        Assert.Contains("needs a git repository", error.Message, StringComparison.Ordinal);
        Assert.Equal("Compare", error.OperationName);
    }

    [Fact]
    public async Task ListBranches_PlainFolder_YieldsNothing()
    {
        _folder.Write("a.txt", "1");

        await foreach (var branch in _provider.ListBranchesAsync(_provider.Parse(_folder.Path), Token))
        {
            Assert.Fail($"A plain folder has no branches, got {branch}.");
        }
    }

    [Fact]
    public async Task GetRepository_PlainFolder_HasNoDefaultBranchAndSaysEveryRunRegenerates()
    {
        _folder.Write("a.txt", "1");

        var info = await _provider.GetRepositoryAsync(_provider.Parse(_folder.Path), Token);

        Assert.Equal("repo", info.Name);
        Assert.Null(info.DefaultBranch);
        Assert.Contains(info.Notes, n => n.Contains("Not a git repository", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAccess_PlainFolder_Passes()
    {
        _folder.Write("a.txt", "1");

        var result = await _provider.CheckAccessAsync(_provider.Parse(_folder.Path), Token);

        Assert.True(result.Succeeded);
        Assert.Contains(result.Checks, c => c.Message.Contains("plain folder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAccess_MissingPath_IsAFailedCheckNamingThePath()
    {
        var missing = Path.Combine(_folder.Root, "does-not-exist");

        var result = await _provider.CheckAccessAsync(_provider.Parse(missing), Token);

        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Problems);
        Assert.Contains(missing, problem.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_NoRepository_ChecksCredentialsOnly()
    {
        var result = await _provider.CheckAccessAsync(null, Token);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task ResolveRef_MissingPath_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<GitProviderNotFoundException>(
            () => _provider.ResolveRefAsync(_provider.Parse(Path.Combine(_folder.Root, "missing")), null, Token));
    }

    private static async Task<List<RepositoryEntry>> ListFolderAsync(LocalGitProvider provider, string path)
    {
        var repository = provider.Parse(path);
        var resolved = await provider.ResolveRefAsync(repository, null, Token);
        await using var tree = await provider.OpenTreeAsync(repository, resolved.CommitSha, Token);
        return await tree.ListAsync();
    }
}
