using System.Text;
using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.AzureDevOps;

namespace CodeDoc.Console.Tests.GitHosts;

/// <summary>
/// <c>codedoc plan</c> and <c>providers test</c> on Azure DevOps repository URLs
/// (<c>{collection}/{project}/_git/{repo}</c> on a server below a virtual directory), against the fake.
/// </summary>
public sealed class AzureDevOpsHostTests(HostedRepositoryFixture fixture) : IAsyncLifetime
{
    // Built at run time so no scanner mistakes the test source for a leaked credential.
    private static readonly string Pat = "azdo" + "ConsoleCanaryPersonalToken01";
    private static readonly string WrongPat = "azdo" + "ConsoleCanaryWrongToken02";

    private readonly HostedSampleRepository _sample = fixture.Sample;
    private readonly HostCli _cli = new();
    private FakeAzureDevOps _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeAzureDevOps.StartAsync(_sample);
        _server.AcceptedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + Pat));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _cli.Dispose();
    }

    [Theory]
    [InlineData("")]
    [InlineData("?path=/README.md&version=GBmain")]
    [InlineData("/")]
    public async Task Plan_RepositoryUrl_ReadsTheDefaultBranch(string suffix)
    {
        Assert.Contains("/tfs/acme/Sample%20Project/_git/sample", _server.RepositoryUrl, StringComparison.Ordinal);

        var plan = await HostCli.PlanAsync(Config(Pat), _server.RepositoryUrl + suffix);

        HostCli.AssertPlanOf(plan, _sample, _sample.HeadCommit);
        Assert.Equal("acme/Sample Project/sample", plan.GetProperty("repository").GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Plan_UrlOfABranchTagOrCommit_ReadsThatRef()
    {
        var config = Config(Pat);

        HostCli.AssertPlanOf(await HostCli.PlanAsync(config, _server.RepositoryUrl + "?version=GBfeature%2Flogin"), _sample, _sample.FeatureCommit);
        var tagged = await HostCli.PlanAsync(config, _server.RepositoryUrl + "?path=/README.md&version=GTv1.0");
        HostCli.AssertPlanOf(tagged, _sample, _sample.HeadCommit);
        Assert.Equal(("v1.0", "tag"), (tagged.GetProperty("commit").GetProperty("reference").GetString(), tagged.GetProperty("commit").GetProperty("kind").GetString()));
        HostCli.AssertPlanOf(await HostCli.PlanAsync(config, _server.RepositoryUrl + "?version=GC" + _sample.BaseCommit), _sample, _sample.BaseCommit);
    }

    [Fact]
    public async Task Plan_RefIsABranch_ReadsTheBranchHead()
    {
        var plan = await HostCli.PlanAsync(Config(Pat), _server.RepositoryUrl, "--ref", HostedSampleRepository.FeatureBranch);

        HostCli.AssertPlanOf(plan, _sample, _sample.FeatureCommit);
    }

    [Fact]
    public async Task Plan_RefIsASha_ReadsThatCommit()
    {
        var plan = await HostCli.PlanAsync(Config(Pat), _server.RepositoryUrl, "--ref", _sample.BaseCommit);

        HostCli.AssertPlanOf(plan, _sample, _sample.BaseCommit);
    }

    [Fact]
    public async Task Plan_WrongToken_ExitsFourWithoutTheToken()
    {
        var (code, output, error) = await HostCli.RunAsync(Config(WrongPat), "plan", _server.RepositoryUrl, "--json");

        Assert.True(code == 4, $"exit {code}: {error}{output}");
        Assert.Contains("personal access token", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(WrongPat, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidersTest_RepoUrl_ChecksTheRepository()
    {
        var (code, verdict, text) = await HostCli.ProvidersTestAsync(Config(Pat), "azure-devops", _server.RepositoryUrl);

        Assert.True(code == 0, text);
        Assert.True(verdict.GetProperty("succeeded").GetBoolean(), text);
        Assert.Contains("sample", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Pat, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidersTest_WrongToken_ExitsFourWithoutTheToken()
    {
        var (code, verdict, text) = await HostCli.ProvidersTestAsync(Config(WrongPat), "azure-devops", _server.RepositoryUrl);

        Assert.Equal(4, code);
        Assert.False(verdict.GetProperty("succeeded").GetBoolean());
        Assert.DoesNotContain(WrongPat, text, StringComparison.Ordinal);
    }

    // An Azure DevOps Server: the address collections follow (with its virtual directory) and a PAT.
    private string Config(string pat) => _cli.WriteConfig(new { Kind = "azure-devops", BaseAddress = _server.BaseAddress.AbsoluteUri, ApiVersion = "7.0", Token = pat });
}
