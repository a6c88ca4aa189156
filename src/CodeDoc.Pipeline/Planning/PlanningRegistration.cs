using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeDoc.Pipeline;

internal static class PlanningRegistration
{
    public static IServiceCollection AddPlanning(this IServiceCollection services)
    {
        services.TryAddSingleton<IModelPriceCatalog, ModelPriceCatalog>();
        services.TryAddSingleton<IDocumentationPlanner, DocumentationPlanner>();
        return services;
    }
}
