using System.Globalization;

namespace CodeDoc.Hosting.Egress;

/// <summary>
/// Origins (scheme, host and port) as the egress rules compare them, and the few companion hosts a provider reaches
/// beside the endpoint it reports.
/// </summary>
internal static class EgressOrigins
{
    // A provider reports one endpoint, but some services answer on a sibling host too: Bitbucket Cloud serves archives
    // from its web host and its API from api.bitbucket.org, GitHub's web address maps to api.github.com, and a
    // Confluence Cloud site may be reached through Atlassian's API gateway.
    private static readonly (string Host, string[] Companions)[] KnownCompanions =
    [
        ("github.com", ["api.github.com"]),
        ("api.github.com", ["github.com"]),
        ("bitbucket.org", ["api.bitbucket.org"]),
        ("api.bitbucket.org", ["bitbucket.org"]),
    ];

    /// <summary>Gets the origin of an absolute http(s) URI, e.g. <c>https://api.github.com:443</c>.</summary>
    /// <param name="uri">The URI.</param>
    /// <returns>The origin, or <see langword="null"/> for a relative URI or another scheme.</returns>
    public static string? Of(Uri? uri)
    {
        if (uri is not { IsAbsoluteUri: true } || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}:{uri.Port}");
    }

    /// <summary>Gets the host and port of a URI for messages: never its path, query or user info.</summary>
    /// <param name="uri">An absolute URI.</param>
    /// <returns>E.g. <c>evil.example:443</c>.</returns>
    public static string HostAndPort(Uri uri) => string.Create(CultureInfo.InvariantCulture, $"{uri.IdnHost}:{uri.Port}");

    /// <summary>Reads an entry of <see cref="HostingEgressOptions.AllowedHosts"/>.</summary>
    /// <param name="entry">A host name (HTTPS on port 443), <c>host:port</c> (HTTPS on that port) or an absolute http(s) URL (its scheme, host and port).</param>
    /// <param name="origin">The origin.</param>
    /// <returns>Whether the entry could be read.</returns>
    public static bool TryParseAllowed(string? entry, out string origin)
    {
        origin = string.Empty;
        if (string.IsNullOrWhiteSpace(entry))
        {
            return false;
        }

        var text = entry.Trim();
        var absolute = text.Contains("://", StringComparison.Ordinal);
        if (!Uri.TryCreate(absolute ? text : "https://" + text, UriKind.Absolute, out var uri)
            || !string.IsNullOrEmpty(uri.UserInfo)
            || (!absolute && uri.AbsolutePath != "/")
            || Of(uri) is not { } parsed)
        {
            return false;
        }

        origin = parsed;
        return true;
    }

    /// <summary>Gets the origins a provider with this endpoint may reach: its own and its known companions, same scheme and port.</summary>
    /// <param name="endpoint">The provider's endpoint.</param>
    /// <returns>The origins.</returns>
    public static IEnumerable<string> WithCompanions(Uri endpoint)
    {
        if (Of(endpoint) is not { } own)
        {
            yield break;
        }

        yield return own;
        var host = endpoint.IdnHost;
        foreach (var (known, companions) in KnownCompanions)
        {
            if (string.Equals(host, known, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var companion in companions)
                {
                    yield return string.Create(CultureInfo.InvariantCulture, $"{endpoint.Scheme}://{companion}:{endpoint.Port}");
                }
            }
        }

        if (host.EndsWith(".atlassian.net", StringComparison.OrdinalIgnoreCase))
        {
            yield return "https://api.atlassian.com:443";
        }
    }
}
