using CodeDoc.Core;
using CodeDoc.Git.Bitbucket.Cloud;
using CodeDoc.Git.Bitbucket.DataCenter;
using CodeDoc.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.Bitbucket;

/// <summary>Builds Bitbucket providers the same way for registrations and for the run-time factory.</summary>
internal static class BitbucketProviders
{
    /// <summary>The provider kind of both products.</summary>
    public const string Kind = "bitbucket";

    /// <summary>The webhook host kind of Bitbucket Cloud.</summary>
    public const string CloudWebhookKind = "bitbucket-cloud";

    /// <summary>The webhook host kind of Bitbucket Data Center.</summary>
    public const string DataCenterWebhookKind = "bitbucket-dc";

    /// <summary>Gets the name of a registration's HTTP client.</summary>
    /// <param name="name">The registration name.</param>
    /// <returns>The client name.</returns>
    public static string ClientName(string name) => "CodeDoc.Bitbucket." + name;

    /// <summary>Adds the authentication handler to a registration's HTTP client.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="options">Resolves the registration's validated options.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddAuthentication(IHttpClientBuilder builder, Func<IServiceProvider, BitbucketOptions> options) =>
        builder.AddHttpMessageHandler(sp =>
        {
            var current = options(sp);
            var endpoints = BitbucketEndpoints.From(current);
            return new BitbucketAuthenticationHandler(BitbucketCredentials.From(current, endpoints.IsCloud), endpoints);
        });

    /// <summary>Creates the provider validated options describe: Cloud or Data Center.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="options">The validated options; read once.</param>
    /// <param name="http">The registration's HTTP client (with the authentication handler).</param>
    /// <param name="loggerFactory">Creates the logger.</param>
    /// <param name="time">The clock.</param>
    /// <returns>The provider.</returns>
    public static IGitProvider Create(string name, BitbucketOptions options, HttpClient http, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var endpoints = BitbucketEndpoints.From(options);
        var connection = new BitbucketConnection(name, endpoints, BitbucketCredentials.From(options, endpoints.IsCloud), http, options.HourlyRequestLimit);
        return endpoints.IsCloud
            ? new BitbucketCloudProvider(name, connection, loggerFactory.CreateLogger<BitbucketCloudProvider>(), time)
            : new BitbucketDataCenterProvider(name, connection, loggerFactory.CreateLogger<BitbucketDataCenterProvider>());
    }

    /// <summary>Gets what the providers' HTTP clients retry: the common rules.</summary>
    public static HttpRetryRules RetryRules => HttpRetryRules.Default;
}
