using CodeDoc.Core;
using CodeDoc.Git.Bitbucket;
using CodeDoc.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>
/// Registers Bitbucket providers (kind <c>bitbucket</c>): Bitbucket Cloud, or Bitbucket Data Center when
/// <see cref="BitbucketOptions.BaseAddress"/> is another address than <c>https://bitbucket.org/</c>. Each registration
/// also registers the webhook handlers of both products (<c>bitbucket-cloud</c>, <c>bitbucket-dc</c>).
/// </summary>
public static class BitbucketCodeDocBuilderExtensions
{
    private const string DefaultName = BitbucketProviders.Kind;

    /// <summary>Registers a Bitbucket Cloud provider named <c>bitbucket</c> that reads public repositories anonymously.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddBitbucket(this ICodeDocBuilder builder) => AddBitbucket(builder, DefaultName, configure: null);

    /// <summary>Registers a Bitbucket provider named <c>bitbucket</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddBitbucket(this ICodeDocBuilder builder, Action<BitbucketOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddBitbucket(builder, DefaultName, configure);
    }

    /// <summary>Registers a named Bitbucket provider, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (the keyed service key and the options name).</param>
    /// <param name="configure">Sets the options, if given.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddBitbucket(this ICodeDocBuilder builder, string name, Action<BitbucketOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = builder.Services.AddOptionsWithValidateOnStart<BitbucketOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder, name, $"CodeDoc:Git:{name}");
    }

    /// <summary>Registers a named Bitbucket provider bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (the keyed service key and the options name).</param>
    /// <param name="section">The section, e.g. <c>CodeDoc:Git:work</c>, holding <c>BaseAddress</c>, <c>Token</c>, <c>Email</c>, ...</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddBitbucket(this ICodeDocBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptionsWithValidateOnStart<BitbucketOptions>(name).Bind(section);
        return Register(builder, name, section.Path);
    }

    /// <summary>
    /// Registers the webhook handlers of Bitbucket Cloud (<c>bitbucket-cloud</c>) and Bitbucket Data Center
    /// (<c>bitbucket-dc</c>) without a provider, for hosts that only receive webhooks. Both verify
    /// <c>X-Hub-Signature</c> (HMAC-SHA256 of the body with the hook's secret) and parse push events.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddBitbucketWebhooks(this ICodeDocBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddWebhookHandler(BitbucketProviders.CloudWebhookKind, _ => new BitbucketCloudWebhookHandler());
        return builder.AddWebhookHandler(BitbucketProviders.DataCenterWebhookKind, _ => new BitbucketDataCenterWebhookHandler());
    }

    /// <summary>
    /// Registers the factory that builds Bitbucket Cloud and Data Center providers (kind <c>bitbucket</c>) from settings at run time (provider configurations a host stores), and both webhook handlers,
    /// without registering a provider instance.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddBitbucketFactory(this ICodeDocBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddGitProviderFactory<BitbucketGitProviderFactory>(BitbucketProviders.Kind);
        return builder.AddBitbucketWebhooks();
    }

    private static ICodeDocBuilder Register(ICodeDocBuilder builder, string name, string configurationPath)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<BitbucketOptions>>(new BitbucketOptionsValidator(name, configurationPath));
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();

        BitbucketOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptionsMonitor<BitbucketOptions>>().Get(name);
        var clientName = BitbucketProviders.ClientName(name);
        BitbucketProviders.AddAuthentication(services.AddCodeDocHttpClient(clientName, sp => Options(sp).Http, BitbucketProviders.RetryRules), Options);

        builder.AddBitbucketFactory();
        return builder.AddGitProvider(name, BitbucketProviders.Kind, sp => BitbucketProviders.Create(
            name,
            Options(sp),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            sp.GetRequiredService<TimeProvider>()));
    }
}
