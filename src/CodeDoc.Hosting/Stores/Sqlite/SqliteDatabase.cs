using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Stores.Sqlite;

/// <summary>
/// The host's SQLite file: opens pooled connections with the pragmas every connection needs, applies the schema
/// migrations once (at start from the hosted initializer, or on first use for a console command without a host), and
/// turns SQLite failures into <see cref="HostingStoreException"/> messages that name the file and the fix.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    // SQLite result codes (https://www.sqlite.org/rescode.html) that need a message of their own.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteCorrupt = 11;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;

    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly SemaphoreSlim _initialization = new(1, 1);
    private volatile bool _initialized;

    public SqliteDatabase(IOptions<CodeDocHostingOptions> options, TimeProvider timeProvider, ILogger<SqliteDatabase> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        FilePath = Path.GetFullPath(options.Value.DatabasePath);
        _timeProvider = timeProvider;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Gets the database file's full path.</summary>
    public string FilePath { get; }

    /// <summary>Applies the migrations the file lacks; safe to call from many threads, does the work once.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    public async Task EnsureInitializedAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        await _initialization.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            await using var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
            var applied = SqliteMigrations.Apply(connection, FilePath, _timeProvider);
            if (applied > 0)
            {
                StoreLog.MigrationsApplied(_logger, applied, SqliteMigrations.CurrentVersion);
            }

            _initialized = true;
        }
        catch (SqliteException e)
        {
            throw Translate(e);
        }
        finally
        {
            _initialization.Release();
        }
    }

    /// <summary>Runs work on an open connection of an initialized database, translating SQLite failures.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="work">The work.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The work's result.</returns>
    public async Task<T> ExecuteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw Translate(e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initialization.Dispose();
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(FilePath) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // secure_delete overwrites deleted content, so cleared history and purged secrets leave no remnants.
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private HostingStoreException Translate(SqliteException e)
    {
        var code = e.SqliteErrorCode;
        var message = code switch
        {
            SqliteCorrupt or SqliteNotADatabase =>
                $"The CodeDoc database '{FilePath}' is damaged or is not a SQLite database. Restore it from a backup, " +
                $"or move it (with its -wal and -shm files) away to start with an empty store; 'codedoc purge' cannot read it either.",
            SqliteBusy or SqliteLocked =>
                $"The CodeDoc database '{FilePath}' stayed locked by another connection or process for longer than the busy timeout. " +
                "Stop the other process that writes to it, or retry.",
            SqliteReadOnly =>
                $"The CodeDoc database '{FilePath}' is read-only. Give the host's account write access to the file and its folder.",
            SqliteCantOpen =>
                $"The CodeDoc database '{FilePath}' cannot be opened. Check that its folder exists and the host's account may write there (CodeDoc:Hosting:DatabasePath).",
            _ => string.Create(CultureInfo.InvariantCulture, $"The CodeDoc database '{FilePath}' failed (SQLite error {code}: {e.Message})."),
        };
        return new HostingStoreException(message, e);
    }
}
