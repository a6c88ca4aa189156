using System.Text;
using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.Bitbucket;

namespace CodeDoc.Git.Bitbucket.Tests;

public sealed class BitbucketDataCenterProviderTests(SampleRepositoryFixture fixture) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private FakeBitbucketDataCenter _fake = null!;

    private HostedSampleRepository Sample => fixture.Sample;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeBitbucketDataCenter.StartAsync(Sample);
        _fake.AcceptedAuthorization = "Bearer " + Bitbucket.DataCenterToken;
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
    public async Task OpenTree_Commit_ReadsOneTarGzArchiveWithoutTopLevelFolder()
    {
        var (provider, repository) = Create();

        await using var tree = await provider.OpenTreeAsync(repository, Sample.HeadCommit, Token);
        var snapshot = await TreeListing.ReadAsync(tree, Token);

        var archive = Assert.IsType<ArchiveRepositoryTree>(tree);
        Assert.False(archive.HasTopLevelFolder);
        Assert.Equal(ArchiveFormat.TarGz, archive.Format);
        var request = Assert.Single(_fake.Server.Requests, r => r.Path.EndsWith("/archive", StringComparison.Ordinal));
        Assert.Equal($"/bitbucket/rest/api/latest/projects/ACME/repos/sample/archive?at={Sample.HeadCommit}&format=tar.gz", request.Path + request.Query);
        var guide = Assert.Single(snapshot.Files, f => f.Path == HostedSampleRepository.RenamedTo);
        Assert.Equal(Encoding.UTF8.GetString(Sample.Facts.ReadBlob(Sample.HeadCommit, HostedSampleRepository.RenamedTo)), guide.Content);
    }

    [Fact]
    public async Task Compare_BaseToHead_AsksFromNewToOldAndFollowsPages()
    {
        _fake.MaxPageLength = 1;
        var (provider, repository) = Create();

        var comparison = await provider.CompareAsync(repository, Sample.BaseCommit, Sample.HeadCommit, Token);

        Assert.True(comparison.IsComplete, comparison.IncompleteReason);
        Assert.Equal(4, comparison.Changes.Count);
        Assert.Contains(new ChangedPath(HostedSampleRepository.RenamedTo, ChangeKind.Renamed, HostedSampleRepository.RenamedFrom), comparison.Changes);
        Assert.Contains(new ChangedPath(HostedSampleRepository.DeletedFile, ChangeKind.Deleted), comparison.Changes);
        Assert.Contains(new ChangedPath(HostedSampleRepository.AddedFile, ChangeKind.Added), comparison.Changes);
        Assert.Contains(new ChangedPath(HostedSampleRepository.ModifiedFile, ChangeKind.Modified), comparison.Changes);
        var first = _fake.Server.Requests.First(r => r.Path.EndsWith("/compare/changes", StringComparison.Ordinal));
        Assert.Contains($"from={Sample.HeadCommit}", first.Query, StringComparison.Ordinal);
        Assert.Contains($"to={Sample.BaseCommit}", first.Query, StringComparison.Ordinal);
        Assert.Equal(4, _fake.Server.Requests.Count(r => r.Path.EndsWith("/compare/changes", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Compare_BaseNotAnAncestor_IsIncomplete()
    {
        var (provider, repository) = Create();

        var comparison = await provider.CompareAsync(repository, Sample.FeatureCommit, Sample.HeadCommit, Token);

        Assert.False(comparison.IsComplete);
        Assert.Contains("not an ancestor", comparison.IncompleteReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HostedSampleRepository.DefaultBranch)]
    [InlineData(HostedSampleRepository.PrefixTrapBranch)]
    [InlineData(HostedSampleRepository.FeatureBranch)]
    [InlineData(HostedSampleRepository.Tag)]
    public async Task ResolveRef_SubstringMatchesInSmallPages_PicksTheExactName(string reference)
    {
        _fake.MaxPageLength = 1;
        var (provider, repository) = Create();

        var resolved = await provider.ResolveRefAsync(repository, reference, Token);

        Assert.Equal(Sample.Facts.ResolveCommit(reference), resolved.CommitSha);
    }

    [Fact]
    public async Task ResolveRef_AbbreviatedSha_ReturnsTheFullCommit()
    {
        var (provider, repository) = Create();

        var resolved = await provider.ResolveRefAsync(repository, Sample.InitialCommit[..12], Token);

        Assert.Equal((Sample.InitialCommit, RefKind.Commit), (resolved.CommitSha, resolved.Kind));
    }

    [Fact]
    public async Task CheckAccess_UsernameSet_SendsBasicAndNamesTheUser()
    {
        _fake.AcceptedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("jdoe:" + Bitbucket.DataCenterToken));
        var (provider, repository) = Create(o => o.Username = "jdoe");

        var result = await provider.CheckAccessAsync(repository, Token);

        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Contains(result.Checks, c => c.Message.Contains("'jdoe'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAccess_UnknownRepository_FailsSayingNotFoundOrNotVisible()
    {
        var (provider, _) = Create();
        var missing = Bitbucket.Parse(provider, new Uri(_fake.BaseAddress, "projects/ACME/repos/missing").AbsoluteUri);

        var result = await provider.CheckAccessAsync(missing, Token);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Message.Contains("not found", StringComparison.Ordinal) && p.Message.Contains("ACME/missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenTree_ResponseCutOff_ThrowsASnapshotOrProviderErrorNotAPartialTree()
    {
        _fake.Server.Faults.CutAfter("/bitbucket/rest/api/latest/projects/ACME/repos/sample/archive", 64, times: 10);
        var (provider, repository) = Create(o => o.Http.MaxRetries = 0);

        var error = await Record.ExceptionAsync(async () =>
        {
            await using var tree = await provider.OpenTreeAsync(repository, Sample.HeadCommit, Token);
            await TreeListing.ReadAsync(tree, Token);
        });

        Assert.IsAssignableFrom<CodeDocException>(error);
    }

    [Theory]
    [InlineData("ssh://git@HOST:7999/acme/sample.git")]
    [InlineData("BASE/scm/acme/sample.git")]
    [InlineData("BASE/projects/ACME/repos/sample/browse/src/app.cs?at=main")]
    public void TryParseRepository_CloneAndBrowseForms_ParseToTheSameRepository(string template)
    {
        var (provider, _) = Create();
        var location = template.Replace("BASE/", _fake.BaseAddress.AbsoluteUri, StringComparison.Ordinal).Replace("HOST", _fake.BaseAddress.Host, StringComparison.Ordinal);

        var repository = Bitbucket.Parse(provider, location);

        Assert.Equal(Bitbucket.Parse(provider, _fake.RepositoryUrl).Id, repository.Id);
    }

    private (IGitProvider Provider, RepositoryReference Repository) Create(Action<BitbucketOptions>? configure = null)
    {
        var (provider, services) = Bitbucket.Create(o =>
        {
            Bitbucket.DataCenter(o, _fake);
            configure?.Invoke(o);
        });
        _owned.Add(services);
        return (provider, Bitbucket.Parse(provider, _fake.RepositoryUrl));
    }
}

public sealed class BitbucketFactoryTests(SampleRepositoryFixture fixture)
{
    [Fact]
    public async Task Create_DataCenterSettings_BuildsAProviderThatReadsTheServer()
    {
        await using var fake = await FakeBitbucketDataCenter.StartAsync(fixture.Sample);
        fake.AcceptedAuthorization = "Bearer " + Bitbucket.DataCenterToken;
        var factory = new BitbucketGitProviderFactory(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);
        var settings = new ProviderSettings("bitbucket", "runtime", new Dictionary<string, string?>
        {
            ["BaseAddress"] = fake.BaseAddress.AbsoluteUri,
            ["Token"] = Bitbucket.DataCenterToken,
        });

        var provider = factory.Create(settings);
        var resolved = await provider.ResolveRefAsync(Bitbucket.Parse(provider, fake.RepositoryUrl), "main", TestContext.Current.CancellationToken);

        Assert.Equal(("runtime", fixture.Sample.HeadCommit), (provider.Metadata.Name, resolved.CommitSha));
    }

    [Fact]
    public void Create_CloudSettingsWithUsername_ThrowsConfigurationErrorNamingTheField()
    {
        var factory = new BitbucketGitProviderFactory(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);

        var error = Assert.Throws<CodeDocConfigurationException>(() => factory.Create(new ProviderSettings("bitbucket", "runtime", new Dictionary<string, string?> { ["Token"] = "t", ["Username"] = "u" })));

        Assert.Contains("Username", error.Message, StringComparison.Ordinal);
    }
}
