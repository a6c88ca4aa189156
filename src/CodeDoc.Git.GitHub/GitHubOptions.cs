using CodeDoc.Core;

namespace CodeDoc.Git.GitHub;

/// <summary>
/// Options of a GitHub provider (kind <c>github</c>): github.com, GHE.com or a GitHub Enterprise Server, and how to
/// authenticate. Bound from a configuration section such as <c>CodeDoc:Git:github</c>.
/// </summary>
/// <remarks>
/// Authenticate with one of <see cref="Token"/> (a classic or fine-grained personal access token, an OAuth token or
/// an installation token you obtained yourself), <see cref="TokenProvider"/> (set in code, e.g. from a vault), or
/// <see cref="App"/> (a GitHub App: its id and private key; CodeDoc mints and refreshes installation tokens). With
/// none, only public repositories are readable, at 60 requests per hour on github.com.
/// </remarks>
public sealed class GitHubOptions
{
    /// <summary>The web address of github.com, used when <see cref="BaseAddress"/> is not set.</summary>
    public static readonly Uri GitHubDotCom = new("https://github.com/");

    /// <summary>
    /// Gets or sets the web address of the GitHub instance: <c>https://github.com/</c> (the default), a GHE.com
    /// tenant such as <c>https://octocorp.ghe.com/</c>, or a GitHub Enterprise Server such as
    /// <c>https://github.example.com/</c>. Repository URLs on this host are served by this provider, and permalinks
    /// point at it.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Gets or sets the REST API address. Leave it unset to derive it: <c>https://api.github.com/</c> for github.com,
    /// <c>https://api.TENANT.ghe.com/</c> for GHE.com, and <c>BaseAddress + api/v3/</c> for GitHub Enterprise Server.
    /// Set it when the API lives elsewhere (a proxy, a test server).
    /// </summary>
    public Uri? ApiBaseAddress { get; set; }

    /// <summary>
    /// Gets or sets the token sent as <c>Authorization: Bearer</c>: a classic personal access token (scope
    /// <c>repo</c> for private repositories), a fine-grained token (Contents: Read and Metadata: Read on the
    /// repositories), or an OAuth or installation token. A secret: never logged or shown.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// Gets or sets a delegate that returns the token for each request, for tokens that live in a vault or rotate.
    /// Not bindable from configuration; set it in code. Use instead of <see cref="Token"/>.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>Gets the GitHub App to authenticate as, instead of a token.</summary>
    public GitHubAppOptions App { get; } = new();

    /// <summary>
    /// Gets or sets the REST API version sent in <c>X-GitHub-Api-Version</c>. GitHub answers requests without one
    /// with 2022-11-28; pinning it keeps behaviour stable when GitHub ships a new version.
    /// </summary>
    public string ApiVersion { get; set; } = "2022-11-28";

    /// <summary>Gets the HTTP options: proxy, extra trusted CA certificates (GitHub Enterprise Server behind a private CA), timeouts, retries.</summary>
    public CodeDocHttpOptions Http { get; } = new();

    /// <summary>Describes the instance and the kind of authentication, never a secret.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var authentication = App.IsConfigured ? $"GitHub App {App.AppId}"
            : TokenProvider is not null ? "token provider"
            : Token is not null ? "token"
            : "anonymous";
        return $"GitHub {EndpointRules.SafeDisplay(BaseAddress ?? GitHubDotCom)} ({authentication})";
    }
}

/// <summary>
/// A GitHub App to authenticate as: CodeDoc signs a short JSON Web Token with the app's private key, exchanges it for
/// an installation access token (valid for one hour) and refreshes it before it expires.
/// </summary>
public sealed class GitHubAppOptions
{
    /// <summary>Gets or sets the app's id (a number) or client id (<c>Iv1...</c> / <c>Iv23...</c>), from the app's settings page.</summary>
    public string? AppId { get; set; }

    /// <summary>Gets or sets the app's private key as PEM text (<c>-----BEGIN RSA PRIVATE KEY-----</c> ...). A secret: never logged or shown.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>Gets or sets the path of the app's private key file (.pem), instead of <see cref="PrivateKey"/>.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>
    /// Gets or sets the installation to act as. Leave it unset to look up the installation of each repository
    /// (<c>GET /repos/{owner}/{repo}/installation</c>), which serves repositories of several accounts.
    /// </summary>
    public long? InstallationId { get; set; }

    /// <summary>Gets a value indicating whether any app setting is given.</summary>
    internal bool IsConfigured => AppId is not null || PrivateKey is not null || PrivateKeyPath is not null || InstallationId is not null;

    /// <summary>Describes the app, never its key.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => IsConfigured ? $"GitHub App {AppId} (installation {InstallationId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "per repository"})" : "no GitHub App";
}
