using CodeDoc.Core;
using CodeDoc.Git.GitLab;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>
/// Registers GitLab providers (kind <c>gitlab</c>): gitlab.com and self-managed instances, each a named, keyed
/// <see cref="IGitProvider"/> with its own options, HTTP client and start-up validation; plus the factory for
/// providers configured at run time and the <c>gitlab</c> webhook handler.
/// </summary>
public static class GitLabCodeDocBuilderExtensions
{
    private const string DefaultName = GitLabGitProvider.ProviderKind;

    /// <summary>Registers a GitLab provider named <c>gitlab</c> for gitlab.com, without a token (public projects only).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitLab(this ICodeDocBuilder builder) => AddGitLab(builder, DefaultName, configure: null);

    /// <summary>Registers a GitLab provider named <c>gitlab</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitLab(this ICodeDocBuilder builder, Action<GitLabOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddGitLab(builder, DefaultName, configure);
    }

    /// <summary>Registers a named GitLab provider, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (keyed service key, options name, HTTP client suffix); unique among Git providers.</param>
    /// <param name="configure">Sets the options, if given.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitLab(this ICodeDocBuilder builder, string name, Action<GitLabOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = builder.Services.AddOptionsWithValidateOnStart<GitLabOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder, name, $"CodeDoc:Git:{name}");
    }

    /// <summary>Registers a named GitLab provider bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among Git providers.</param>
    /// <param name="section">The section, e.g. <c>CodeDoc:Git:work</c>, holding <c>BaseAddress</c>, <c>Token</c>, <c>Http</c>.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitLab(this ICodeDocBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptionsWithValidateOnStart<GitLabOptions>(name).Bind(section);
        return Register(builder, name, section.Path);
    }

    /// <summary>
    /// Registers the factory that builds GitLab providers (kind <c>gitlab</c>) from settings at run time (provider configurations a host stores), and the <c>gitlab</c> webhook handler,
    /// without registering a provider instance.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitLabFactory(this ICodeDocBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddGitProviderFactory<GitLabGitProviderFactory>(GitLabGitProvider.ProviderKind);
        return builder.AddWebhookHandler(GitLabWebhookHandler.Kind, sp => new GitLabWebhookHandler(sp.GetService<TimeProvider>() ?? TimeProvider.System));
    }

    private static ICodeDocBuilder Register(ICodeDocBuilder builder, string name, string configurationPath)
    {
        var services = builder.Services;
        builder.AddGitProvider(name, GitLabGitProvider.ProviderKind, sp => new GitLabGitProvider(
            name,
            Options(sp, name),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(GitLabHttp.ClientName(name)),
            configurationPath.Length == 0 ? "Token" : $"{configurationPath}:Token",
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<GitLabGitProvider>()));
        services.AddSingleton<IValidateOptions<GitLabOptions>>(new GitLabOptionsValidator(name, configurationPath));
        GitLabHttp.Register(services, name, sp => Options(sp, name));
        services.TryAddSingleton(TimeProvider.System);
        builder.AddGitLabFactory();
        return builder;
    }

    private static GitLabOptions Options(IServiceProvider services, string name) => services.GetRequiredService<IOptionsMonitor<GitLabOptions>>().Get(name);
}
