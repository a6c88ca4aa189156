using CodeDoc.Core;
using CodeDoc.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.Bitbucket;

/// <summary>
/// Builds Bitbucket providers from settings at run time (stored job configurations, CLI flags). The settings use the
/// option keys (<c>BaseAddress</c>, <c>Token</c>, <c>Email</c>, <c>Http:Proxy</c>, ...) and are validated like
/// start-up validation does.
/// </summary>
/// <param name="loggerFactory">Creates the providers' loggers.</param>
/// <param name="time">The clock.</param>
internal sealed class BitbucketGitProviderFactory(ILoggerFactory loggerFactory, TimeProvider time) : IGitProviderFactory
{
    /// <inheritdoc />
    public string Kind => BitbucketProviders.Kind;

    /// <inheritdoc />
    public IGitProvider Create(ProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.Equals(settings.Kind, Kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new CodeDocConfigurationException(
                $"The Bitbucket factory builds providers of kind '{Kind}', not '{settings.Kind}': pass the settings to the factory of that kind.");
        }

        var options = new BitbucketOptions();
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection(settings.Values).Build().Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new CodeDocConfigurationException($"The settings of Bitbucket provider '{settings.Name}' cannot be read: {ex.Message}", ex);
        }

        var failures = BitbucketOptionsValidator.Check(options, configurationPath: string.Empty).ToList();
        if (failures.Count > 0)
        {
            throw new CodeDocConfigurationException($"The settings of Bitbucket provider '{settings.Name}' are invalid: {string.Join(" ", failures)}");
        }

        var http = StandaloneHttpClients.Create(
            BitbucketProviders.ClientName(settings.Name),
            options.Http,
            BitbucketProviders.RetryRules,
            builder => BitbucketProviders.AddAuthentication(builder, _ => options));
        return BitbucketProviders.Create(settings.Name, options, http, loggerFactory, time);
    }
}
