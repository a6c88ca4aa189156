using CodeDoc.Hosting.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Triggers;

/// <summary>Queues a Schedule run of every followed branch at each occurrence of a job's cron schedule.</summary>
internal sealed class ScheduleTrigger(IJobStore jobs, RunQueue queue, RunDispatcher dispatcher, TimeProvider time, ILogger<ScheduleTrigger> logger) : BackgroundService
{
    // Jobs are read again at least this often, so new and changed schedules take effect without a restart.
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var checkedUntil = time.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                var wake = now + RefreshInterval;
                IReadOnlyList<JobDefinition> all;
                try
                {
                    all = await jobs.ListAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    JobsLog.TriggerFailed(logger, "schedule", "*", e.GetType().Name, e.Message);
                    all = [];
                }

                foreach (var job in all.Where(j => j.Enabled && j.Triggers.Schedule is not null))
                {
                    if (!JobTriggerRules.TryReadSchedule(job.Triggers, out var schedule, out var zone, out var problem))
                    {
                        if (_reported.Add($"{job.Id}\n{job.Triggers.Schedule}\n{job.Triggers.TimeZone}"))
                        {
                            JobsLog.InvalidSchedule(logger, job.Id, problem);
                        }

                        continue;
                    }

                    if (schedule.GetNextOccurrence(checkedUntil, zone) is { } due && due <= now)
                    {
                        await QueueAsync(job, stoppingToken).ConfigureAwait(false);
                    }

                    if (schedule.GetNextOccurrence(now, zone) is { } next && next < wake)
                    {
                        wake = next;
                    }
                }

                checkedUntil = now;
                await Task.Delay(wake - now, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task QueueAsync(JobDefinition job, CancellationToken cancellationToken)
    {
        foreach (var source in job.Sources)
        {
            foreach (var branch in source.Branches)
            {
                var key = new RunKey(job.Id, source.RepositoryId, branch);
                try
                {
                    await dispatcher.StatusGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        // A branch whose previous run has not finished (or waits for approval) needs no second one.
                        if (!await queue.HasPendingRunAsync(key, cancellationToken).ConfigureAwait(false))
                        {
                            var run = await queue.QueueAsync(key, RunTrigger.Schedule, RunRecorder.SystemActor, cancellationToken: cancellationToken).ConfigureAwait(false);
                            JobsLog.TriggerQueued(logger, "schedule", run.Id, job.Id, source.RepositoryId, branch);
                        }
                    }
                    finally
                    {
                        dispatcher.StatusGate.Release();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    JobsLog.TriggerFailed(logger, "schedule", job.Id, e.GetType().Name, e.Message);
                }
            }
        }
    }
}
