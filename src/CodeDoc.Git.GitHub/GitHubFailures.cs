using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodeDoc.Core;
using CodeDoc.Transport;

namespace CodeDoc.Git.GitHub;

/// <summary>What a failed response said: status, headers and the start of the body.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Headers">The response headers.</param>
/// <param name="Body">Up to <see cref="GitHubFailures.MaxErrorBodyChars"/> characters of the body.</param>
/// <param name="RequestUri">The request's address (the client strips the query before it is shown).</param>
internal sealed record FailedResponse(HttpStatusCode Status, HttpResponseHeaders? Headers, string Body, Uri? RequestUri)
{
    /// <summary>Gets GitHub's <c>message</c> from a JSON error body, when there is one.</summary>
    public string? Message
    {
        get
        {
            try
            {
                return JsonSerializer.Deserialize<GitHubError>(Body, GitHubJson.Options)?.Message;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>Gets a header's first value, or <see langword="null"/>.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value.</returns>
    public string? Header(string name) => Headers is not null && Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>
/// Turns GitHub's failures into the Core exception family, with messages that say what to fix. Text that came from
/// the server passes through <see cref="Scrub"/> first, so a token a server echoes never reaches a message.
/// </summary>
/// <param name="providerName">The registration name, set on every exception.</param>
/// <param name="endpoints">The instance, for advice that names its pages.</param>
/// <param name="tokenField">The option that holds the credentials, for advice.</param>
/// <param name="secrets">Configured secrets to remove from server text.</param>
internal sealed partial class GitHubFailures(string providerName, GitHubEndpoints endpoints, string tokenField, IReadOnlyList<string> secrets)
{
    /// <summary>Gets the registration name the exceptions carry.</summary>
    public string ProviderName => providerName;

    /// <summary>Gets the option that holds the credentials, for advice.</summary>
    public string TokenField => tokenField;

    /// <summary>The most of an error body read.</summary>
    public const int MaxErrorBodyChars = 16 * 1024;

    /// <summary>Reads the failure out of a raw response (disposing nothing).</summary>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The failure.</returns>
    public static async Task<FailedResponse> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = string.Empty;
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxErrorBodyChars];
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            body = new string(buffer, 0, read);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The status says enough; a body cut short adds nothing.
        }

        return new FailedResponse(response.StatusCode, response.Headers, body, response.RequestMessage?.RequestUri);
    }

    /// <summary>Removes configured secrets and anything shaped like a GitHub token from server text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text without secrets, shortened to one line of at most 300 characters.</returns>
    public string Scrub(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        foreach (var secret in secrets)
        {
            text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
        }

        text = TokenShape().Replace(text, "[redacted]").ReplaceLineEndings(" ").Trim();
        return text.Length > 300 ? text[..300] + "..." : text;
    }

    /// <summary>Translates a failed response.</summary>
    /// <param name="failure">The failure.</param>
    /// <param name="operation">The operation, e.g. <c>ResolveRef</c>.</param>
    /// <param name="subject">What was asked for, e.g. <c>repository 'o/r'</c>.</param>
    /// <returns>The exception to throw.</returns>
    public GitProviderException Translate(FailedResponse failure, string operation, string subject)
    {
        var said = Scrub(failure.Message);
        var quoted = said.Length > 0 ? $" GitHub said: \"{said}\"." : string.Empty;
        var status = (int)failure.Status;
        if (failure.Status == HttpStatusCode.TooManyRequests || (failure.Status == HttpStatusCode.Forbidden && IsRateLimit(failure)))
        {
            return RateLimited(failure, operation, subject, quoted);
        }

        var (kind, message) = failure.Status switch
        {
            HttpStatusCode.Unauthorized => (Kind.Authentication,
                $"GitHub rejected the credentials (401) while reading {subject}: the token is wrong, expired or revoked.{quoted} " +
                $"Create a new token at {new Uri(endpoints.Web, "settings/tokens")} (or check the GitHub App's id and key) and set {tokenField}."),
            HttpStatusCode.Forbidden when failure.Header("X-GitHub-SSO") is { } sso => (Kind.Authentication,
                $"The organization that owns {subject} enforces SAML single sign-on and the token is not authorized for it (403). " +
                $"Authorize the token for the organization{SsoUrl(sso)}, then run again."),
            HttpStatusCode.Forbidden when said.Contains("not accessible by", StringComparison.OrdinalIgnoreCase) => (Kind.Authentication,
                $"The token lacks a permission needed to read {subject} (403).{quoted} Give a fine-grained token 'Contents: Read' and 'Metadata: Read' " +
                "on the repository, or give the GitHub App those permissions and accept them on the installation."),
            HttpStatusCode.Forbidden => (Kind.Authentication,
                $"GitHub refused access to {subject} (403).{quoted} Check that the token may read this repository " +
                "(classic tokens need the 'repo' scope for private repositories); after many failed sign-ins GitHub also refuses valid tokens for a while."),
            HttpStatusCode.NotFound => (Kind.NotFound,
                $"{Capitalize(subject)} was not found, or is not visible to these credentials (GitHub answers 404 for both). Check the spelling; " +
                "for a private repository give the token access to it (classic: 'repo' scope; fine-grained: the repository with 'Contents: Read'; " +
                "GitHub App: install it on the repository)."),
            HttpStatusCode.Conflict => (Kind.Conflict,
                $"GitHub cannot serve {subject} (409).{quoted} An empty repository answers this way: push a first commit, then run again."),
            HttpStatusCode.UnprocessableEntity => (Kind.Other, $"GitHub could not process the request for {subject} (422).{quoted}"),
            _ when status >= 500 => (Kind.Other,
                $"GitHub failed while serving {subject} ({status} {failure.Status}) and kept failing after the retries.{quoted} " +
                "Check https://www.githubstatus.com (or your GitHub Enterprise Server's health) and run again."),
            _ => (Kind.Other, $"GitHub answered {status} {failure.Status} while reading {subject}, which CodeDoc does not expect.{quoted}"),
        };

        return kind switch
        {
            Kind.Authentication => new GitProviderAuthenticationException(message) { ProviderName = providerName, OperationName = operation, StatusCode = failure.Status, RequestUri = failure.RequestUri },
            Kind.NotFound => new GitProviderNotFoundException(message) { ProviderName = providerName, OperationName = operation, StatusCode = failure.Status, RequestUri = failure.RequestUri },
            Kind.Conflict => new GitProviderConflictException(message) { ProviderName = providerName, OperationName = operation, StatusCode = failure.Status, RequestUri = failure.RequestUri },
            _ => new GitProviderException(message) { ProviderName = providerName, OperationName = operation, StatusCode = failure.Status, RequestUri = failure.RequestUri },
        };
    }

    /// <summary>Creates an error for an answer that is not what the endpoint documents (bad JSON, a wrong content type).</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="problem">What was wrong.</param>
    /// <param name="requestUri">The request's address.</param>
    /// <param name="inner">The underlying failure.</param>
    /// <returns>The exception.</returns>
    public GitProviderException Unexpected(string operation, string problem, Uri? requestUri, Exception? inner = null) =>
        new($"GitHub's answer could not be used: {Scrub(problem)} A proxy or an unexpected server may be answering in GitHub's place; " +
            $"check that the API address {EndpointRules.SafeDisplay(endpoints.Api)} is right.", inner)
        {
            ProviderName = providerName,
            OperationName = operation,
            RequestUri = requestUri,
        };

    /// <summary>Creates an error for a transport failure (no answer, a cut connection, a timeout).</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="inner">The failure.</param>
    /// <returns>The exception.</returns>
    public GitProviderException Unreachable(string operation, Exception inner) =>
        new($"GitHub at {EndpointRules.SafeDisplay(endpoints.Api)} could not be reached or did not answer in time ({Scrub(inner.Message)}). " +
            "Check the address, the network, the proxy (Http:Proxy) and, for a private CA, Http:TrustedCaCertificateFiles.", inner)
        {
            ProviderName = providerName,
            OperationName = operation,
        };

    private static bool IsRateLimit(FailedResponse failure) =>
        failure.Header("x-ratelimit-remaining") == "0"
        || failure.Header("Retry-After") is not null
        || failure.Body.Contains("rate limit", StringComparison.OrdinalIgnoreCase);

    private static string SsoUrl(string header)
    {
        var at = header.IndexOf("url=", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? " in the token's settings" : $" at {header[(at + 4)..].Trim()}";
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private GitProviderRateLimitedException RateLimited(FailedResponse failure, string operation, string subject, string quoted)
    {
        using var probe = new HttpResponseMessage(failure.Status);
        foreach (var header in failure.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
        {
            probe.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        var wait = RetryAfter.From(probe);
        var when = wait is { } delay
            ? $" GitHub asks to wait {Describe(delay)} (until {DateTimeOffset.UtcNow.Add(delay).ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC)."
            : " GitHub did not say for how long; wait at least a minute.";
        var resource = failure.Header("x-ratelimit-resource") is { } name ? $" (limit '{Scrub(name)}')" : string.Empty;
        return new GitProviderRateLimitedException(
            $"GitHub's rate limit{resource} stopped the request for {subject}.{quoted}{when} CodeDoc waits by itself only up to Http:MaxRetryAfter; " +
            "run again later, raise that option, or use a GitHub App (higher limits).",
            wait)
        {
            ProviderName = providerName,
            OperationName = operation,
            StatusCode = failure.Status,
            RequestUri = failure.RequestUri,
        };
    }

    private static string Describe(TimeSpan delay) =>
        delay.TotalMinutes >= 1 ? $"{Math.Ceiling(delay.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min" : $"{Math.Ceiling(delay.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";

    private enum Kind
    {
        Authentication,
        NotFound,
        Conflict,
        Other,
    }

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})")]
    private static partial Regex TokenShape();
}
