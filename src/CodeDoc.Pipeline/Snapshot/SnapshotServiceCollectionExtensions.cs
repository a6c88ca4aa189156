using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>Registers the snapshot stage.</summary>
internal static class SnapshotServiceCollectionExtensions
{
    /// <summary>
    /// Registers the snapshot reader and the token counter as singletons. The reader needs an
    /// <see cref="ISecretRedactor"/>, which the redaction area registers.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSnapshotStage(this IServiceCollection services)
    {
        services.TryAddSingleton<ITokenCounter, TokenCounter>();
        services.TryAddSingleton<ISnapshotReader, SnapshotReader>();
        return services;
    }
}
