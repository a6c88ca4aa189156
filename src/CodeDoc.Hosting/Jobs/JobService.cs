using CodeDoc.Core;

namespace CodeDoc.Hosting.Jobs;

/// <summary>Queues, approves and cancels runs; the background worker executes them.</summary>
internal sealed class JobService(
    IJobStore jobs,
    IRunHistoryStore history,
    RunDispatcher dispatcher,
    RunQueue queue,
    RunRecorder recorder,
    TimeProvider time) : ICodeDocJobs
{
    private const string RecorderActor = RunRecorder.SystemActor;

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRecord>> RunAsync(string jobId, string actor, RunRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        options ??= new RunRequestOptions();
        var job = await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new CodeDocConfigurationException($"There is no job '{jobId}'. Check the id, or create the job before running it.");
        if (!job.Enabled)
        {
            throw new CodeDocConfigurationException($"The job '{jobId}' is disabled, so it does not run. Enable it first.");
        }

        var targets = SelectTargets(job, options);
        var execution = new RunExecutionOptions(options.FullRegeneration, options.Force);
        var queued = new List<RunRecord>();
        await dispatcher.StatusGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var key in targets)
            {
                queued.Add(await queue.QueueAsync(key, RunTrigger.Manual, actor, executionOptions: execution, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            dispatcher.StatusGate.Release();
        }

        return queued;
    }

    /// <inheritdoc />
    public async Task<PushDisposition> OnPushAsync(WatchedRepository repository, PushEvent push, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(push);
        if (push.RefKind != RefKind.Branch)
        {
            return PushDisposition.Ignored;
        }

        // A deleted branch cannot be documented by any job that follows it; a push starts only jobs that run on pushes.
        var keys = (await jobs.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(j => push.Deleted || (j.Enabled && j.Triggers.OnPush))
            .Where(j => j.Sources.Any(s => s.RepositoryId == repository.Id && s.Branches.Contains(push.RefName, StringComparer.Ordinal)))
            .Select(j => new RunKey(j.Id, repository.Id, push.RefName))
            .ToList();
        if (keys.Count == 0)
        {
            return PushDisposition.Ignored;
        }

        if (push.Deleted)
        {
            await dispatcher.StatusGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var key in keys)
                {
                    foreach (var run in await FindAsync(key, [RunStatus.Queued, RunStatus.AwaitingApproval], cancellationToken).ConfigureAwait(false))
                    {
                        await CancelWaitingAsync(run, RecorderActor, "branch deleted", cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                dispatcher.StatusGate.Release();
            }

            return PushDisposition.RefDeleted;
        }

        var anyQueued = false;
        foreach (var key in keys)
        {
            // Joining a waiting run is a change in memory only (the run's row is written when it starts), so most
            // pushes of a burst take neither the status lock nor a write. Only a push that must create a run does.
            if (dispatcher.TryJoin(key, push.AfterSha))
            {
                continue;
            }

            await dispatcher.StatusGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Another push may have queued the run while this one waited for the lock.
                if (!dispatcher.TryJoin(key, push.AfterSha))
                {
                    // Persisted before the answer, so a run the sender was told about survives a crash.
                    await queue.QueueAsync(key, RunTrigger.Webhook, RecorderActor, push.AfterSha, debounced: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                    anyQueued = true;
                }
            }
            finally
            {
                dispatcher.StatusGate.Release();
            }
        }

        return anyQueued ? PushDisposition.Queued : PushDisposition.Coalesced;
    }

    /// <inheritdoc />
    public async Task<RunRecord> ApproveAsync(string runId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await dispatcher.StatusGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var run = await history.GetAsync(runId, cancellationToken).ConfigureAwait(false)
                ?? throw new CodeDocConfigurationException($"There is no run '{runId}'. Check the id in the run history.");
            if (run.Status != RunStatus.AwaitingApproval)
            {
                throw new CodeDocConfigurationException($"The run '{runId}' is {run.Status}, not waiting for approval, so there is nothing to approve.");
            }

            // The kept forecast marks the row as approved: it survives a restart, and the run spends up to it.
            var approved = await recorder.SaveAsync(run with { Status = RunStatus.Queued }, "run.approved", actor, cancellationToken: cancellationToken).ConfigureAwait(false);
            dispatcher.Enqueue(approved, RunExecutionOptions.Default, debounced: false);
            return approved;
        }
        finally
        {
            dispatcher.StatusGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<bool> CancelAsync(string runId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await dispatcher.StatusGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var run = await history.GetAsync(runId, cancellationToken).ConfigureAwait(false);
            switch (run?.Status)
            {
                case RunStatus.Queued or RunStatus.AwaitingApproval:
                    await CancelWaitingAsync(run, actor, $"cancelled by {actor}", cancellationToken).ConfigureAwait(false);
                    return true;
                case RunStatus.Running when dispatcher.GetActive(runId) is { } active:
                    // The worker records the Cancelled row when the run has stopped.
                    active.Cancel(actor);
                    return true;
                default:
                    return false;
            }
        }
        finally
        {
            dispatcher.StatusGate.Release();
        }
    }

    private static List<RunKey> SelectTargets(JobDefinition job, RunRequestOptions options)
    {
        var sources = job.Sources.AsEnumerable();
        if (options.RepositoryId is not null)
        {
            sources = sources.Where(s => s.RepositoryId == options.RepositoryId).ToList();
            if (!sources.Any())
            {
                throw new CodeDocConfigurationException(
                    $"The job '{job.Id}' does not follow the repository '{options.RepositoryId}'. It follows: {string.Join(", ", job.Sources.Select(s => s.RepositoryId))}.");
            }
        }

        var keys = options.Branch is null
            ? sources.SelectMany(s => s.Branches.Select(b => new RunKey(job.Id, s.RepositoryId, b))).ToList()
            : sources.Where(s => s.Branches.Contains(options.Branch, StringComparer.Ordinal)).Select(s => new RunKey(job.Id, s.RepositoryId, options.Branch)).ToList();
        if (keys.Count == 0)
        {
            var followed = string.Join("; ", job.Sources.Select(s => $"{s.RepositoryId}: {string.Join(", ", s.Branches)}"));
            throw new CodeDocConfigurationException(
                $"The job '{job.Id}' does not follow the branch '{options.Branch}'{(options.RepositoryId is null ? string.Empty : $" of '{options.RepositoryId}'")}. " +
                $"Add the branch to the job's sources, or pick a followed one ({followed}).");
        }

        return keys;
    }

    private async Task<IReadOnlyList<RunRecord>> FindAsync(RunKey key, IReadOnlyList<RunStatus> statuses, CancellationToken cancellationToken)
    {
        var rows = await history.ListAsync(new RunQuery { JobId = key.JobId, Statuses = statuses, Limit = int.MaxValue }, cancellationToken).ConfigureAwait(false);

        // Oldest first: a push joins the run that has waited longest.
        return [.. rows.Where(key.Matches).OrderBy(r => r.QueuedAt)];
    }

    private async Task CancelWaitingAsync(RunRecord run, string actor, string reason, CancellationToken cancellationToken)
    {
        var requestedSha = dispatcher.Remove(run.Id) ?? run.RequestedSha;
        await recorder.SaveAsync(
            run with { Status = RunStatus.Cancelled, FinishedAt = time.GetUtcNow(), Error = reason, RequestedSha = requestedSha },
            "run.cancelled",
            actor,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
