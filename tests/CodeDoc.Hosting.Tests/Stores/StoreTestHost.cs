using CodeDoc.Hosting.Stores.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Tests.Stores;

/// <summary>A temporary folder with a key file and a database path, and hosts built on it.</summary>
internal sealed class StoreTestHost : IAsyncDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    public StoreTestHost()
    {
        Folder = Directory.CreateTempSubdirectory("codedoc-store-").FullName;
        DatabasePath = Path.Combine(Folder, "data", "codedoc.db");
        KeyFile = Path.Combine(Folder, "keys", "codedoc-keys.json");
    }

    public string Folder { get; }

    public string DatabasePath { get; }

    public string KeyFile { get; }

    /// <summary>Builds services with the store on <see cref="DatabasePath"/>; the key file is created on first use unless options say otherwise.</summary>
    public ServiceProvider Build(Action<CodeDocHostingOptions>? configure = null, Action<IServiceCollection>? services = null, ILoggerProvider? logs = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                builder.AddProvider(logs);
            }
        });
        collection.AddCodeDoc().AddHosting(options =>
        {
            options.DatabasePath = DatabasePath;
            if (configure is null)
            {
                EnsureKeyFile();
                options.Encryption.KeyFile = KeyFile;
            }
            else
            {
                configure(options);
            }
        });
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    public void EnsureKeyFile()
    {
        if (!File.Exists(KeyFile))
        {
            HostingKeyFile.Create(KeyFile);
        }
    }

    /// <summary>Opens a raw connection to the file, outside the store, to look at or tamper with it.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public void ExecuteRaw(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Reads the database file and its WAL as they are on disk, while connections may hold them open.</summary>
    public byte[] ReadFileBytes()
    {
        var bytes = new List<byte>();
        foreach (var path in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-journal" })
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                bytes.AddRange(copy.ToArray());
            }
        }

        return [.. bytes];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; the test's result does not depend on it.
        }
    }

    internal static SqliteHostingStore Store(IServiceProvider provider) => provider.GetRequiredService<SqliteHostingStore>();
}
