using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.GitLab;

namespace CodeDoc.Console.Tests.GitHosts;

/// <summary><c>codedoc plan</c> and <c>providers test</c> on GitLab project URLs (group/subgroup/project), against self-managed fakes.</summary>
public sealed class GitLabHostTests(HostedRepositoryFixture fixture) : IAsyncLifetime
{
    // Built at run time so no scanner mistakes the test source for a leaked credential.
    private static readonly string Token = "glpat-" + "ConsoleCanaryTokenGitLab01";
    private static readonly string WrongToken = "glpat-" + "ConsoleCanaryWrongGitLab02";
    private static readonly string ExpiredToken = "glpat-" + "ConsoleCanaryExpiredGitLab3";

    private readonly HostedSampleRepository _sample = fixture.Sample;
    private readonly HostCli _cli = new();
    private FakeGitLab _root = null!;
    private FakeGitLab _relativeRoot = null!;

    public async ValueTask InitializeAsync()
    {
        _root = await FakeGitLab.StartAsync(_sample.Repository, Options(string.Empty));
        _relativeRoot = await FakeGitLab.StartAsync(_sample.Repository, Options("/gitlab"));
    }

    public async ValueTask DisposeAsync()
    {
        await _root.DisposeAsync();
        await _relativeRoot.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task Plan_ProjectUrlInASubgroup_ReadsTheDefaultBranch()
    {
        var plan = await HostCli.PlanAsync(Config(_root, Token), _root.ProjectUrl);

        HostCli.AssertPlanOf(plan, _sample, _sample.HeadCommit);
        Assert.Equal("acme/platform/widgets", plan.GetProperty("repository").GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Plan_InstanceUnderARelativeRoot_ReadsTheProject()
    {
        Assert.EndsWith("/gitlab/acme/platform/widgets", _relativeRoot.ProjectUrl, StringComparison.Ordinal);

        var plan = await HostCli.PlanAsync(Config(_relativeRoot, Token), _relativeRoot.ProjectUrl);

        HostCli.AssertPlanOf(plan, _sample, _sample.HeadCommit);
    }

    [Theory]
    [InlineData(".git")]
    [InlineData("/-/tree/main")]
    [InlineData("/-/blob/main/README.md")]
    [InlineData("/")]
    public async Task Plan_OtherFormsOfTheProjectUrl_ReadTheSameProject(string suffix)
    {
        var plan = await HostCli.PlanAsync(Config(_root, Token), _root.ProjectUrl + suffix);

        HostCli.AssertPlanOf(plan, _sample, _sample.HeadCommit);
    }

    [Fact]
    public async Task Plan_UrlOfABranch_ReadsThatBranch()
    {
        var plan = await HostCli.PlanAsync(Config(_root, Token), _root.ProjectUrl + "/-/tree/feature/login");

        HostCli.AssertPlanOf(plan, _sample, _sample.FeatureCommit);
    }

    [Fact]
    public async Task Plan_RefIsABranch_ReadsTheBranchHead()
    {
        var plan = await HostCli.PlanAsync(Config(_root, Token), _root.ProjectUrl, "--ref", HostedSampleRepository.FeatureBranch);

        HostCli.AssertPlanOf(plan, _sample, _sample.FeatureCommit);
    }

    [Fact]
    public async Task Plan_RefIsASha_ReadsThatCommit()
    {
        var plan = await HostCli.PlanAsync(Config(_relativeRoot, Token), _relativeRoot.ProjectUrl, "--ref", _sample.BaseCommit);

        HostCli.AssertPlanOf(plan, _sample, _sample.BaseCommit);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Plan_WrongOrExpiredToken_ExitsFourWithoutTheToken(bool expired)
    {
        var token = expired ? ExpiredToken : WrongToken;

        var (code, output, error) = await HostCli.RunAsync(Config(_root, token), "plan", _root.ProjectUrl, "--json");

        Assert.True(code == 4, $"exit {code}: {error}{output}");
        Assert.Contains(expired ? "expired" : "token", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidersTest_RepoUrl_ChecksTheProject()
    {
        var (code, verdict, text) = await HostCli.ProvidersTestAsync(Config(_relativeRoot, Token), "gitlab", _relativeRoot.ProjectUrl);

        Assert.True(code == 0, text);
        Assert.True(verdict.GetProperty("succeeded").GetBoolean(), text);
        Assert.Contains("acme/platform/widgets", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidersTest_WrongToken_ExitsFourWithoutTheToken()
    {
        var (code, verdict, text) = await HostCli.ProvidersTestAsync(Config(_root, WrongToken), "gitlab", _root.ProjectUrl);

        Assert.Equal(4, code);
        Assert.False(verdict.GetProperty("succeeded").GetBoolean());
        Assert.DoesNotContain(WrongToken, text, StringComparison.Ordinal);
    }

    private static FakeGitLabOptions Options(string relativeRoot)
    {
        var options = new FakeGitLabOptions { ProjectPath = "acme/platform/widgets", RelativeRoot = relativeRoot };
        options.Tokens[Token] = ["read_api"];
        options.ExpiredTokens.Add(ExpiredToken);
        return options;
    }

    // A self-managed instance: its web address is all a user sets.
    private string Config(FakeGitLab fake, string token) => _cli.WriteConfig(new { Kind = "gitlab", BaseAddress = fake.WebBaseAddress.AbsoluteUri, Token = token });
}
