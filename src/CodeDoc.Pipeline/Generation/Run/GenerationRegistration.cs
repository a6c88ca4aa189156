using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeDoc.Pipeline;

/// <summary>Registers the generation stage.</summary>
internal static class GenerationRegistration
{
    /// <summary>Registers the documentation runner.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddGeneration(this IServiceCollection services)
    {
        services.TryAddSingleton<IDocumentationRunner, DocumentationRunner>();
        return services;
    }
}
