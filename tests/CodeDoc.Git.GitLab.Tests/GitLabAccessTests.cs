using CodeDoc.Core;
using CodeDoc.Testing;

namespace CodeDoc.Git.GitLab.Tests;

/// <summary>The up-front access check says precisely what is missing.</summary>
public sealed class GitLabAccessTests(SampleRepository sample)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckAccess_TokenWithReadApi_EveryCheckPasses()
    {
        await using var host = await GitLabTestHost.StartAsync(sample.Repository);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(["Token", "Project", "Repository"], result.Checks.Select(c => c.Name));
        Assert.Contains("scopes read_api", result.Checks[0].Message, StringComparison.Ordinal);
        Assert.Contains("2099-01-31", result.Checks[0].Message, StringComparison.Ordinal);
        Assert.Contains("acme/platform/widgets", result.Checks[1].Message, StringComparison.Ordinal);
        Assert.Contains(sample.Head[..7], result.Checks[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_WrongToken_FailsNamingTheFieldAndTheTokenPage()
    {
        await using var host = await GitLabTestHost.StartAsync(sample.Repository, provider: o => o.Token = "glpat-" + "WrongWrongWrongWrong00");

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Token", problem.Name);
        Assert.Contains("401", problem.Message, StringComparison.Ordinal);
        Assert.Contains("CodeDoc:Git:gl:Token", problem.Message, StringComparison.Ordinal);
        Assert.Contains("personal_access_tokens", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_ExpiredToken_SaysExpired()
    {
        var expired = "glpat-" + "ExpiredExpiredExpired0";
        await using var host = await GitLabTestHost.StartAsync(sample.Repository, fake: o => o.ExpiredTokens.Add(expired), provider: o => o.Token = expired);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        Assert.Contains("has expired", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_TokenWithReadRepositoryOnly_NamesTheMissingScope()
    {
        await using var host = await GitLabTestHost.StartAsync(sample.Repository, fake: o => o.Tokens[GitLabTestHost.Token] = ["read_repository"]);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Token", problem.Name);
        Assert.Contains("lacks the 'read_api' scope", problem.Message, StringComparison.Ordinal);
        Assert.Contains("scopes read_repository", problem.Message, StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<GitProviderAuthenticationException>(() => host.Provider.ResolveRefAsync(host.Repository(), "main", Cancellation));
        Assert.Contains("read_api", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_ProjectNotVisible_SaysNotFoundOrNoAccessAndTheRole()
    {
        await using var host = await GitLabTestHost.StartAsync(sample.Repository);

        var result = await host.Provider.CheckAccessAsync(host.Repository(new Uri(host.Fake.WebBaseAddress, "acme/secret-plans").AbsoluteUri), Cancellation);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Project", problem.Name);
        Assert.Contains("not visible", problem.Message, StringComparison.Ordinal);
        Assert.Contains("acme/secret-plans", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Reporter", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_EmptyRepository_SaysToPushAFirstCommit()
    {
        using var empty = TemporaryGitRepository.Init();
        await using var host = await GitLabTestHost.StartAsync(empty);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Repository", problem.Name);
        Assert.Contains("empty", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_InstanceWithoutTokenIntrospection_FallsBackToTheUser()
    {
        await using var host = await GitLabTestHost.StartAsync(sample.Repository, fake: o => o.LegacyInstance = true);

        var result = await host.Provider.CheckAccessAsync(null, Cancellation);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Contains("codedoc-bot", Assert.Single(result.Checks).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_AnonymousOnPublicProject_PassesWithANote()
    {
        await using var host = await GitLabTestHost.StartAsync(sample.Repository, fake: o => o.IsPrivate = false, provider: o => o.Token = null);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Contains("only public projects", result.Checks[0].Message, StringComparison.Ordinal);
        Assert.All(host.Fake.Server.Requests, r => Assert.Null(r.Header("Authorization")));
    }

    [Fact]
    public async Task CheckAccess_AnonymousOnPrivateProject_ProjectNotVisible()
    {
        await using var host = await GitLabTestHost.StartAsync(sample.Repository, provider: o => o.Token = null);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        Assert.Contains("set CodeDoc:Git:gl:Token", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    private static string Describe(AccessCheckResult result) => string.Join(Environment.NewLine, result.Checks.Select(c => $"{c.Name}: {c.Passed} {c.Message}"));
}
