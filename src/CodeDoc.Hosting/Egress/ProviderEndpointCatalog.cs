using System.Collections.Concurrent;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Egress;

/// <summary>Where one provider sends its requests.</summary>
/// <param name="Category">Which contract the provider implements.</param>
/// <param name="Name">The registration name or the stored configuration's id.</param>
/// <param name="Kind">The provider kind.</param>
/// <param name="DisplayName">A name for reports.</param>
/// <param name="Stored">Whether it comes from a stored configuration (otherwise it is registered in code).</param>
/// <param name="Endpoints">The addresses it talks to; empty when it stays on this machine or could not be read.</param>
/// <param name="Known">Whether the addresses could be read.</param>
internal sealed record ProviderEndpoints(ProviderCategory Category, string Name, string Kind, string DisplayName, bool Stored, IReadOnlyList<Uri> Endpoints, bool Known);

/// <summary>
/// Lists the addresses of every provider the host may use: the ones registered in code (their metadata's endpoint) and
/// the stored configurations.
/// </summary>
/// <remarks>
/// A stored configuration's addresses come from two places, because neither alone is enough: its URL settings
/// (<c>BaseAddress</c>, <c>ApiBaseAddress</c>, <c>Endpoint</c>, ... — every address it names, as written) and the
/// endpoint its factory reports for a provider built from those settings, which is the only source of the vendor's
/// default address when the configuration names none. The listing carries no secrets, so the probe is built with
/// placeholder secrets and never sends a request; one that fails validation (e.g. a key the factory parses) falls
/// back to the URL settings. Probe results are kept per distinct configuration.
/// </remarks>
internal sealed class ProviderEndpointCatalog(IServiceProvider services, IOptionsMonitor<CodeDocHostingOptions> options, ILogger<ProviderEndpointCatalog> logger)
{
    private const string ProbeSecret = "codedoc-egress-probe";
    private static readonly string[] AddressSuffixes = ["Address", "Endpoint", "Url", "Uri"];
    private readonly ConcurrentDictionary<string, (bool Built, Uri? Endpoint)> _probes = new(StringComparer.Ordinal);

    /// <summary>Lists the providers and their addresses.</summary>
    /// <param name="cancellationToken">Cancels the store read.</param>
    /// <returns>One entry per registered provider and per stored configuration.</returns>
    public async Task<IReadOnlyList<ProviderEndpoints>> ListAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<ProviderEndpoints>();
        foreach (var registration in services.GetService<IProviderRegistry>()?.Registrations ?? [])
        {
            result.Add(Registered(registration));
        }

        if (services.GetService<IProviderConfigurationStore>() is { } store)
        {
            foreach (var configuration in await store.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(await StoredAsync(configuration).ConfigureAwait(false));
            }
        }

        return result;
    }

    /// <summary>Gets the addresses a stored configuration names in its settings, as written.</summary>
    /// <param name="settings">The configuration's plain settings.</param>
    /// <returns>The absolute http(s) addresses.</returns>
    public static IEnumerable<Uri> AddressSettings(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (key, value) in settings)
        {
            // Http:Proxy and the like are not destinations: requests are checked by their own address.
            if (key.StartsWith("Http:", StringComparison.OrdinalIgnoreCase) || value is null)
            {
                continue;
            }

            var field = key[(key.LastIndexOf(':') + 1)..];
            if (AddressSuffixes.Any(s => field.EndsWith(s, StringComparison.OrdinalIgnoreCase))
                && Uri.TryCreate(value, UriKind.Absolute, out var uri)
                && EgressOrigins.Of(uri) is not null)
            {
                yield return uri;
            }
        }
    }

    private ProviderEndpoints Registered(ProviderRegistration registration)
    {
        try
        {
            var (displayName, endpoint) = registration.Category switch
            {
                ProviderCategory.Git => Describe(services.GetRequiredKeyedService<IGitProvider>(registration.Name).Metadata),
                ProviderCategory.Ai => Describe(services.GetRequiredKeyedService<IAiProvider>(registration.Name).Metadata),
                _ => Describe(services.GetRequiredKeyedService<IDocPublisher>(registration.Name).Metadata),
            };
            return new(registration.Category, registration.Name, registration.Kind, displayName, Stored: false, endpoint is null ? [] : [endpoint], Known: true);
        }
        catch (Exception ex) when (ex is CodeDocException or OptionsValidationException or InvalidOperationException)
        {
            // A provider that cannot be built sends nothing either; the reason is left out because it may quote settings.
            EgressLog.EndpointUnknown(logger, registration.Category.ToString(), registration.Name, ex.GetType().Name);
            return new(registration.Category, registration.Name, registration.Kind, registration.Name, Stored: false, [], Known: false);
        }
    }

    private async Task<ProviderEndpoints> StoredAsync(ProviderConfiguration configuration)
    {
        var endpoints = AddressSettings(configuration.Settings).ToList();
        var (built, probed) = await ProbeAsync(configuration).ConfigureAwait(false);
        if (probed is not null && !endpoints.Any(e => EgressOrigins.Of(e) == EgressOrigins.Of(probed)))
        {
            endpoints.Insert(0, probed);
        }

        // A provider built without an endpoint (the local Git provider, a Markdown folder) stays on this machine.
        var displayName = string.IsNullOrWhiteSpace(configuration.DisplayName) ? configuration.Id : configuration.DisplayName;
        return new(configuration.Category, configuration.Id, configuration.Kind, displayName, Stored: true, endpoints, Known: built || endpoints.Count > 0);
    }

    private async Task<(bool Built, Uri? Endpoint)> ProbeAsync(ProviderConfiguration configuration)
    {
        var fingerprint = string.Join(
            '\n',
            new[] { configuration.Category.ToString(), configuration.Kind }
                .Concat(configuration.Settings.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => $"{p.Key}={p.Value}")));
        if (_probes.TryGetValue(fingerprint, out var known))
        {
            return known;
        }

        var values = new Dictionary<string, string?>(configuration.Settings, StringComparer.OrdinalIgnoreCase);
        foreach (var key in configuration.Secrets.Keys)
        {
            values[key] = ProbeSecret;
        }

        if (options.CurrentValue.Egress.AllowInsecureHttp)
        {
            values.TryAdd("Http:AllowInsecureHttp", "true");
        }

        var settings = new ProviderSettings(configuration.Kind, configuration.Id, values);
        (bool Built, Uri? Endpoint) probe = (false, null);
        try
        {
            object? provider = configuration.Category switch
            {
                ProviderCategory.Git => Factory<IGitProviderFactory>(configuration.Kind, f => f.Kind)?.Create(settings),
                ProviderCategory.Ai => Factory<IAiProviderFactory>(configuration.Kind, f => f.Kind)?.Create(settings),
                _ => Factory<IDocPublisherFactory>(configuration.Kind, f => f.Kind)?.Create(settings),
            };
            probe = provider switch
            {
                IGitProvider git => (true, git.Metadata.Endpoint),
                IAiProvider ai => (true, ai.Metadata.Endpoint),
                IDocPublisher publisher => (true, publisher.Metadata.Endpoint),
                _ => (false, null),
            };
            await DisposeAsync(provider).ConfigureAwait(false);
        }
        catch (CodeDocException)
        {
            // Placeholder secrets may not pass a factory's checks; the URL settings still stand.
        }

        _probes[fingerprint] = probe;
        return probe;
    }

    private TFactory? Factory<TFactory>(string kind, Func<TFactory, string> kindOf)
        where TFactory : class =>
        services.GetServices<TFactory>().FirstOrDefault(f => string.Equals(kindOf(f), kind, StringComparison.OrdinalIgnoreCase));

    private static async ValueTask DisposeAsync(object? provider)
    {
        if (provider is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (provider is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private static (string DisplayName, Uri? Endpoint) Describe(ProviderMetadata metadata) => (metadata.DisplayName, metadata.Endpoint);

    private static (string DisplayName, Uri? Endpoint) Describe(AiProviderMetadata metadata) => ($"{metadata.Vendor} ({metadata.ModelId})", metadata.Endpoint);
}
