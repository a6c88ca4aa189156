using System.Globalization;
using CodeDoc.Core;
using Microsoft.Data.Sqlite;

namespace CodeDoc.Hosting.Stores.Sqlite;

/// <summary>Clear history, purge, and re-encryption under the current key.</summary>
internal sealed partial class SqliteHostingStore
{
    /// <inheritdoc />
    public async Task<int> ClearHistoryAsync(string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var count = await ((IRunHistoryStore)this).ClearAsync(cancellationToken).ConfigureAwait(false);
        await AppendAsync(
            new AuditEvent(_timeProvider.GetUtcNow(), actor, "history.cleared", "runs")
            {
                Details = new Dictionary<string, string> { ["count"] = count.ToString(CultureInfo.InvariantCulture) },
            },
            CancellationToken.None).ConfigureAwait(false);
        StoreLog.HistoryCleared(_logger, count);
        return count;
    }

    /// <inheritdoc />
    public async Task PurgeAsync(CancellationToken cancellationToken = default)
    {
        _deliveries.Forget();
        try
        {
            await PurgeRowsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _deliveries.Forget();
            _repositoryLookups.Invalidate();
            _jobLists.Invalidate();
        }

        StoreLog.Purged(_logger, _database.FilePath);
    }

    private Task<int> PurgeRowsAsync(CancellationToken cancellationToken) =>
        _database.ExecuteAsync(
            async connection =>
            {
                using (var transaction = connection.BeginTransaction(deferred: false))
                {
                    foreach (var table in SqliteMigrations.DataTables)
                    {
                        await using var delete = connection.CreateCommand();
                        delete.Transaction = transaction;
#pragma warning disable CA2100 // Table names are the migrations' constants.
                        delete.CommandText = "DELETE FROM " + table;
#pragma warning restore CA2100
                        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    transaction.Commit();
                }

                // secure_delete zeroed the rows; VACUUM drops the freed pages and the checkpoint empties the WAL, so
                // no copy of a deleted row survives in either file.
                await using var compact = connection.CreateCommand();
                compact.CommandText = "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";
                await compact.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);

    /// <inheritdoc />
    public async Task<int> ReencryptAsync(string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var currentKeyId = _protector.CurrentKeyId;
        var count = await ReencryptColumnAsync("provider_configurations", "secrets", "secrets_key_id", ProviderAssociatedData, currentKeyId, cancellationToken).ConfigureAwait(false);
        try
        {
            count += await ReencryptColumnAsync("repositories", "webhook_secret", "webhook_secret_key_id", RepositoryAssociatedData, currentKeyId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _repositoryLookups.Invalidate();
        }

        await AppendAsync(
            new AuditEvent(_timeProvider.GetUtcNow(), actor, "secrets.reencrypted", "secrets")
            {
                Details = new Dictionary<string, string>
                {
                    ["count"] = count.ToString(CultureInfo.InvariantCulture),
                    ["keyId"] = currentKeyId,
                },
            },
            CancellationToken.None).ConfigureAwait(false);
        StoreLog.SecretsReencrypted(_logger, count, currentKeyId);
        return count;
    }

    /// <summary>Re-encrypts one secret column row by row; each row is its own write, so a cancelled rotation keeps what it did.</summary>
    private Task<int> ReencryptColumnAsync(
        string table, string column, string keyIdColumn, Func<string, string> associatedData, string currentKeyId, CancellationToken cancellationToken) =>
        _database.ExecuteAsync(
            async connection =>
            {
                var rows = new List<(string Id, byte[] Ciphertext)>();
                await using (var select = connection.CreateCommand())
                {
#pragma warning disable CA2100 // Table and column names are this class's constants.
                    select.CommandText = $"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND {keyIdColumn} IS NOT $current";
#pragma warning restore CA2100
                    select.Parameters.AddWithValue("$current", currentKeyId);
                    await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add((reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
                    }
                }

                var count = 0;
                foreach (var (id, ciphertext) in rows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var data = associatedData(id);
                    var renewed = _protector.Protect(_protector.Unprotect(ciphertext, data), data);
                    count += await UpdateCiphertextAsync(connection, table, column, keyIdColumn, id, ciphertext, renewed, cancellationToken).ConfigureAwait(false);
                }

                return count;
            },
            cancellationToken);

    private async Task<int> UpdateCiphertextAsync(
        SqliteConnection connection, string table, string column, string keyIdColumn, string id, byte[] old, byte[] renewed, CancellationToken cancellationToken)
    {
        await using var update = connection.CreateCommand();
#pragma warning disable CA2100 // Table and column names are this class's constants.
        // Only if the row still holds what was read: a secret saved meanwhile is already under the current key.
        update.CommandText = $"UPDATE {table} SET {column} = $renewed, {keyIdColumn} = $keyId WHERE id = $id AND {column} = $old";
#pragma warning restore CA2100
        update.Parameters.AddWithValue("$renewed", renewed);
        update.Parameters.AddWithValue("$keyId", _protector.GetKeyId(renewed));
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$old", old);
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
