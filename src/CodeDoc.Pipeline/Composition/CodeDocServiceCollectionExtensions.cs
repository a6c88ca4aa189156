using CodeDoc.Core;
using CodeDoc.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>The one bootstrap of CodeDoc: <c>services.AddCodeDoc(...)</c>.</summary>
public static class CodeDocServiceCollectionExtensions
{
    /// <summary>Registers the engine and the embedded defaults (local repositories, the Markdown folder publisher).</summary>
    /// <param name="services">The services.</param>
    /// <returns>The builder, for the providers' <c>Add...</c> methods.</returns>
    public static ICodeDocBuilder AddCodeDoc(this IServiceCollection services) => AddCodeDoc(services, configure: null);

    /// <summary>Registers the engine and the embedded defaults, with options set in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets engine options.</param>
    /// <returns>The builder, for the providers' <c>Add...</c> methods.</returns>
    public static ICodeDocBuilder AddCodeDoc(this IServiceCollection services, Action<CodeDocOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = AddEngine(services, section: null);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Registers the engine and the embedded defaults, bound to a configuration section (usually <c>CodeDoc</c>):
    /// engine options at its root, the local provider at <c>Local</c>, the Markdown folder at <c>Markdown</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The section.</param>
    /// <returns>The builder, for the providers' <c>Add...</c> methods.</returns>
    public static ICodeDocBuilder AddCodeDoc(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        var builder = AddEngine(services, section);
        services.Configure<CodeDocOptions>(section);
        return builder;
    }

    private static CodeDocBuilder AddEngine(IServiceCollection services, IConfiguration? section)
    {
        var builder = new CodeDocBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(EngineMarker)))
        {
            return builder;
        }

        services.AddSingleton<EngineMarker>();
        services.AddOptions();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<CodeDocOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CodeDocOptions>, CodeDocOptionsValidator>());
        services.TryAddSingleton<IAuditSink>(NullAuditSink.Instance);
        services.TryAddSingleton<IProviderRegistry, ProviderRegistry>();
        services.TryAddSingleton<IGitProviderResolver, GitProviderResolver>();

        // Stage registrations, one line per area.
        services.AddPlanning();
        builder.AddDefaultLocalRepositories(section);
        builder.AddDefaultMarkdownFolder(section);
        services.AddSecretRedaction();
        services.AddSnapshotStage();
        services.AddFacts();
        services.AddGeneration();
        return builder;
    }

    private sealed class EngineMarker;
}
