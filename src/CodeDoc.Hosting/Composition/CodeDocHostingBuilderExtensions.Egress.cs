using CodeDoc.Hosting;
using CodeDoc.Hosting.Egress;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>Registers the host's transport rules: the egress allowlist on every HTTP client, the run-time policy and the data-flow report.</summary>
public static partial class CodeDocHostingBuilderExtensions
{
    static partial void AddEgress(IServiceCollection services)
    {
        services.TryAddSingleton<ProviderEndpointCatalog>();
        services.TryAddSingleton<EgressAllowlist>();
        services.TryAddSingleton<EgressPolicy>();
        services.TryAddSingleton<IHostingDataFlowReport, HostingDataFlowReport>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CodeDocHostingOptions>, EgressOptionsValidator>());
        services.AddHostedService<EgressStartupWarnings>();

        // Defaults apply to every client of the application's factory, before each client's own handlers: the check runs
        // once per request, outside the providers' retries, and a refused request never reaches their handlers.
        services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(sp =>
            new EgressAllowlistHandler(sp.GetRequiredService<EgressAllowlist>(), sp.GetRequiredService<ILogger<EgressAllowlistHandler>>())));
    }
}
