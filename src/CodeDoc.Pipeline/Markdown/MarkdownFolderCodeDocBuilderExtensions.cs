using CodeDoc.Core;
using CodeDoc.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>
/// Registers Markdown folder publishers (kind <c>markdown</c>): a documentation set becomes a folder of <c>.md</c>
/// files with an index and a manifest. <c>AddCodeDoc</c> already registers one named <c>markdown</c> (bound to
/// <c>CodeDoc:Markdown</c>, writing to <c>codedoc-docs</c> by default); calling the unnamed overloads configures that one.
/// </summary>
public static class MarkdownFolderCodeDocBuilderExtensions
{
    private const string DefaultName = MarkdownFolderPublisher.PublisherKind;
    private const string DefaultConfigurationPath = "CodeDoc:Markdown";

    /// <summary>Registers (or, after <c>AddCodeDoc</c>, keeps) the Markdown folder publisher named <c>markdown</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddMarkdownFolder(this ICodeDocBuilder builder) => AddMarkdownFolder(builder, DefaultName, configure: null);

    /// <summary>Registers (or configures) the Markdown folder publisher named <c>markdown</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddMarkdownFolder(this ICodeDocBuilder builder, Action<MarkdownFolderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddMarkdownFolder(builder, DefaultName, configure);
    }

    /// <summary>Registers a named Markdown folder publisher, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among publishers (<c>markdown</c> configures the default one).</param>
    /// <param name="configure">Sets the options; <see cref="MarkdownFolderOptions.OutputPath"/> is required.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddMarkdownFolder(this ICodeDocBuilder builder, string name, Action<MarkdownFolderOptions>? configure = null) =>
        Register(builder, name, DefaultConfigurationPath, optionsBuilder =>
        {
            if (configure is not null)
            {
                optionsBuilder.Configure(configure);
            }
        });

    /// <summary>Registers a named Markdown folder publisher bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among publishers (<c>markdown</c> configures the default one).</param>
    /// <param name="section">The section, e.g. <c>CodeDoc:Publishers:wiki</c>; <c>OutputPath</c> is required.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddMarkdownFolder(this ICodeDocBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return Register(builder, name, section.Path, optionsBuilder => optionsBuilder.Bind(section));
    }

    /// <summary>
    /// Registers the engine's default Markdown folder publisher, <c>markdown</c>: output <c>codedoc-docs</c> unless the
    /// <c>Markdown</c> subsection of the engine's configuration says otherwise.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="engineSection">The section <c>AddCodeDoc</c> was bound to, if any.</param>
    /// <returns>The builder.</returns>
    internal static ICodeDocBuilder AddDefaultMarkdownFolder(this ICodeDocBuilder builder, IConfiguration? engineSection)
    {
        var section = engineSection?.GetSection("Markdown");
        return Register(
            builder,
            DefaultName,
            section?.Path ?? DefaultConfigurationPath,
            optionsBuilder =>
            {
                optionsBuilder.Configure(o => o.OutputPath = MarkdownFolderOptions.DefaultOutputPath);
                if (section is not null)
                {
                    optionsBuilder.Bind(section);
                }
            },
            engineDefault: true);
    }

    private static ICodeDocBuilder Register(
        ICodeDocBuilder builder, string name, string configurationPath, Action<OptionsBuilder<MarkdownFolderOptions>> configure, bool engineDefault = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;

        // The engine's default publisher is configured, not registered twice, by a later call for its name.
        var configuresEngineDefault = !engineDefault && services.Any(d =>
            d.ServiceType == typeof(EngineDefaultMarkdownFolder) &&
            d.ImplementationInstance is EngineDefaultMarkdownFolder marker &&
            string.Equals(marker.Name, name, StringComparison.OrdinalIgnoreCase));
        if (!configuresEngineDefault)
        {
            builder.AddDocPublisher(name, MarkdownFolderPublisher.PublisherKind, sp => CreatePublisher(sp, name));
            if (engineDefault)
            {
                services.AddSingleton(new EngineDefaultMarkdownFolder(name));
            }
        }

        configure(services.AddOptionsWithValidateOnStart<MarkdownFolderOptions>(name));
        var previous = services
            .Where(d => d.ServiceType == typeof(IValidateOptions<MarkdownFolderOptions>) &&
                d.ImplementationInstance is MarkdownFolderOptionsValidator v && string.Equals(v.Name, name, StringComparison.Ordinal))
            .ToList();
        foreach (var descriptor in previous)
        {
            services.Remove(descriptor);
        }

        services.AddSingleton<IValidateOptions<MarkdownFolderOptions>>(new MarkdownFolderOptionsValidator(name, configurationPath));
        services.TryAddSingleton(TimeProvider.System);
        builder.AddDocPublisherFactory<MarkdownFolderPublisherFactory>(MarkdownFolderPublisher.PublisherKind);
        return builder;
    }

    private static MarkdownFolderPublisher CreatePublisher(IServiceProvider services, string name) => new(
        name,
        services.GetRequiredService<IOptionsMonitor<MarkdownFolderOptions>>().Get(name),
        services.GetService<TimeProvider>() ?? TimeProvider.System,
        (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<MarkdownFolderPublisher>());

    private sealed record EngineDefaultMarkdownFolder(string Name);
}
