using CodeDoc.Core;

namespace CodeDoc.Git.Bitbucket;

/// <summary>Which Bitbucket product a registration talks to.</summary>
public enum BitbucketDeployment
{
    /// <summary>Decided by <see cref="BitbucketOptions.BaseAddress"/>: Bitbucket Cloud for <c>https://bitbucket.org/</c> (or none), Data Center for any other address.</summary>
    Auto,

    /// <summary>Bitbucket Cloud (<c>bitbucket.org</c>, REST API 2.0).</summary>
    Cloud,

    /// <summary>Bitbucket Data Center or Server (self-hosted, REST API 1.0 / latest).</summary>
    DataCenter,
}

/// <summary>
/// Options of a Bitbucket provider (kind <c>bitbucket</c>): Bitbucket Cloud or a self-hosted Bitbucket Data Center,
/// told apart by <see cref="BaseAddress"/> (see <see cref="Deployment"/>). Bound from a configuration section such
/// as <c>CodeDoc:Git:work</c>.
/// </summary>
public sealed class BitbucketOptions
{
    /// <summary>Gets the web address of Bitbucket Cloud.</summary>
    public static Uri CloudWebAddress { get; } = new("https://bitbucket.org/");

    /// <summary>Gets the REST API address of Bitbucket Cloud.</summary>
    public static Uri CloudApiAddress { get; } = new("https://api.bitbucket.org/2.0/");

    /// <summary>
    /// Gets or sets the web address users see: <c>https://bitbucket.org/</c> (the default) for Bitbucket Cloud, or the
    /// Data Center server's address with its context path, e.g. <c>https://git.example.com/bitbucket/</c>.
    /// Repository URLs are matched against it.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Gets or sets which product <see cref="BaseAddress"/> is. <see cref="BitbucketDeployment.Auto"/> (the default)
    /// means Cloud for <c>bitbucket.org</c> and Data Center for any other address; set it explicitly for a Cloud
    /// stand-in on another address (a proxy or a test server).
    /// </summary>
    public BitbucketDeployment Deployment { get; set; }

    /// <summary>
    /// Gets or sets Bitbucket Cloud's REST API address; <see cref="CloudApiAddress"/> when <see cref="BaseAddress"/>
    /// is <c>bitbucket.org</c>. Required only for a Cloud stand-in on another address. Data Center's API is always
    /// <c>rest/api/latest/</c> below <see cref="BaseAddress"/>.
    /// </summary>
    public Uri? ApiAddress { get; set; }

    /// <summary>
    /// Gets or sets the token. Bitbucket Cloud: an API token of an Atlassian account (with <see cref="Email"/>, scope
    /// <c>read:repository:bitbucket</c>) or a repository, project or workspace access token (without
    /// <see cref="Email"/>, permission Repositories: Read). Data Center: an HTTP access token (personal, project or
    /// repository) with Repository read permission. Empty reads public repositories only. A secret: never logged.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// Gets or sets the Atlassian account e-mail address that owns a Bitbucket Cloud API token; the token is then sent
    /// as Basic <c>email:token</c>. Leave empty for access tokens, which are sent as Bearer tokens.
    /// </summary>
    public string? Email { get; set; }

    /// <summary>
    /// Gets or sets a Data Center user name to send the token as Basic <c>username:token</c> instead of a Bearer
    /// token, for servers or proxies that accept only Basic authentication.
    /// </summary>
    public string? Username { get; set; }

    /// <summary>
    /// Gets or sets the Bitbucket Cloud requests per hour this token may make to <c>/2.0/repositories</c> (1,000 on
    /// free workspaces; paid workspaces get more, up to 10,000). Bitbucket Cloud has no archive API, so when its web
    /// archive is refused the tree is read file by file; such a walk is refused when it would need more requests.
    /// </summary>
    public int HourlyRequestLimit { get; set; } = 1000;

    /// <summary>Gets the HTTP options: proxy, extra trusted CA certificates (self-hosted servers), timeouts.</summary>
    public CodeDocHttpOptions Http { get; } = new();

    /// <summary>Describes the options without the token.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"Bitbucket ({Deployment}) at {(BaseAddress is null ? CloudWebAddress.ToString() : EndpointRules.SafeDisplay(BaseAddress))}, token {(string.IsNullOrEmpty(Token) ? "not set" : "set")}";
}
