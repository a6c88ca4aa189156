using System.Globalization;
using System.Net.Http.Headers;

namespace CodeDoc.Git.GitHub;

/// <summary>Reads the <c>rel="next"</c> page of a <c>Link</c> header (RFC 8288), as GitHub pages its lists.</summary>
internal static class LinkHeader
{
    /// <summary>Gets the <c>page</c> number of the next link, when there is one.</summary>
    /// <param name="headers">The response headers.</param>
    /// <returns>The next page, or <see langword="null"/> on the last page.</returns>
    public static int? NextPage(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var parts = link.Split(';');
            if (parts.Length < 2 || !parts.Skip(1).Any(p => p.Trim().Equals("rel=\"next\"", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var target = parts[0].Trim().TrimStart('<').TrimEnd('>');
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri))
            {
                return null;
            }

            foreach (var pair in uri.Query.TrimStart('?').Split('&'))
            {
                var (name, value) = pair.IndexOf('=', StringComparison.Ordinal) is var at and > 0 ? (pair[..at], pair[(at + 1)..]) : (pair, string.Empty);
                if (name == "page" && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var page))
                {
                    return page;
                }
            }
        }

        return null;
    }
}
