using System.Net;

namespace CodeDoc.Core;

/// <summary>
/// The endpoint rules every provider's options validation applies: HTTPS is required, except for loopback
/// addresses (a local Ollama, a fake server in tests), so keys and code never cross a network in clear text.
/// </summary>
public static class EndpointRules
{
    /// <summary>Tells whether a URI points at this machine (<c>localhost</c>, 127.0.0.0/8, ::1).</summary>
    /// <param name="uri">An absolute URI.</param>
    /// <returns>Whether it is a loopback address.</returns>
    public static bool IsLoopback(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            return false;
        }

        if (uri.IsLoopback || string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>Validates an endpoint.</summary>
    /// <param name="endpoint">The endpoint, or <see langword="null"/>.</param>
    /// <param name="fieldName">The option's name as the user writes it, e.g. <c>CodeDoc:Git:oss:BaseAddress</c>.</param>
    /// <param name="required">Whether a missing endpoint is an error.</param>
    /// <returns>An error message naming the field, the value and the fix; <see langword="null"/> when valid.</returns>
    public static string? Validate(Uri? endpoint, string fieldName, bool required = true) => Validate(endpoint, fieldName, required, allowInsecureHttp: false);

    /// <summary>Validates an endpoint, accepting plain HTTP to a remote host when the provider opted in.</summary>
    /// <param name="endpoint">The endpoint, or <see langword="null"/>.</param>
    /// <param name="fieldName">The option's name as the user writes it, e.g. <c>CodeDoc:Git:oss:BaseAddress</c>.</param>
    /// <param name="required">Whether a missing endpoint is an error.</param>
    /// <param name="allowInsecureHttp">
    /// The provider's <see cref="CodeDocHttpOptions.AllowInsecureHttp"/>: whether http:// to a remote host is accepted
    /// (the provider's HTTP client logs a warning when it sends such a request).
    /// </param>
    /// <returns>An error message naming the field, the value and the fix; <see langword="null"/> when valid.</returns>
    public static string? Validate(Uri? endpoint, string fieldName, bool required, bool allowInsecureHttp)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fieldName);
        if (endpoint is null)
        {
            return required ? $"{fieldName} is required: set it to the service's https:// address." : null;
        }

        if (!endpoint.IsAbsoluteUri)
        {
            return $"{fieldName} '{endpoint.OriginalString}' is not an absolute URL: write it with its scheme, e.g. https://host/.";
        }

        var shown = SafeDisplay(endpoint);
        if (!string.IsNullOrEmpty(endpoint.UserInfo))
        {
            return $"{fieldName} '{shown}' has credentials in the URL: remove them and set the key or token option instead.";
        }

        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp)
        {
            return allowInsecureHttp || IsLoopback(endpoint)
                ? null
                : $"{fieldName} '{shown}' uses http:// to a remote host: use https:// (plain HTTP is allowed only for loopback addresses such as localhost or 127.0.0.1, " +
                  "or for a remote host when the provider's Http:AllowInsecureHttp is true, which is logged as a warning).";
        }

        return $"{fieldName} '{shown}' has scheme '{endpoint.Scheme}': use https:// (or http:// for loopback addresses).";
    }

    /// <summary>Formats a URI for messages and logs: no user info, no query, no fragment.</summary>
    /// <param name="uri">The URI.</param>
    /// <returns>The safe text.</returns>
    public static string SafeDisplay(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            return uri.OriginalString.Split('?', '#')[0];
        }

        return uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }
}
