namespace CodeDoc.Git.Bitbucket;

/// <summary>
/// A repository location as users paste it, split into host, port and path segments: a web or clone URL
/// (<c>https://[user@]host[:port]/path</c>), an SSH URL (<c>ssh://git@host[:port]/path</c>) or an scp-like address
/// (<c>git@host:path</c>). Credentials, query and fragment are dropped.
/// </summary>
/// <param name="IsSsh">Whether the location is an SSH address.</param>
/// <param name="Scheme">The scheme (<c>https</c>, <c>http</c> or <c>ssh</c>).</param>
/// <param name="Host">The host, lower case.</param>
/// <param name="Port">The port, or -1 when not given.</param>
/// <param name="Segments">The unescaped path segments, without empty ones.</param>
/// <param name="Display">The location without credentials, query or fragment, for <see cref="Core.RepositoryReference.Location"/>.</param>
internal sealed record RemoteLocation(bool IsSsh, string Scheme, string Host, int Port, IReadOnlyList<string> Segments, string Display)
{
    /// <summary>Parses a location.</summary>
    /// <param name="location">What the user typed.</param>
    /// <returns>The parts, or <see langword="null"/> when it is not a remote address.</returns>
    public static RemoteLocation? Parse(string location)
    {
        var text = location.Trim();
        if (text.Length == 0 || text.Any(char.IsWhiteSpace))
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ssh" && uri.Host.Length > 0)
        {
            var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
            var display = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
            if (uri.Scheme == "ssh" && uri.UserInfo.Length > 0 && !uri.UserInfo.Contains(':', StringComparison.Ordinal))
            {
                display = $"ssh://{uri.UserInfo}@{uri.Authority}{uri.AbsolutePath}";
            }

            return new RemoteLocation(uri.Scheme == "ssh", uri.Scheme, uri.IdnHost.ToLowerInvariant(), uri.IsDefaultPort ? -1 : uri.Port, segments, display);
        }

        // scp-like: [user@]host:path, where the path does not start with '/' ('//' would be a URL).
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (colon <= 0 || at > colon || text.Contains("://", StringComparison.Ordinal) || (colon == 1 && char.IsAsciiLetter(text[0])))
        {
            return null;
        }

        var host = text[(at + 1)..colon];
        var path = text[(colon + 1)..];
        if (host.Length == 0 || Uri.CheckHostName(host) == UriHostNameType.Unknown || path.Length == 0)
        {
            return null;
        }

        return new RemoteLocation(true, "ssh", host.ToLowerInvariant(), -1, path.Split('/', StringSplitOptions.RemoveEmptyEntries), text);
    }

    /// <summary>Tells whether the location is an http(s) address on an origin (scheme, host and port).</summary>
    /// <param name="origin">The origin.</param>
    /// <returns>Whether it is.</returns>
    public bool IsWebOn(Uri origin) =>
        !IsSsh && string.Equals(Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(Host, origin.IdnHost, StringComparison.OrdinalIgnoreCase) && (Port == -1 ? origin.IsDefaultPort : Port == origin.Port);

    /// <summary>Gets the segments after an address's path prefix, when the location's path starts with it.</summary>
    /// <param name="address">The address whose path is the prefix.</param>
    /// <returns>The remaining segments, or <see langword="null"/> when the path does not start with the prefix.</returns>
    public IReadOnlyList<string>? After(Uri address)
    {
        var prefix = address.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        if (Segments.Count < prefix.Count || !prefix.Select((p, i) => string.Equals(p, Segments[i], StringComparison.OrdinalIgnoreCase)).All(same => same))
        {
            return null;
        }

        return [.. Segments.Skip(prefix.Count)];
    }

    /// <summary>Removes a trailing <c>.git</c>.</summary>
    /// <param name="name">A repository name.</param>
    /// <returns>The name without it.</returns>
    public static string WithoutGitSuffix(string name) =>
        name.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
}
