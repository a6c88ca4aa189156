using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.Bitbucket;
using Microsoft.Extensions.Time.Testing;

namespace CodeDoc.Git.Bitbucket.Tests;

public sealed class BitbucketCloudProviderTests(SampleRepositoryFixture fixture) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private FakeBitbucketCloud _fake = null!;

    private HostedSampleRepository Sample => fixture.Sample;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeBitbucketCloud.StartAsync(Sample);
        _fake.AcceptedAuthorization = "Bearer " + Bitbucket.CloudToken;
        _owned.Add(_fake);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task OpenTree_WebArchiveServed_ReadsEveryFileFromOneArchiveRequest()
    {
        var (provider, repository) = Create();

        await using var tree = await provider.OpenTreeAsync(repository, Sample.HeadCommit, Token);
        var snapshot = await TreeListing.ReadAsync(tree, Token);

        var archive = Assert.IsType<ArchiveRepositoryTree>(tree);
        Assert.True(archive.HasTopLevelFolder);
        AssertContentMatches(snapshot, Sample.HeadCommit);
        Assert.Single(_fake.Server.Requests, r => r.Path.Contains("/get/", StringComparison.Ordinal));
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Path.Contains("/src/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(WebArchiveMode.LoginPage)]
    [InlineData(WebArchiveMode.Forbidden)]
    public async Task OpenTree_WebArchiveRefused_WalksTheTreeInPagesAndReadsEveryFile(WebArchiveMode refusal)
    {
        _fake.WebArchive = refusal;
        _fake.MaxPageLength = 2;
        var (provider, repository) = Create();

        await using var tree = await provider.OpenTreeAsync(repository, Sample.HeadCommit, Token);
        var snapshot = await TreeListing.ReadAsync(tree, Token);

        Assert.IsType<EntryRepositoryTree>(tree);
        AssertContentMatches(snapshot, Sample.HeadCommit);
        Assert.Contains(_fake.Server.Requests, r => r.Path.Contains("/src/", StringComparison.Ordinal) && r.Query.Contains("page=2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenTree_WalkOverHourlyAllowance_ThrowsQuotaExceededBeforeReadingAnyFile()
    {
        _fake.WebArchive = WebArchiveMode.LoginPage;
        var (provider, repository) = Create(o => o.HourlyRequestLimit = 5);

        var error = await Assert.ThrowsAsync<GitProviderQuotaExceededException>(() => provider.OpenTreeAsync(repository, Sample.HeadCommit, Token));

        Assert.Contains("HourlyRequestLimit", error.Message, StringComparison.Ordinal);
        Assert.Contains("5", error.Message, StringComparison.Ordinal);
        var fileReads = _fake.Server.Requests.Where(r => r.Path.Contains("/src/", StringComparison.Ordinal))
            .Select(r => r.Path[(r.Path.IndexOf("/src/", StringComparison.Ordinal) + 5 + 40)..].Trim('/'))
            .Where(p => Sample.FilesAtHead.Contains(p));
        Assert.Empty(fileReads);
    }

    [Fact]
    public async Task OpenTree_Walk_LogsFileCountAllowanceAndTimeEstimateFromTheListingPace()
    {
        // Every listing request takes 10 s on the fake clock; reading the 7 files at that pace takes 70 s.
        var time = new FakeTimeProvider();
        _fake.WebArchive = WebArchiveMode.LoginPage;
        _fake.DirectoryListed = () => time.Advance(TimeSpan.FromSeconds(10));
        var logs = new CapturedLogs();
        var (provider, repository) = Create(logs: logs, time: time);

        await using var tree = await provider.OpenTreeAsync(repository, Sample.HeadCommit, Token);

        var files = Sample.FilesAtHead.Count(p => p != HostedSampleRepository.SymbolicLink);
        Assert.Equal(7, files);
        var plan = Assert.Single(logs.Entries, e => e.Contains("[4303]", StringComparison.Ordinal));
        Assert.Contains($"{files} files", plan, StringComparison.Ordinal);
        Assert.Contains("hourly allowance of 1000", plan, StringComparison.Ordinal);
        Assert.Contains("estimated 2 minutes", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTree_ArchiveWithPathTraversal_HandsTheStreamToTheReaderWhichRefusesTheEntry()
    {
        _fake.WebArchiveBody = HostileArchive();
        var (provider, repository) = Create();

        await using var tree = await provider.OpenTreeAsync(repository, Sample.HeadCommit, Token);
        var snapshot = await TreeListing.ReadAsync(tree, Token);

        Assert.Equal(["README.md"], snapshot.Files.Select(f => f.Path));
        var refused = Assert.Single(snapshot.Excluded, e => e.Reason == ExclusionReason.UnsafePath);
        Assert.Contains("..", refused.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_BaseToHead_SendsNewToOldSpecWithTopicFalseAndFollowsPages()
    {
        _fake.MaxPageLength = 1;
        var (provider, repository) = Create();

        var comparison = await provider.CompareAsync(repository, Sample.BaseCommit, Sample.HeadCommit, Token);

        Assert.True(comparison.IsComplete, comparison.IncompleteReason);
        Assert.Equal(
            [
                new ChangedPath(HostedSampleRepository.RenamedTo, ChangeKind.Renamed, HostedSampleRepository.RenamedFrom),
                new ChangedPath(HostedSampleRepository.DeletedFile, ChangeKind.Deleted),
                new ChangedPath(HostedSampleRepository.ModifiedFile, ChangeKind.Modified),
                new ChangedPath(HostedSampleRepository.AddedFile, ChangeKind.Added),
            ],
            comparison.Changes.OrderBy(c => c.Path == HostedSampleRepository.RenamedTo ? 0 : c.Path == HostedSampleRepository.DeletedFile ? 1 : c.Path == HostedSampleRepository.ModifiedFile ? 2 : 3));
        var first = _fake.Server.Requests.First(r => r.Path.Contains("/diffstat/", StringComparison.Ordinal));
        Assert.EndsWith($"/diffstat/{Sample.HeadCommit}..{Sample.BaseCommit}", first.Path, StringComparison.Ordinal);
        Assert.Contains("topic=false", first.Query, StringComparison.Ordinal);
        Assert.Equal(4, _fake.Server.Requests.Count(r => r.Path.Contains("/diffstat/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Compare_BaseNotAnAncestor_IsIncompleteWithReason()
    {
        var (provider, repository) = Create();

        var comparison = await provider.CompareAsync(repository, Sample.FeatureCommit, Sample.HeadCommit, Token);

        Assert.False(comparison.IsComplete);
        Assert.Contains("not an ancestor", comparison.IncompleteReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_Host555_IsIncompleteNotAnError()
    {
        _fake.Server.Faults.Respond("/2.0/repositories/acme/sample/diffstat/", 555, "{\"type\":\"error\",\"error\":{\"message\":\"timeout\"}}", times: 10);
        var (provider, repository) = Create();

        var comparison = await provider.CompareAsync(repository, Sample.BaseCommit, Sample.HeadCommit, Token);

        Assert.False(comparison.IsComplete);
        Assert.Contains("555", comparison.IncompleteReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HostedSampleRepository.Tag, RefKind.Tag)]
    [InlineData("refs/tags/" + HostedSampleRepository.Tag, RefKind.Tag)]
    [InlineData(HostedSampleRepository.FeatureBranch, RefKind.Branch)]
    [InlineData(HostedSampleRepository.PrefixTrapBranch, RefKind.Branch)]
    public async Task ResolveRef_BranchOrTag_ReturnsTheCommitGitResolves(string reference, RefKind kind)
    {
        var (provider, repository) = Create();

        var resolved = await provider.ResolveRefAsync(repository, reference, Token);

        Assert.Equal(Sample.Facts.ResolveCommit(reference), resolved.CommitSha);
        Assert.Equal(kind, resolved.Kind);
    }

    [Fact]
    public async Task ResolveRef_AbbreviatedShaAndDefault_ResolveToFullShas()
    {
        var (provider, repository) = Create();

        var abbreviated = await provider.ResolveRefAsync(repository, Sample.BaseCommit[..10], Token);
        var main = await provider.ResolveRefAsync(repository, null, Token);

        Assert.Equal((Sample.BaseCommit, RefKind.Commit), (abbreviated.CommitSha, abbreviated.Kind));
        Assert.Equal(Sample.HeadCommit, main.CommitSha);
    }

    [Fact]
    public async Task ListBranches_OnePerPage_ListsEveryBranchWithItsCommit()
    {
        _fake.MaxPageLength = 1;
        var (provider, repository) = Create();

        var branches = new List<BranchInfo>();
        await foreach (var branch in provider.ListBranchesAsync(repository, Token))
        {
            branches.Add(branch);
        }

        Assert.Equal(Sample.Facts.Branches().Select(b => (b.ShortName, b.CommitId)), branches.Select(b => (b.Name, b.CommitSha)));
    }

    [Fact]
    public async Task CheckAccess_WrongToken_FailsSayingTheTokenWasRejected()
    {
        _fake.AcceptedAuthorization = "Bearer another";
        var (provider, repository) = Create();

        var result = await provider.CheckAccessAsync(repository, Token);
        var error = await Assert.ThrowsAsync<GitProviderAuthenticationException>(() => provider.ResolveRefAsync(repository, "main", Token));

        Assert.False(result.Succeeded);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("wrong, expired or revoked", error.Message, StringComparison.Ordinal);
        Assert.Equal("bb", error.ProviderName);
    }

    [Fact]
    public async Task CheckAccess_ApiTokenWithEmail_SendsBasicEmailColonToken()
    {
        _fake.AcceptedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user@example.com:ATATT-token"));
        var (provider, repository) = Create(o =>
        {
            o.Token = "ATATT-token";
            o.Email = "user@example.com";
        });

        var result = await provider.CheckAccessAsync(repository, Token);

        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Equal("Basic dXNlckBleGFtcGxlLmNvbTpBVEFUVC10b2tlbg==", _fake.Server.Requests[0].Header("Authorization"));
    }

    [Fact]
    public async Task ResolveRef_RateLimitedWithoutHeaders_ThrowsRateLimitedNamingTheAllowance()
    {
        _fake.Server.Faults.Respond("/2.0/repositories/acme/sample/refs/", 429, "Rate limit for this resource has been exceeded", contentType: "text/plain", times: 10);
        var (provider, repository) = Create(o => o.Http.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<GitProviderRateLimitedException>(() => provider.ResolveRefAsync(repository, "main", Token));

        Assert.Contains("HourlyRequestLimit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRepository_MalformedJson_ThrowsSayingTheResponseCannotBeRead()
    {
        _fake.Server.Faults.Respond("/2.0/repositories/acme/sample", 200, "{\"name\": \"sample\", \"mainbranch\": {", times: 10);
        var (provider, repository) = Create(o => o.Http.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<GitProviderException>(() => provider.GetRepositoryAsync(repository, Token));

        Assert.Contains("malformed", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CheckAccess_HttpsWithPrivateCa_SucceedsWithTheCaTrusted()
    {
        await using var https = await FakeBitbucketCloud.StartAsync(Sample, new FakeServerOptions { Https = true });
        https.AcceptedAuthorization = "Bearer " + Bitbucket.CloudToken;
        var (provider, services) = Bitbucket.Create(o =>
        {
            Bitbucket.Cloud(o, https);
            o.Http.TrustedCaCertificateFiles.Add(https.Server.CaCertificatePath!);
        });
        _owned.Add(services);

        var result = await provider.CheckAccessAsync(Bitbucket.Parse(provider, https.RepositoryUrl), Token);

        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => p.Message)));
    }

    [Theory]
    [InlineData("https://bitbucket.org/acme/sample", "bitbucket.org/acme/sample")]
    [InlineData("https://user@bitbucket.org/Acme/Sample.git", "bitbucket.org/acme/sample")]
    [InlineData("git@bitbucket.org:acme/sample.git", "bitbucket.org/acme/sample")]
    [InlineData("https://bitbucket.org/acme/sample/src/main/README.md", "bitbucket.org/acme/sample")]
    public void TryParseRepository_BitbucketOrgForms_ParseToOneId(string location, string id)
    {
        var (provider, services) = Bitbucket.Create(_ => { });
        _owned.Add(services);

        Assert.True(provider.TryParseRepository(location, out var repository));
        Assert.Equal(id, repository.Id);
    }

    private void AssertContentMatches(RepositorySnapshot snapshot, string commit)
    {
        var expected = new[] { "README.md", ".gitignore", HostedSampleRepository.ModifiedFile, "src/util.cs", HostedSampleRepository.AddedFile, HostedSampleRepository.RenamedTo };
        foreach (var path in expected)
        {
            var file = Assert.Single(snapshot.Files, f => f.Path == path);
            Assert.Equal(Encoding.UTF8.GetString(Sample.Facts.ReadBlob(commit, path)), file.Content);
        }

        Assert.DoesNotContain(snapshot.Files, f => f.Path == HostedSampleRepository.DeletedFile);
    }

    private static byte[] HostileArchive()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var name in new[] { "acme-sample-0123456789ab/README.md", "acme-sample-0123456789ab/../../escaped.txt" })
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("x\n"u8.ToArray()) });
            }
        }

        return buffer.ToArray();
    }

    private (IGitProvider Provider, RepositoryReference Repository) Create(Action<BitbucketOptions>? configure = null, CapturedLogs? logs = null, TimeProvider? time = null)
    {
        var (provider, services) = Bitbucket.Create(
            o =>
            {
                Bitbucket.Cloud(o, _fake);
                configure?.Invoke(o);
            },
            logs,
            time);
        _owned.Add(services);
        return (provider, Bitbucket.Parse(provider, _fake.RepositoryUrl));
    }
}
