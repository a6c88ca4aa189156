using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.Testing;

namespace CodeDoc.Git.GitHub.Tests;

/// <summary>Refs, trees, compares and branches against a fake GitHub serving a real repository.</summary>
public sealed class GitHubProviderTests(SampleRepository sample) : IAsyncLifetime
{
    private GitHubTestHost _host = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await GitHubTestHost.StartAsync(sample.Repository);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ResolveRef_Branch_IsBranchAtItsHead()
    {
        var resolved = await _host.Provider.ResolveRefAsync(_host.Repository(), "main", Cancellation);

        Assert.Equal(new ResolvedRef("main", sample.Head, RefKind.Branch), resolved);
    }

    [Fact]
    public async Task ResolveRef_BranchWithSlash_Resolved()
    {
        var resolved = await _host.Provider.ResolveRefAsync(_host.Repository(), "feature/login", Cancellation);

        Assert.Equal(new ResolvedRef("feature/login", sample.Feature, RefKind.Branch), resolved);
    }

    [Fact]
    public async Task ResolveRef_AnnotatedTag_PeeledToTheCommit()
    {
        var resolved = await _host.Provider.ResolveRefAsync(_host.Repository(), "v1.0", Cancellation);

        Assert.Equal(new ResolvedRef("v1.0", sample.Second, RefKind.Tag), resolved);
        Assert.NotEqual(sample.Repository.Git("rev-parse", "v1.0"), resolved.CommitSha);
    }

    [Fact]
    public async Task ResolveRef_LightweightTagAndFullRefs_Resolved()
    {
        var repository = _host.Repository();

        Assert.Equal(new ResolvedRef("light", sample.First, RefKind.Tag), await _host.Provider.ResolveRefAsync(repository, "light", Cancellation));
        Assert.Equal(new ResolvedRef("main", sample.Head, RefKind.Branch), await _host.Provider.ResolveRefAsync(repository, "refs/heads/main", Cancellation));
        Assert.Equal(new ResolvedRef("v1.0", sample.Second, RefKind.Tag), await _host.Provider.ResolveRefAsync(repository, "refs/tags/v1.0", Cancellation));
    }

    [Fact]
    public async Task ResolveRef_FullAndAbbreviatedSha_Commit()
    {
        var repository = _host.Repository();

        Assert.Equal(new ResolvedRef(sample.Second, sample.Second, RefKind.Commit), await _host.Provider.ResolveRefAsync(repository, sample.Second, Cancellation));
        Assert.Equal(new ResolvedRef(sample.Second[..10], sample.Second, RefKind.Commit), await _host.Provider.ResolveRefAsync(repository, sample.Second[..10], Cancellation));
    }

    [Fact]
    public async Task ResolveRef_None_TheDefaultBranch()
    {
        var resolved = await _host.Provider.ResolveRefAsync(_host.Repository(), null, Cancellation);

        Assert.Equal(new ResolvedRef("main", sample.Head, RefKind.Branch), resolved);
    }

    [Theory]
    [InlineData("/tree/feature/login", "feature/login")]
    [InlineData("/blob/v1.0/src/app.cs", "v1.0")]
    [InlineData("/tree/main/src", "main")]
    public async Task ResolveRef_NoneButTheUrlNamesARef_TheUrlsRef(string suffix, string expected)
    {
        var repository = _host.Repository($"https://github.com/acme/widgets{suffix}");

        var resolved = await _host.Provider.ResolveRefAsync(repository, null, Cancellation);

        Assert.Equal(expected, resolved.Reference);
        Assert.Equal(sample.Repository.Git("rev-parse", expected + "^{commit}"), resolved.CommitSha);
    }

    [Fact]
    public async Task ResolveRef_UnknownSha_NotFoundNamingIt()
    {
        var missing = new string('d', 40);

        var error = await Assert.ThrowsAsync<GitProviderNotFoundException>(() => _host.Provider.ResolveRefAsync(_host.Repository(), missing, Cancellation));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Equal("gh", error.ProviderName);
    }

    [Fact]
    public async Task OpenTree_Head_ArchiveOfExactlyTheCommitsFiles()
    {
        var tree = await _host.Provider.OpenTreeAsync(_host.Repository(), sample.Head, Cancellation);
        await using (tree)
        {
            var archive = Assert.IsType<ArchiveRepositoryTree>(tree);
            Assert.Equal(ArchiveFormat.TarGz, archive.Format);
            Assert.True(archive.HasTopLevelFolder);
            var files = await TreeListing.ListFilesAsync(tree, Cancellation);
            Assert.Equal(["README.md", "assets/logo.png", "notes/new-name.txt", "src/app.cs", "src/util.cs"], files);
        }
    }

    [Fact]
    public async Task OpenTree_FirstCommit_HasTheFilesOfThatCommit()
    {
        var tree = await _host.Provider.OpenTreeAsync(_host.Repository(), sample.First, Cancellation);
        await using (tree)
        {
            var snapshot = await TreeListing.ReadAsync(tree, Cancellation);
            Assert.Contains(snapshot.Files, f => f.Path == "docs/guide.md");
            Assert.Contains(snapshot.Files, f => f.Path == "src/app.cs" && f.Content!.Contains("version 1", StringComparison.Ordinal));
            Assert.Contains(snapshot.Excluded, e => e.Path == "assets/logo.png" && e.Reason == ExclusionReason.Binary);
        }
    }

    [Fact]
    public async Task OpenTree_RedirectToCodeload_NoCredentialReachesTheOtherOrigin()
    {
        var tree = await _host.Provider.OpenTreeAsync(_host.Repository(), sample.Head, Cancellation);
        await using (tree)
        {
            await TreeListing.ListFilesAsync(tree, Cancellation);
        }

        var tarball = Assert.Single(_host.Fake.Api.Requests, r => r.Path.Contains("/tarball/", StringComparison.Ordinal));
        Assert.Equal("Bearer " + GitHubTestHost.Token, tarball.Header("Authorization"));
        var download = Assert.Single(_host.Fake.Codeload.Requests);
        Assert.Null(download.Header("Authorization"));
        Assert.All(download.Headers, h => Assert.DoesNotContain(GitHubTestHost.Token, h.Value, StringComparison.Ordinal));
        Assert.Contains("token=", download.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_AcrossRenameDeletionAndAddition_ListsEachWithItsKind()
    {
        var comparison = await _host.Provider.CompareAsync(_host.Repository(), sample.First, sample.Second, Cancellation);

        Assert.True(comparison.IsComplete, comparison.IncompleteReason);
        Assert.Equal(
            [
                new ChangedPath("docs/guide.md", ChangeKind.Deleted),
                new ChangedPath("notes/new-name.txt", ChangeKind.Renamed, "notes/old-name.txt"),
                new ChangedPath("src/app.cs", ChangeKind.Modified),
                new ChangedPath("src/util.cs", ChangeKind.Added),
            ],
            comparison.Changes.OrderBy(c => c.Path, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Compare_BaseNotAnAncestor_DirectDiffFlaggedIncomplete()
    {
        // feature/login and v1.0: v1.0 is an ancestor of feature/login, but not the other way round.
        var comparison = await _host.Provider.CompareAsync(_host.Repository(), sample.Feature, sample.Second, Cancellation);

        Assert.False(comparison.IsComplete);
        Assert.Contains("not an ancestor", comparison.IncompleteReason, StringComparison.Ordinal);

        // A direct diff from feature/login back to v1.0: the login file and the README change are undone.
        Assert.Equal(
            [new ChangedPath("README.md", ChangeKind.Modified), new ChangedPath("src/login.cs", ChangeKind.Deleted)],
            comparison.Changes);
    }

    [Fact]
    public async Task ListBranches_MoreThanOnePage_EveryBranchOnceWithTheDefaultMarked()
    {
        var branches = new List<BranchInfo>();
        await foreach (var branch in _host.Provider.ListBranchesAsync(_host.Repository(), Cancellation))
        {
            branches.Add(branch);
        }

        Assert.Equal(SampleRepository.ExtraBranches + 2, branches.Count);
        Assert.Equal(branches.Count, branches.Select(b => b.Name).Distinct().Count());
        Assert.Equal(new BranchInfo("main", sample.Head, IsDefault: true), Assert.Single(branches, b => b.IsDefault));
        Assert.Contains(new BranchInfo("feature/login", sample.Feature, IsDefault: false), branches);
        Assert.True(_host.Fake.Api.Requests.Count(r => r.Path.EndsWith("/branches", StringComparison.Ordinal)) >= 2);
    }

    [Fact]
    public async Task GetRepository_Metadata_FromTheApi()
    {
        var info = await _host.Provider.GetRepositoryAsync(_host.Repository(), Cancellation);

        Assert.Equal("widgets", info.Name);
        Assert.Equal("main", info.DefaultBranch);
        Assert.True(info.IsPrivate);
        Assert.Equal("A repository served by the fake GitHub.", info.Description);
    }

    [Fact]
    public async Task Requests_CarryGitHubsHeaders()
    {
        await _host.Provider.GetRepositoryAsync(_host.Repository(), Cancellation);

        var request = Assert.Single(_host.Fake.Api.Requests);
        Assert.Equal("2022-11-28", request.Header("X-GitHub-Api-Version"));
        Assert.Contains("application/vnd.github+json", request.Header("Accept"), StringComparison.Ordinal);
        Assert.StartsWith("CodeDoc.Git.GitHub/", request.Header("User-Agent"), StringComparison.Ordinal);
    }
}
