using CodeDoc.Core;
using CodeDoc.Transport;
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
        var options = ProviderSettingsReader.Read<BitbucketOptions>(settings, Kind, "Bitbucket", null, o => BitbucketOptionsValidator.Check(o, configurationPath: string.Empty), o => o.Http);

        var http = StandaloneHttpClients.Create(
            BitbucketProviders.ClientName(settings.Name),
            options.Http,
            BitbucketProviders.RetryRules,
            builder => BitbucketProviders.AddAuthentication(builder, _ => options));
        return BitbucketProviders.Create(settings.Name, options, http, loggerFactory, time);
    }
}
