using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CodeDoc.Hosting;

namespace CodeDoc.Hosting.AspNetCore.Tests.Fakes;

/// <summary>Repositories in memory; URLs match as the contract says (scheme, case, <c>.git</c> and trailing slash ignored).</summary>
internal sealed class InMemoryRepositoryStore : IRepositoryStore
{
    private readonly ConcurrentDictionary<string, WatchedRepository> _items = new(StringComparer.Ordinal);

    public Task SaveAsync(WatchedRepository repository, CancellationToken cancellationToken = default)
    {
        _items[repository.Id] = repository;
        return Task.CompletedTask;
    }

    public Task<WatchedRepository?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_items.GetValueOrDefault(id));

    public Task<IReadOnlyList<WatchedRepository>> FindByUrlAsync(string url, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<WatchedRepository>>([.. _items.Values.Where(r => Normalize(r.Url) == Normalize(url))]);

    public Task<IReadOnlyList<WatchedRepository>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<WatchedRepository>>([.. _items.Values.Select(r => r with { WebhookSecret = null })]);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(_items.TryRemove(id, out _));

    private static string Normalize(string url)
    {
        var text = url.Trim().TrimEnd('/');
        text = text[(text.IndexOf("://", StringComparison.Ordinal) is var at and >= 0 ? at + 3 : 0)..];
        return (text.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? text[..^4] : text).ToUpperInvariant();
    }
}

/// <summary>Delivery keys in memory, recorded atomically.</summary>
internal sealed class InMemoryWebhookDeliveryStore : IWebhookDeliveryStore
{
    private readonly ConcurrentDictionary<(string, string), DateTimeOffset> _keys = new();

    public IReadOnlyCollection<(string HostKind, string Key)> Keys => [.. _keys.Keys];

    public Task<bool> TryRecordAsync(string hostKind, string deliveryId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) =>
        Task.FromResult(_keys.TryAdd((hostKind, deliveryId), receivedAt));

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var old = _keys.Where(k => k.Value < before).Select(k => k.Key).ToList();
        return Task.FromResult(old.Count(k => _keys.TryRemove(k, out _)));
    }
}

/// <summary>Jobs in memory.</summary>
internal sealed class InMemoryJobStore : IJobStore
{
    private readonly ConcurrentDictionary<string, JobDefinition> _items = new(StringComparer.Ordinal);

    public Task SaveAsync(JobDefinition job, CancellationToken cancellationToken = default)
    {
        _items[job.Id] = job;
        return Task.CompletedTask;
    }

    public Task<JobDefinition?> GetAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(_items.GetValueOrDefault(id));

    public Task<IReadOnlyList<JobDefinition>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<JobDefinition>>([.. _items.Values.OrderBy(j => j.Id, StringComparer.Ordinal)]);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(_items.TryRemove(id, out _));
}

/// <summary>Run history in memory, newest first.</summary>
internal sealed class InMemoryRunHistoryStore : IRunHistoryStore
{
    private readonly ConcurrentDictionary<string, RunRecord> _items = new(StringComparer.Ordinal);

    public RunQuery? LastQuery { get; private set; }

    public Task SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        _items[run.Id] = run;
        return Task.CompletedTask;
    }

    public Task<RunRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(_items.GetValueOrDefault(id));

    public Task<IReadOnlyList<RunRecord>> ListAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        LastQuery = query;
        return Task.FromResult<IReadOnlyList<RunRecord>>([.. _items.Values
            .Where(r => query.JobId is null || r.JobId == query.JobId)
            .Where(r => query.Statuses.Count == 0 || query.Statuses.Contains(r.Status))
            .OrderByDescending(r => r.QueuedAt)
            .Take(query.Limit)]);
    }

    public Task<string?> GetLastDocumentedShaAsync(string jobId, string repositoryId, string branch, CancellationToken cancellationToken = default) =>
        Task.FromResult(_items.Values.Where(r => r.JobId == jobId && r.RepositoryId == repositoryId && r.Branch == branch && r.Status == RunStatus.Succeeded)
            .OrderByDescending(r => r.FinishedAt).Select(r => r.CommitSha).FirstOrDefault());

    public Task<(long Tokens, decimal Cost)> GetSpendingAsync(string jobId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var runs = _items.Values.Where(r => r.JobId == jobId && r.StartedAt >= since).ToList();
        return Task.FromResult((runs.Sum(r => r.InputTokens + r.OutputTokens), runs.Sum(r => r.Cost ?? 0)));
    }

    public Task<int> ClearAsync(CancellationToken cancellationToken = default)
    {
        var count = _items.Count;
        _items.Clear();
        return Task.FromResult(count);
    }
}

/// <summary>Provider configurations in memory. <see cref="ListAsync"/> deliberately returns the secret values, so the API's own filtering is what the tests see.</summary>
internal sealed class InMemoryProviderConfigurationStore : IProviderConfigurationStore
{
    private readonly ConcurrentDictionary<string, ProviderConfiguration> _items = new(StringComparer.Ordinal);

    public Task SaveAsync(ProviderConfiguration configuration, CancellationToken cancellationToken = default)
    {
        _items[configuration.Id] = configuration;
        return Task.CompletedTask;
    }

    public Task<ProviderConfiguration?> GetAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(_items.GetValueOrDefault(id));

    public Task<IReadOnlyList<ProviderConfiguration>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ProviderConfiguration>>([.. _items.Values]);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(_items.TryRemove(id, out _));
}

/// <summary>An audit log that holds fixed rows and writes them as CSV with synchronous writes, as a real exporter may.</summary>
internal sealed class InMemoryAuditLog : IAuditLog
{
    public List<AuditEntry> Entries { get; } = [];

    public ValueTask WriteAsync(CodeDoc.Core.AuditEvent auditEvent, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public async IAsyncEnumerable<AuditEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var entry in Entries)
        {
            await Task.Yield();
            yield return entry;
        }
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) => Task.FromResult(new AuditVerification(true, Entries.Count, null));

    public Task<long> ExportCsvAsync(TextWriter destination, CancellationToken cancellationToken = default)
    {
        destination.Write("sequence,timestamp,actor,action,target,details,previous_hash,hash\r\n");
        foreach (var e in Entries)
        {
            destination.Write($"{e.Sequence},{e.Timestamp:O},{e.Actor},{e.Action},{e.Target},,{e.PreviousHash},{e.Hash}\r\n");
        }

        return Task.FromResult((long)Entries.Count);
    }
}
