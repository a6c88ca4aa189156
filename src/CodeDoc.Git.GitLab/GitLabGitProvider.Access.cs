using System.Globalization;
using System.Net;
using CodeDoc.Core;

namespace CodeDoc.Git.GitLab;

/// <summary>The up-front access check: the token (valid, active, scopes, expiry), the project's visibility, and its code.</summary>
internal sealed partial class GitLabGitProvider
{
    private static readonly string[] ReadScopes = ["read_api", "api"];

    /// <inheritdoc />
    public async Task<AccessCheckResult> CheckAccessAsync(RepositoryReference? repository, CancellationToken cancellationToken = default)
    {
        var project = repository is null ? null : Target(repository);
        cancellationToken.ThrowIfCancellationRequested();
        var checks = new List<AccessCheckItem> { await CheckTokenAsync(cancellationToken).ConfigureAwait(false) };
        if (checks[0].Passed && project is not null)
        {
            await CheckProjectAsync(checks, project, cancellationToken).ConfigureAwait(false);
        }

        return new AccessCheckResult(checks);
    }

    private async Task<AccessCheckItem> CheckTokenAsync(CancellationToken cancellationToken)
    {
        if (!_hasToken)
        {
            return new("Token", true, $"No token is configured: only public projects can be read. Set {_failures.TokenField} to a personal, project or group access token with the read_api scope for private projects.");
        }

        try
        {
            using var response = await _failures.SendAsync(() => _api.GetTokenAsync(cancellationToken), "CheckAccess", cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                // GitLab before 15.5 has no /personal_access_tokens/self; /user still proves the token works.
                var user = await GetJsonAsync("CheckAccess", "the token's user", ct => _api.GetUserAsync(ct), cancellationToken).ConfigureAwait(false);
                return new("Token", true, $"Authenticated as '{_failures.Scrub(user.Username)}'. This GitLab does not report token scopes; the token needs read_api (or api).");
            }

            if (!response.IsSuccessStatusCode || response.Content is null)
            {
                throw _failures.Failure(response, "CheckAccess", "the token's details");
            }

            var token = response.Content;
            var name = _failures.Scrub(token.Name);
            if (token.Revoked || !token.Active)
            {
                return new("Token", false, $"The token '{name}' is {(token.Revoked ? "revoked" : "inactive or expired")}: create a new one with the read_api scope and set {_failures.TokenField}.");
            }

            var scopes = token.Scopes ?? [];
            var listed = scopes.Count == 0 ? "no scopes" : "scopes " + _failures.Scrub(string.Join(", ", scopes));
            if (!scopes.Any(s => ReadScopes.Contains(s, StringComparer.Ordinal)))
            {
                return new("Token", false,
                    $"The token '{name}' has {listed} but lacks the 'read_api' scope (or 'api') the REST API needs; 'read_repository' alone only serves git over HTTPS. " +
                    $"Scopes cannot be changed: create a new token with read_api and set {_failures.TokenField}.");
            }

            var expiry = string.Empty;
            if (DateOnly.TryParseExact(token.ExpiresAt, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
            {
                expiry = $"; it expires on {expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
            }

            return new("Token", true, $"The token '{name}' is active with {listed}{expiry}.");
        }
        catch (GitProviderException ex)
        {
            return new("Token", false, ex.Message);
        }
    }

    private async Task CheckProjectAsync(List<AccessCheckItem> checks, string project, CancellationToken cancellationToken)
    {
        GitLabProject info;
        try
        {
            info = await GetProjectAsync(project, "CheckAccess", cancellationToken).ConfigureAwait(false);
        }
        catch (GitProviderNotFoundException)
        {
            var advice = _hasToken
                ? "give the token's user or bot at least the Reporter role on it (a project token only sees its own project, a group token its group)"
                : $"for a private project set {_failures.TokenField}";
            checks.Add(new("Project", false, $"The project {Describe(project)} does not exist or is not visible to these credentials (GitLab answers 404 for both): check the path, and {advice}."));
            return;
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("Project", false, ex.Message));
            return;
        }

        checks.Add(new("Project", true, $"'{_failures.Scrub(info.PathWithNamespace)}' (id {info.Id.ToString(CultureInfo.InvariantCulture)}, {_failures.Scrub(info.Visibility ?? "visibility not shown")}) is visible."));
        if (info.EmptyRepo == true || info.DefaultBranch is not { Length: > 0 } defaultBranch)
        {
            checks.Add(new("Repository", false, $"The repository of '{_failures.Scrub(info.PathWithNamespace)}' is empty: push a first commit, then run again."));
            return;
        }

        try
        {
            var head = await TryBranchAsync(project, defaultBranch, cancellationToken).ConfigureAwait(false);
            checks.Add(head is null
                ? new("Repository", false, $"The default branch '{_failures.Scrub(defaultBranch)}' does not exist: push a first commit or fix the project's default branch.")
                : new("Repository", true, $"The code is readable: '{_failures.Scrub(defaultBranch)}' is at {Short(head.CommitSha)}."));
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("Repository", false, ex.Message));
        }
    }
}
