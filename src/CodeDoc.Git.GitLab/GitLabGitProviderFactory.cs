using CodeDoc.Core;
using CodeDoc.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeDoc.Git.GitLab;

/// <summary>
/// Builds GitLab providers from settings at run time (stored job configurations, CLI flags). The settings use the
/// option keys (<c>BaseAddress</c>, <c>Token</c>, <c>Http:Proxy</c>, ...), are validated exactly as start-up
/// validation does, and the provider gets its own HTTP client with the same resilience and handlers.
/// </summary>
/// <param name="timeProvider">The clock; the system clock when none is registered.</param>
/// <param name="loggerFactory">The logger factory; no logging when none is registered.</param>
internal sealed class GitLabGitProviderFactory(TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null) : IGitProviderFactory
{
    /// <inheritdoc />
    public string Kind => GitLabGitProvider.ProviderKind;

    /// <inheritdoc />
    public IGitProvider Create(ProviderSettings settings)
    {
        var options = ProviderSettingsReader.Read<GitLabOptions>(settings, Kind, "GitLab", "BaseAddress takes an absolute URL.", o => GitLabOptionsValidator.Check(o, configurationPath: string.Empty), o => o.Http);

        // A private container gives this provider the same named client (resilience, proxy, CA) as a registered one.
        var clock = timeProvider ?? TimeProvider.System;
        var logging = loggerFactory ?? NullLoggerFactory.Instance;
        var services = new ServiceCollection();
        services.AddSingleton(logging);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(clock);
        GitLabHttp.Register(services, settings.Name, _ => options);
        var client = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient(GitLabHttp.ClientName(settings.Name));
        return new GitLabGitProvider(settings.Name, options, client, "Token", clock, logging.CreateLogger<GitLabGitProvider>());
    }
}
