using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CodeDoc.Git.GitHub;

/// <summary>
/// Parses the repository locations users paste for one GitHub instance: web URLs (with or without <c>.git</c>, with
/// <c>/tree/branch</c>, <c>/blob/...</c> or <c>/commit/sha</c> suffixes), clone URLs, SSH addresses
/// (<c>git@host:owner/repo.git</c>, <c>ssh://git@host/owner/repo.git</c>), API URLs (<c>/repos/owner/repo</c>) and
/// <c>host/owner/repo</c> without a scheme.
/// </summary>
internal static partial class GitHubRepositoryLocation
{
    // Top-level paths of the web UI that are not accounts, so "github.com/settings/tokens" is not a repository.
    private static readonly HashSet<string> ReservedOwners = new(StringComparer.OrdinalIgnoreCase)
    {
        "about", "account", "api", "apps", "codespaces", "collections", "dashboard", "enterprise", "enterprises", "events",
        "explore", "features", "login", "logout", "marketplace", "new", "notifications", "orgs", "organizations", "pulls",
        "issues", "search", "settings", "sponsors", "stars", "topics", "trending", "users", "site", "security", "join",
    };

    /// <summary>A parsed location.</summary>
    /// <param name="Owner">The account (user or organization).</param>
    /// <param name="Name">The repository name, without <c>.git</c>.</param>
    /// <param name="RefHint">What followed <c>/tree/</c>, <c>/blob/</c> or <c>/commit/</c>: a ref, possibly followed by a path.</param>
    /// <param name="Location">The location without credentials.</param>
    internal sealed record Parsed(string Owner, string Name, string? RefHint, string Location);

    /// <summary>Parses a location for an instance.</summary>
    /// <param name="location">What the user typed.</param>
    /// <param name="endpoints">The instance.</param>
    /// <param name="parsed">The parts, when the location names a repository on this instance.</param>
    /// <returns>Whether it does.</returns>
    public static bool TryParse(string location, GitHubEndpoints endpoints, [NotNullWhen(true)] out Parsed? parsed)
    {
        parsed = null;
        var text = location.Trim();
        if (text.Length == 0 || text.Length > 4096)
        {
            return false;
        }

        if (ScpLike().Match(text) is { Success: true } scp)
        {
            return string.Equals(scp.Groups["host"].Value, endpoints.Web.Host, StringComparison.OrdinalIgnoreCase)
                && TryFromSegments(Split(scp.Groups["path"].Value), refHintAllowed: false, text, out parsed);
        }

        if (!text.Contains("://", StringComparison.Ordinal) && text.StartsWith(endpoints.Web.Authority + "/", StringComparison.OrdinalIgnoreCase))
        {
            text = endpoints.Web.Scheme + "://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var display = WithoutCredentials(uri);
        if (uri.Scheme == "ssh")
        {
            return string.Equals(uri.Host, endpoints.Web.Host, StringComparison.OrdinalIgnoreCase)
                && TryFromSegments(Split(uri.AbsolutePath), refHintAllowed: false, display, out parsed);
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return false;
        }

        if (SameOrigin(uri, endpoints.Api) && UnderPath(uri, endpoints.Api, out var apiSegments))
        {
            return apiSegments.Length >= 3 && apiSegments[0] == "repos"
                && TryFromSegments(apiSegments[1..3], refHintAllowed: false, display, out parsed);
        }

        return SameOrigin(uri, endpoints.Web) && UnderPath(uri, endpoints.Web, out var segments)
            && TryFromSegments(segments, refHintAllowed: true, display, out parsed);
    }

    private static bool TryFromSegments(string[] segments, bool refHintAllowed, string display, [NotNullWhen(true)] out Parsed? parsed)
    {
        parsed = null;
        if (segments.Length < 2)
        {
            return false;
        }

        var owner = segments[0];
        var name = segments[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? segments[1][..^4] : segments[1];
        if (!OwnerPattern().IsMatch(owner) || ReservedOwners.Contains(owner) || !NamePattern().IsMatch(name) || name is "." or "..")
        {
            return false;
        }

        string? refHint = null;
        if (refHintAllowed && segments.Length >= 4 && segments[2] is "tree" or "blob" or "commit")
        {
            refHint = string.Join('/', segments[3..]);
        }
        else if (!refHintAllowed && segments.Length > 2)
        {
            return false;
        }

        parsed = new Parsed(owner, name, refHint, display);
        return true;
    }

    private static bool SameOrigin(Uri uri, Uri instance) =>
        (string.Equals(uri.Host, instance.Host, StringComparison.OrdinalIgnoreCase) || IsWwwOfGitHub(uri.Host, instance.Host))
        && (uri.Port == instance.Port || (uri.IsDefaultPort && instance.IsDefaultPort));

    private static bool IsWwwOfGitHub(string host, string instanceHost) =>
        string.Equals(instanceHost, "github.com", StringComparison.OrdinalIgnoreCase) && string.Equals(host, "www.github.com", StringComparison.OrdinalIgnoreCase);

    private static bool UnderPath(Uri uri, Uri instance, out string[] segments)
    {
        var basePath = instance.AbsolutePath;
        var path = uri.AbsolutePath;
        if (!path.StartsWith(basePath, StringComparison.OrdinalIgnoreCase) && !(path + "/").Equals(basePath, StringComparison.OrdinalIgnoreCase))
        {
            segments = [];
            return false;
        }

        segments = Split(path.Length > basePath.Length ? path[basePath.Length..] : string.Empty);
        return true;
    }

    private static string[] Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();

    private static string WithoutCredentials(Uri uri) =>
        string.IsNullOrEmpty(uri.UserInfo) || uri.Scheme == "ssh"
            ? uri.OriginalString.Trim()
            : new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.AbsoluteUri;

    // user@host:path, the scp-like address git accepts; a Windows drive ("C:\...") has no '@'.
    [GeneratedRegex(@"^[A-Za-z0-9._-]+@(?<host>[A-Za-z0-9.-]+):(?<path>[^\\:]+)$")]
    private static partial Regex ScpLike();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})$")]
    private static partial Regex OwnerPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex NamePattern();
}
