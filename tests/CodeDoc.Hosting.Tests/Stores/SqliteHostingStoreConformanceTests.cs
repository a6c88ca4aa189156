using CodeDoc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Hosting.Tests.Stores;

/// <summary>The store contract on a real SQLite file in a temporary folder, secrets under a key file.</summary>
public sealed class SqliteHostingStoreConformanceTests : HostingStoreConformanceTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codedoc-conformance-").FullName;

    protected override void AddStore(IServiceCollection services)
    {
        var keyFile = Path.Combine(_folder, "keys.json");
        HostingKeyFile.Create(keyFile);
        services.AddCodeDoc().AddHosting(options =>
        {
            options.DatabasePath = Path.Combine(_folder, "codedoc.db");
            options.Encryption.KeyFile = keyFile;
        });
    }

    protected override ValueTask DisposeStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
