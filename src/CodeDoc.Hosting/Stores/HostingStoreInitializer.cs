using CodeDoc.Hosting.Stores.Sqlite;
using Microsoft.Extensions.Hosting;

namespace CodeDoc.Hosting.Stores;

/// <summary>
/// Brings the store up at start, before the worker (registered after it) reads anything: applies the schema
/// migrations and loads the encryption key, so a damaged file or a missing key stops the host at once.
/// </summary>
internal sealed class HostingStoreInitializer : IHostedService
{
    private readonly SqliteDatabase _database;
    private readonly ISecretProtector _protector;

    public HostingStoreInitializer(SqliteDatabase database, ISecretProtector protector)
    {
        _database = database;
        _protector = protector;
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        _ = _protector.CurrentKeyId;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
