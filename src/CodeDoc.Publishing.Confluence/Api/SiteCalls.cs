using System.Net;
using System.Text.Json;
using CodeDoc.Core;
using CodeDoc.Transport;
using Polly.Timeout;
using Refit;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Runs Confluence calls and turns failures into the <see cref="DocPublisherException"/> family: status, operation,
/// provider name and the address without its query are set, and the message carries Confluence's own explanation
/// (v2 <c>errors[].title</c>, v1 <c>message</c>, or the gateway's <c>message</c>) plus what to do about it.
/// </summary>
/// <param name="providerName">The publisher's registration name.</param>
/// <param name="endpoint">The endpoint, for messages.</param>
internal sealed class SiteCalls(string providerName, ConfluenceEndpoint endpoint)
{
    private const int MaxDetailLength = 400;

    // Marks, in Exception.Data, Confluence's answer that the title is held by another page of the space.
    private const string TitleTakenKey = "CodeDoc.Confluence.TitleTaken";

    /// <summary>Tells whether a failure is Confluence's "a page with this title already exists" (400).</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>Whether the title was refused.</returns>
    public static bool IsTitleTaken(DocPublisherException exception) => exception.Data[TitleTakenKey] is true;

    /// <summary>Runs a call that must succeed.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="call">Starts the call.</param>
    /// <param name="operation">The operation's name.</param>
    /// <param name="subject">What the call is about, for messages (e.g. "page 123").</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result.</returns>
    public async Task<T> ExpectAsync<T>(Func<CancellationToken, Task<IApiResponse<T>>> call, string operation, string subject, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(call, operation, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode && response.Error is null && response.Content is { } content
            ? content
            : throw Translate(response, operation, subject);
    }

    /// <summary>Runs a call whose 404 means "not there".</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="call">Starts the call.</param>
    /// <param name="operation">The operation's name.</param>
    /// <param name="subject">What the call is about, for messages.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result, or <see langword="default"/> on 404.</returns>
    public async Task<T?> ExpectOrNotFoundAsync<T>(Func<CancellationToken, Task<IApiResponse<T>>> call, string operation, string subject, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await SendAsync(call, operation, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return response.IsSuccessStatusCode && response.Error is null && response.Content is { } content
            ? content
            : throw Translate(response, operation, subject);
    }

    /// <summary>Runs a call without a result body that must succeed.</summary>
    /// <param name="call">Starts the call.</param>
    /// <param name="operation">The operation's name.</param>
    /// <param name="subject">What the call is about, for messages.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <param name="notFoundIsSuccess">Whether a 404 (already gone) counts as success.</param>
    /// <returns>A task.</returns>
    public async Task ExpectAsync(Func<CancellationToken, Task<IApiResponse>> call, string operation, string subject, CancellationToken cancellationToken, bool notFoundIsSuccess = false)
    {
        using var response = await SendAsync(call, operation, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && !(notFoundIsSuccess && response.StatusCode == HttpStatusCode.NotFound))
        {
            throw Translate(response, operation, subject);
        }
    }

    /// <summary>Builds the exception for a failed response.</summary>
    /// <param name="response">The response.</param>
    /// <param name="operation">The operation's name.</param>
    /// <param name="subject">What the call was about.</param>
    /// <returns>The exception.</returns>
    public DocPublisherException Translate(IApiResponse response, string operation, string subject)
    {
        var status = response.StatusCode ?? HttpStatusCode.InternalServerError;
        var detail = Detail((response.Error as ApiException)?.Content);
        var said = detail is null ? string.Empty : $" Confluence said: \"{detail}\"";
        var uri = response.RequestMessage?.RequestUri;
        var code = (int)status;
        var site = endpoint.SiteBase;
        var exception = status switch
        {
            HttpStatusCode.Unauthorized => new DocPublisherAuthenticationException(
                $"Confluence at {site} rejected the credentials when asked to {operation} ({subject}).{said} {CredentialHint()}")
            {
                ProviderName = providerName, OperationName = operation, StatusCode = status, RequestUri = uri,
            },
            HttpStatusCode.Forbidden => new DocPublisherAuthenticationException(
                $"Confluence at {site} refused to {operation} ({subject}): 403 Forbidden.{said} Give the account the permission " +
                "(space permissions: view, add and delete pages, attachments, labels), or, for a scoped API token, the scopes listed in the README.")
            {
                ProviderName = providerName, OperationName = operation, StatusCode = status, RequestUri = uri,
            },
            HttpStatusCode.NotFound => new DocPublisherNotFoundException(
                $"Confluence at {site} could not find {subject} when asked to {operation}.{said} It does not exist, or the account may not see it.")
            {
                ProviderName = providerName, OperationName = operation, StatusCode = status, RequestUri = uri,
            },
            HttpStatusCode.Conflict => new DocPublisherConflictException(
                $"Confluence at {site} reported a conflict when asked to {operation} ({subject}).{said} Someone changed it at the same time; publish again.")
            {
                ProviderName = providerName, OperationName = operation, StatusCode = status, RequestUri = uri,
            },
            HttpStatusCode.TooManyRequests => new DocPublisherRateLimitedException(
                $"Confluence at {site} kept rate-limiting the request to {operation} ({subject}) after the retries allowed by Http:MaxRetries and Http:MaxRetryAfter.{said} Publish again later.",
                RetryAfterOf(response))
            {
                ProviderName = providerName, OperationName = operation, StatusCode = status, RequestUri = uri,
            },
            _ => new DocPublisherException(Message(response, operation, subject, said, code))
            {
                ProviderName = providerName, OperationName = operation, StatusCode = status, RequestUri = uri,
            },
        };
        if (status == HttpStatusCode.BadRequest && detail is not null && detail.Contains("title already exists", StringComparison.OrdinalIgnoreCase))
        {
            exception.Data[TitleTakenKey] = true;
        }

        return exception;
    }

    private string Message(IApiResponse response, string operation, string subject, string said, int code) => code switch
    {
        413 => $"Confluence at {endpoint.SiteBase} refused to {operation} ({subject}) because it is too large (413).{said} Split the page, or make the attachment smaller.",
        >= 200 and < 300 => $"Confluence at {endpoint.SiteBase} answered the request to {operation} ({subject}) with a body CodeDoc cannot read " +
            $"({response.Error?.InnerException?.Message ?? "no content"}). Check that BaseAddress points at Confluence.",
        >= 500 => $"Confluence at {endpoint.SiteBase} answered {code} {response.ReasonPhrase} when asked to {operation} ({subject}).{said} " +
            "The server failed; publish again later (reads are retried automatically, writes are not, because they may have been applied).",
        _ => $"Confluence at {endpoint.SiteBase} answered {code} {response.ReasonPhrase} when asked to {operation} ({subject}).{said}",
    };

    private async Task<TResponse> SendAsync<TResponse>(Func<CancellationToken, Task<TResponse>> call, string operation, CancellationToken cancellationToken)
        where TResponse : IApiResponse
    {
        TResponse response;
        try
        {
            response = await call(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            throw Unreachable(e, operation);
        }

        if (response.HasRequestError(out var requestError))
        {
            response.Dispose();
            cancellationToken.ThrowIfCancellationRequested();

            // Refit's wrapper holds the request, headers included; only the transport failure itself is kept.
            throw Unreachable(requestError.InnerException ?? new HttpRequestException(requestError.Message), operation);
        }

        return response;
    }

    private DocPublisherException Unreachable(Exception failure, string operation)
    {
        var what = failure is HttpRequestException
            ? $"could not be reached ({failure.Message})"
            : "did not answer in time (see Http:AttemptTimeout and Http:TotalTimeout)";
        return new DocPublisherException($"Confluence at {endpoint.SiteBase} {what} when asked to {operation}. Check BaseAddress, the network and the proxy settings.", failure)
        {
            ProviderName = providerName,
            OperationName = operation,
        };
    }

    private string CredentialHint() => endpoint.IsCloud
        ? "Check Email and ApiToken (create a token at https://id.atlassian.com/manage-profile/security/api-tokens); a scoped token also needs UseApiGateway."
        : "Check PersonalAccessToken: it may have expired or been revoked (profile > Settings > Personal Access Tokens).";

    private static TimeSpan? RetryAfterOf(IApiResponse response)
    {
        using var message = new HttpResponseMessage(response.StatusCode ?? HttpStatusCode.TooManyRequests);
        foreach (var (name, values) in response.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
        {
            message.Headers.TryAddWithoutValidation(name, values);
        }

        return RetryAfter.From(message);
    }

    private static string? Detail(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        string? detail = null;
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    detail = string.Join("; ", errors.EnumerateArray()
                        .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("title", out var t) ? t.GetString() : e.ToString())
                        .Where(t => !string.IsNullOrWhiteSpace(t)));
                }

                if (string.IsNullOrEmpty(detail) && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    detail = message.GetString();
                }
            }
        }
        catch (JsonException)
        {
            detail = content.Trim();
        }

        if (string.IsNullOrWhiteSpace(detail))
        {
            return null;
        }

        detail = detail.ReplaceLineEndings(" ");
        return detail.Length <= MaxDetailLength ? detail : detail[..MaxDetailLength] + "...";
    }
}
