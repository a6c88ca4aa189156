using CodeDoc.Core;
using CodeDoc.Pipeline.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeDoc.Pipeline;

/// <summary>Registers secret redaction.</summary>
internal static class SecretRedactionServiceCollectionExtensions
{
    /// <summary>Registers the default <see cref="ISecretRedactor"/> unless the application registered its own first.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    internal static IServiceCollection AddSecretRedaction(this IServiceCollection services)
    {
        services.TryAddSingleton<ISecretRedactor, SecretRedactor>();
        return services;
    }
}
