using CodeDoc.Core;
using CodeDoc.Git.AzureDevOps;
using CodeDoc.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>
/// Registers Azure DevOps providers (kind <c>azure-devops</c>) for Azure DevOps Services or Server, and the service
/// hook handler (<c>azure-devops</c>) that verifies and parses <c>git.push</c> events.
/// </summary>
public static class AzureDevOpsCodeDocBuilderExtensions
{
    private const string DefaultName = "azure-devops";

    /// <summary>Registers an Azure DevOps Services provider named <c>azure-devops</c> without credentials (public projects).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAzureDevOps(this ICodeDocBuilder builder) => AddAzureDevOps(builder, DefaultName, configure: null);

    /// <summary>Registers an Azure DevOps provider named <c>azure-devops</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAzureDevOps(this ICodeDocBuilder builder, Action<AzureDevOpsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddAzureDevOps(builder, DefaultName, configure);
    }

    /// <summary>Registers a named Azure DevOps provider, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (the keyed service key and the options name).</param>
    /// <param name="configure">Sets the options, if given.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAzureDevOps(this ICodeDocBuilder builder, string name, Action<AzureDevOpsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = builder.Services.AddOptionsWithValidateOnStart<AzureDevOpsOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder, name, $"CodeDoc:Git:{name}");
    }

    /// <summary>Registers a named Azure DevOps provider bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (the keyed service key and the options name).</param>
    /// <param name="section">The section, e.g. <c>CodeDoc:Git:work</c>, holding <c>BaseAddress</c>, <c>Token</c>, <c>TenantId</c>, ...</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAzureDevOps(this ICodeDocBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptionsWithValidateOnStart<AzureDevOpsOptions>(name).Bind(section);
        return Register(builder, name, section.Path);
    }

    /// <summary>
    /// Registers the service hook handler (<c>azure-devops</c>). Azure DevOps does not sign its deliveries: the handler
    /// checks the Basic credentials of the subscription (secret <c>user:password</c>, or just the password), or a
    /// header configured on the subscription when <paramref name="headerName"/> is given, in constant time.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="headerName">The name of the custom header that carries the secret; <see langword="null"/> for Basic credentials.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAzureDevOpsWebhooks(this ICodeDocBuilder builder, string? headerName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddWebhookHandler(AzureDevOpsProviders.Kind, _ => new AzureDevOpsWebhookHandler(headerName));
    }

    /// <summary>
    /// Registers the factory that builds Azure DevOps providers (kind <c>azure-devops</c>) from settings at run time (provider configurations a host stores), and the service hook handler (Basic credentials),
    /// without registering a provider instance.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAzureDevOpsFactory(this ICodeDocBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddGitProviderFactory<AzureDevOpsGitProviderFactory>(AzureDevOpsProviders.Kind);
        return builder.AddAzureDevOpsWebhooks();
    }

    private static ICodeDocBuilder Register(ICodeDocBuilder builder, string name, string configurationPath)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<AzureDevOpsOptions>>(new AzureDevOpsOptionsValidator(name, configurationPath));
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddKeyedSingleton(name, (sp, _) => AzureDevOpsCredentials.From(Options(sp), sp.GetRequiredService<TimeProvider>()));

        AzureDevOpsOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptionsMonitor<AzureDevOpsOptions>>().Get(name);
        AzureDevOpsCredentials Credentials(IServiceProvider sp) => sp.GetRequiredKeyedService<AzureDevOpsCredentials>(name);
        var clientName = AzureDevOpsProviders.ClientName(name);
        AzureDevOpsProviders.AddHandler(services.AddCodeDocHttpClient(clientName, sp => Options(sp).Http, AzureDevOpsProviders.RetryRules), name, Credentials, Options);

        builder.AddAzureDevOpsFactory();
        return builder.AddGitProvider(name, AzureDevOpsProviders.Kind, sp => AzureDevOpsProviders.Create(
            name,
            Options(sp),
            Credentials(sp),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
    }
}
