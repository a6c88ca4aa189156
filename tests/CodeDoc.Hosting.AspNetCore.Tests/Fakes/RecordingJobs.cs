using System.Collections.Concurrent;
using CodeDoc.Core;
using CodeDoc.Hosting;

namespace CodeDoc.Hosting.AspNetCore.Tests.Fakes;

/// <summary>
/// Records every call. A push is queued when a job follows its repository and branch (<see cref="Follow"/>), coalesced
/// when the same branch is already queued, and <see cref="PushDisposition.RefDeleted"/> for deletions.
/// </summary>
internal sealed class RecordingJobs(TimeProvider timeProvider) : ICodeDocJobs
{
    private readonly ConcurrentDictionary<(string RepositoryId, string Branch), bool> _followed = new();
    private readonly ConcurrentDictionary<(string RepositoryId, string Branch), bool> _queued = new();
    private int _runs;

    public ConcurrentQueue<(WatchedRepository Repository, PushEvent Push)> Pushes { get; } = new();

    public ConcurrentQueue<(string JobId, string Actor, RunRequestOptions? Options)> RunRequests { get; } = new();

    public ConcurrentQueue<(string RunId, string Actor)> Approvals { get; } = new();

    public ConcurrentQueue<(string RunId, string Actor)> Cancellations { get; } = new();

    public int Calls => Pushes.Count + RunRequests.Count + Approvals.Count + Cancellations.Count;

    public void Follow(string repositoryId, string branch) => _followed[(repositoryId, branch)] = true;

    public Task<IReadOnlyList<RunRecord>> RunAsync(string jobId, string actor, RunRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        RunRequests.Enqueue((jobId, actor, options));
        if (options?.Branch == "not-followed")
        {
            throw new CodeDocConfigurationException($"Job '{jobId}' does not follow branch 'not-followed'.");
        }

        return Task.FromResult<IReadOnlyList<RunRecord>>([Run(jobId, options?.RepositoryId ?? "repo", options?.Branch ?? "main", RunTrigger.Manual, actor)]);
    }

    public Task<PushDisposition> OnPushAsync(WatchedRepository repository, PushEvent push, CancellationToken cancellationToken = default)
    {
        Pushes.Enqueue((repository, push));
        var key = (repository.Id, push.RefName);
        var disposition = push.Deleted ? PushDisposition.RefDeleted
            : !_followed.ContainsKey(key) || push.RefKind != RefKind.Branch ? PushDisposition.Ignored
            : _queued.TryAdd(key, true) ? PushDisposition.Queued
            : PushDisposition.Coalesced;
        return Task.FromResult(disposition);
    }

    public Task<RunRecord> ApproveAsync(string runId, string actor, CancellationToken cancellationToken = default)
    {
        Approvals.Enqueue((runId, actor));
        return runId == "finished"
            ? throw new CodeDocConfigurationException($"Run '{runId}' is not waiting for approval.")
            : Task.FromResult(Run("job", "repo", "main", RunTrigger.Webhook, actor) with { Id = runId });
    }

    public Task<bool> CancelAsync(string runId, string actor, CancellationToken cancellationToken = default)
    {
        Cancellations.Enqueue((runId, actor));
        return Task.FromResult(runId != "finished");
    }

    private RunRecord Run(string jobId, string repositoryId, string branch, RunTrigger trigger, string actor) => new()
    {
        Id = $"run-{Interlocked.Increment(ref _runs)}",
        JobId = jobId,
        RepositoryId = repositoryId,
        Branch = branch,
        Trigger = trigger,
        Actor = actor,
        Status = RunStatus.Queued,
        QueuedAt = timeProvider.GetUtcNow(),
    };
}

/// <summary>A run monitor the tests drive by hand.</summary>
internal sealed class ManualRunMonitor : IRunMonitor
{
    private int _subscribers;

    public IReadOnlyList<RunProgressSnapshot> Active { get; set; } = [];

    public int StatusSubscribers => Volatile.Read(ref _subscribers);

    public event EventHandler<RunProgressSnapshot>? Progress;

    public event EventHandler<RunRecord>? StatusChanged
    {
        add
        {
            _statusChanged += value;
            Interlocked.Increment(ref _subscribers);
        }

        remove
        {
            _statusChanged -= value;
            Interlocked.Decrement(ref _subscribers);
        }
    }

    private EventHandler<RunRecord>? _statusChanged;

    public void RaiseProgress(RunProgressSnapshot snapshot) => Progress?.Invoke(this, snapshot);

    public void RaiseStatus(RunRecord run) => _statusChanged?.Invoke(this, run);
}
