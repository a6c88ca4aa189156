using System.Collections.Concurrent;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Egress;

/// <summary>
/// Puts the host's transport rules on a provider built at run time from a stored configuration. Factories build such
/// providers in private containers that the host's <c>ConfigureHttpClientDefaults</c> never reaches, so the worker
/// passes each configuration's settings through <see cref="Apply"/> before handing them to the factory.
/// </summary>
/// <param name="allowlist">The allowlist.</param>
/// <param name="options">The host's options.</param>
/// <param name="loggerFactory">Creates the handler's and the policy's loggers.</param>
internal sealed class EgressPolicy(EgressAllowlist allowlist, IOptionsMonitor<CodeDocHostingOptions> options, ILoggerFactory loggerFactory)
{
    private const string AllowInsecureHttpKey = "Http:AllowInsecureHttp";
    private readonly ILogger _logger = loggerFactory.CreateLogger("CodeDoc.Hosting.Egress");
    private readonly ConcurrentDictionary<string, bool> _warned = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Returns the settings with the allowlist handler added to the provider's HTTP client and, when
    /// <see cref="HostingEgressOptions.AllowInsecureHttp"/> is on, the provider's <c>Http:AllowInsecureHttp</c> opt-in
    /// set (a value the configuration sets itself wins). Warns once per configuration and address that uses plain HTTP
    /// to a remote host with the opt-in.
    /// </summary>
    /// <param name="settings">The settings of a stored configuration.</param>
    /// <returns>New settings; the input is not changed.</returns>
    public ProviderSettings Apply(ProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var values = new Dictionary<string, string?>(settings.Values, StringComparer.OrdinalIgnoreCase);
        if (options.CurrentValue.Egress.AllowInsecureHttp)
        {
            values.TryAdd(AllowInsecureHttpKey, "true");
        }

        if (values.TryGetValue(AllowInsecureHttpKey, out var insecure) && bool.TryParse(insecure, out var allowed) && allowed)
        {
            WarnAboutPlainHttp(settings.Name, values);
        }

        var handlerLogger = loggerFactory.CreateLogger<EgressAllowlistHandler>();
        return new ProviderSettings(settings.Kind, settings.Name, values)
        {
            OutboundHandlers = [.. settings.OutboundHandlers, _ => new EgressAllowlistHandler(allowlist, handlerLogger)],
        };
    }

    private void WarnAboutPlainHttp(string configurationId, IReadOnlyDictionary<string, string?> values)
    {
        foreach (var address in ProviderEndpointCatalog.AddressSettings(values))
        {
            if (address.Scheme == Uri.UriSchemeHttp && !EndpointRules.IsLoopback(address) && EgressOrigins.Of(address) is { } origin
                && _warned.TryAdd(configurationId + "|" + origin, true))
            {
                EgressLog.InsecureEndpoint(_logger, configurationId, origin);
            }
        }
    }
}
