using CodeDoc.Core;
using CodeDoc.Transport;
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
        var options = ProviderSettingsReader.Read<AzureDevOpsOptions>(settings, Kind, "Azure DevOps", null, o => AzureDevOpsOptionsValidator.Check(o, configurationPath: string.Empty), o => o.Http);

        var credentials = AzureDevOpsCredentials.From(options, time);
        var http = StandaloneHttpClients.Create(
            AzureDevOpsProviders.ClientName(settings.Name),
            options.Http,
            AzureDevOpsProviders.RetryRules,
            builder => AzureDevOpsProviders.AddHandler(builder, settings.Name, _ => credentials, _ => options));
        return AzureDevOpsProviders.Create(settings.Name, options, credentials, http, loggerFactory);
    }
}
