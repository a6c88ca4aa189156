using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.Bitbucket;

namespace CodeDoc.Console.Tests.GitHosts;

/// <summary>
/// <c>codedoc plan</c> and <c>providers test</c> on Bitbucket URLs: Cloud (<c>workspace/repo</c>) and Data Center
/// (<c>projects/KEY/repos/slug</c> below a context path), against their fakes.
/// </summary>
public sealed class BitbucketHostTests(HostedRepositoryFixture fixture) : IAsyncLifetime
{
    // Built at run time so no scanner mistakes the test source for a leaked credential.
    private static readonly string CloudToken = "ATCTT3x" + "ConsoleCanaryCloudToken01";
    private static readonly string DataCenterToken = "BBDC-" + "ConsoleCanaryDataCenter02";
    private static readonly string WrongToken = "BBDC-" + "ConsoleCanaryWrongToken03";

    private readonly HostedSampleRepository _sample = fixture.Sample;
    private readonly HostCli _cli = new();
    private FakeBitbucketCloud _cloud = null!;
    private FakeBitbucketDataCenter _dataCenter = null!;

    private string DataCenterRepositoryUrl => new Uri(_dataCenter.BaseAddress, $"projects/{FakeBitbucketDataCenter.ProjectKey}/repos/{FakeBitbucketDataCenter.Slug}").AbsoluteUri;

    public async ValueTask InitializeAsync()
    {
        _cloud = await FakeBitbucketCloud.StartAsync(_sample);
        _cloud.AcceptedAuthorization = "Bearer " + CloudToken;
        _dataCenter = await FakeBitbucketDataCenter.StartAsync(_sample);
        _dataCenter.AcceptedAuthorization = "Bearer " + DataCenterToken;
    }

    public async ValueTask DisposeAsync()
    {
        await _cloud.DisposeAsync();
        await _dataCenter.DisposeAsync();
        _cli.Dispose();
    }

    [Theory]
    [InlineData("")]
    [InlineData(".git")]
    [InlineData("/src/main/")]
    [InlineData("/")]
    public async Task Plan_CloudRepositoryUrl_ReadsTheDefaultBranch(string suffix)
    {
        var plan = await HostCli.PlanAsync(CloudConfig(CloudToken), _cloud.RepositoryUrl + suffix);

        HostCli.AssertPlanOf(plan, _sample, _sample.HeadCommit);
        Assert.Equal("acme/sample", plan.GetProperty("repository").GetProperty("displayName").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/browse")]
    [InlineData("/browse/docs/guide.md")]
    [InlineData("/")]
    public async Task Plan_DataCenterRepositoryUrl_ReadsTheDefaultBranch(string suffix)
    {
        var plan = await HostCli.PlanAsync(DataCenterConfig(DataCenterToken), DataCenterRepositoryUrl + suffix);

        HostCli.AssertPlanOf(plan, _sample, _sample.HeadCommit);
    }

    [Fact]
    public async Task Plan_DataCenterCloneUrl_ReadsTheRepository()
    {
        var plan = await HostCli.PlanAsync(DataCenterConfig(DataCenterToken), new Uri(_dataCenter.BaseAddress, "scm/acme/sample.git").AbsoluteUri);

        HostCli.AssertPlanOf(plan, _sample, _sample.HeadCommit);
    }

    [Fact]
    public async Task Plan_UrlOfABranchOrCommit_ReadsThatRef()
    {
        var cloud = CloudConfig(CloudToken);
        var dataCenter = DataCenterConfig(DataCenterToken);

        HostCli.AssertPlanOf(await HostCli.PlanAsync(cloud, _cloud.RepositoryUrl + "/branch/feature/login"), _sample, _sample.FeatureCommit);
        HostCli.AssertPlanOf(await HostCli.PlanAsync(cloud, $"{_cloud.RepositoryUrl}/src/{_sample.BaseCommit}/docs/"), _sample, _sample.BaseCommit);
        HostCli.AssertPlanOf(await HostCli.PlanAsync(dataCenter, DataCenterRepositoryUrl + "/browse?at=refs%2Fheads%2Ffeature%2Flogin"), _sample, _sample.FeatureCommit);
        HostCli.AssertPlanOf(await HostCli.PlanAsync(dataCenter, $"{DataCenterRepositoryUrl}/browse?at={_sample.BaseCommit}"), _sample, _sample.BaseCommit);
    }

    [Fact]
    public async Task Plan_UrlNamesARefAndRefOptionGiven_TheOptionWins()
    {
        var plan = await HostCli.PlanAsync(DataCenterConfig(DataCenterToken), $"{DataCenterRepositoryUrl}/browse?at={_sample.BaseCommit}", "--ref", "main");

        HostCli.AssertPlanOf(plan, _sample, _sample.HeadCommit);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Plan_RefIsABranch_ReadsTheBranchHead(bool cloud)
    {
        var plan = cloud
            ? await HostCli.PlanAsync(CloudConfig(CloudToken), _cloud.RepositoryUrl, "--ref", HostedSampleRepository.FeatureBranch)
            : await HostCli.PlanAsync(DataCenterConfig(DataCenterToken), DataCenterRepositoryUrl, "--ref", HostedSampleRepository.FeatureBranch);

        HostCli.AssertPlanOf(plan, _sample, _sample.FeatureCommit);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Plan_RefIsASha_ReadsThatCommit(bool cloud)
    {
        var plan = cloud
            ? await HostCli.PlanAsync(CloudConfig(CloudToken), _cloud.RepositoryUrl, "--ref", _sample.BaseCommit)
            : await HostCli.PlanAsync(DataCenterConfig(DataCenterToken), DataCenterRepositoryUrl, "--ref", _sample.BaseCommit);

        HostCli.AssertPlanOf(plan, _sample, _sample.BaseCommit);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Plan_WrongToken_ExitsFourWithoutTheToken(bool cloud)
    {
        var (code, output, error) = cloud
            ? await HostCli.RunAsync(CloudConfig(WrongToken), "plan", _cloud.RepositoryUrl, "--json")
            : await HostCli.RunAsync(DataCenterConfig(WrongToken), "plan", DataCenterRepositoryUrl, "--json");

        Assert.True(code == 4, $"exit {code}: {error}{output}");
        Assert.Contains("token", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(WrongToken, output + error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ProvidersTest_RepoUrl_ChecksTheRepository(bool cloud)
    {
        var (code, verdict, text) = cloud
            ? await HostCli.ProvidersTestAsync(CloudConfig(CloudToken), "bitbucket", _cloud.RepositoryUrl)
            : await HostCli.ProvidersTestAsync(DataCenterConfig(DataCenterToken), "bitbucket", DataCenterRepositoryUrl);

        Assert.True(code == 0, text);
        Assert.True(verdict.GetProperty("succeeded").GetBoolean(), text);
        Assert.Contains(cloud ? "acme/sample" : "ACME/sample", text, StringComparison.Ordinal);
        Assert.DoesNotContain(cloud ? CloudToken : DataCenterToken, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ProvidersTest_WrongToken_ExitsFourWithoutTheToken(bool cloud)
    {
        var (code, verdict, text) = cloud
            ? await HostCli.ProvidersTestAsync(CloudConfig(WrongToken), "bitbucket", _cloud.RepositoryUrl)
            : await HostCli.ProvidersTestAsync(DataCenterConfig(WrongToken), "bitbucket", DataCenterRepositoryUrl);

        Assert.Equal(4, code);
        Assert.False(verdict.GetProperty("succeeded").GetBoolean());
        Assert.DoesNotContain(WrongToken, text, StringComparison.Ordinal);
    }

    // Bitbucket Cloud with its web and API addresses pointed at the fake (bitbucket.org and api.bitbucket.org in real life).
    private string CloudConfig(string token) => _cli.WriteConfig(new
    {
        Kind = "bitbucket",
        Deployment = "Cloud",
        BaseAddress = _cloud.WebAddress.AbsoluteUri,
        ApiAddress = _cloud.ApiAddress.AbsoluteUri,
        Token = token,
    });

    // A Data Center server: its base address (with the context path) is all a user sets.
    private string DataCenterConfig(string token) => _cli.WriteConfig(new { Kind = "bitbucket", BaseAddress = _dataCenter.BaseAddress.AbsoluteUri, Token = token });
}
