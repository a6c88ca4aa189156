using CodeDoc.Core;
using CodeDoc.FakeServers.Git;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Tests.Egress;

/// <summary>A host built the way an application builds it, with captured logs and the real store in a temporary folder.</summary>
internal sealed class EgressTestHost : IAsyncDisposable
{
    private readonly string _folder;

    private EgressTestHost(ServiceProvider services, CapturedLogs logs, string folder)
    {
        Services = services;
        Logs = logs;
        _folder = folder;
    }

    public ServiceProvider Services { get; }

    public CapturedLogs Logs { get; }

    public IProviderConfigurationStore Store => Services.GetRequiredService<IProviderConfigurationStore>();

    public static EgressTestHost Build(Action<ICodeDocBuilder> providers, Action<CodeDocHostingOptions>? hosting = null)
    {
        var logs = new CapturedLogs();
        var folder = Directory.CreateTempSubdirectory("codedoc-egress-").FullName;
        var keyFile = Path.Combine(folder, "keys.json");
        HostingKeyFile.Create(keyFile);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var builder = services.AddCodeDoc();
        providers(builder);
        builder.AddHosting(options =>
        {
            options.DatabasePath = Path.Combine(folder, "codedoc.db");
            options.Encryption.KeyFile = keyFile;
            hosting?.Invoke(options);
        });
        return new EgressTestHost(services.BuildServiceProvider(), logs, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
