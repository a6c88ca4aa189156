using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeDoc.Pipeline;

internal static class FactsRegistration
{
    /// <summary>Registers the facts and verification components: the symbol index builder and the Mermaid validator.</summary>
    public static IServiceCollection AddFacts(this IServiceCollection services)
    {
        services.TryAddSingleton<ISymbolIndexBuilder, SymbolIndexBuilder>();
        services.TryAddSingleton<IMermaidValidator, MermaidValidator>();
        return services;
    }
}
