namespace CodeDoc.Hosting.Stores.Sqlite;

/// <summary>
/// The answers of <see cref="IRepositoryStore.FindByUrlAsync"/> by normalized URL, so a webhook delivery costs neither
/// a query nor a decryption. The decrypted secrets stay in this process's memory, as they would for the duration of a
/// delivery anyway. Every write to the repositories through this store (save, delete, purge, re-encryption) clears it;
/// an entry also expires after <see cref="Lifetime"/>, so a change made by another process on the same file is seen
/// within that time.
/// </summary>
internal sealed class RepositoryLookupCache(TimeProvider time)
{
    /// <summary>How long an answer is kept at most.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (IReadOnlyList<WatchedRepository> Repositories, DateTimeOffset ExpiresAt)> _entries = new(StringComparer.Ordinal);

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
    public bool TryGet(string urlKey, out IReadOnlyList<WatchedRepository> repositories)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(urlKey, out var entry) && entry.ExpiresAt > time.GetUtcNow())
            {
                repositories = entry.Repositories;
                return true;
            }
        }

        repositories = [];
        return false;
    }

    /// <summary>Keeps an answer read from the database, unless a write happened since the read began.</summary>
    public void Store(string urlKey, IReadOnlyList<WatchedRepository> repositories, long generation)
    {
        lock (_lock)
        {
            if (generation == _generation)
            {
                _entries[urlKey] = (repositories, time.GetUtcNow() + Lifetime);
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
