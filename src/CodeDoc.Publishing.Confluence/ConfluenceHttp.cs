using CodeDoc.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Publishing.Confluence;

/// <summary>Registers the HTTP client of one Confluence publisher instance.</summary>
internal static class ConfluenceHttp
{
    /// <summary>Gets the name of an instance's HTTP client.</summary>
    /// <param name="name">The registration name.</param>
    /// <returns>The client name.</returns>
    public static string ClientName(string name) => "CodeDoc.Confluence." + name;

    /// <summary>
    /// Adds the instance's client: CodeDoc's resilience (429 retried on every method honouring Retry-After up to
    /// Http:MaxRetryAfter; 5xx and transport failures retried for reads only, since a write may have been applied),
    /// the proxy and extra CA certificates, and the handler that signs requests to the site.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="options">Resolves the instance's options.</param>
    public static void AddClient(IServiceCollection services, string name, Func<IServiceProvider, ConfluenceOptions> options) =>
        services.AddCodeDocHttpClient(ClientName(name), sp => options(sp).Http, HttpRetryRules.Default)
            .AddHttpMessageHandler(sp => new ConfluenceAuthenticationHandler(ConfluenceEndpoint.From(options(sp))));
}
