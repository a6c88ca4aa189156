using CodeDoc.Core;
using CodeDoc.FakeServers;

namespace CodeDoc.Git.GitLab.Tests;

/// <summary>Refs, archives, compares and branches against a fake GitLab serving a real repository.</summary>
public sealed class GitLabProviderTests(SampleRepository sample) : IAsyncLifetime
{
    private GitLabTestHost _host = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await GitLabTestHost.StartAsync(sample.Repository);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ResolveRef_Branch_IsBranchAtItsHead()
    {
        var resolved = await _host.Provider.ResolveRefAsync(_host.Repository(), "main", Cancellation);

        Assert.Equal(new ResolvedRef("main", sample.Head, RefKind.Branch), resolved);
    }

    [Fact]
    public async Task ResolveRef_BranchWithSlash_EncodedAsOneSegment()
    {
        var resolved = await _host.Provider.ResolveRefAsync(_host.Repository(), "feature/login", Cancellation);

        Assert.Equal(sample.Feature, resolved.CommitSha);
        Assert.Contains(_host.Fake.Server.Requests, r => r.Path.EndsWith("/repository/branches/feature%2Flogin", StringComparison.Ordinal));
        Assert.All(_host.Fake.Server.Requests, r => Assert.StartsWith("/api/v4/projects/acme%2Fplatform%2Fwidgets", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResolveRef_AnnotatedAndLightweightTags_PeeledToTheirCommits()
    {
        var annotated = await _host.Provider.ResolveRefAsync(_host.Repository(), "v1.0", Cancellation);
        var light = await _host.Provider.ResolveRefAsync(_host.Repository(), "refs/tags/light", Cancellation);

        Assert.Equal(new ResolvedRef("v1.0", sample.Second, RefKind.Tag), annotated);
        Assert.Equal(new ResolvedRef("light", sample.First, RefKind.Tag), light);
    }

    [Fact]
    public async Task ResolveRef_FullAndAbbreviatedSha_Commit()
    {
        var full = await _host.Provider.ResolveRefAsync(_host.Repository(), sample.Second, Cancellation);
        var abbreviated = await _host.Provider.ResolveRefAsync(_host.Repository(), sample.Second[..8], Cancellation);

        Assert.Equal(new ResolvedRef(sample.Second, sample.Second, RefKind.Commit), full);
        Assert.Equal(sample.Second, abbreviated.CommitSha);
        Assert.Equal(RefKind.Commit, abbreviated.Kind);
    }

    [Fact]
    public async Task ResolveRef_None_TheDefaultBranch()
    {
        var resolved = await _host.Provider.ResolveRefAsync(_host.Repository(), null, Cancellation);

        Assert.Equal(new ResolvedRef("main", sample.Head, RefKind.Branch), resolved);
    }

    [Theory]
    [InlineData("/-/tree/feature/login", "feature/login")]
    [InlineData("/-/blob/feature/login/src/login.cs", "feature/login")]
    [InlineData("/-/tree/v1.0/src", "v1.0")]
    public async Task ResolveRef_NoneButTheUrlNamesARef_TheUrlsRef(string suffix, string expected)
    {
        var resolved = await _host.Provider.ResolveRefAsync(_host.Repository(_host.Fake.ProjectUrl + suffix), null, Cancellation);

        Assert.Equal(expected, resolved.Reference);
    }

    [Fact]
    public async Task ResolveRef_UnknownRef_NotFoundNamingIt()
    {
        var error = await Assert.ThrowsAsync<GitProviderNotFoundException>(() => _host.Provider.ResolveRefAsync(_host.Repository(), "no-such-branch", Cancellation));

        Assert.Contains("'no-such-branch'", error.Message, StringComparison.Ordinal);
        Assert.Equal("gl", error.ProviderName);
    }

    [Fact]
    public async Task ResolveRef_UnknownProject_NotFoundSayingNotVisible()
    {
        var repository = _host.Repository(new Uri(_host.Fake.WebBaseAddress, "acme/secret").AbsoluteUri);

        var error = await Assert.ThrowsAsync<GitProviderNotFoundException>(() => _host.Provider.ResolveRefAsync(repository, "main", Cancellation));

        Assert.Contains("not visible", error.Message, StringComparison.Ordinal);
        Assert.Contains("acme/secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ProjectById_ResolvesReadsAndLinksByItsPath()
    {
        var repository = _host.Repository(new Uri(_host.Fake.WebBaseAddress, "projects/4242").AbsoluteUri);

        var resolved = await _host.Provider.ResolveRefAsync(repository, "main", Cancellation);
        var link = _host.Provider.GetPermalink(repository, resolved.CommitSha, "src/app.cs");

        Assert.Equal(sample.Head, resolved.CommitSha);
        Assert.Contains(_host.Fake.Server.Requests, r => r.Path.StartsWith("/api/v4/projects/4242/repository/branches/main", StringComparison.Ordinal));
        Assert.Equal($"{_host.Fake.WebBaseAddress}acme/platform/widgets/-/blob/{sample.Head}/src/app.cs", link);
    }

    [Fact]
    public async Task OpenTree_Head_ArchiveBySha_HasExactlyTheCommitsFiles()
    {
        await using var tree = await _host.Provider.OpenTreeAsync(_host.Repository(), sample.Head, Cancellation);
        var files = await TreeListing.ListFilesAsync(tree, Cancellation);

        Assert.Equal(sample.Head, tree.CommitSha);
        Assert.Equal(["README.md", "assets/logo.png", "notes/new-name.txt", "src/app.cs", "src/util.cs"], files.Order(StringComparer.Ordinal));
        var archive = Assert.Single(_host.Fake.Server.Requests, r => r.Path.EndsWith("/repository/archive.tar.gz", StringComparison.Ordinal));
        Assert.Equal($"?sha={sample.Head}", archive.Query);
    }

    [Fact]
    public async Task OpenTree_RedirectToAnotherOrigin_NoCredentialFollows()
    {
        await using var host = await GitLabTestHost.StartAsync(sample.Repository, fake: o => o.ArchiveRedirect = true);

        await using (var tree = await host.Provider.OpenTreeAsync(host.Repository(), sample.First, Cancellation))
        {
            Assert.Contains("docs/guide.md", await TreeListing.ListFilesAsync(tree, Cancellation));
        }

        var download = Assert.Single(host.Fake.Storage.Requests);
        Assert.Null(download.Header("Authorization"));
        Assert.Null(download.Header("PRIVATE-TOKEN"));
        Assert.All(download.Headers, h => Assert.DoesNotContain(GitLabTestHost.Token, h.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenTree_ArchiveClimbingOutOfItsFolder_UnsafeEntriesRefusedByTheSnapshotReader()
    {
        using var hostile = CodeDoc.Testing.TemporaryGitRepository.Init();
        hostile.Write("ok.txt", "fine\n").Commit("one");
        _host.Fake.ArchiveOverride = hostile.Archive("tar.gz", prefix: "widgets-x/../../escape/");

        await using var tree = await _host.Provider.OpenTreeAsync(_host.Repository(), sample.Head, Cancellation);
        var snapshot = await TreeListing.ReadAsync(tree, Cancellation);

        Assert.Empty(snapshot.Files);
        Assert.Contains(snapshot.Excluded, e => e.Reason == ExclusionReason.UnsafePath && e.Path.Contains("ok.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_AcrossRenameDeletionAndAddition_StraightDiffWithEachKind()
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
        var compare = Assert.Single(_host.Fake.Server.Requests, r => r.Path.EndsWith("/repository/compare", StringComparison.Ordinal));
        Assert.Contains("straight=true", compare.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_BaseNotAnAncestor_DirectDiffFlaggedIncomplete()
    {
        var comparison = await _host.Provider.CompareAsync(_host.Repository(), sample.Feature, sample.Head, Cancellation);

        Assert.False(comparison.IsComplete);
        Assert.Contains("not an ancestor", comparison.IncompleteReason, StringComparison.Ordinal);

        // Direct: the feature's file is gone at head. From the merge base (head itself) there would be no change at all.
        Assert.Equal([new ChangedPath("src/login.cs", ChangeKind.Deleted)], comparison.Changes);
    }

    [Fact]
    public async Task Compare_GitLabTimedOut_FlaggedIncomplete()
    {
        await using var host = await GitLabTestHost.StartAsync(sample.Repository, fake: o => o.CompareTimeout = true);

        var comparison = await host.Provider.CompareAsync(host.Repository(), sample.First, sample.Head, Cancellation);

        Assert.False(comparison.IsComplete);
        Assert.Contains("compare_timeout", comparison.IncompleteReason, StringComparison.Ordinal);
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
        Assert.Equal(2, _host.Fake.Server.Requests.Count(r => r.Path.EndsWith("/repository/branches", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetRepository_Metadata_FromTheApi()
    {
        var info = await _host.Provider.GetRepositoryAsync(_host.Repository(), Cancellation);

        Assert.Equal("widgets", info.Name);
        Assert.Equal("main", info.DefaultBranch);
        Assert.True(info.IsPrivate);
        Assert.Equal(new Uri(_host.Fake.ProjectUrl), info.WebUrl);
    }

    [Fact]
    public async Task Requests_CarryTheTokenAsBearerOnly()
    {
        await _host.Provider.ResolveRefAsync(_host.Repository(), "main", Cancellation);

        Assert.All(_host.Fake.Server.Requests, r =>
        {
            Assert.Equal("Bearer " + GitLabTestHost.Token, r.Header("Authorization"));
            Assert.Null(r.Header("PRIVATE-TOKEN"));
            Assert.StartsWith("CodeDoc.Git.GitLab/", r.Header("User-Agent"), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RateLimit_429WithRetryAfter_WaitsAndSucceeds()
    {
        _host.Fake.Server.Faults.Respond("/api/v4/projects/acme%2Fplatform%2Fwidgets/repository/branches/main", 429, "Retry later",
            new Dictionary<string, string> { ["Retry-After"] = "0", ["RateLimit-Name"] = "throttle_authenticated_api", ["RateLimit-Remaining"] = "0" }, contentType: "text/plain");

        var resolved = await _host.Provider.ResolveRefAsync(_host.Repository(), "main", Cancellation);

        Assert.Equal(sample.Head, resolved.CommitSha);
        Assert.Equal(2, _host.Fake.Server.Requests.Count(r => r.Path.EndsWith("/branches/main", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RateLimit_ResetBeyondTheAllowedWait_RateLimitedNamingTheThrottleAndWait()
    {
        var reset = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _host.Fake.Server.Faults.Respond("/api/v4/projects/acme%2Fplatform%2Fwidgets/repository/archive.tar.gz", 429, "Retry later",
            new Dictionary<string, string> { ["RateLimit-Reset"] = reset, ["RateLimit-Name"] = "throttle_authenticated_api" }, times: 10, contentType: "text/plain");

        var error = await Assert.ThrowsAsync<GitProviderRateLimitedException>(() => _host.Provider.OpenTreeAsync(_host.Repository(), sample.Head, Cancellation));

        Assert.Contains("throttle_authenticated_api", error.Message, StringComparison.Ordinal);
        Assert.Contains("Retry later", error.Message, StringComparison.Ordinal);
        Assert.True(error.RetryAfter > TimeSpan.FromMinutes(50));
    }

    [Theory]
    [InlineData("{\"name\":\"main\",\"commit\":", "malformed")]
    [InlineData("<html><body>Sign in</body></html>", "malformed")]
    public async Task ResolveRef_UnusableAnswer_ClearError(string body, string expected)
    {
        _host.Fake.Server.Faults.Respond("/api/v4/projects/acme%2Fplatform%2Fwidgets/repository/branches/main", 200, body, times: 5);

        var error = await Assert.ThrowsAsync<GitProviderException>(() => _host.Provider.ResolveRefAsync(_host.Repository(), "main", Cancellation));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("could not be used", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerError_KeepsFailing_SaysSoWithTheStatus()
    {
        _host.Fake.Server.Faults.Respond("/api/v4/projects/acme%2Fplatform%2Fwidgets", 502, "<html>Bad gateway</html>", times: 20, contentType: "text/html");

        var error = await Assert.ThrowsAsync<GitProviderException>(() => _host.Provider.GetRepositoryAsync(_host.Repository(), Cancellation));

        Assert.Contains("502", error.Message, StringComparison.Ordinal);
        Assert.Contains("instance's health", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfManagedUnderRelativeRootOverHttps_TrustsThePrivateCa()
    {
        await using var host = await GitLabTestHost.StartAsync(sample.Repository, fake: o =>
        {
            o.RelativeRoot = "/gitlab";
            o.Server = new FakeServerOptions { Https = true };
        });

        var resolved = await host.Provider.ResolveRefAsync(host.Repository(), "v1.0", Cancellation);
        await using (var tree = await host.Provider.OpenTreeAsync(host.Repository(), resolved.CommitSha, Cancellation))
        {
            Assert.Contains("src/util.cs", await TreeListing.ListFilesAsync(tree, Cancellation));
        }

        Assert.Equal(Uri.UriSchemeHttps, host.Fake.WebBaseAddress.Scheme);
        Assert.All(host.Fake.Server.Requests, r => Assert.StartsWith("/gitlab/api/v4/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmptyRepository_ResolveWithoutRef_ConflictSayingToPush()
    {
        using var empty = CodeDoc.Testing.TemporaryGitRepository.Init();
        await using var host = await GitLabTestHost.StartAsync(empty);

        var error = await Assert.ThrowsAsync<GitProviderConflictException>(() => host.Provider.ResolveRefAsync(host.Repository(), null, Cancellation));

        Assert.Contains("push a first commit", error.Message, StringComparison.Ordinal);
    }
}
