using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc;

/// <summary>Registers the CodeDoc host: stores, encryption, jobs, the background worker, triggers and egress rules.</summary>
public static partial class CodeDocHostingBuilderExtensions
{
    /// <summary>Registers the host with the default options (SQLite file <c>codedoc.db</c>); an encryption key source must still be configured.</summary>
    /// <param name="builder">The CodeDoc builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddHosting(this ICodeDocBuilder builder) => AddHosting(builder, configure: null);

    /// <summary>Registers the host with options set in code.</summary>
    /// <param name="builder">The CodeDoc builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddHosting(this ICodeDocBuilder builder, Action<CodeDocHostingOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Register(builder.Services);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        return builder;
    }

    /// <summary>Registers the host bound to a configuration section (usually <c>CodeDoc:Hosting</c>).</summary>
    /// <param name="builder">The CodeDoc builder.</param>
    /// <param name="section">The section.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddHosting(this ICodeDocBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        Register(builder.Services);
        builder.Services.Configure<CodeDocHostingOptions>(section);
        return builder;
    }

    private static void Register(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(HostingMarker)))
        {
            return;
        }

        services.AddSingleton<HostingMarker>();
        services.AddOptions<CodeDocHostingOptions>().ValidateOnStart();
        AddStores(services);
        AddWorker(services);
        AddEgress(services);
    }

    // Each area registers itself in its own file.
    static partial void AddStores(IServiceCollection services);

    static partial void AddWorker(IServiceCollection services);

    static partial void AddEgress(IServiceCollection services);

    private sealed class HostingMarker;
}
