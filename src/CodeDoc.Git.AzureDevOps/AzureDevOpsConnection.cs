using System.Net;
using System.Security.Authentication;
using System.Text.Json;
using Azure.Identity;
using CodeDoc.Core;
using CodeDoc.Transport;
using Polly.Timeout;
using Refit;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>
/// One registration's connection to Azure DevOps: the factory-made client, the Refit client, and the translation of
/// every transport, Refit, Entra and status failure into the <see cref="GitProviderException"/> family with the
/// provider name, operation, status and request URI (never a query string or a secret).
/// </summary>
internal sealed class AzureDevOpsConnection
{
    private const int MaxQuotedLength = 300;

    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    /// <summary>Initializes a new instance of the <see cref="AzureDevOpsConnection"/> class.</summary>
    /// <param name="providerName">The registration name.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="credentials">The credentials, for messages.</param>
    /// <param name="http">The registration's client; its base address is set to <see cref="BaseAddress"/>.</param>
    public AzureDevOpsConnection(string providerName, AzureDevOpsOptions options, AzureDevOpsCredentials credentials, HttpClient http)
    {
        ProviderName = providerName;
        BaseAddress = AzureDevOpsProviders.BaseAddressOf(options);
        IsServices = AzureDevOpsProviders.IsServices(BaseAddress);
        ApiVersion = options.ApiVersion;
        Credentials = credentials;
        http.BaseAddress = BaseAddress;
        Http = http;
        Api = RestService.For<IAzureDevOpsApi>(http, Settings);
    }

    public string ProviderName { get; }

    public Uri BaseAddress { get; }

    public bool IsServices { get; }

    public string ApiVersion { get; }

    public AzureDevOpsCredentials Credentials { get; }

    public HttpClient Http { get; }

    public IAzureDevOpsApi Api { get; }

    private string Product => IsServices ? "Azure DevOps Services" : "Azure DevOps Server";

    /// <summary>Runs one API call, translating its failures.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The operation, e.g. <c>ResolveRef</c>.</param>
    /// <param name="subject">What is read, for messages.</param>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">The caller's token; its cancellation passes through unchanged.</param>
    /// <returns>The result.</returns>
    public async Task<T> CallAsync<T>(string operation, string subject, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var result = await call(cancellationToken).ConfigureAwait(false);
            if (result is IApiResponse { IsSuccessful: false, Error: ApiException error })
            {
                throw FromApiException(operation, subject, error);
            }

            return result;
        }
        catch (ApiException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw FromApiException(operation, subject, ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not GitProviderException && IsTransportFailure(ex))
        {
            throw FromTransportFailure(operation, subject, ex, null);
        }
    }

    /// <summary>Sends a GET for a stream, translating a failure status into an exception.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What is read, for messages.</param>
    /// <param name="uri">The address, relative to <see cref="BaseAddress"/>.</param>
    /// <param name="accept">The media type asked for.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The successful response, headers read and body not; the caller disposes it.</returns>
    public async Task<HttpResponseMessage> GetStreamAsync(string operation, string subject, Uri uri, string accept, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd(accept);
        HttpResponseMessage response;
        try
        {
            response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTransportFailure(ex))
        {
            throw FromTransportFailure(operation, subject, ex, request.RequestUri);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
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

            throw FromStatus(operation, subject, response.StatusCode, body, response.RequestMessage?.RequestUri, RetryAfter.From(response), null);
        }
    }

    /// <summary>Builds the exception for a response that is not what the API documents.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What was read.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="uri">The request URI.</param>
    /// <returns>The exception.</returns>
    public GitProviderException Malformed(string operation, string subject, string problem, Uri? uri = null) =>
        Create(
            Kind.Other,
            $"{Product} sent a response for {subject} that CodeDoc cannot read: {problem}. Check that {EndpointRules.SafeDisplay(BaseAddress)} is Azure DevOps and that no proxy changes its responses.",
            null,
            operation,
            null,
            uri);

    /// <summary>Builds the exception for a failed status.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="subject">What was read.</param>
    /// <param name="status">The status.</param>
    /// <param name="body">The body, when read.</param>
    /// <param name="uri">The request URI.</param>
    /// <param name="retryAfter">The wait asked for.</param>
    /// <param name="inner">The underlying exception.</param>
    /// <returns>The exception.</returns>
    public GitProviderException FromStatus(string operation, string subject, HttpStatusCode status, string? body, Uri? uri, TimeSpan? retryAfter, Exception? inner)
    {
        var hostMessage = ErrorMessage(body);
        var said = hostMessage is null ? string.Empty : $" {Product} said: \"{hostMessage}\".";
        var code = (int)status;
        var (kind, message) = code switch
        {
            401 when !Credentials.IsSet => (Kind.Authentication, $"{Product} requires credentials to read {subject} (401).{said} Set Token to a personal access token with scope Code (Read), or a service principal."),
            401 => (Kind.Authentication, $"{Product} rejected {Credentials.Description} (401) while reading {subject}: it is wrong, expired or revoked, or belongs to another organization.{said} {Fix()}"),
            403 => (Kind.Authentication, $"{Capitalize(Credentials.Description)} may not read {subject} (403): it lacks scope Code (Read), or its user has no Read permission on the repository.{said}"),
            404 => (Kind.NotFound, $"{Capitalize(subject)} was not found on {Product} at {BaseAddress.GetLeftPart(UriPartial.Authority)}, or is not visible to {Credentials.Description}.{said} Check the organization, project and repository names and that the credentials can read it."),
            429 => (Kind.RateLimited, $"{Product} throttled the requests for {subject} (429).{said} {(retryAfter is { } wait ? $"It asked to wait {wait.TotalSeconds:N0} s. " : string.Empty)}Azure DevOps limits usage per user (200 TSTUs per 5 minutes): wait a few minutes, or spread the runs."),
            >= 500 => (Kind.Other, $"{Product} failed with {code} while reading {subject}, also after retries.{said} Try again later."),
            _ => (Kind.Other, $"{Product} answered {code} ({status}) while reading {subject}, which CodeDoc does not expect.{said}"),
        };
        return Create(kind, message, inner, operation, status, uri, retryAfter);
    }

    private static bool IsTransportFailure(Exception ex) =>
        ex is HttpRequestException or IOException or TimeoutRejectedException or TaskCanceledException or JsonException or AuthenticationFailedException;

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string? ErrorMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String &&
                message.GetString() is { Length: > 0 } text)
            {
                var line = text.ReplaceLineEndings(" ").Trim();
                return line.Length <= MaxQuotedLength ? line : line[..MaxQuotedLength] + "...";
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): the status tells enough.
        }

        return null;
    }

    private GitProviderException FromApiException(string operation, string subject, ApiException ex)
    {
        if (ex.InnerException is { } inner && ex.StatusCode is >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous)
        {
            return Malformed(operation, subject, inner is JsonException ? "the JSON is malformed or incomplete" : inner.Message, ex.Uri);
        }

        var retryAfter = ex.Headers.RetryAfter?.Delta ?? (ex.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return FromStatus(operation, subject, ex.StatusCode, ex.Content, ex.Uri, retryAfter, ex);
    }

    private GitProviderException FromTransportFailure(string operation, string subject, Exception ex, Uri? uri)
    {
        var where = BaseAddress.GetLeftPart(UriPartial.Authority);
        var message = ex switch
        {
            AuthenticationFailedException => $"Microsoft Entra did not issue a token for Azure DevOps to {Credentials.Description}: check TenantId, ClientId and ClientSecret (or the credential set in code) and that the secret has not expired.",
            TimeoutRejectedException or TaskCanceledException => $"Reading {subject} from {Product} timed out. Try again, or raise Http:AttemptTimeout and Http:TotalTimeout.",
            JsonException => $"{Product} sent malformed JSON for {subject}. Check that the address is Azure DevOps and that no proxy changes its responses.",
            IOException => $"The response of {Product} for {subject} was cut off. Try again.",
            HttpRequestException { InnerException: AuthenticationException } => $"The TLS connection to {where} failed. If the server uses a certificate from a private CA, add that CA's certificate to Http:TrustedCaCertificateFiles.",
            _ => $"{where} could not be reached while reading {subject}. Check BaseAddress, the network and the proxy settings (Http:Proxy).",
        };
        return Create(Kind.Other, message, ex, operation, null, uri);
    }

    private string Fix() => Credentials.IsEntra
        ? "Check that the service principal was added to the organization as a user with access to the project."
        : "Create a new personal access token (User settings > Personal access tokens) with scope Code (Read) for this organization and set Token.";

    private GitProviderException Create(Kind kind, string message, Exception? inner, string operation, HttpStatusCode? status, Uri? uri, TimeSpan? retryAfter = null) => kind switch
    {
        Kind.Authentication => new GitProviderAuthenticationException(message, inner) { ProviderName = ProviderName, OperationName = operation, StatusCode = status, RequestUri = uri },
        Kind.NotFound => new GitProviderNotFoundException(message, inner) { ProviderName = ProviderName, OperationName = operation, StatusCode = status, RequestUri = uri },
        Kind.RateLimited => new GitProviderRateLimitedException(message, retryAfter, inner) { ProviderName = ProviderName, OperationName = operation, StatusCode = status, RequestUri = uri },
        _ => new GitProviderException(message, inner) { ProviderName = ProviderName, OperationName = operation, StatusCode = status, RequestUri = uri },
    };

    private enum Kind
    {
        Other,
        Authentication,
        NotFound,
        RateLimited,
    }
}
