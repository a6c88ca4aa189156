using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodeDoc.Core;
using CodeDoc.Transport;
using Polly.Timeout;
using Refit;

namespace CodeDoc.Git.GitLab;

/// <summary>What a failed response said: status, headers and the start of the body.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Headers">The response headers.</param>
/// <param name="Body">Up to <see cref="GitLabFailures.MaxErrorBodyChars"/> characters of the body.</param>
/// <param name="RequestUri">The request's address.</param>
internal sealed record FailedResponse(HttpStatusCode Status, HttpResponseHeaders? Headers, string Body, Uri? RequestUri)
{
    /// <summary>Gets what GitLab said: <c>message</c> (a string, or field errors), else <c>error_description</c> or <c>error</c>; the plain body otherwise.</summary>
    public string Said
    {
        get
        {
            try
            {
                var error = JsonSerializer.Deserialize<GitLabError>(Body, GitLabJson.Options);
                return error?.Message is { ValueKind: JsonValueKind.String } message ? message.GetString() ?? string.Empty
                    : error?.Message is { } structured ? structured.GetRawText()
                    : error?.ErrorDescription ?? error?.Error ?? string.Empty;
            }
            catch (JsonException)
            {
                // 429 answers and proxies send plain text.
                return Body;
            }
        }
    }

    /// <summary>Gets a header's first value, or <see langword="null"/>.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value.</returns>
    public string? Header(string name) => Headers is not null && Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>
/// Turns GitLab's failures into the Core exception family, with messages that say what to fix. Text that came from
/// the server passes through <see cref="Scrub"/> first, so a token a server echoes never reaches a message.
/// </summary>
/// <param name="providerName">The registration name, set on every exception.</param>
/// <param name="endpoints">The instance, for advice that names its pages.</param>
/// <param name="tokenField">The option that holds the token, for advice.</param>
/// <param name="secrets">Configured secrets to remove from server text.</param>
/// <param name="timeProvider">The clock, for the time a rate limit ends.</param>
internal sealed partial class GitLabFailures(string providerName, GitLabEndpoints endpoints, string tokenField, IReadOnlyList<string> secrets, TimeProvider timeProvider)
{
    /// <summary>The most of an error body read.</summary>
    public const int MaxErrorBodyChars = 16 * 1024;

    /// <summary>Gets the option that holds the token, for advice.</summary>
    public string TokenField => tokenField;

    /// <summary>Gets the page where tokens are created.</summary>
    public Uri TokenPage => new(endpoints.Web, "-/user_settings/personal_access_tokens");

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

    /// <summary>Sends a call, translating transport failures; the caller's cancellation passes through.</summary>
    /// <typeparam name="T">The answer type.</typeparam>
    /// <param name="send">Sends the call.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The answer.</returns>
    public async Task<T> SendAsync<T>(Func<Task<T>> send, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutRejectedException or OperationCanceledException)
        {
            throw Unreachable(operation, ex);
        }
        catch (ApiRequestException ex)
        {
            throw Unreachable(operation, ex.InnerException ?? ex);
        }
        catch (ApiException ex)
        {
            throw Unexpected(operation, $"the answer could not be read ({ex.Message}).", ex.Uri, ex);
        }
    }

    /// <summary>Gets the exception for a failed (or unreadable) JSON answer.</summary>
    /// <typeparam name="T">The expected content.</typeparam>
    /// <param name="response">The answer.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What was asked for.</param>
    /// <returns>The exception to throw.</returns>
    public GitProviderException Failure<T>(IApiResponse<T> response, string operation, string subject)
    {
        var requestUri = response.RequestMessage?.RequestUri;
        if (response.HasRequestError(out var requestError))
        {
            return Unreachable(operation, requestError.InnerException ?? requestError);
        }

        if (response.IsSuccessStatusCode)
        {
            var problem = response.Error?.InnerException is JsonException json
                ? $"the JSON for {subject} is malformed or cut short ({json.Message})."
                : $"the answer for {subject} has no usable JSON body.";
            return Unexpected(operation, problem, requestUri, response.Error);
        }

        var body = (response.Error as ApiException)?.Content ?? string.Empty;
        return Translate(new FailedResponse(response.StatusCode ?? 0, response.Headers, body.Length > MaxErrorBodyChars ? body[..MaxErrorBodyChars] : body, requestUri), operation, subject);
    }

    /// <summary>Removes configured secrets and anything shaped like a GitLab token from server text.</summary>
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
    /// <param name="subject">What was asked for, e.g. <c>project 'group/app'</c>.</param>
    /// <returns>The exception to throw.</returns>
    public GitProviderException Translate(FailedResponse failure, string operation, string subject)
    {
        var said = Scrub(failure.Said);
        var quoted = said.Length > 0 ? $" GitLab said: \"{said}\"." : string.Empty;
        var status = (int)failure.Status;
        if (failure.Status == HttpStatusCode.TooManyRequests)
        {
            return RateLimited(failure, operation, subject, quoted);
        }

        var (kind, message) = failure.Status switch
        {
            HttpStatusCode.Unauthorized when said.Contains("expired", StringComparison.OrdinalIgnoreCase) => (Kind.Authentication,
                $"The GitLab token has expired (401) while reading {subject}. Create a new one at {TokenPage} (or in the project's or group's " +
                $"Settings > Access tokens) with the read_api scope and set {tokenField}."),
            HttpStatusCode.Unauthorized when said.Contains("revoked", StringComparison.OrdinalIgnoreCase) => (Kind.Authentication,
                $"The GitLab token was revoked (401) while reading {subject}. Create a new one at {TokenPage} with the read_api scope and set {tokenField}."),
            HttpStatusCode.Unauthorized => (Kind.Authentication,
                $"GitLab rejected the token (401) while reading {subject}: it is wrong, expired or revoked.{quoted} " +
                $"Create a personal, project or group access token with the read_api scope (personal tokens: {TokenPage}) and set {tokenField}."),
            HttpStatusCode.Forbidden when said.Contains("insufficient_scope", StringComparison.OrdinalIgnoreCase)
                || said.Contains("higher privileges", StringComparison.OrdinalIgnoreCase) => (Kind.Authentication,
                $"The GitLab token lacks the scope needed to read {subject} (403).{quoted} Give the token the read_api scope (or api); scopes cannot be " +
                "changed afterwards, so create a new token."),
            HttpStatusCode.Forbidden => (Kind.Authentication,
                $"GitLab refused access to {subject} (403).{quoted} The token's user or bot needs at least the Reporter role on the project, " +
                "and the project's repository must not be disabled."),
            HttpStatusCode.NotFound => (Kind.NotFound,
                $"{Capitalize(subject)} was not found, or is not visible to this token (GitLab answers 404 for both).{quoted} Check the spelling and the " +
                "full path (group/subgroup/project); for a private project give the token's user or bot at least the Reporter role on it."),
            _ when status >= 500 => (Kind.Other,
                $"GitLab failed while serving {subject} ({status} {failure.Status}) and kept failing after the retries.{quoted} " +
                (endpoints.IsDotCom ? "Check https://status.gitlab.com" : "Check the GitLab instance's health") + " and run again."),
            _ => (Kind.Other, $"GitLab answered {status} {failure.Status} while reading {subject}, which CodeDoc does not expect.{quoted}"),
        };

        return kind switch
        {
            Kind.Authentication => new GitProviderAuthenticationException(message) { ProviderName = providerName, OperationName = operation, StatusCode = failure.Status, RequestUri = failure.RequestUri },
            Kind.NotFound => new GitProviderNotFoundException(message) { ProviderName = providerName, OperationName = operation, StatusCode = failure.Status, RequestUri = failure.RequestUri },
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
        new($"GitLab's answer could not be used: {Scrub(problem)} A proxy, a sign-in page or an unexpected server may be answering in GitLab's place; " +
            $"check that the address {EndpointRules.SafeDisplay(endpoints.Web)} is the instance's web address.", inner)
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
        new($"GitLab at {EndpointRules.SafeDisplay(endpoints.Api)} could not be reached or did not answer in time ({Scrub(inner.Message)}). " +
            "Check the address, the network, the proxy (Http:Proxy) and, for a private CA, Http:TrustedCaCertificateFiles.", inner)
        {
            ProviderName = providerName,
            OperationName = operation,
        };

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private GitProviderRateLimitedException RateLimited(FailedResponse failure, string operation, string subject, string quoted)
    {
        using var probe = new HttpResponseMessage(failure.Status);
        foreach (var header in failure.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
        {
            probe.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        var now = timeProvider.GetUtcNow();
        var wait = RetryAfter.From(probe, now);
        var when = wait is { } delay
            ? $" GitLab asks to wait {Math.Ceiling(delay.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s (until {now.Add(delay).ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC)."
            : " GitLab did not say for how long; wait at least a minute.";
        var throttle = failure.Header("RateLimit-Name") is { } name ? $" ('{Scrub(name)}')" : string.Empty;
        return new GitProviderRateLimitedException(
            $"GitLab's rate limit{throttle} stopped the request for {subject}.{quoted}{when} CodeDoc waits by itself only up to Http:MaxRetryAfter; " +
            "run again later or raise that option" + (endpoints.IsDotCom ? " (gitlab.com allows 5 archive downloads per minute)." : "."),
            wait)
        {
            ProviderName = providerName,
            OperationName = operation,
            StatusCode = failure.Status,
            RequestUri = failure.RequestUri,
        };
    }

    private enum Kind
    {
        Authentication,
        NotFound,
        Other,
    }

    // Personal (glpat-), OAuth, deploy, runner, CI job and feed tokens carry these prefixes.
    [GeneratedRegex(@"\b(?:glpat|gloas|gldt|glrt|glcbt|glft|glptt|glsoat|glimt|glagent)-[A-Za-z0-9_\-.]{16,}")]
    private static partial Regex TokenShape();
}
