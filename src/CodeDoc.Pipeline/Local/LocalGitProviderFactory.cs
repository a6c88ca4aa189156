using CodeDoc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Pipeline;

/// <summary>
/// Builds local providers from settings at run time (stored job configurations, CLI flags). The settings use the
/// option keys (<c>AllowedRoots:0</c>, <c>PreferGit</c>) and are validated like start-up validation does.
/// </summary>
/// <param name="loggerFactory">Creates the providers' loggers.</param>
internal sealed class LocalGitProviderFactory(ILoggerFactory loggerFactory) : IGitProviderFactory
{
    /// <inheritdoc />
    public string Kind => LocalGitProvider.ProviderKind;

    /// <inheritdoc />
    public IGitProvider Create(ProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.Equals(settings.Kind, Kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new CodeDocConfigurationException(
                $"The local repository factory builds providers of kind '{Kind}', not '{settings.Kind}': pass the settings to the factory of that kind.");
        }

        var options = new LocalRepositoryOptions();
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection(settings.Values).Build().Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new CodeDocConfigurationException($"The settings of local provider '{settings.Name}' cannot be read: {ex.Message}", ex);
        }

        var failures = LocalRepositoryOptionsValidator.Check(options, configurationPath: string.Empty).ToList();
        if (failures.Count > 0)
        {
            throw new CodeDocConfigurationException($"The settings of local provider '{settings.Name}' are invalid: {string.Join(" ", failures)}");
        }

        return new LocalGitProvider(settings.Name, options, nameof(LocalRepositoryOptions.AllowedRoots), loggerFactory.CreateLogger<LocalGitProvider>());
    }
}
