using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CodeDoc.Core;

namespace CodeDoc.Hosting.Stores.Sqlite;

/// <summary>
/// The audit log: append-only rows, each hashed (SHA-256) over a canonical encoding of its fields and the previous
/// row's hash, so an edited or removed row breaks the chain from there on. The last row's sequence and hash are also
/// kept in <c>audit_head</c>, so rows cut from the end are noticed too.
/// </summary>
internal sealed partial class SqliteHostingStore
{
    /// <summary>The previous hash of the first row.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private const int ReadPageSize = 500;
    private const int MaxActorLength = 256;
    private const int MaxActionLength = 128;
    private const int MaxTargetLength = 512;
    private const int MaxDetails = 64;
    private const int MaxDetailKeyLength = 128;
    private const int MaxDetailValueLength = 2048;

    /// <inheritdoc />
    public async ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        await AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Read in pages, so no connection stays open while the caller works on the rows.
        long after = 0;
        while (true)
        {
            var page = await ReadAuditPageAsync(after, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < ReadPageSize)
            {
                yield break;
            }

            after = page[^1].Sequence;
        }
    }

    /// <inheritdoc />
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        long checkedRows = 0;
        var expectedSequence = 1L;
        var previousHash = GenesisHash;
        await foreach (var entry in ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            checkedRows++;
            var intact = entry.Sequence == expectedSequence
                && entry.PreviousHash == previousHash
                && entry.Hash == ComputeHash(entry.Sequence, StoreValues.Timestamp(entry.Timestamp), entry.Actor, entry.Action, entry.Target, entry.Details, entry.PreviousHash);
            if (!intact)
            {
                return new AuditVerification(false, checkedRows, entry.Sequence);
            }

            expectedSequence++;
            previousHash = entry.Hash;
        }

        var lastSequence = expectedSequence - 1;
        var (headSequence, headHash) = await ReadAuditHeadAsync(cancellationToken).ConfigureAwait(false);
        return headSequence == lastSequence && headHash == previousHash
            ? new AuditVerification(true, checkedRows, null)
            : new AuditVerification(false, checkedRows, Math.Min(headSequence, lastSequence) + 1);
    }

    /// <inheritdoc />
    public async Task<long> ExportCsvAsync(TextWriter destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await destination.WriteAsync("sequence,timestamp,actor,action,target,details,previous_hash,hash\r\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        long rows = 0;
        await foreach (var entry in ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var fields = new[]
            {
                entry.Sequence.ToString(CultureInfo.InvariantCulture),
                StoreValues.Timestamp(entry.Timestamp),
                entry.Actor,
                entry.Action,
                entry.Target,
                JsonSerializer.Serialize(entry.Details, StoreValues.Json),
                entry.PreviousHash,
                entry.Hash,
            };
            await destination.WriteAsync((string.Join(',', fields.Select(CsvField)) + "\r\n").AsMemory(), cancellationToken).ConfigureAwait(false);
            rows++;
        }

        return rows;
    }

    /// <summary>Appends a row in an IMMEDIATE transaction, so concurrent appends (from any process) chain one after another.</summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The row.</returns>
    internal Task<AuditEntry> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var actor = Cap(auditEvent.Actor, MaxActorLength);
        var action = Cap(auditEvent.Action, MaxActionLength);
        var target = Cap(auditEvent.Target, MaxTargetLength);
        var details = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in auditEvent.Details.OrderBy(d => d.Key, StringComparer.Ordinal).Take(MaxDetails))
        {
            details[Cap(key, MaxDetailKeyLength)] = Cap(value, MaxDetailValueLength);
        }

        var timestamp = StoreValues.Timestamp(auditEvent.Timestamp);
        return _database.ExecuteAsync(
            async connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                long sequence;
                string previousHash;
                await using (var last = connection.CreateCommand())
                {
                    last.Transaction = transaction;
                    last.CommandText = "SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1";
                    await using var reader = await last.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    var any = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    sequence = any ? reader.GetInt64(0) + 1 : 1;
                    previousHash = any ? reader.GetString(1) : GenesisHash;
                }

                var hash = ComputeHash(sequence, timestamp, actor, action, target, details, previousHash);
                await using (var insert = connection.CreateCommand())
                {
                    insert.Transaction = transaction;
                    insert.CommandText = """
                        INSERT INTO audit_log (sequence, timestamp, actor, action, target, details_json, previous_hash, hash)
                        VALUES ($sequence, $timestamp, $actor, $action, $target, $details, $previousHash, $hash)
                        """;
                    insert.Parameters.AddWithValue("$sequence", sequence);
                    insert.Parameters.AddWithValue("$timestamp", timestamp);
                    insert.Parameters.AddWithValue("$actor", actor);
                    insert.Parameters.AddWithValue("$action", action);
                    insert.Parameters.AddWithValue("$target", target);
                    insert.Parameters.AddWithValue("$details", JsonSerializer.Serialize(details, StoreValues.Json));
                    insert.Parameters.AddWithValue("$previousHash", previousHash);
                    insert.Parameters.AddWithValue("$hash", hash);
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var head = connection.CreateCommand())
                {
                    head.Transaction = transaction;
                    head.CommandText = "INSERT OR REPLACE INTO audit_head (id, sequence, hash) VALUES (1, $sequence, $hash)";
                    head.Parameters.AddWithValue("$sequence", sequence);
                    head.Parameters.AddWithValue("$hash", hash);
                    await head.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                transaction.Commit();
                return new AuditEntry
                {
                    Sequence = sequence,
                    Timestamp = StoreValues.ParseTimestamp(timestamp),
                    Actor = actor,
                    Action = action,
                    Target = target,
                    Details = details,
                    PreviousHash = previousHash,
                    Hash = hash,
                };
            },
            cancellationToken);
    }

    /// <summary>
    /// Hashes a row: every field as a 4-byte big-endian length and its UTF-8 bytes, details sorted by key (ordinal),
    /// so no two different rows share an encoding.
    /// </summary>
    private static string ComputeHash(long sequence, string timestamp, string actor, string action, string target, IReadOnlyDictionary<string, string> details, string previousHash)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Append(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        Append(sequence.ToString(CultureInfo.InvariantCulture));
        Append(timestamp);
        Append(actor);
        Append(action);
        Append(target);
        Append(details.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in details.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            Append(key);
            Append(value);
        }

        Append(previousHash);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Cap(string? value, int length) =>
        value is null ? string.Empty : value.Length <= length ? value : value[..(length - 1)] + "…";

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private Task<(long Sequence, string Hash)> ReadAuditHeadAsync(CancellationToken cancellationToken) =>
        _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT sequence, hash FROM audit_head WHERE id = 1";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetString(1)) : (0L, GenesisHash);
            },
            cancellationToken);

    private Task<List<AuditEntry>> ReadAuditPageAsync(long after, CancellationToken cancellationToken) =>
        _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    SELECT sequence, timestamp, actor, action, target, details_json, previous_hash, hash
                    FROM audit_log WHERE sequence > $after ORDER BY sequence LIMIT $limit
                    """;
                command.Parameters.AddWithValue("$after", after);
                command.Parameters.AddWithValue("$limit", ReadPageSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var page = new List<AuditEntry>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    page.Add(new AuditEntry
                    {
                        Sequence = reader.GetInt64(0),
                        Timestamp = StoreValues.ParseTimestamp(reader.GetString(1)),
                        Actor = reader.GetString(2),
                        Action = reader.GetString(3),
                        Target = reader.GetString(4),
                        Details = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5), StoreValues.Json)!,
                        PreviousHash = reader.GetString(6),
                        Hash = reader.GetString(7),
                    });
                }

                return page;
            },
            cancellationToken);
}
