using System.Net;
using System.Net.Http.Headers;
using CodeDoc.Core;
using CodeDoc.Transport;

namespace CodeDoc.Ai;

/// <summary>How a vendor expects its key on the wire.</summary>
internal enum AiKeyHeader
{
    /// <summary><c>Authorization: Bearer &lt;key&gt;</c> (OpenAI, OpenAI-compatible servers, Entra ID tokens).</summary>
    Bearer,

    /// <summary><c>api-key: &lt;key&gt;</c> (Azure OpenAI keys).</summary>
    AzureApiKey,

    /// <summary><c>x-api-key: &lt;key&gt;</c> (Anthropic).</summary>
    XApiKey,

    /// <summary><c>x-goog-api-key: &lt;key&gt;</c> (Gemini; never the <c>?key=</c> query, which ends up in logs).</summary>
    GoogleApiKey,

    /// <summary>The client sets its own credentials and they are left alone (a host's Semantic Kernel connector).</summary>
    SetByClient,
}

/// <summary>
/// What the HTTP layer saw of one model call (the last attempt wins): status, <c>Retry-After</c>, the request URI
/// without query, and the body of an error response. Vendor SDK exceptions do not all carry these, so the
/// <see cref="AiHttpHandler"/> records them into the holder the current call set up.
/// </summary>
internal sealed class AiCallCapture
{
    private static readonly AsyncLocal<AiCallCapture?> CurrentCapture = new();

    /// <summary>Gets the capture of the call in progress on this async flow, if any.</summary>
    public static AiCallCapture? Current => CurrentCapture.Value;

    /// <summary>Gets the status of the last response.</summary>
    public HttpStatusCode? Status { get; private set; }

    /// <summary>Gets the wait the last response asked for.</summary>
    public TimeSpan? RetryAfter { get; private set; }

    /// <summary>Gets the last request's URI, without query.</summary>
    public Uri? RequestUri { get; private set; }

    /// <summary>Gets the body of the last error response (at most 64 KB).</summary>
    public string? ErrorBody { get; private set; }

    /// <summary>Gets the number of HTTP attempts made.</summary>
    public int Attempts { get; private set; }

    /// <summary>Starts capturing for the current async flow (a model call, an access check).</summary>
    /// <returns>The capture.</returns>
    public static AiCallCapture Begin()
    {
        var capture = new AiCallCapture();
        CurrentCapture.Value = capture;
        return capture;
    }

    /// <summary>Makes an existing capture current again (each step of a stream runs on the consumer's flow).</summary>
    /// <param name="capture">The capture.</param>
    public static void Resume(AiCallCapture capture) => CurrentCapture.Value = capture;

    internal void Record(HttpRequestMessage request, HttpResponseMessage response, string? errorBody)
    {
        Attempts++;
        Status = response.StatusCode;
        RetryAfter = Transport.RetryAfter.From(response);
        RequestUri = request.RequestUri is { } uri ? new Uri(EndpointRules.SafeDisplay(uri)) : null;
        ErrorBody = errorBody;
    }

    internal void RecordFailure(HttpRequestMessage request)
    {
        Attempts++;
        Status = null;
        RetryAfter = null;
        ErrorBody = null;
        RequestUri = request.RequestUri is { } uri ? new Uri(EndpointRules.SafeDisplay(uri)) : null;
    }
}

/// <summary>
/// The innermost handler of every AI provider's HTTP client (it runs once per attempt): writes the key into the
/// vendor's header, replacing whatever placeholder the SDK set (unless the client owns its credentials), and records
/// what the response said for error translation.
/// </summary>
/// <param name="credential">The instance's key.</param>
/// <param name="header">Where the vendor expects the key.</param>
internal sealed class AiHttpHandler(AiCredential credential, AiKeyHeader header) : DelegatingHandler
{
    private const int MaxErrorBody = 64 * 1024;
    private static readonly string[] CredentialHeaders = ["Authorization", "api-key", "x-api-key", "x-goog-api-key"];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (header != AiKeyHeader.SetByClient)
        {
            await SetKeyAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var capture = AiCallCapture.Current;
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            capture?.RecordFailure(request);
            throw;
        }

        string? errorBody = null;
        if (!response.IsSuccessStatusCode && response.Content is { } content)
        {
            // Buffered, so the SDK still reads the whole body afterwards.
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            var text = await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            errorBody = text.Length > MaxErrorBody ? text[..MaxErrorBody] : text;

            // Google puts the wait into the body (RetryInfo.retryDelay), not a header: surfaced as Retry-After, the
            // resilience pipeline honours it with its cap like any other vendor's.
            if (Transport.RetryAfter.From(response) is null && AiVendorError.Parse(errorBody)?.RetryDelay is { } delay)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(delay);
            }
        }

        capture?.Record(request, response, errorBody);
        return response;
    }

    private async Task SetKeyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var name in CredentialHeaders)
        {
            request.Headers.Remove(name);
        }

        if (await credential.GetAsync(cancellationToken).ConfigureAwait(false) is not { } secret)
        {
            return;
        }

        switch (header)
        {
            case AiKeyHeader.Bearer:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                break;
            case AiKeyHeader.AzureApiKey:
                request.Headers.TryAddWithoutValidation("api-key", secret);
                break;
            case AiKeyHeader.XApiKey:
                request.Headers.TryAddWithoutValidation("x-api-key", secret);
                break;
            default:
                request.Headers.TryAddWithoutValidation("x-goog-api-key", secret);
                break;
        }
    }
}
