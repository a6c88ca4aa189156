using CodeDoc.Core;
using CodeDoc.Hosting.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>Registers the options of the CodeDoc webhook endpoints and status API.</summary>
public static class CodeDocEndpointBuilderExtensions
{
    /// <summary>Registers the endpoints' options, set in code. Map them with <c>MapCodeDocWebhooks</c> and <c>MapCodeDocApi</c>.</summary>
    /// <param name="builder">The CodeDoc builder (with <c>AddHosting</c>).</param>
    /// <param name="configure">Sets the options, e.g. the API key or the authentication hook.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddHostingEndpoints(this ICodeDocBuilder builder, Action<CodeDocEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Register(builder.Services);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        return builder;
    }

    /// <summary>Registers the endpoints' options bound to a configuration section (usually <c>CodeDoc:Hosting:Endpoints</c>).</summary>
    /// <param name="builder">The CodeDoc builder (with <c>AddHosting</c>).</param>
    /// <param name="section">The section.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddHostingEndpoints(this ICodeDocBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        Register(builder.Services);
        builder.Services.Configure<CodeDocEndpointOptions>(section);
        return builder;
    }

    private static void Register(IServiceCollection services)
    {
        services.AddOptions<CodeDocEndpointOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CodeDocEndpointOptions>, CodeDocEndpointOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
    }
}
