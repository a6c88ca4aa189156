using CodeDoc.Core;
using CodeDoc.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Builds Confluence publishers from run-time settings (a stored job configuration, CLI flags). The settings use the
/// keys of <see cref="ConfluenceOptions"/> (<c>BaseAddress</c>, <c>SpaceKey</c>, <c>ApiToken</c>, <c>Http:Proxy</c>, ...), are
/// bound exactly as configuration is, and are checked by the same validator as start-up validation. Each publisher
/// gets an HTTP client built the same way as a registered one.
/// </summary>
/// <param name="timeProvider">The clock; the system clock when none is registered.</param>
/// <param name="loggerFactory">The logger factory; no logging when none is registered.</param>
internal sealed class ConfluencePublisherFactory(TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null) : IDocPublisherFactory
{
    public string Kind => ConfluencePublisher.PublisherKind;

    public IDocPublisher Create(ProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.Equals(settings.Kind, Kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new CodeDocConfigurationException(
                $"The Confluence factory builds publishers of kind '{Kind}', not '{settings.Kind}'; ask the factory registered for '{settings.Kind}'.")
            {
                ProviderName = settings.Name,
            };
        }

        var options = new ConfluenceOptions();
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection(settings.Values).Build().Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new CodeDocConfigurationException(
                $"The settings of the Confluence publisher '{settings.Name}' cannot be read: {e.Message} Deployment takes Auto, Cloud or DataCenter; " +
                "RemovedPages takes Archive or Delete; EditedPages takes Skip, ProposeChildPage or Overwrite.",
                e)
            {
                ProviderName = settings.Name,
            };
        }

        ProviderSettingsReader.AddOutboundHandlers(settings, options.Http);
        var problems = new ConfluenceOptionsValidator(settings.Name, configurationPath: string.Empty).Check(options).ToList();
        if (problems.Count > 0)
        {
            throw new CodeDocConfigurationException(string.Join(" ", problems)) { ProviderName = settings.Name };
        }

        // A run-time instance cannot join the host's HTTP client registrations, so it gets private ones built the same way.
        var services = new ServiceCollection();
        ConfluenceHttp.AddClient(services, settings.Name, _ => options);
        var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<IHttpClientFactory>();
        return new ConfluencePublisher(
            settings.Name,
            options,
            () => clients.CreateClient(ConfluenceHttp.ClientName(settings.Name)),
            timeProvider ?? TimeProvider.System,
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ConfluencePublisher>(),
            provider);
    }
}
