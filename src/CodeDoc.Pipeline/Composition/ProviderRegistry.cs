using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline;

internal sealed class ProviderRegistry(IServiceProvider services, IEnumerable<ProviderRegistration> registrations, IOptions<CodeDocOptions> options) : IProviderRegistry
{
    public IReadOnlyList<ProviderRegistration> Registrations { get; } = registrations.ToList();

    public IGitProvider GetGitProvider(string nameOrKind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrKind);
        return services.GetRequiredKeyedService<IGitProvider>(Find(ProviderCategory.Git, nameOrKind).Name);
    }

    public IAiProvider GetAiProvider(string? nameOrKind = null)
    {
        var registration = nameOrKind is null
            ? Registrations.FirstOrDefault(r => r.Category == ProviderCategory.Ai)
                ?? throw new CodeDocConfigurationException(
                    "No AI provider is configured. Add one in code (for example builder.AddOpenAI(...)) or in configuration " +
                    "(for example the environment variables CODEDOC__AI__KIND=openai, CODEDOC__AI__MODEL and CODEDOC__AI__APIKEY).")
            : Find(ProviderCategory.Ai, nameOrKind);
        return services.GetRequiredKeyedService<IAiProvider>(registration.Name);
    }

    public IDocPublisher GetPublisher(string? nameOrKind = null)
    {
        var registration = Find(ProviderCategory.Publisher, nameOrKind ?? options.Value.DefaultPublisher ?? "markdown");
        return services.GetRequiredKeyedService<IDocPublisher>(registration.Name);
    }

    internal ProviderRegistration Find(ProviderCategory category, string nameOrKind)
    {
        var candidates = Registrations.Where(r => r.Category == category).ToList();
        var byName = candidates.FirstOrDefault(r => string.Equals(r.Name, nameOrKind, StringComparison.OrdinalIgnoreCase));
        if (byName is not null)
        {
            return byName;
        }

        var byKind = candidates.Where(r => string.Equals(r.Kind, nameOrKind, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byKind.Count == 1)
        {
            return byKind[0];
        }

        var listed = candidates.Count == 0 ? "none" : string.Join(", ", candidates.Select(r => $"'{r.Name}' ({r.Kind})"));
        var what = category switch
        {
            ProviderCategory.Git => "Git provider",
            ProviderCategory.Ai => "AI provider",
            _ => "publisher",
        };
        throw new CodeDocConfigurationException(byKind.Count > 1
            ? $"Several {what}s have kind '{nameOrKind}': name one of them instead. Registered: {listed}."
            : $"No {what} is registered with the name or kind '{nameOrKind}'. Registered: {listed}.");
    }
}
