using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.GitHub;

namespace CodeDoc.Console.Tests.GitHosts;

/// <summary><c>codedoc plan</c> and <c>providers test</c> on GitHub URLs, against fakes of github.com and of a GitHub Enterprise Server.</summary>
public sealed class GitHubHostTests(HostedRepositoryFixture fixture) : IAsyncLifetime
{
    // Built at run time so no scanner mistakes the test source for a leaked credential.
    private static readonly string Token = "ghp_" + "ConsoleCanaryTokenForGitHub01";
    private static readonly string WrongToken = "ghp_" + "ConsoleCanaryWrongTokenGitHub2";

    private readonly HostedSampleRepository _sample = fixture.Sample;
    private readonly HostCli _cli = new();
    private FakeGitHub _dotCom = null!;
    private FakeGitHub _enterprise = null!;

    public async ValueTask InitializeAsync()
    {
        _dotCom = await FakeGitHub.StartAsync(_sample.Repository, Options(enterprise: false));
        _enterprise = await FakeGitHub.StartAsync(_sample.Repository, Options(enterprise: true));
    }

    public async ValueTask DisposeAsync()
    {
        await _dotCom.DisposeAsync();
        await _enterprise.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task Plan_GitHubDotComUrl_ReadsTheDefaultBranch()
    {
        var plan = await HostCli.PlanAsync(DotComConfig(Token), "https://github.com/acme/widgets");

        HostCli.AssertPlanOf(plan, _sample, _sample.HeadCommit);
        Assert.Equal("main", plan.GetProperty("commit").GetProperty("reference").GetString());
    }

    [Theory]
    [InlineData("https://github.com/acme/widgets.git")]
    [InlineData("github.com/acme/widgets")]
    [InlineData("git@github.com:acme/widgets.git")]
    [InlineData("https://github.com/acme/widgets/tree/main")]
    [InlineData("https://github.com/acme/widgets/")]
    [InlineData("https://www.github.com/acme/widgets")]
    public async Task Plan_OtherFormsOfTheGitHubUrl_ReadTheSameRepository(string url)
    {
        var plan = await HostCli.PlanAsync(DotComConfig(Token), url);

        HostCli.AssertPlanOf(plan, _sample, _sample.HeadCommit);
    }

    [Fact]
    public async Task Plan_EnterpriseUrlOnTheConfiguredBaseAddress_ReadsTheDefaultBranch()
    {
        var plan = await HostCli.PlanAsync(EnterpriseConfig(Token), _enterprise.RepositoryUrl);

        HostCli.AssertPlanOf(plan, _sample, _sample.HeadCommit);
    }

    [Fact]
    public async Task Plan_RefIsABranch_ReadsTheBranchHead()
    {
        var plan = await HostCli.PlanAsync(EnterpriseConfig(Token), _enterprise.RepositoryUrl, "--ref", HostedSampleRepository.FeatureBranch);

        HostCli.AssertPlanOf(plan, _sample, _sample.FeatureCommit);
    }

    [Fact]
    public async Task Plan_RefIsASha_ReadsThatCommit()
    {
        var plan = await HostCli.PlanAsync(DotComConfig(Token), "https://github.com/acme/widgets", "--ref", _sample.BaseCommit);

        HostCli.AssertPlanOf(plan, _sample, _sample.BaseCommit);
        Assert.Contains(HostedSampleRepository.DeletedFile, HostCli.FilesSeen(plan));
    }

    [Fact]
    public async Task Plan_UrlOfABranch_ReadsThatBranch()
    {
        var plan = await HostCli.PlanAsync(DotComConfig(Token), "https://github.com/acme/widgets/tree/feature/login");

        HostCli.AssertPlanOf(plan, _sample, _sample.FeatureCommit);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Plan_WrongToken_ExitsFourWithoutTheToken(bool enterprise)
    {
        var config = enterprise ? EnterpriseConfig(WrongToken) : DotComConfig(WrongToken);

        var (code, output, error) = await HostCli.RunAsync(config, "plan", enterprise ? _enterprise.RepositoryUrl : "https://github.com/acme/widgets", "--json");

        Assert.True(code == 4, $"exit {code}: {error}{output}");
        Assert.Contains("token", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(WrongToken, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_UnknownRepository_ExitsTwoNamingIt()
    {
        var (code, output, error) = await HostCli.RunAsync(DotComConfig(Token), "plan", "https://github.com/acme/missing", "--json");

        Assert.True(code == 2, $"exit {code}: {error}{output}");
        Assert.Contains("acme/missing", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ProvidersTest_RepoUrl_ChecksTheRepository(bool enterprise)
    {
        var config = enterprise ? EnterpriseConfig(Token) : DotComConfig(Token);

        var (code, verdict, text) = await HostCli.ProvidersTestAsync(config, "github", enterprise ? _enterprise.RepositoryUrl : "https://github.com/acme/widgets");

        Assert.True(code == 0, text);
        Assert.True(verdict.GetProperty("succeeded").GetBoolean(), text);
        Assert.Contains("acme/widgets", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidersTest_WrongToken_ExitsFourWithoutTheToken()
    {
        var (code, verdict, text) = await HostCli.ProvidersTestAsync(DotComConfig(WrongToken), "github", "https://github.com/acme/widgets");

        Assert.Equal(4, code);
        Assert.False(verdict.GetProperty("succeeded").GetBoolean());
        Assert.DoesNotContain(WrongToken, text, StringComparison.Ordinal);
    }

    private static FakeGitHubOptions Options(bool enterprise)
    {
        var options = new FakeGitHubOptions { Owner = "acme", Name = "widgets", Enterprise = enterprise };
        options.Tokens.Add(Token);
        return options;
    }

    // github.com as users configure it, with only the API address pointed at the fake.
    private string DotComConfig(string token) => _cli.WriteConfig(new { Kind = "github", ApiBaseAddress = _dotCom.ApiBaseAddress.AbsoluteUri, Token = token });

    // A GitHub Enterprise Server: the base address is all a user sets.
    private string EnterpriseConfig(string token) => _cli.WriteConfig(new { Kind = "github", BaseAddress = _enterprise.WebBaseAddress.AbsoluteUri, Token = token });
}
