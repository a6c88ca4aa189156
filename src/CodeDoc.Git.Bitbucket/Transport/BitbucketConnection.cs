using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Text.Json;
using CodeDoc.Core;
using CodeDoc.Transport;
using Polly.Timeout;
using Refit;

namespace CodeDoc.Git.Bitbucket;

/// <summary>
/// One registration's HTTP connection to Bitbucket: the factory-made client, the Refit settings, and the translation
/// of every transport, Refit and status failure into the <see cref="GitProviderException"/> family with the provider
/// name, operation, status and request URI (never a query string or a token).
/// </summary>
internal sealed class BitbucketConnection
{
    /// <summary>The most characters of a host's error message quoted in an exception message.</summary>
    private const int MaxQuotedLength = 300;

    /// <summary>Gets the JSON options of Bitbucket's payloads.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Gets the Refit settings (System.Text.Json, the options above).</summary>
    public static RefitSettings RefitSettings { get; } = new(new SystemTextJsonContentSerializer(Json));

    /// <summary>Initializes a new instance of the <see cref="BitbucketConnection"/> class.</summary>
    /// <param name="providerName">The registration name.</param>
    /// <param name="endpoints">The endpoints.</param>
    /// <param name="credentials">The credentials, for messages.</param>
    /// <param name="http">The registration's named client; its base address is set to the API address.</param>
    /// <param name="hourlyRequestLimit">The Cloud hourly allowance, for messages.</param>
    public BitbucketConnection(string providerName, BitbucketEndpoints endpoints, BitbucketCredentials credentials, HttpClient http, int hourlyRequestLimit)
    {
        ProviderName = providerName;
        Endpoints = endpoints;
        Credentials = credentials;
        HourlyRequestLimit = hourlyRequestLimit;
        http.BaseAddress = endpoints.ApiAddress;
        Http = http;
    }

    /// <summary>Gets the registration name.</summary>
    public string ProviderName { get; }

    /// <summary>Gets the endpoints.</summary>
    public BitbucketEndpoints Endpoints { get; }

    /// <summary>Gets the credentials (for messages).</summary>
    public BitbucketCredentials Credentials { get; }

    /// <summary>Gets the HTTP client.</summary>
    public HttpClient Http { get; }

    /// <summary>Gets the Cloud hourly allowance.</summary>
    public int HourlyRequestLimit { get; }

    /// <summary>Creates a Refit client over the connection's HTTP client.</summary>
    /// <typeparam name="TApi">The Refit interface.</typeparam>
    /// <returns>The client.</returns>
    public TApi CreateApi<TApi>() => RestService.For<TApi>(Http, RefitSettings);

    /// <summary>Runs one API call, translating its failures.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The operation, e.g. <c>ResolveRef</c>.</param>
    /// <param name="subject">What is read, for messages, e.g. "the repository 'ws/repo'".</param>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">The caller's token; its cancellation passes through unchanged.</param>
    /// <returns>The result.</returns>
    public async Task<T> CallAsync<T>(string operation, string subject, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw FromApiException(operation, subject, ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTransportFailure(ex))
        {
            throw FromTransportFailure(operation, subject, ex, ex is ApiException api ? api.Uri : null);
        }
    }

    /// <summary>Reads a JSON document from an absolute address the host gave (a <c>next</c> page link), as given.</summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What is read, for messages.</param>
    /// <param name="address">The address; it must be on the API's origin, so a response cannot send requests elsewhere.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The document.</returns>
    public async Task<T> GetJsonAsync<T>(string operation, string subject, string address, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !BitbucketEndpoints.SameOrigin(uri, Endpoints.ApiAddress))
        {
            throw Malformed(operation, subject, $"its next-page link does not point at {Endpoints.ApiAddress.GetLeftPart(UriPartial.Authority)}");
        }

        using var response = await GetStreamAsync(operation, subject, uri, cancellationToken).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
                ?? throw Malformed(operation, subject, "the body is empty", uri);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTransportFailure(ex))
        {
            throw FromTransportFailure(operation, subject, ex, uri);
        }
    }

    /// <summary>Sends a GET for a stream (an archive or a file), translating a failure status into an exception.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What is read, for messages.</param>
    /// <param name="uri">The address, absolute or relative to the API address.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The successful response, headers read and body not; the caller disposes it.</returns>
    public async Task<HttpResponseMessage> GetStreamAsync(string operation, string subject, Uri uri, CancellationToken cancellationToken)
    {
        var response = await SendAsync(operation, subject, uri, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await FromResponseAsync(operation, subject, response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a GET and returns whatever status came back; transport failures are translated.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What is read, for messages.</param>
    /// <param name="uri">The address, absolute or relative to the API address.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response, headers read and body not; the caller disposes it.</returns>
    public async Task<HttpResponseMessage> SendAsync(string operation, string subject, Uri uri, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("*/*");
        try
        {
            return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTransportFailure(ex))
        {
            throw FromTransportFailure(operation, subject, ex, request.RequestUri);
        }
    }

    /// <summary>Translates a failed response (reading a bounded part of its body for the host's message).</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What was read.</param>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    /// <returns>The exception to throw.</returns>
    public async Task<GitProviderException> FromResponseAsync(string operation, string subject, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? body = null;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The status alone tells enough.
        }

        return FromStatus(operation, subject, response.StatusCode, body, response.RequestMessage?.RequestUri, RetryAfter.From(response), inner: null);
    }

    /// <summary>Builds the exception for a failed status.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What was read.</param>
    /// <param name="status">The status.</param>
    /// <param name="body">The response body, when read.</param>
    /// <param name="uri">The request URI.</param>
    /// <param name="retryAfter">The wait the host asked for.</param>
    /// <param name="inner">The underlying exception.</param>
    /// <returns>The exception.</returns>
    public GitProviderException FromStatus(string operation, string subject, HttpStatusCode status, string? body, Uri? uri, TimeSpan? retryAfter, Exception? inner)
    {
        var product = Endpoints.Product;
        var said = BitbucketErrorBody.Message(body) is { } hostMessage ? $" {product} said: \"{Quote(hostMessage)}\"." : string.Empty;
        var code = (int)status;
        var (kind, message) = code switch
        {
            401 when !Credentials.IsSet => (ErrorKind.Authentication,
                $"{product} requires credentials to read {subject} (401).{said} Set Token{(Endpoints.IsCloud ? " (and Email for an API token)" : string.Empty)}."),
            401 => (ErrorKind.Authentication,
                $"{product} rejected {Credentials.Description} (401) while reading {subject}: the token is wrong, expired or revoked{(Endpoints.IsCloud ? ", or Email does not match the account the API token belongs to" : ", or it lacks Repository read permission")}.{said} {CredentialsFix()}"),
            403 => (ErrorKind.Authentication,
                $"{Capitalize(Credentials.Description)} may not read {subject} (403): {BitbucketErrorBody.MissingScopes(body) ?? MissingPermission()}.{said}"),
            404 => (ErrorKind.NotFound,
                $"{Capitalize(subject)} was not found on {product} at {Endpoints.WebAddress.GetLeftPart(UriPartial.Authority)}, or is not visible to {Credentials.Description}. Check the name and that the token can read it."),
            429 => (ErrorKind.RateLimited, RateLimitMessage(subject, retryAfter)),
            555 => (ErrorKind.Other, $"{product} timed out computing {subject} (555). Ask for less at once, or read the repository another way."),
            >= 500 => (ErrorKind.Other, $"{product} failed with {code} while reading {subject}, also after retries.{said} Try again later."),
            _ => (ErrorKind.Other, $"{product} answered {code} ({status}) while reading {subject}, which CodeDoc does not expect.{said}"),
        };
        return Create(kind, message, inner, operation, status, uri, retryAfter);
    }

    /// <summary>Builds the exception for a response that is not what the API documents (malformed or cut off).</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What was read.</param>
    /// <param name="problem">What is wrong, e.g. "has no target commit".</param>
    /// <param name="uri">The request URI.</param>
    /// <param name="inner">The underlying exception.</param>
    /// <returns>The exception.</returns>
    public GitProviderException Malformed(string operation, string subject, string problem, Uri? uri = null, Exception? inner = null) =>
        Create(
            ErrorKind.Other,
            $"{Endpoints.Product} sent a response for {subject} that CodeDoc cannot read: {problem}. Check that {EndpointRules.SafeDisplay(Endpoints.WebAddress)} is {Endpoints.Product} and that no proxy changes its responses.",
            inner,
            operation,
            status: null,
            uri);

    private static bool IsTransportFailure(Exception ex) =>
        ex is HttpRequestException or IOException or TimeoutRejectedException or TaskCanceledException or JsonException;

    private static string Quote(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= MaxQuotedLength ? line : line[..MaxQuotedLength] + "...";
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private GitProviderException FromApiException(string operation, string subject, ApiException ex)
    {
        if (ex.InnerException is { } inner && (ex.StatusCode is >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous))
        {
            return Malformed(operation, subject, inner is JsonException ? "the JSON is malformed or incomplete" : inner.Message, ex.Uri, ex);
        }

        var retryAfter = ex.Headers.RetryAfter?.Delta ?? (ex.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return FromStatus(operation, subject, ex.StatusCode, ex.Content, ex.Uri, retryAfter, ex);
    }

    private GitProviderException FromTransportFailure(string operation, string subject, Exception ex, Uri? uri)
    {
        var where = Endpoints.IsCloud ? Endpoints.ApiAddress.GetLeftPart(UriPartial.Authority) : Endpoints.WebAddress.GetLeftPart(UriPartial.Authority);
        var message = ex switch
        {
            TimeoutRejectedException or TaskCanceledException => $"Reading {subject} from {Endpoints.Product} timed out. Try again, or raise Http:AttemptTimeout and Http:TotalTimeout.",
            JsonException => $"{Endpoints.Product} sent malformed JSON for {subject}. Check that the address is {Endpoints.Product} and that no proxy changes its responses.",
            IOException => $"The response of {Endpoints.Product} for {subject} was cut off ({ex.Message}). Try again.",
            HttpRequestException { InnerException: AuthenticationException } => $"The TLS connection to {where} failed: {ex.Message} If the server uses a certificate from a private CA, add that CA's certificate to Http:TrustedCaCertificateFiles.",
            _ => $"{where} could not be reached while reading {subject}: {ex.Message} Check BaseAddress, the network and the proxy settings (Http:Proxy).",
        };
        return Create(ErrorKind.Other, message, ex, operation, status: null, uri);
    }

    private string RateLimitMessage(string subject, TimeSpan? retryAfter)
    {
        var wait = retryAfter is { } delay ? $" It asked to wait {delay.TotalSeconds:N0} s." : string.Empty;
        return Endpoints.IsCloud
            ? $"Bitbucket Cloud's rate limit is spent while reading {subject} (429).{wait} Bitbucket Cloud counts requests per rolling hour (HourlyRequestLimit is {HourlyRequestLimit}) and often does not say when it resets: wait up to an hour, or use an access token, which has its own allowance."
            : $"Bitbucket Data Center's rate limit is spent while reading {subject} (429).{wait} An administrator sets it per user; wait, or ask for a higher limit for this token's user.";
    }

    private string CredentialsFix() => Endpoints.IsCloud
        ? "Create a new API token (Atlassian account settings > Security) with scope read:repository:bitbucket and set Token and Email, or a repository access token with Repositories: Read and set Token only."
        : "Create a new HTTP access token (Profile picture > Manage account > HTTP access tokens) with Repository read permission and set Token.";

    private string MissingPermission() => Endpoints.IsCloud
        ? "the token lacks a scope or permission (an API token needs read:repository:bitbucket; an access token needs Repositories: Read), or the repository's workspace restricts access (IP allow list, two-step verification)"
        : "the token or its user lacks Repository read permission on it";

    private GitProviderException Create(ErrorKind kind, string message, Exception? inner, string operation, HttpStatusCode? status, Uri? uri, TimeSpan? retryAfter = null) => kind switch
    {
        ErrorKind.Authentication => new GitProviderAuthenticationException(message, inner) { ProviderName = ProviderName, OperationName = operation, StatusCode = status, RequestUri = uri },
        ErrorKind.NotFound => new GitProviderNotFoundException(message, inner) { ProviderName = ProviderName, OperationName = operation, StatusCode = status, RequestUri = uri },
        ErrorKind.RateLimited => new GitProviderRateLimitedException(message, retryAfter, inner) { ProviderName = ProviderName, OperationName = operation, StatusCode = status, RequestUri = uri },
        _ => new GitProviderException(message, inner) { ProviderName = ProviderName, OperationName = operation, StatusCode = status, RequestUri = uri },
    };

    private enum ErrorKind
    {
        Other,
        Authentication,
        NotFound,
        RateLimited,
    }
}
