using System.Diagnostics.CodeAnalysis;

namespace CodeDoc.Hosting.Stores.Sqlite;

/// <summary>
/// Answers of reads every webhook delivery makes (the repositories of a URL, secrets decrypted; the job list), so a
/// delivery costs neither a query nor a decryption. Decrypted secrets stay in this process's memory, as they would for
/// the duration of a delivery anyway. Every write through this store to what an answer was read from clears it; an
/// entry also expires after <see cref="Lifetime"/>, so a change made by another process on the same file is seen within
/// that time.
/// </summary>
/// <typeparam name="TValue">The answer type.</typeparam>
internal sealed class StoreReadCache<TValue>(TimeProvider time)
{
    /// <summary>How long an answer is kept at most.</summary>
#pragma warning disable CA1000 // One lifetime for every cache of the store; the generic type is only the answer's.
    public static TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(30);
#pragma warning restore CA1000

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (TValue Value, DateTimeOffset ExpiresAt)> _entries = new(StringComparer.Ordinal);

    // Bumped by every invalidation, so a read that raced with a write does not store what it read before the write.
    private long _generation;

    /// <summary>Gets the generation to pass to <see cref="Store"/> for a read that starts now.</summary>
    public long Generation
    {
        get
        {
            lock (_lock)
            {
                return _generation;
            }
        }
    }

    /// <summary>Gets a cached answer.</summary>
    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow())
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Keeps an answer read from the database, unless a write happened since the read began.</summary>
    public void Store(string key, TValue value, long generation)
    {
        lock (_lock)
        {
            if (generation == _generation)
            {
                _entries[key] = (value, time.GetUtcNow() + Lifetime);
            }
        }
    }

    /// <summary>Forgets every answer; called before and after a write, so no read overlapping the write is kept.</summary>
    public void Invalidate()
    {
        lock (_lock)
        {
            _generation++;
            _entries.Clear();
        }
    }
}
