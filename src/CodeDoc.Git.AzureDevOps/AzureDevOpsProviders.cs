using CodeDoc.Core;
using CodeDoc.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>Builds Azure DevOps providers the same way for registrations and for the run-time factory.</summary>
internal static class AzureDevOpsProviders
{
    /// <summary>The provider kind, also the webhook host kind.</summary>
    public const string Kind = "azure-devops";

    /// <summary>Gets what the providers' HTTP clients retry: the common rules.</summary>
    public static HttpRetryRules RetryRules => HttpRetryRules.Default;

    /// <summary>Gets the name of a registration's HTTP client.</summary>
    /// <param name="name">The registration name.</param>
    /// <returns>The client name.</returns>
    public static string ClientName(string name) => "CodeDoc.AzureDevOps." + name;

    /// <summary>Gets the base address of options, ending with '/'.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The address.</returns>
    public static Uri BaseAddressOf(AzureDevOpsOptions options)
    {
        var address = options.BaseAddress ?? AzureDevOpsOptions.ServicesAddress;
        return address.AbsolutePath.EndsWith('/') ? address : new UriBuilder(address) { Path = address.AbsolutePath + "/" }.Uri;
    }

    /// <summary>Tells whether an address is Azure DevOps Services.</summary>
    /// <param name="address">The base address.</param>
    /// <returns>Whether its host is <c>dev.azure.com</c>.</returns>
    public static bool IsServices(Uri address) => string.Equals(address.IdnHost, "dev.azure.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>Adds the handler (credentials, headers, sign-in pages, throttling) to a registration's HTTP client.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="credentials">Resolves the registration's credentials.</param>
    /// <param name="options">Resolves the registration's validated options.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddHandler(IHttpClientBuilder builder, string name, Func<IServiceProvider, AzureDevOpsCredentials> credentials, Func<IServiceProvider, AzureDevOpsOptions> options) =>
        builder.AddHttpMessageHandler(sp =>
        {
            var current = options(sp);
            return new AzureDevOpsHandler(
                name,
                credentials(sp),
                BaseAddressOf(current),
                current.Http.MaxRetryAfter,
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                (sp.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger<AzureDevOpsProvider>());
        });

    /// <summary>Creates the provider.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="credentials">The registration's credentials (shared with its handler).</param>
    /// <param name="http">The registration's HTTP client.</param>
    /// <param name="loggerFactory">Creates the logger.</param>
    /// <returns>The provider.</returns>
    public static IGitProvider Create(string name, AzureDevOpsOptions options, AzureDevOpsCredentials credentials, HttpClient http, ILoggerFactory loggerFactory) =>
        new AzureDevOpsProvider(name, new AzureDevOpsConnection(name, options, credentials, http), loggerFactory.CreateLogger<AzureDevOpsProvider>());
}
