using CodeDoc.Core;
using CodeDoc.Hosting.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Triggers;

/// <summary>
/// The backstop for dropped webhooks: compares each followed branch's head with the last documented commit at the
/// job's poll interval and queues a Poll run when they differ. It also forgets old webhook delivery ids.
/// </summary>
internal sealed class PollTrigger(
    IJobStore jobs,
    IRepositoryStore repositories,
    IRunHistoryStore history,
    IWebhookDeliveryStore deliveries,
    RunProviderBuilder providers,
    RunQueue queue,
    RunDispatcher dispatcher,
    IOptions<CodeDocHostingOptions> options,
    TimeProvider time,
    ILogger<PollTrigger> logger) : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly Dictionary<string, DateTimeOffset> _nextPoll = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var nextPrune = time.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                if (now >= nextPrune)
                {
                    await PruneAsync(now, stoppingToken).ConfigureAwait(false);
                    nextPrune = now + PruneInterval;
                }

                var wake = Min(now + RefreshInterval, nextPrune);
                foreach (var job in await ListJobsAsync(stoppingToken).ConfigureAwait(false))
                {
                    if (JobTriggerRules.CheckPollInterval(job.Triggers.PollInterval, options.Value.Worker.MinimumPollInterval) is { } problem)
                    {
                        if (_reported.Add($"{job.Id}\n{job.Triggers.PollInterval}"))
                        {
                            JobsLog.InvalidPollInterval(logger, job.Id, problem);
                        }

                        continue;
                    }

                    var due = _nextPoll.GetValueOrDefault(job.Id, now);
                    if (due <= now)
                    {
                        await PollAsync(job, stoppingToken).ConfigureAwait(false);
                        due = now + job.Triggers.PollInterval!.Value;
                        _nextPoll[job.Id] = due;
                    }

                    wake = Min(wake, due);
                }

                await Task.Delay(wake - now, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private async Task<IReadOnlyList<JobDefinition>> ListJobsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return [.. (await jobs.ListAsync(cancellationToken).ConfigureAwait(false)).Where(j => j.Enabled && j.Triggers.PollInterval is not null)];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            JobsLog.TriggerFailed(logger, "poll", "*", e.GetType().Name, e.Message);
            return [];
        }
    }

    private async Task PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await deliveries.PruneAsync(now - options.Value.Webhooks.DeliveryRetention, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            JobsLog.PruneFailed(logger, e.GetType().Name, e.Message);
        }
    }

    private async Task PollAsync(JobDefinition job, CancellationToken cancellationToken)
    {
        foreach (var source in job.Sources)
        {
            try
            {
                var repository = await repositories.GetAsync(source.RepositoryId, cancellationToken).ConfigureAwait(false);
                if (repository is null)
                {
                    continue;
                }

                var (provider, reference, owned) = await providers.BuildGitReaderAsync(repository, "poll:" + job.Id, RunRecorder.SystemActor, cancellationToken).ConfigureAwait(false);
                try
                {
                    foreach (var branch in source.Branches)
                    {
                        var head = await provider.ResolveRefAsync(reference, branch, cancellationToken).ConfigureAwait(false);
                        await QueueIfNewAsync(new RunKey(job.Id, repository.Id, branch), head.CommitSha, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    if (owned)
                    {
                        (provider as IDisposable)?.Dispose();
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var error = e is CodeDocException ? e.Message : e.GetType().Name;
                JobsLog.TriggerFailed(logger, "poll", job.Id, e.GetType().Name, error);
            }
        }
    }

    private async Task QueueIfNewAsync(RunKey key, string head, CancellationToken cancellationToken)
    {
        var documented = await history.GetLastDocumentedShaAsync(key.JobId, key.RepositoryId, key.Branch, cancellationToken).ConfigureAwait(false);
        if (string.Equals(documented, head, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // A head whose last run failed or was declined would only fail again each interval; a push, a schedule or a person retries it.
        var latest = (await history.ListAsync(new RunQuery { JobId = key.JobId, Limit = 50 }, cancellationToken).ConfigureAwait(false)).FirstOrDefault(key.Matches);
        if (latest is { Status: RunStatus.Failed or RunStatus.Declined } && (latest.RequestedSha == head || latest.CommitSha == head))
        {
            return;
        }

        await dispatcher.StatusGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await queue.HasPendingRunAsync(key, cancellationToken).ConfigureAwait(false))
            {
                var run = await queue.QueueAsync(key, RunTrigger.Poll, RunRecorder.SystemActor, head, cancellationToken: cancellationToken).ConfigureAwait(false);
                JobsLog.TriggerQueued(logger, "poll", run.Id, key.JobId, key.RepositoryId, key.Branch);
            }
        }
        finally
        {
            dispatcher.StatusGate.Release();
        }
    }
}
