using CodeDoc.Core;
using CodeDoc.FakeServers.Git;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Tests.Egress;

/// <summary>A host built the way an application builds it, with captured logs and stored configurations in memory.</summary>
internal sealed class EgressTestHost : IAsyncDisposable
{
    private EgressTestHost(ServiceProvider services, CapturedLogs logs, InMemoryConfigurationStore store)
    {
        Services = services;
        Logs = logs;
        Store = store;
    }

    public ServiceProvider Services { get; }

    public CapturedLogs Logs { get; }

    public InMemoryConfigurationStore Store { get; }

    public static EgressTestHost Build(Action<ICodeDocBuilder> providers, Action<CodeDocHostingOptions>? hosting = null)
    {
        var logs = new CapturedLogs();
        var store = new InMemoryConfigurationStore();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var builder = services.AddCodeDoc();
        providers(builder);
        builder.AddHosting(hosting);

        // Registered last so it stands in for the SQLite store: these tests are about addresses, not storage.
        services.AddSingleton<IProviderConfigurationStore>(store);
        return new EgressTestHost(services.BuildServiceProvider(), logs, store);
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}

/// <summary>Keeps configurations in memory; lists them without secret values, as the store contract says.</summary>
internal sealed class InMemoryConfigurationStore : IProviderConfigurationStore
{
    private readonly Dictionary<string, ProviderConfiguration> _configurations = new(StringComparer.OrdinalIgnoreCase);

    public Task SaveAsync(ProviderConfiguration configuration, CancellationToken cancellationToken = default)
    {
        lock (_configurations)
        {
            _configurations[configuration.Id] = configuration;
        }

        return Task.CompletedTask;
    }

    public Task<ProviderConfiguration?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_configurations)
        {
            return Task.FromResult(_configurations.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<ProviderConfiguration>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_configurations)
        {
            IReadOnlyList<ProviderConfiguration> list = [.. _configurations.Values.Select(c => c with { Secrets = c.Secrets.ToDictionary(p => p.Key, _ => string.Empty) })];
            return Task.FromResult(list);
        }
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_configurations)
        {
            return Task.FromResult(_configurations.Remove(id));
        }
    }
}
