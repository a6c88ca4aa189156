using CodeDoc.Core;
using CodeDoc.Publishing.Confluence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>
/// Registers Confluence publishers (kind <c>confluence</c>): Confluence Cloud and Data Center spaces that receive a
/// documentation set as a page tree. Each registration is a named instance with its own options, HTTP client and keyed
/// service; the unnamed overloads register one named <c>confluence</c>, bound to <c>CodeDoc:Confluence</c>.
/// </summary>
public static class ConfluenceCodeDocBuilderExtensions
{
    private const string DefaultName = ConfluencePublisher.PublisherKind;
    private const string DefaultConfigurationPath = "CodeDoc:Confluence";

    /// <summary>Registers the Confluence publisher named <c>confluence</c>; configure it in <c>CodeDoc:Confluence</c> or in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddConfluence(this ICodeDocBuilder builder) => AddConfluence(builder, DefaultName, configure: null);

    /// <summary>Registers the Confluence publisher named <c>confluence</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddConfluence(this ICodeDocBuilder builder, Action<ConfluenceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddConfluence(builder, DefaultName, configure);
    }

    /// <summary>Registers a named Confluence publisher, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among publishers.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddConfluence(this ICodeDocBuilder builder, string name, Action<ConfluenceOptions>? configure = null) =>
        Register(builder, name, DefaultConfigurationPath, optionsBuilder =>
        {
            if (configure is not null)
            {
                optionsBuilder.Configure(configure);
            }
        });

    /// <summary>Registers a named Confluence publisher bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among publishers.</param>
    /// <param name="section">The section, e.g. <c>CodeDoc:Publishers:wiki</c>.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddConfluence(this ICodeDocBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return Register(builder, name, section.Path, optionsBuilder => optionsBuilder.Bind(section));
    }

    /// <summary>
    /// Registers the factory that builds Confluence publishers (kind <c>confluence</c>) from settings at run time (provider configurations a host stores),
    /// without registering a provider instance.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddConfluenceFactory(this ICodeDocBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddDocPublisherFactory<ConfluencePublisherFactory>(ConfluencePublisher.PublisherKind);
    }

    private static ICodeDocBuilder Register(ICodeDocBuilder builder, string name, string configurationPath, Action<OptionsBuilder<ConfluenceOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        builder.AddDocPublisher(name, ConfluencePublisher.PublisherKind, sp => CreatePublisher(sp, name));
        configure(services.AddOptionsWithValidateOnStart<ConfluenceOptions>(name));
        services.AddSingleton<IValidateOptions<ConfluenceOptions>>(new ConfluenceOptionsValidator(name, configurationPath));
        ConfluenceHttp.AddClient(services, name, sp => sp.GetRequiredService<IOptionsMonitor<ConfluenceOptions>>().Get(name));
        services.TryAddSingleton(TimeProvider.System);
        builder.AddConfluenceFactory();
        return builder;
    }

    private static ConfluencePublisher CreatePublisher(IServiceProvider services, string name)
    {
        var clients = services.GetRequiredService<IHttpClientFactory>();
        return new ConfluencePublisher(
            name,
            services.GetRequiredService<IOptionsMonitor<ConfluenceOptions>>().Get(name),
            () => clients.CreateClient(ConfluenceHttp.ClientName(name)),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<ConfluencePublisher>());
    }
}
