using System.Text.Json;
using System.Text.Json.Serialization;
using CodeDoc.Core;
using Refit;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Opens the API of one configured site on first use: Cloud directly or through the Atlassian API gateway (reading
/// the cloud id from the site's <c>/_edge/tenant_info</c> when it is not configured), or Data Center.
/// </summary>
internal sealed class ConfluenceConnection : IDisposable
{
    /// <summary>The JSON options of every request and response.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _providerName;
    private readonly Func<HttpClient> _createClient;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConfluenceSite? _site;

    /// <summary>Initializes a new instance of the <see cref="ConfluenceConnection"/> class.</summary>
    /// <param name="providerName">The publisher's registration name.</param>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="createClient">Creates the instance's HTTP client (with CodeDoc's resilience and the signing handler).</param>
    public ConfluenceConnection(string providerName, ConfluenceEndpoint endpoint, Func<HttpClient> createClient)
    {
        _providerName = providerName;
        Endpoint = endpoint;
        _createClient = createClient;
    }

    /// <summary>Gets the endpoint.</summary>
    public ConfluenceEndpoint Endpoint { get; }

    /// <summary>Gets the site's API, opening it on first use.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The API.</returns>
    public async Task<IConfluenceSite> GetSiteAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _site) is { } site)
        {
            return site;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_site is not null)
            {
                return _site;
            }

            var apiBase = Endpoint.SiteBase;
            if (Endpoint.UseApiGateway)
            {
                apiBase = Endpoint.GatewayBase(Endpoint.CloudId ?? await ReadCloudIdAsync(cancellationToken).ConfigureAwait(false));
            }

            var client = _createClient();

            // Refit appends its paths ("/api/v2/...") to the base address's path.
            client.BaseAddress = new Uri(apiBase.AbsoluteUri.TrimEnd('/'));
            var settings = new RefitSettings { ContentSerializer = new SystemTextJsonContentSerializer(Json), Buffered = true };
            var calls = new SiteCalls(_providerName, Endpoint);
            var v1 = RestService.For<IConfluenceV1Api>(client, settings);
            site = Endpoint.IsCloud
                ? new CloudSite(RestService.For<IConfluenceV2Api>(client, settings), v1, calls, Endpoint)
                : new DataCenterSite(v1, calls, Endpoint, _providerName);
            Volatile.Write(ref _site, site);
            return site;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private async Task<string> ReadCloudIdAsync(CancellationToken cancellationToken)
    {
        var address = new Uri(Endpoint.SiteOrigin, "_edge/tenant_info");
        var problem = "it did not answer with a cloud id";
        try
        {
            using var client = _createClient();
            using var response = await client.GetAsync(address, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (document.RootElement.ValueKind == JsonValueKind.Object &&
                    document.RootElement.TryGetProperty("cloudId", out var cloudId) && cloudId.GetString() is { Length: > 0 } id)
                {
                    return id;
                }
            }
            else
            {
                problem = $"it answered {(int)response.StatusCode} {response.ReasonPhrase}";
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            problem = e.Message;
        }

        throw new DocPublisherException(
            $"CodeDoc could not read the cloud id of {Endpoint.SiteOrigin} from {EndpointRules.SafeDisplay(address)} ({problem}), which the API gateway needs. " +
            "Set CloudId (site administration shows it), or check BaseAddress.")
        {
            ProviderName = _providerName,
            OperationName = "read the cloud id",
            RequestUri = address,
        };
    }
}
