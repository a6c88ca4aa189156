using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Pipeline;

internal sealed class GitProviderResolver(IServiceProvider services, IProviderRegistry registry) : IGitProviderResolver
{
    public ResolvedRepository Resolve(string location, string? providerName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (providerName is not null)
        {
            var named = registry.GetGitProvider(providerName);
            return named.TryParseRepository(location, out var parsed)
                ? new ResolvedRepository(named, parsed)
                : throw new CodeDocConfigurationException(
                    $"The Git provider '{providerName}' does not serve '{Display(location)}'. Check the location, or leave out the provider to match it by host.");
        }

        var gitRegistrations = registry.Registrations.Where(r => r.Category == ProviderCategory.Git).ToList();
        foreach (var registration in gitRegistrations)
        {
            var provider = services.GetRequiredKeyedService<IGitProvider>(registration.Name);
            if (provider.TryParseRepository(location, out var repository))
            {
                return new ResolvedRepository(provider, repository);
            }
        }

        var listed = gitRegistrations.Count == 0 ? "none" : string.Join(", ", gitRegistrations.Select(r => $"'{r.Name}' ({r.Kind})"));
        throw new CodeDocConfigurationException(
            $"No registered Git provider serves '{Display(location)}'. Give an existing local path, or a repository URL of a " +
            $"configured host (register one with AddGitHub, AddGitLab, AddBitbucket or AddAzureDevOps). Registered: {listed}.");
    }

    // A URL may carry credentials (https://user:token@host/...): show it without them.
    private static string Display(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && !uri.IsFile ? EndpointRules.SafeDisplay(uri) : location;
}
