using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeDoc.Hosting.Tests.Fakes;

/// <summary>In-memory stand-ins for the store interfaces, for tests of jobs and the worker (the SQLite store has its own tests).</summary>
public sealed class InMemoryStores :
    IJobStore, IRepositoryStore, IProviderConfigurationStore, IRunHistoryStore, IManifestCache, IWebhookDeliveryStore, IAuditLog
{
    private readonly ConcurrentDictionary<string, JobDefinition> _jobs = new();
    private readonly ConcurrentDictionary<string, WatchedRepository> _repositories = new();
    private readonly ConcurrentDictionary<string, ProviderConfiguration> _configurations = new();
    private readonly ConcurrentDictionary<string, RunRecord> _runs = new();
    private readonly ConcurrentDictionary<string, PublishManifest> _manifests = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _deliveries = new();
    private readonly ConcurrentQueue<AuditEvent> _audit = new();
    private readonly ConcurrentQueue<DateTimeOffset> _prunes = new();
    private int _documentedShaReads;
    private int _jobListReads;

    public IReadOnlyList<RunRecord> Runs => [.. _runs.Values.OrderBy(r => r.QueuedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];

    public IReadOnlyList<AuditEvent> Audit => [.. _audit];

    public IReadOnlyList<DateTimeOffset> Prunes => [.. _prunes];

    public IReadOnlyDictionary<string, PublishManifest> Manifests => _manifests;

    public int DocumentedShaReads => Volatile.Read(ref _documentedShaReads);

    public int JobListReads => Volatile.Read(ref _jobListReads);

    /// <summary>Registers these stores in place of whatever the host registered.</summary>
    public void Register(IServiceCollection services)
    {
        services.RemoveAll<IJobStore>().AddSingleton<IJobStore>(this);
        services.RemoveAll<IRepositoryStore>().AddSingleton<IRepositoryStore>(this);
        services.RemoveAll<IProviderConfigurationStore>().AddSingleton<IProviderConfigurationStore>(this);
        services.RemoveAll<IRunHistoryStore>().AddSingleton<IRunHistoryStore>(this);
        services.RemoveAll<IManifestCache>().AddSingleton<IManifestCache>(this);
        services.RemoveAll<IWebhookDeliveryStore>().AddSingleton<IWebhookDeliveryStore>(this);
        services.RemoveAll<IAuditLog>().AddSingleton<IAuditLog>(this);
        services.Replace(ServiceDescriptor.Singleton<IAuditSink>(this));
    }

    Task IJobStore.SaveAsync(JobDefinition job, CancellationToken cancellationToken)
    {
        _jobs[job.Id] = job;
        return Task.CompletedTask;
    }

    Task<JobDefinition?> IJobStore.GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_jobs.GetValueOrDefault(id));

    Task<IReadOnlyList<JobDefinition>> IJobStore.ListAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _jobListReads);
        return Task.FromResult<IReadOnlyList<JobDefinition>>([.. _jobs.Values]);
    }

    Task<bool> IJobStore.DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_jobs.TryRemove(id, out _));

    Task IRepositoryStore.SaveAsync(WatchedRepository repository, CancellationToken cancellationToken)
    {
        _repositories[repository.Id] = repository;
        return Task.CompletedTask;
    }

    Task<WatchedRepository?> IRepositoryStore.GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_repositories.GetValueOrDefault(id));

    Task<IReadOnlyList<WatchedRepository>> IRepositoryStore.FindByUrlAsync(string url, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WatchedRepository>>([.. _repositories.Values.Where(r => string.Equals(r.Url, url, StringComparison.OrdinalIgnoreCase))]);

    Task<IReadOnlyList<WatchedRepository>> IRepositoryStore.ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WatchedRepository>>([.. _repositories.Values.Select(r => r with { WebhookSecret = null })]);

    Task<bool> IRepositoryStore.DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_repositories.TryRemove(id, out _));

    Task IProviderConfigurationStore.SaveAsync(ProviderConfiguration configuration, CancellationToken cancellationToken)
    {
        _configurations[configuration.Id] = configuration;
        return Task.CompletedTask;
    }

    Task<ProviderConfiguration?> IProviderConfigurationStore.GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_configurations.GetValueOrDefault(id));

    Task<IReadOnlyList<ProviderConfiguration>> IProviderConfigurationStore.ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProviderConfiguration>>([.. _configurations.Values.Select(c => c with { Secrets = c.Secrets.ToDictionary(s => s.Key, _ => string.Empty) })]);

    Task<bool> IProviderConfigurationStore.DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_configurations.TryRemove(id, out _));

    public Task SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        _runs[run.Id] = run;
        return Task.CompletedTask;
    }

    Task<RunRecord?> IRunHistoryStore.GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_runs.GetValueOrDefault(id));

    Task<IReadOnlyList<RunRecord>> IRunHistoryStore.ListAsync(RunQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunRecord>>([.. _runs.Values
            .Where(r => query.JobId is null || r.JobId == query.JobId)
            .Where(r => query.Statuses.Count == 0 || query.Statuses.Contains(r.Status))
            .Where(r => query.Since is null || r.QueuedAt >= query.Since)
            .OrderByDescending(r => r.QueuedAt)
            .Take(query.Limit)]);

    Task<string?> IRunHistoryStore.GetLastDocumentedShaAsync(string jobId, string repositoryId, string branch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _documentedShaReads);
        return Task.FromResult(_runs.Values
            .Where(r => r.JobId == jobId && r.RepositoryId == repositoryId && r.Branch == branch && r.Status == RunStatus.Succeeded && r.CommitSha is not null)
            .OrderByDescending(r => r.FinishedAt)
            .Select(r => r.CommitSha)
            .FirstOrDefault());
    }

    Task<(long Tokens, decimal Cost)> IRunHistoryStore.GetSpendingAsync(string jobId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var runs = _runs.Values.Where(r => r.JobId == jobId && r.StartedAt >= since).ToList();
        return Task.FromResult((runs.Sum(r => r.InputTokens + r.OutputTokens), runs.Sum(r => r.Cost ?? 0)));
    }

    Task<int> IRunHistoryStore.ClearAsync(CancellationToken cancellationToken)
    {
        var count = _runs.Count;
        _runs.Clear();
        return Task.FromResult(count);
    }

    Task IManifestCache.SaveAsync(string publisherId, PublishManifest manifest, CancellationToken cancellationToken)
    {
        _manifests[publisherId + "|" + manifest.DocumentSetId] = manifest;
        return Task.CompletedTask;
    }

    Task<PublishManifest?> IManifestCache.GetAsync(string publisherId, string documentSetId, CancellationToken cancellationToken) =>
        Task.FromResult(_manifests.GetValueOrDefault(publisherId + "|" + documentSetId));

    Task<bool> IWebhookDeliveryStore.TryRecordAsync(string hostKind, string deliveryId, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        Task.FromResult(_deliveries.TryAdd(hostKind + "|" + deliveryId, receivedAt));

    Task<int> IWebhookDeliveryStore.PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        _prunes.Enqueue(before);
        var old = _deliveries.Where(d => d.Value < before).Select(d => d.Key).ToList();
        old.ForEach(k => _deliveries.TryRemove(k, out _));
        return Task.FromResult(old.Count);
    }

    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        _audit.Enqueue(auditEvent);
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<AuditEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        long sequence = 0;
        foreach (var e in _audit)
        {
            yield return new AuditEntry
            {
                Sequence = ++sequence, Timestamp = e.Timestamp, Actor = e.Actor, Action = e.Action, Target = e.Target, Details = e.Details,
                PreviousHash = new string('0', 64), Hash = new string('0', 64),
            };
        }
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) => Task.FromResult(new AuditVerification(true, _audit.Count, null));

    public Task<long> ExportCsvAsync(TextWriter destination, CancellationToken cancellationToken = default) => Task.FromResult((long)_audit.Count);
}

/// <summary>Keeps every notification.</summary>
public sealed class RecordingNotificationSink : IHostingNotificationSink
{
    private readonly ConcurrentQueue<HostingNotification> _received = new();

    public IReadOnlyList<HostingNotification> Received => [.. _received];

    public Task NotifyAsync(HostingNotification notification, CancellationToken cancellationToken = default)
    {
        _received.Enqueue(notification);
        return Task.CompletedTask;
    }
}
