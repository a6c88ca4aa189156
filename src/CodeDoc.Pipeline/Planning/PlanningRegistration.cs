using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeDoc.Pipeline;

internal static class PlanningRegistration
{
    public static IServiceCollection AddPlanning(this IServiceCollection services)
    {
        services.TryAddSingleton<IModelPriceCatalog, ModelPriceCatalog>();
        services.TryAddSingleton<IPresetCatalog, PresetCatalog>();
        services.TryAddSingleton<DocumentationPlanner>();
        services.TryAddSingleton<IDocumentationPlanner>(sp => sp.GetRequiredService<DocumentationPlanner>());
        return services;
    }
}
