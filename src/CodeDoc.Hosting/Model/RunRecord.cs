namespace CodeDoc.Hosting;

/// <summary>What started a run.</summary>
public enum RunTrigger
{
    /// <summary>A person or the embedding application asked for it.</summary>
    Manual,

    /// <summary>A verified push webhook.</summary>
    Webhook,

    /// <summary>The job's cron schedule.</summary>
    Schedule,

    /// <summary>The poll backstop found a head the job had not documented.</summary>
    Poll,

    /// <summary>Re-queued at start-up after the host stopped in the middle of a run.</summary>
    Recovery,
}

/// <summary>Where a run is.</summary>
public enum RunStatus
{
    /// <summary>Waiting for a worker (or for the debounce window to close).</summary>
    Queued,

    /// <summary>Its forecast is above the job's approval threshold; it waits for a person.</summary>
    AwaitingApproval,

    /// <summary>Under way.</summary>
    Running,

    /// <summary>Finished and published.</summary>
    Succeeded,

    /// <summary>Finished with an error; <see cref="RunRecord.Error"/> says what.</summary>
    Failed,

    /// <summary>Cancelled by a person, a shutdown or a deleted branch.</summary>
    Cancelled,

    /// <summary>Stopped because a spending cap was reached, or approval was refused.</summary>
    Declined,

    /// <summary>The host stopped (crashed) while it ran; a recovery run was queued in its place.</summary>
    Interrupted,
}

/// <summary>
/// One run in the history: metadata only. Never source code, prompts or generated content, and no personal data
/// beyond the actor id the embedding application supplies.
/// </summary>
public sealed record RunRecord
{
    /// <summary>Gets the run's id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the job's id.</summary>
    public required string JobId { get; init; }

    /// <summary>Gets the repository's id.</summary>
    public required string RepositoryId { get; init; }

    /// <summary>Gets the branch.</summary>
    public required string Branch { get; init; }

    /// <summary>Gets what started it.</summary>
    public required RunTrigger Trigger { get; init; }

    /// <summary>Gets the actor id that asked for it (the embedding application's user id, or <c>system</c>).</summary>
    public required string Actor { get; init; }

    /// <summary>Gets where it is.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Gets when it was queued.</summary>
    public required DateTimeOffset QueuedAt { get; init; }

    /// <summary>Gets when it started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Gets the commit the trigger named (a push's head), when it named one; the run resolves the branch itself.</summary>
    public string? RequestedSha { get; init; }

    /// <summary>Gets the commit the run documented.</summary>
    public string? CommitSha { get; init; }

    /// <summary>Gets the model input tokens used.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the model output tokens used.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the cost in USD, when the model's prices are known.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Gets the forecast's upper cost in USD, when known (what an approval is asked for).</summary>
    public decimal? ForecastCost { get; init; }

    /// <summary>Gets the links of the pages the run published or kept.</summary>
    public IReadOnlyList<string> PageLinks { get; init; } = [];

    /// <summary>Gets why it failed, was declined or cancelled: a message with no secret, source or prompt in it.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the id of the interrupted run this one recovers, when it is a recovery run.</summary>
    public string? RecoveryOf { get; init; }
}
