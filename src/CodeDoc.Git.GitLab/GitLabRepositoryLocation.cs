using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CodeDoc.Git.GitLab;

/// <summary>
/// Parses the project locations users paste for one GitLab instance: web URLs of any group depth (with or without
/// <c>.git</c>, with <c>/-/tree/ref</c>, <c>/-/blob/ref/path</c> or <c>/-/commit/sha</c> suffixes), clone URLs, SSH
/// addresses, <c>host/group/project</c> without a scheme, and projects by id (<c>BASE/projects/42</c> or the API's
/// <c>BASE/api/v4/projects/42</c> and <c>BASE/api/v4/projects/group%2Fproject</c>).
/// </summary>
internal static partial class GitLabRepositoryLocation
{
    // Top-level paths of the web UI that are not namespaces, so "gitlab.com/explore/projects" is not a project.
    private static readonly HashSet<string> ReservedFirstSegments = new(StringComparer.OrdinalIgnoreCase)
    {
        "-", "admin", "api", "assets", "dashboard", "explore", "groups", "help", "oauth", "profile", "public", "search",
        "uploads", "user_settings", "users", "projects", "snippets", "jwt", "import", "s",
    };

    /// <summary>A parsed location.</summary>
    /// <param name="Project">The project's full path (<c>group/sub/project</c>) or its numeric id.</param>
    /// <param name="RefHint">What followed <c>/-/tree/</c>, <c>/-/blob/</c> or <c>/-/commit/</c>: a ref, possibly followed by a path.</param>
    /// <param name="Location">The location without credentials.</param>
    internal sealed record Parsed(string Project, string? RefHint, string Location)
    {
        /// <summary>Gets a value indicating whether the project is given by its numeric id.</summary>
        public bool IsId => IdPattern().IsMatch(Project);
    }

    /// <summary>Parses a location for an instance.</summary>
    /// <param name="location">What the user typed.</param>
    /// <param name="endpoints">The instance.</param>
    /// <param name="parsed">The parts, when the location names a project on this instance.</param>
    /// <returns>Whether it does.</returns>
    public static bool TryParse(string location, GitLabEndpoints endpoints, [NotNullWhen(true)] out Parsed? parsed)
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
                && TryFromPath(Split(scp.Groups["path"].Value), text, out parsed);
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
            // SSH serves the project path from the host's root, whatever the web address's relative root.
            return string.Equals(uri.Host, endpoints.Web.Host, StringComparison.OrdinalIgnoreCase)
                && TryFromPath(Split(uri.AbsolutePath), display, out parsed);
        }

        if ((uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || !SameOrigin(uri, endpoints.Web) || !UnderPath(uri, endpoints.Web, out var raw))
        {
            return false;
        }

        // By id or by the API's escaped path: /projects/42, /api/v4/projects/42, /api/v4/projects/group%2Fproject.
        var byId = raw.Length == 2 && raw[0] == "projects" ? raw[1]
            : raw.Length == 4 && raw[0] == "api" && raw[1] == "v4" && raw[2] == "projects" ? raw[3]
            : null;
        if (byId is not null)
        {
            var project = Uri.UnescapeDataString(byId);
            if (IdPattern().IsMatch(project))
            {
                parsed = new Parsed(project, null, display);
                return true;
            }

            return TryFromPath(project.Split('/', StringSplitOptions.RemoveEmptyEntries), display, out parsed);
        }

        return TryFromPath(raw.Select(Uri.UnescapeDataString).ToArray(), display, out parsed);
    }

    private static bool TryFromPath(string[] segments, string display, [NotNullWhen(true)] out Parsed? parsed)
    {
        parsed = null;
        var separator = Array.IndexOf(segments, "-");
        var projectSegments = separator >= 0 ? segments[..separator] : segments;
        string? refHint = null;
        if (separator >= 0)
        {
            var rest = segments[(separator + 1)..];
            if (rest.Length < 2 || rest[0] is not ("tree" or "blob" or "commit"))
            {
                return false;
            }

            refHint = string.Join('/', rest[1..]);
        }

        if (projectSegments.Length < 2 || projectSegments.Length > 20 || ReservedFirstSegments.Contains(projectSegments[0]))
        {
            return false;
        }

        var last = projectSegments[^1];
        projectSegments[^1] = last.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? last[..^4] : last;
        if (!projectSegments.All(s => SegmentPattern().IsMatch(s) && s is not ("." or "..")))
        {
            return false;
        }

        parsed = new Parsed(string.Join('/', projectSegments), refHint, display);
        return true;
    }

    private static bool SameOrigin(Uri uri, Uri instance) =>
        string.Equals(uri.Host, instance.Host, StringComparison.OrdinalIgnoreCase)
        && (uri.Port == instance.Port || (uri.IsDefaultPort && instance.IsDefaultPort));

    // Raw (still escaped) segments after the instance's path, so an escaped '/' in an API path stays one segment.
    private static bool UnderPath(Uri uri, Uri instance, out string[] segments)
    {
        var basePath = instance.AbsolutePath;
        var path = uri.AbsolutePath;
        if (!path.StartsWith(basePath, StringComparison.OrdinalIgnoreCase) && !(path + "/").Equals(basePath, StringComparison.OrdinalIgnoreCase))
        {
            segments = [];
            return false;
        }

        segments = (path.Length > basePath.Length ? path[basePath.Length..] : string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
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

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,254}$")]
    private static partial Regex SegmentPattern();

    [GeneratedRegex(@"^[1-9][0-9]{0,18}$")]
    private static partial Regex IdPattern();
}
