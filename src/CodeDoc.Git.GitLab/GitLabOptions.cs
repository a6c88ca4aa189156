using CodeDoc.Core;

namespace CodeDoc.Git.GitLab;

/// <summary>
/// Options of a GitLab provider (kind <c>gitlab</c>): gitlab.com or a self-managed instance, and the token to read
/// with. Bound from a configuration section such as <c>CodeDoc:Git:gitlab</c>.
/// </summary>
/// <remarks>
/// <see cref="Token"/> takes a personal, project or group access token (all are sent as <c>Authorization: Bearer</c>) with
/// the <c>read_api</c> scope (or <c>api</c>) and at least the Reporter role on the projects. Without a token only
/// public projects are readable.
/// </remarks>
public sealed class GitLabOptions
{
    /// <summary>The web address of gitlab.com, used when <see cref="BaseAddress"/> is not set.</summary>
    public static readonly Uri GitLabDotCom = new("https://gitlab.com/");

    /// <summary>
    /// Gets or sets the web address of the GitLab instance: <c>https://gitlab.com/</c> (the default) or a
    /// self-managed instance such as <c>https://gitlab.example.com/</c>, including a relative URL root when the
    /// instance is served under one (<c>https://example.com/gitlab/</c>). Project URLs on this address are served by
    /// this provider, the REST API is <c>api/v4/</c> below it, and permalinks point at it.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Gets or sets the access token: a personal, project or group access token with the <c>read_api</c> scope
    /// (<c>api</c> also works). A secret: never logged or shown.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Gets the HTTP options: proxy, extra trusted CA certificates (self-managed instances behind a private CA), timeouts, retries.</summary>
    public CodeDocHttpOptions Http { get; } = new();

    /// <summary>Describes the instance and whether a token is set, never the token.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"GitLab {EndpointRules.SafeDisplay(BaseAddress ?? GitLabDotCom)} ({(string.IsNullOrEmpty(Token) ? "anonymous" : "token")})";
}
