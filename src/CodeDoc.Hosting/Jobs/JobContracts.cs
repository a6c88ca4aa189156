using CodeDoc.Core;

namespace CodeDoc.Hosting;

/// <summary>A request to run a job.</summary>
public sealed record RunRequestOptions
{
    /// <summary>Gets the repository to run for; <see langword="null"/> for every repository the job follows.</summary>
    public string? RepositoryId { get; init; }

    /// <summary>Gets the branch to run for; <see langword="null"/> for every followed branch.</summary>
    public string? Branch { get; init; }

    /// <summary>Gets a value indicating whether to regenerate every page, ignoring the published state.</summary>
    public bool FullRegeneration { get; init; }

    /// <summary>Gets a value indicating whether to overwrite pages people edited.</summary>
    public bool Force { get; init; }
}

/// <summary>What became of one push a webhook delivered.</summary>
public enum PushDisposition
{
    /// <summary>A run was queued.</summary>
    Queued,

    /// <summary>A run for the branch was already queued; the push joined it (debounced).</summary>
    Coalesced,

    /// <summary>No enabled job follows this repository and branch with push triggers.</summary>
    Ignored,

    /// <summary>The branch or tag was deleted: queued runs for it were cancelled, nothing was started.</summary>
    RefDeleted,
}

/// <summary>Starts, approves and cancels runs. Runs are queued and executed by the background worker, never inline.</summary>
public interface ICodeDocJobs
{
    /// <summary>Queues a manual run of a job.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="actor">Who asked.</param>
    /// <param name="options">Which repository and branch, and how.</param>
    /// <param name="cancellationToken">Cancels queuing.</param>
    /// <returns>The queued runs (one per repository and branch).</returns>
    /// <exception cref="CodeDocConfigurationException">There is no such job, or it does not follow the repository or branch.</exception>
    Task<IReadOnlyList<RunRecord>> RunAsync(string jobId, string actor, RunRequestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Queues runs for a verified push (debounced per job, repository and branch).</summary>
    /// <param name="repository">The repository the webhook was verified for.</param>
    /// <param name="push">The push.</param>
    /// <param name="cancellationToken">Cancels queuing.</param>
    /// <returns>What became of the push.</returns>
    Task<PushDisposition> OnPushAsync(WatchedRepository repository, PushEvent push, CancellationToken cancellationToken = default);

    /// <summary>Approves a run that waits for approval; it is queued again and spends up to its forecast.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="actor">Who approved.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The run, queued.</returns>
    Task<RunRecord> ApproveAsync(string runId, string actor, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued, waiting or running run.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="actor">Who cancelled.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the run was still cancellable.</returns>
    Task<bool> CancelAsync(string runId, string actor, CancellationToken cancellationToken = default);
}

/// <summary>A run's progress while it is under way: kept in memory only; after the run only the history row remains.</summary>
/// <param name="Run">The run's row as it stands.</param>
/// <param name="Stage">The stage.</param>
/// <param name="Message">What it is doing.</param>
public sealed record RunProgressSnapshot(RunRecord Run, RunStage Stage, string Message)
{
    /// <summary>Gets the pages done.</summary>
    public long PagesDone { get; init; }

    /// <summary>Gets the pages to do, when known.</summary>
    public long? PagesTotal { get; init; }

    /// <summary>Gets the model tokens used so far.</summary>
    public long Tokens { get; init; }

    /// <summary>Gets the cost so far in USD, when known.</summary>
    public decimal? Cost { get; init; }
}

/// <summary>Shows runs under way and raises their events.</summary>
public interface IRunMonitor
{
    /// <summary>Gets the runs under way, with their progress.</summary>
    IReadOnlyList<RunProgressSnapshot> Active { get; }

    /// <summary>Raised when a run under way reports progress.</summary>
    event EventHandler<RunProgressSnapshot>? Progress;

    /// <summary>Raised when a run's status changes (queued, started, finished, declined, ...).</summary>
    event EventHandler<RunRecord>? StatusChanged;
}

/// <summary>Why the host notifies.</summary>
public enum HostingNotificationKind
{
    /// <summary>A run failed.</summary>
    RunFailed,

    /// <summary>A page people edited was left as it is (frozen) instead of being updated.</summary>
    PageFrozen,

    /// <summary>A job reached a daily or monthly token or cost cap.</summary>
    CapReached,

    /// <summary>A run waits for approval because its forecast is above the job's threshold.</summary>
    ApprovalRequired,
}

/// <summary>A notification: metadata only, never content or secrets.</summary>
/// <param name="Kind">Why.</param>
/// <param name="JobId">The job.</param>
/// <param name="RunId">The run, when there is one.</param>
/// <param name="Message">What happened and what to do.</param>
/// <param name="Timestamp">When.</param>
public sealed record HostingNotification(HostingNotificationKind Kind, string JobId, string? RunId, string Message, DateTimeOffset Timestamp);

/// <summary>Receives notifications. Register any number; the host calls each, and a failing sink never fails a run.</summary>
public interface IHostingNotificationSink
{
    /// <summary>Delivers a notification.</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="cancellationToken">Cancels delivery.</param>
    /// <returns>A task that completes when delivered.</returns>
    Task NotifyAsync(HostingNotification notification, CancellationToken cancellationToken = default);
}
