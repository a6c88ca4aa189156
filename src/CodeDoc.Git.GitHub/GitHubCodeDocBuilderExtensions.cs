using CodeDoc.Core;
using CodeDoc.Git.GitHub;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>
/// Registers GitHub providers (kind <c>github</c>): github.com, GHE.com and GitHub Enterprise Server, each a named,
/// keyed <see cref="IGitProvider"/> with its own options, HTTP client and start-up validation; plus the factory for
/// providers configured at run time and the <c>github</c> webhook handler.
/// </summary>
public static class GitHubCodeDocBuilderExtensions
{
    private const string DefaultName = GitHubGitProvider.ProviderKind;

    /// <summary>Registers a GitHub provider named <c>github</c> for github.com, without credentials (public repositories only).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitHub(this ICodeDocBuilder builder) => AddGitHub(builder, DefaultName, configure: null);

    /// <summary>Registers a GitHub provider named <c>github</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitHub(this ICodeDocBuilder builder, Action<GitHubOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddGitHub(builder, DefaultName, configure);
    }

    /// <summary>Registers a named GitHub provider, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (keyed service key, options name, HTTP client suffix); unique among Git providers.</param>
    /// <param name="configure">Sets the options, if given.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitHub(this ICodeDocBuilder builder, string name, Action<GitHubOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = builder.Services.AddOptionsWithValidateOnStart<GitHubOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder, name, $"CodeDoc:Git:{name}");
    }

    /// <summary>Registers a named GitHub provider bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among Git providers.</param>
    /// <param name="section">The section, e.g. <c>CodeDoc:Git:oss</c>, holding <c>BaseAddress</c>, <c>Token</c>, <c>App</c>, <c>Http</c>, ...</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitHub(this ICodeDocBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptionsWithValidateOnStart<GitHubOptions>(name).Bind(section);
        return Register(builder, name, section.Path);
    }

    /// <summary>
    /// Registers the factory that builds GitHub providers (kind <c>github</c>) from settings at run time (provider configurations a host stores), and the <c>github</c> webhook handler,
    /// without registering a provider instance.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitHubFactory(this ICodeDocBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddGitProviderFactory<GitHubGitProviderFactory>(GitHubGitProvider.ProviderKind);
        return builder.AddWebhookHandler(GitHubWebhookHandler.Kind, _ => new GitHubWebhookHandler());
    }

    private static ICodeDocBuilder Register(ICodeDocBuilder builder, string name, string configurationPath)
    {
        var services = builder.Services;
        builder.AddGitProvider(name, GitHubGitProvider.ProviderKind, sp => new GitHubGitProvider(
            name,
            Options(sp, name),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(GitHubHttp.ClientName(name)),
            TokenField(configurationPath),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<GitHubGitProvider>()));
        services.AddSingleton<IValidateOptions<GitHubOptions>>(new GitHubOptionsValidator(name, configurationPath));
        GitHubHttp.Register(services, name, sp => Options(sp, name));
        services.TryAddSingleton(TimeProvider.System);
        return builder.AddGitHubFactory();
    }

    private static GitHubOptions Options(IServiceProvider services, string name) => services.GetRequiredService<IOptionsMonitor<GitHubOptions>>().Get(name);

    private static string TokenField(string configurationPath) => configurationPath.Length == 0 ? "Token" : $"{configurationPath}:Token";
}
