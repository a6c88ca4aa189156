using System.Collections.Concurrent;
using System.Security.Cryptography;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.GitHub;

/// <summary>How a provider authenticates: nothing, a token, a token provider, or a GitHub App.</summary>
internal enum GitHubAuthentication
{
    /// <summary>No credentials: public repositories only.</summary>
    Anonymous,

    /// <summary>A fixed token from the options.</summary>
    Token,

    /// <summary>A token from a delegate, per request.</summary>
    TokenProvider,

    /// <summary>Installation tokens minted for a GitHub App.</summary>
    App,
}

/// <summary>
/// Produces the <c>Authorization</c> value for each request. For a GitHub App it signs a JSON Web Token, finds the
/// installation of the repository (or uses the configured one), exchanges the JWT for an installation token and
/// caches that token until five minutes before it expires. It lives as long as its provider (a singleton), so the key
/// and the lock are never released early.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "It lives as long as its singleton provider; the semaphore never allocates a wait handle, so there is nothing to release early.")]
internal sealed class GitHubCredentials
{
    /// <summary>How long before expiry an installation token is replaced.</summary>
    internal static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly string? _token;
    private readonly Func<CancellationToken, ValueTask<string>>? _tokenProvider;
    private readonly string? _appId;
    private readonly RSA? _appKey;
    private readonly long? _installationId;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, long> _installationsByRepository = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<long, InstallationToken> _tokens = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (string Jwt, DateTimeOffset Expires)? _jwt;

    /// <summary>Initializes a new instance of the <see cref="GitHubCredentials"/> class.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public GitHubCredentials(GitHubOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _timeProvider = timeProvider;
        _logger = logger;
        if (options.App.IsConfigured)
        {
            Kind = GitHubAuthentication.App;
            _appId = options.App.AppId;
            var pem = options.App.PrivateKey ?? File.ReadAllText(options.App.PrivateKeyPath!);
            if (GitHubAppJwt.TryLoadKey(pem, out var key) is { } problem)
            {
                throw new CodeDocConfigurationException($"The GitHub App private key {problem}.");
            }

            _appKey = key;
            _installationId = options.App.InstallationId;
        }
        else if (options.TokenProvider is not null)
        {
            Kind = GitHubAuthentication.TokenProvider;
            _tokenProvider = options.TokenProvider;
        }
        else if (!string.IsNullOrEmpty(options.Token))
        {
            Kind = GitHubAuthentication.Token;
            _token = options.Token;
        }
    }

    /// <summary>Gets how the provider authenticates.</summary>
    public GitHubAuthentication Kind { get; }

    /// <summary>Gets the configured installation, when one is.</summary>
    public long? ConfiguredInstallationId => _installationId;

    /// <summary>Gets the app id, when authenticating as an app.</summary>
    public string? AppId => _appId;

    /// <summary>Gets the <c>Authorization</c> value for calls about a repository (or, with <see langword="null"/>, about the account).</summary>
    /// <param name="api">The API, for installation tokens.</param>
    /// <param name="failures">Translates failures of the token exchange.</param>
    /// <param name="repository">The repository (owner, name), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The header value, or <see langword="null"/> for anonymous calls.</returns>
    public async ValueTask<string?> AuthorizeAsync(IGitHubApi api, GitHubFailures failures, (string Owner, string Name)? repository, CancellationToken cancellationToken)
    {
        switch (Kind)
        {
            case GitHubAuthentication.Token:
                return "Bearer " + _token;
            case GitHubAuthentication.TokenProvider:
                var token = await _tokenProvider!(cancellationToken).ConfigureAwait(false);
                return string.IsNullOrWhiteSpace(token)
                    ? throw new GitProviderAuthenticationException("The GitHub TokenProvider returned an empty token: make it return the token to use.") { ProviderName = failures.ProviderName }
                    : "Bearer " + token;
            case GitHubAuthentication.App:
                var installation = _installationId
                    ?? (repository is { } target
                        ? await FindInstallationAsync(api, failures, target, cancellationToken).ConfigureAwait(false)
                        : throw new GitProviderAuthenticationException(
                            "A GitHub App without App:InstallationId acts per repository; name a repository to check, or set App:InstallationId.")
                        {
                            ProviderName = failures.ProviderName,
                        });
                return "Bearer " + await GetInstallationTokenAsync(api, failures, installation, cancellationToken).ConfigureAwait(false);
            default:
                return null;
        }
    }

    /// <summary>Gets the app's JSON Web Token, for <c>/app</c> endpoints.</summary>
    /// <returns>The header value.</returns>
    public string AppAuthorization()
    {
        var now = _timeProvider.GetUtcNow();
        var current = _jwt;
        if (current is { } cached && cached.Expires - now > TimeSpan.FromMinutes(1))
        {
            return "Bearer " + cached.Jwt;
        }

        var jwt = GitHubAppJwt.Create(_appId!, _appKey!, now);
        _jwt = (jwt, now.Add(GitHubAppJwt.Lifetime));
        return "Bearer " + jwt;
    }

    /// <summary>Forgets cached installation tokens (after GitHub rejected one).</summary>
    public void Invalidate() => _tokens.Clear();

    /// <summary>Gets an installation token, from the cache while it has more than <see cref="RefreshMargin"/> left.</summary>
    /// <param name="api">The API.</param>
    /// <param name="failures">Translates failures.</param>
    /// <param name="installationId">The installation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The token.</returns>
    internal async Task<string> GetInstallationTokenAsync(IGitHubApi api, GitHubFailures failures, long installationId, CancellationToken cancellationToken)
    {
        if (Fresh(installationId) is { } token)
        {
            return token;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(installationId) is { } refreshed)
            {
                return refreshed;
            }

            using var response = await GitHubCalls.SendAsync(
                () => api.CreateInstallationTokenAsync(installationId, AppAuthorization(), cancellationToken), failures, "CreateInstallationToken", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || response.Content is null)
            {
                throw GitHubCalls.Failure(response, failures, "CreateInstallationToken", $"the installation {installationId} of GitHub App {_appId}");
            }

            _tokens[installationId] = new InstallationToken(response.Content.Token, response.Content.ExpiresAt);
            _logger.GitHubInstallationTokenIssued(installationId, response.Content.ExpiresAt);
            return response.Content.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private string? Fresh(long installationId) =>
        _tokens.TryGetValue(installationId, out var cached) && cached.ExpiresAt - _timeProvider.GetUtcNow() > RefreshMargin ? cached.Token : null;

    private async Task<long> FindInstallationAsync(IGitHubApi api, GitHubFailures failures, (string Owner, string Name) repository, CancellationToken cancellationToken)
    {
        var key = repository.Owner + "/" + repository.Name;
        if (_installationsByRepository.TryGetValue(key, out var known))
        {
            return known;
        }

        using var response = await GitHubCalls.SendAsync(
            () => api.GetRepositoryInstallationAsync(repository.Owner, repository.Name, AppAuthorization(), cancellationToken), failures, "FindInstallation", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new GitProviderNotFoundException(
                $"GitHub App {_appId} is not installed on {key} (or the repository does not exist): install the app on the repository's account " +
                "and grant it the repository, or set App:InstallationId.")
            {
                ProviderName = failures.ProviderName,
                OperationName = "FindInstallation",
                StatusCode = response.StatusCode,
            };
        }

        if (!response.IsSuccessStatusCode || response.Content is null)
        {
            throw GitHubCalls.Failure(response, failures, "FindInstallation", $"the installation of GitHub App {_appId} on {key}");
        }

        _installationsByRepository[key] = response.Content.Id;
        return response.Content.Id;
    }

    private sealed record InstallationToken(string Token, DateTimeOffset ExpiresAt);
}
