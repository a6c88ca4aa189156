using CodeDoc.Core;
using CodeDoc.Testing;

namespace CodeDoc.Pipeline.Tests.Local;

public sealed class LocalPathsTests : IDisposable
{
    private readonly TemporaryGitRepository _folder = TemporaryGitRepository.CreateFolder();
    private readonly LocalGitProvider _provider = LocalProviderTesting.CreateProvider();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void TryParseRepository_AbsolutePath_HasALocalIdAndTheFolderName()
    {
        Assert.True(_provider.TryParseRepository(_folder.Path + "/", out var repository));

        Assert.Equal("local/" + _folder.Path.TrimStart('/'), repository.Id);
        Assert.Equal("repo", repository.DisplayName);
        Assert.Equal("local", repository.ProviderName);
    }

    [Fact]
    public void TryParseRepository_MissingAbsolutePath_IsServedSoTheCheckCanExplain()
    {
        Assert.True(_provider.TryParseRepository(Path.Combine(_folder.Root, "missing"), out _));
    }

    [Fact]
    public void TryParseRepository_FileUri_IsTheSameRepositoryAsThePath()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Root, "My Repo"));
        var path = Path.Combine(_folder.Root, "My Repo");

        Assert.True(_provider.TryParseRepository(new Uri(path).AbsoluteUri, out var fromUri));
        Assert.True(_provider.TryParseRepository(path, out var fromPath));

        Assert.Equal(fromPath.Id, fromUri.Id);
        Assert.Equal("My Repo", fromUri.DisplayName);
    }

    [Fact]
    public void TryParseRepository_RelativePath_ResolvesAgainstTheCurrentDirectory()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _folder.Root);

        Assert.True(_provider.TryParseRepository(relative, out var repository));

        Assert.Equal(LocalPaths.ToId(_folder.Root), repository.Id);
        Assert.Equal(relative, repository.Location);
    }

    [Theory]
    [InlineData("https://github.com/octocat/Hello-World")]
    [InlineData("ssh://git@example.com/owner/repo.git")]
    [InlineData("git@github.com:octocat/Hello-World.git")]
    [InlineData("file://server/share/repo")]
    [InlineData("codedoc-no-such-owner/no-such-repo")]
    [InlineData("   ")]
    public void TryParseRepository_HostLocationsAndMissingBareNames_AreNotServed(string location)
    {
        Assert.False(_provider.TryParseRepository(location, out var repository));
        Assert.Null(repository);
    }

    [Theory]
    [InlineData("./codedoc-no-such-folder")]
    [InlineData("../codedoc-no-such-folder")]
    public void TryParseRepository_ExplicitlyRelativeMissingPath_IsServed(string location)
    {
        Assert.True(_provider.TryParseRepository(location, out _));
    }

    [Fact]
    public void IsUnder_SiblingWithTheSamePrefix_IsNotUnder()
    {
        Assert.True(LocalPaths.IsUnder("/srv/repos/app", "/srv/repos"));
        Assert.True(LocalPaths.IsUnder("/srv/repos", "/srv/repos"));
        Assert.True(LocalPaths.IsUnder("/srv/repos/app", "/"));
        Assert.False(LocalPaths.IsUnder("/srv/repos2/app", "/srv/repos"));
        Assert.False(LocalPaths.IsUnder("/srv", "/srv/repos"));
    }

    [Fact]
    public void Canonicalize_PathThroughLinks_ResolvesEveryLink()
    {
        var real = Path.Combine(_folder.Root, "real", "inner");
        Directory.CreateDirectory(real);
        Directory.CreateSymbolicLink(Path.Combine(_folder.Root, "hop1"), Path.Combine(_folder.Root, "real"));
        Directory.CreateSymbolicLink(Path.Combine(_folder.Root, "hop2"), "hop1/inner");

        var canonicalRoot = LocalPaths.Canonicalize(_folder.Root);

        Assert.Equal(Path.Combine(canonicalRoot, "real", "inner"), LocalPaths.Canonicalize(Path.Combine(_folder.Root, "hop2")));
        Assert.Equal(Path.Combine(canonicalRoot, "real", "inner", "missing", "x"), LocalPaths.Canonicalize(Path.Combine(_folder.Root, "hop2", "missing", "x")));
    }

    [Fact]
    public async Task AllowedRoots_PathOutside_IsRefusedNamingTheOption()
    {
        var allowed = Path.Combine(_folder.Root, "allowed");
        Directory.CreateDirectory(allowed);
        _folder.Write("a.txt", "1");
        var provider = LocalProviderTesting.CreateProvider(o => o.AllowedRoots.Add(allowed));
        var repository = provider.Parse(_folder.Path);

        var check = await provider.CheckAccessAsync(repository, TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<GitProviderException>(() => provider.ResolveRefAsync(repository, null, TestContext.Current.CancellationToken));

        Assert.False(check.Succeeded);
        Assert.Contains("CodeDoc:Local:AllowedRoots", Assert.Single(check.Problems).Message, StringComparison.Ordinal);
        Assert.Contains("CodeDoc:Local:AllowedRoots", error.Message, StringComparison.Ordinal);
        Assert.Contains(_folder.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowedRoots_LinkInsideARootLeadingOut_IsRefused()
    {
        var allowed = Path.Combine(_folder.Root, "allowed");
        Directory.CreateDirectory(allowed);
        _folder.Write("a.txt", "1");
        var link = Path.Combine(allowed, "link-to-repo");
        Directory.CreateSymbolicLink(link, _folder.Path);
        var provider = LocalProviderTesting.CreateProvider(o => o.AllowedRoots.Add(allowed));

        await Assert.ThrowsAsync<GitProviderException>(
            () => provider.OpenTreeAsync(provider.Parse(link), new string('a', 40), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AllowedRoots_PathInside_IsServed()
    {
        _folder.Write("a.txt", "1");
        var provider = LocalProviderTesting.CreateProvider(o => o.AllowedRoots.Add(_folder.Root));
        var repository = provider.Parse(_folder.Path);

        var check = await provider.CheckAccessAsync(repository, TestContext.Current.CancellationToken);
        var resolved = await provider.ResolveRefAsync(repository, null, TestContext.Current.CancellationToken);

        Assert.True(check.Succeeded, string.Join("; ", check.Problems.Select(p => p.Message)));
        Assert.Equal(RefKind.Commit, resolved.Kind);
    }
}
