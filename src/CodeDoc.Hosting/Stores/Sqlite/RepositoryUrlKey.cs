namespace CodeDoc.Hosting.Stores.Sqlite;

/// <summary>
/// The form a repository URL is matched by: a webhook names the repository the way its host does
/// (<c>http://</c> or <c>https://</c>, other case, <c>.git</c>, a trailing slash, user info) and must still find it.
/// </summary>
internal static class RepositoryUrlKey
{
    /// <summary>Normalizes a URL: no scheme, no user info, lower case, no trailing slash or <c>.git</c>.</summary>
    /// <param name="url">The URL.</param>
    /// <returns>The key.</returns>
    public static string Normalize(string url)
    {
        var text = url.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            text = text[(schemeEnd + 3)..];
        }

        var pathStart = text.IndexOf('/', StringComparison.Ordinal);
        var authority = pathStart < 0 ? text : text[..pathStart];
        var path = pathStart < 0 ? string.Empty : text[pathStart..];
        var userInfoEnd = authority.LastIndexOf('@');
        if (userInfoEnd >= 0)
        {
            authority = authority[(userInfoEnd + 1)..];
        }

        var key = (authority + path).ToUpperInvariant().TrimEnd('/');
        if (key.EndsWith(".GIT", StringComparison.Ordinal))
        {
            key = key[..^4].TrimEnd('/');
        }

        return key;
    }
}
