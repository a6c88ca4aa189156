using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace CodeDoc.Hosting.Stores.Sqlite;

/// <summary>
/// Group commit for webhook delivery keys: one writer drains the requests that arrived meanwhile and records them in
/// one transaction, so concurrent deliveries share one disk sync instead of queueing for one each. A caller's task
/// completes only after the transaction holding its keys has committed, so <see langword="true"/> still means "durably
/// recorded". The writer is the only one that inserts keys, and a key is inserted with <c>INSERT OR IGNORE</c> against
/// the primary key, so two requests for one key never both see it as new, in one batch or across batches.
/// </summary>
internal sealed class DeliveryRecorder
{
    // Enough to empty the queue of a busy host in one commit, small enough to keep one transaction short.
    private const int MaxBatch = 256;

    // Keys committed recently, so the redeliveries hosts send right after a timeout are answered without a read.
    private const int MaxRemembered = 16_384;

    private readonly SqliteDatabase _database;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<(string HostKind, string Key)> _remembered = [];
    private readonly Queue<(string HostKind, string Key)> _rememberedOrder = new();
    private readonly Lock _startLock = new();
    private Task? _writer;

    // Bumped by a prune or purge: keys remembered before it may be gone from the table, so the writer forgets them all.
    private long _forgetGeneration;
    private long _writerGeneration;

    public DeliveryRecorder(SqliteDatabase database) => _database = database;

    /// <summary>Records a delivery's keys in order, stopping at the first key already recorded.</summary>
    /// <param name="hostKind">The host kind.</param>
    /// <param name="keys">The keys (its id, its body hash).</param>
    /// <param name="receivedAt">When it arrived.</param>
    /// <param name="cancellationToken">Cancels the request while it waits for the writer; once in a transaction it completes.</param>
    /// <returns><see langword="true"/> when every key was new and is now committed.</returns>
    public Task<bool> RecordAsync(string hostKind, IReadOnlyList<string> keys, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureWriter();
        var request = new Request(hostKind, keys, StoreValues.Timestamp(receivedAt), cancellationToken);
        if (!_requests.Writer.TryWrite(request))
        {
            throw new InvalidOperationException("The webhook delivery writer has stopped.");
        }

        return request.Completion.Task;
    }

    /// <summary>Makes the writer forget the keys it remembers, after rows were deleted from the table.</summary>
    public void Forget() => Interlocked.Increment(ref _forgetGeneration);

    private void EnsureWriter()
    {
        if (Volatile.Read(ref _writer) is not null)
        {
            return;
        }

        lock (_startLock)
        {
            _writer ??= Task.Run(WriteLoopAsync, CancellationToken.None);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Request>(MaxBatch);
        while (await _requests.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _requests.Reader.TryRead(out var request))
            {
                if (request.CancellationToken.IsCancellationRequested)
                {
                    request.Completion.TrySetCanceled(request.CancellationToken);
                }
                else
                {
                    batch.Add(request);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await WriteBatchAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Nothing of the batch is committed: every caller learns it, and the writer goes on with the next batch.
                foreach (var request in batch)
                {
                    request.Completion.TrySetException(e);
                }
            }

            batch.Clear();
        }
    }

    private async Task WriteBatchAsync(List<Request> batch)
    {
        var generation = Interlocked.Read(ref _forgetGeneration);
        if (generation != _writerGeneration)
        {
            _remembered.Clear();
            _rememberedOrder.Clear();
            _writerGeneration = generation;
        }

        var results = new bool[batch.Count];
        var inserted = new List<(string HostKind, string Key)>();
        await _database.ExecuteAsync(
            async connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT OR IGNORE INTO webhook_deliveries (host_kind, delivery_id, received_at) VALUES ($host, $id, $at)";
                var host = command.Parameters.Add("$host", SqliteType.Text);
                var id = command.Parameters.Add("$id", SqliteType.Text);
                var at = command.Parameters.Add("$at", SqliteType.Text);
                for (var i = 0; i < batch.Count; i++)
                {
                    var request = batch[i];
                    var isNew = true;
                    foreach (var key in request.Keys)
                    {
                        if (_remembered.Contains((request.HostKind, key)))
                        {
                            isNew = false;
                            break;
                        }

                        host.Value = request.HostKind;
                        id.Value = key;
                        at.Value = request.ReceivedAt;
                        if (await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false) != 1)
                        {
                            isNew = false;
                            break;
                        }

                        inserted.Add((request.HostKind, key));
                    }

                    results[i] = isNew;
                }

                transaction.Commit();
                return 0;
            },
            CancellationToken.None).ConfigureAwait(false);

        // Remembered only once committed: a key the set holds is durably in the table.
        foreach (var entry in inserted)
        {
            Remember(entry);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(results[i]);
        }
    }

    private void Remember((string HostKind, string Key) entry)
    {
        if (!_remembered.Add(entry))
        {
            return;
        }

        _rememberedOrder.Enqueue(entry);
        if (_rememberedOrder.Count > MaxRemembered)
        {
            _remembered.Remove(_rememberedOrder.Dequeue());
        }
    }

    private sealed record Request(string HostKind, IReadOnlyList<string> Keys, string ReceivedAt, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
