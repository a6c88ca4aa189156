namespace CodeDoc.Hosting.Jobs;

/// <summary>Creates queued runs: the row is persisted and audited before the dispatcher hears of it.</summary>
internal sealed class RunQueue(RunDispatcher dispatcher, RunRecorder recorder, IRunHistoryStore history, TimeProvider time)
{
    /// <summary>Persists, audits and dispatches a new Queued run.</summary>
    /// <param name="key">The job, repository and branch.</param>
    /// <param name="trigger">What started it.</param>
    /// <param name="actor">Who asked.</param>
    /// <param name="requestedSha">The commit the trigger named.</param>
    /// <param name="executionOptions">How it executes.</param>
    /// <param name="debounced">Whether further pushes may delay its start.</param>
    /// <param name="recoveryOf">The interrupted run it recovers.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The row.</returns>
    public async Task<RunRecord> QueueAsync(
        RunKey key,
        RunTrigger trigger,
        string actor,
        string? requestedSha = null,
        RunExecutionOptions? executionOptions = null,
        bool debounced = false,
        string? recoveryOf = null,
        CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var run = new RunRecord
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            JobId = key.JobId,
            RepositoryId = key.RepositoryId,
            Branch = key.Branch,
            Trigger = trigger,
            Actor = actor,
            Status = RunStatus.Queued,
            QueuedAt = now,
            RequestedSha = requestedSha,
            RecoveryOf = recoveryOf,
        };
        await recorder.SaveAsync(run, "run.queued", actor, cancellationToken: cancellationToken).ConfigureAwait(false);
        dispatcher.Enqueue(run, executionOptions ?? RunExecutionOptions.Default, debounced);
        return run;
    }

    /// <summary>Tells whether a run for a key is queued, waiting for approval or under way (the rows say).</summary>
    /// <param name="key">The job, repository and branch.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Whether one is.</returns>
    public async Task<bool> HasPendingRunAsync(RunKey key, CancellationToken cancellationToken = default)
    {
        var rows = await history.ListAsync(
            new RunQuery { JobId = key.JobId, Statuses = [RunStatus.Queued, RunStatus.AwaitingApproval, RunStatus.Running], Limit = int.MaxValue },
            cancellationToken).ConfigureAwait(false);
        return rows.Any(key.Matches);
    }
}
