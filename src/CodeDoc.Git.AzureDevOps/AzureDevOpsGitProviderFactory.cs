using CodeDoc.Core;
using CodeDoc.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>Builds Azure DevOps providers from settings at run time (kind <c>azure-devops</c>).</summary>
/// <param name="loggerFactory">Creates loggers.</param>
/// <param name="time">The clock.</param>
internal sealed class AzureDevOpsGitProviderFactory(ILoggerFactory loggerFactory, TimeProvider time) : IGitProviderFactory
{
    /// <inheritdoc />
    public string Kind => AzureDevOpsProviders.Kind;

    /// <inheritdoc />
    public IGitProvider Create(ProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.Equals(settings.Kind, Kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new CodeDocConfigurationException(
                $"The Azure DevOps factory builds providers of kind '{Kind}', not '{settings.Kind}': pass the settings to the factory of that kind.");
        }

        var options = new AzureDevOpsOptions();
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection(settings.Values).Build().Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new CodeDocConfigurationException($"The settings of Azure DevOps provider '{settings.Name}' cannot be read: {ex.Message}", ex);
        }

        var failures = AzureDevOpsOptionsValidator.Check(options, configurationPath: string.Empty).ToList();
        if (failures.Count > 0)
        {
            throw new CodeDocConfigurationException($"The settings of Azure DevOps provider '{settings.Name}' are invalid: {string.Join(" ", failures)}");
        }

        var credentials = AzureDevOpsCredentials.From(options, time);
        var http = StandaloneHttpClients.Create(
            AzureDevOpsProviders.ClientName(settings.Name),
            options.Http,
            AzureDevOpsProviders.RetryRules,
            builder => AzureDevOpsProviders.AddHandler(builder, settings.Name, _ => credentials, _ => options));
        return AzureDevOpsProviders.Create(settings.Name, options, credentials, http, loggerFactory);
    }
}
