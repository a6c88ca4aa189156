using System.Globalization;
using System.Net;
using CodeDoc.Core;

namespace CodeDoc.Git.GitHub;

/// <summary>The up-front access check: credentials, rate limit, repository visibility, and read access to the code.</summary>
internal sealed partial class GitHubGitProvider
{
    /// <inheritdoc />
    public async Task<AccessCheckResult> CheckAccessAsync(RepositoryReference? repository, CancellationToken cancellationToken = default)
    {
        (string Owner, string Name)? target = repository is null ? null : Target(repository);
        cancellationToken.ThrowIfCancellationRequested();
        var checks = new List<AccessCheckItem>();
        var scopes = await CheckCredentialsAsync(checks, target, cancellationToken).ConfigureAwait(false);
        if (checks.Any(c => !c.Passed))
        {
            return new AccessCheckResult(checks);
        }

        await CheckRateLimitAsync(checks, target, cancellationToken).ConfigureAwait(false);
        if (target is { } repo)
        {
            await CheckRepositoryAsync(checks, repo, scopes, cancellationToken).ConfigureAwait(false);
        }

        return new AccessCheckResult(checks);
    }

    /// <summary>Checks the credentials; returns the scopes of a classic token, when GitHub lists them.</summary>
    private async Task<string[]?> CheckCredentialsAsync(List<AccessCheckItem> checks, (string Owner, string Name)? target, CancellationToken cancellationToken)
    {
        switch (_credentials.Kind)
        {
            case GitHubAuthentication.Anonymous:
                checks.Add(new("Credentials", true,
                    $"No token is configured: only public repositories can be read, and github.com allows 60 requests per hour. Set {_failures.TokenField} for private repositories and higher limits."));
                return null;
            case GitHubAuthentication.App:
                await CheckAppAsync(checks, target, cancellationToken).ConfigureAwait(false);
                return null;
            default:
                return await CheckTokenAsync(checks, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string[]?> CheckTokenAsync(List<AccessCheckItem> checks, CancellationToken cancellationToken)
    {
        try
        {
            var authorization = await _credentials.AuthorizeAsync(_api, _failures, null, cancellationToken).ConfigureAwait(false);
            using var response = await GitHubCalls.SendAsync(
                () => _api.GetAuthenticatedUserAsync(authorization, cancellationToken), _failures, "CheckAccess", cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Forbidden && ((response.Error as Refit.ApiException)?.Content ?? string.Empty).Contains("not accessible by integration", StringComparison.OrdinalIgnoreCase))
            {
                checks.Add(new("Token", true, "The token is a GitHub App installation token (it may not read /user); its repository access is checked below."));
                return null;
            }

            if (!response.IsSuccessStatusCode || response.Content is null)
            {
                throw GitHubCalls.Failure(response, _failures, "CheckAccess", "the authenticated user");
            }

            var scopes = response.Headers.TryGetValues("X-OAuth-Scopes", out var values)
                ? values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray()
                : null;
            var kind = scopes is null ? "a fine-grained token" : scopes.Length == 0 ? "a classic token without scopes" : $"a classic token with scopes {string.Join(", ", scopes)}";
            var expiry = response.Headers.TryGetValues("github-authentication-token-expiration", out var expires) ? $"; it expires {expires.First()}" : string.Empty;
            checks.Add(new("Token", true, $"Authenticated as '{_failures.Scrub(response.Content.Login)}' with {kind}{expiry}."));
            return scopes;
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("Token", false, ex.Message));
            return null;
        }
    }

    private async Task CheckAppAsync(List<AccessCheckItem> checks, (string Owner, string Name)? target, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await GitHubCalls.SendAsync(
                () => _api.GetAppAsync(_credentials.AppAuthorization(), cancellationToken), _failures, "CheckAccess", cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                checks.Add(new("GitHub App", false,
                    $"GitHub rejected the app's signed token (401): check that App:AppId '{_credentials.AppId}' is the app's id or client id, that App:PrivateKey " +
                    "is a current key of that app (keys can be revoked on the app's settings page), and that this machine's clock is right."));
                return;
            }

            if (!response.IsSuccessStatusCode || response.Content is null)
            {
                throw GitHubCalls.Failure(response, _failures, "CheckAccess", $"GitHub App {_credentials.AppId}");
            }

            checks.Add(new("GitHub App", true, $"Authenticated as GitHub App '{_failures.Scrub(response.Content.Slug ?? response.Content.Name)}'."));
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("GitHub App", false, ex.Message));
            return;
        }

        if (_credentials.ConfiguredInstallationId is not { } installation && target is null)
        {
            checks.Add(new("Installation", true, "App:InstallationId is not set: the installation of each repository is looked up when the repository is read."));
            return;
        }

        try
        {
            _ = await _credentials.AuthorizeAsync(_api, _failures, target, cancellationToken).ConfigureAwait(false);
            checks.Add(new("Installation", true, _credentials.ConfiguredInstallationId is { } id
                ? $"Installation {id.ToString(CultureInfo.InvariantCulture)} issued an installation token."
                : $"The app is installed on {Describe(target!.Value)} and issued an installation token."));
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("Installation", false, ex.Message));
        }
    }

    private async Task CheckRateLimitAsync(List<AccessCheckItem> checks, (string Owner, string Name)? target, CancellationToken cancellationToken)
    {
        if (_credentials.Kind == GitHubAuthentication.App && _credentials.ConfiguredInstallationId is null && target is null)
        {
            return;
        }

        try
        {
            var authorization = await _credentials.AuthorizeAsync(_api, _failures, target, cancellationToken).ConfigureAwait(false);
            using var response = await GitHubCalls.SendAsync(
                () => _api.GetRateLimitAsync(authorization, cancellationToken), _failures, "CheckAccess", cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                checks.Add(new("Rate limit", true, "Rate limiting is disabled on this server."));
                return;
            }

            if (!response.IsSuccessStatusCode || response.Content?.Resources?.Core is not { } core)
            {
                throw GitHubCalls.Failure(response, _failures, "CheckAccess", "the rate limit");
            }

            var reset = DateTimeOffset.FromUnixTimeSeconds(core.Reset).ToString("HH:mm", CultureInfo.InvariantCulture);
            checks.Add(core.Remaining > 0
                ? new("Rate limit", true, $"{core.Remaining} of {core.Limit} API requests left in this hour (it resets at {reset} UTC).")
                : new("Rate limit", false, $"No API requests are left in this hour ({core.Limit} used); the limit resets at {reset} UTC. Run again after that, or use a GitHub App for higher limits."));
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("Rate limit", false, ex.Message));
        }
    }

    private async Task CheckRepositoryAsync(List<AccessCheckItem> checks, (string Owner, string Name) target, string[]? scopes, CancellationToken cancellationToken)
    {
        GitHubRepository info;
        try
        {
            info = await GetRepositoryDataAsync(target, "CheckAccess", cancellationToken).ConfigureAwait(false);
        }
        catch (GitProviderException ex)
        {
            var scopeHint = ex is GitProviderNotFoundException && scopes is not null && !scopes.Contains("repo", StringComparer.OrdinalIgnoreCase)
                ? " This classic token lacks the 'repo' scope, which private repositories need."
                : string.Empty;
            checks.Add(new("Repository", false, ex.Message + scopeHint));
            return;
        }

        var visibility = info.Private ? "private" : "public";
        var branch = info.DefaultBranch is null ? "no default branch" : $"default branch '{info.DefaultBranch}'";
        checks.Add(new("Repository", true, $"{Describe(target)} is visible ({visibility}, {branch})."));
        if (info.Permissions is { Pull: false })
        {
            checks.Add(new("Read permission", false, $"The credentials may see {Describe(target)} but not read it (pull permission missing): grant read access."));
            return;
        }

        if (info.DefaultBranch is null)
        {
            checks.Add(new("Contents", false, $"{Describe(target)} is empty: push a first commit, then run again."));
            return;
        }

        try
        {
            var resolved = await TryCommitAsync(target, info.DefaultBranch, cancellationToken).ConfigureAwait(false);
            checks.Add(resolved is null
                ? new("Contents", false, $"The default branch '{info.DefaultBranch}' of {Describe(target)} has no commit: push a first commit, then run again.")
                : new("Contents", true, $"The code can be read: '{info.DefaultBranch}' is at commit {resolved.CommitSha[..7]}."));
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("Contents", false, ex.Message));
        }
    }
}
