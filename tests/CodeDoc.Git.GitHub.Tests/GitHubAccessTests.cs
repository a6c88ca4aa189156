using CodeDoc.Core;
using CodeDoc.Testing;

namespace CodeDoc.Git.GitHub.Tests;

/// <summary>The up-front access check says precisely what is missing.</summary>
public sealed class GitHubAccessTests(SampleRepository sample)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckAccess_ClassicTokenOnVisibleRepository_EveryCheckPasses()
    {
        await using var host = await GitHubTestHost.StartAsync(sample.Repository);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(["Token", "Rate limit", "Repository", "Contents"], result.Checks.Select(c => c.Name));
        Assert.Contains("codedoc-bot", result.Checks[0].Message, StringComparison.Ordinal);
        Assert.Contains("scopes repo", result.Checks[0].Message, StringComparison.Ordinal);
        Assert.Contains("4990 of 5000", result.Checks[1].Message, StringComparison.Ordinal);
        Assert.Contains(sample.Head[..7], result.Checks[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_BadToken_FailsSayingWhereToSetANewOne()
    {
        await using var host = await GitHubTestHost.StartAsync(sample.Repository, provider: o => o.Token = "ghp_" + "WrongTokenWrongTokenWrong000");

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Token", problem.Name);
        Assert.Contains("401", problem.Message, StringComparison.Ordinal);
        Assert.Contains("CodeDoc:Git:gh:Token", problem.Message, StringComparison.Ordinal);
        Assert.Contains("settings/tokens", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_RepositoryNotVisible_SaysNotFoundOrNoAccess()
    {
        await using var host = await GitHubTestHost.StartAsync(sample.Repository);

        var result = await host.Provider.CheckAccessAsync(host.Repository("https://github.com/acme/secret-plans"), Cancellation);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Repository", problem.Name);
        Assert.Contains("not visible", problem.Message, StringComparison.Ordinal);
        Assert.Contains("acme/secret-plans", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_ClassicTokenWithoutRepoScope_NamesTheMissingScope()
    {
        await using var host = await GitHubTestHost.StartAsync(sample.Repository, fake: o => o.ClassicScopes = ["read:org"]);

        var result = await host.Provider.CheckAccessAsync(host.Repository("https://github.com/acme/private-thing"), Cancellation);

        Assert.Contains("lacks the 'repo' scope", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_FineGrainedTokenWithoutContents_NamesThePermission()
    {
        var limited = "github_pat_" + "NoContentsNoContentsNoContents01";
        await using var host = await GitHubTestHost.StartAsync(
            sample.Repository,
            fake: o => o.TokenWithoutContents = limited,
            provider: o => o.Token = limited);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        Assert.Contains("a fine-grained token", result.Checks[0].Message, StringComparison.Ordinal);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("Contents", problem.Name);
        Assert.Contains("Contents: Read", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_AnonymousOnPublicRepository_PassesWithANote()
    {
        await using var host = await GitHubTestHost.StartAsync(sample.Repository, fake: o => o.IsPrivate = false, provider: o => o.Token = null);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Contains("60 requests per hour", result.Checks[0].Message, StringComparison.Ordinal);
        Assert.All(host.Fake.Api.Requests, r => Assert.Null(r.Header("Authorization")));
    }

    [Fact]
    public async Task CheckAccess_AnonymousOnPrivateRepository_RepositoryNotVisible()
    {
        await using var host = await GitHubTestHost.StartAsync(sample.Repository, provider: o => o.Token = null);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        Assert.Equal("Repository", Assert.Single(result.Problems).Name);
    }

    [Fact]
    public async Task CheckAccess_EmptyRepository_SaysToPushAFirstCommit()
    {
        using var empty = TemporaryGitRepository.Init();
        await using var host = await GitHubTestHost.StartAsync(empty);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Contents", problem.Name);
        Assert.Contains("empty", problem.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<GitProviderConflictException>(() => host.Provider.ResolveRefAsync(host.Repository(), null, Cancellation));
        await Assert.ThrowsAsync<GitProviderConflictException>(() => host.Provider.OpenTreeAsync(host.Repository(), new string('a', 40), Cancellation));
    }

    [Fact]
    public async Task CheckAccess_SamlSsoNotAuthorized_SaysToAuthorizeTheToken()
    {
        await using var host = await GitHubTestHost.StartAsync(sample.Repository);
        host.Fake.Api.Faults.Respond(
            "/repos/acme/widgets",
            403,
            """{"message":"Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization."}""",
            new Dictionary<string, string> { ["X-GitHub-SSO"] = "required; url=https://github.com/orgs/acme/sso?authorization_request=abc" });

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        var problem = Assert.Single(result.Problems);
        Assert.Contains("single sign-on", problem.Message, StringComparison.Ordinal);
        Assert.Contains("https://github.com/orgs/acme/sso", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_EnterpriseServerWithRateLimitingOff_SaysSo()
    {
        await using var host = await GitHubTestHost.StartAsync(sample.Repository, fake: o =>
        {
            o.Enterprise = true;
            o.RateLimitDisabled = true;
        });

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Contains("disabled", Assert.Single(result.Checks, c => c.Name == "Rate limit").Message, StringComparison.Ordinal);
        Assert.All(host.Fake.Api.Requests, r => Assert.StartsWith("/api/v3/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAccess_CredentialsOnly_NoRepositoryChecks()
    {
        await using var host = await GitHubTestHost.StartAsync(sample.Repository);

        var result = await host.Provider.CheckAccessAsync(null, Cancellation);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(["Token", "Rate limit"], result.Checks.Select(c => c.Name));
    }

    private static string Describe(AccessCheckResult result) => string.Join(Environment.NewLine, result.Checks.Select(c => $"{c.Name}: {c.Passed} {c.Message}"));
}
