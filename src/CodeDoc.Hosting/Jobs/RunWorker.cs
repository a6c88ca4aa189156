using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Jobs;

/// <summary>
/// Executes queued runs: at most <see cref="HostingWorkerOptions.MaxConcurrentRuns"/> at once and never two of one job
/// on one branch. At start it recovers what a stopped host left; at shutdown it lets runs finish within the grace
/// period, then stops them and queues their recovery.
/// </summary>
internal sealed class RunWorker(
    RunDispatcher dispatcher,
    RunExecutor executor,
    RunQueue queue,
    RunRecorder recorder,
    IRunHistoryStore history,
    IOptions<CodeDocHostingOptions> options,
    TimeProvider time,
    ILogger<RunWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private FileStream? _lock;

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _lock = WorkerLock.Acquire(options.Value.DatabasePath);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ReleaseLock();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        ReleaseLock();
        base.Dispose();
    }

    private void ReleaseLock()
    {
        _lock?.Dispose();
        _lock = null;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            try
            {
                await RecoverAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Runs queued from now on still run; the rows left over are recovered at the next start.
                JobsLog.RecoveryFailed(logger, e.GetType().Name, e.Message);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (var entry in dispatcher.TakeReady())
                {
                    var task = Task.Run(() => RunOneAsync(entry), CancellationToken.None);
                    _running[entry.RunId] = task;
                    _ = task.ContinueWith(t => _running.TryRemove(new KeyValuePair<string, Task>(entry.RunId, t)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                await dispatcher.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: fall through to draining.
        }

        await DrainAsync().ConfigureAwait(false);
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var queued = await history.ListAsync(new RunQuery { Statuses = [RunStatus.Queued], Limit = int.MaxValue }, cancellationToken).ConfigureAwait(false);
        var running = await history.ListAsync(new RunQuery { Statuses = [RunStatus.Running], Limit = int.MaxValue }, cancellationToken).ConfigureAwait(false);
        foreach (var run in queued.OrderBy(r => r.QueuedAt))
        {
            dispatcher.Enqueue(run, RunExecutionOptions.Default, debounced: false);
        }

        foreach (var run in running.OrderBy(r => r.QueuedAt))
        {
            // The host stopped in the middle of this run. Publishing converges on the manifest at the target, so running it again adds no page twice.
            await recorder.SaveAsync(
                run with { Status = RunStatus.Interrupted, FinishedAt = time.GetUtcNow(), Error = "The host stopped while the run was under way; a recovery run was queued." },
                "run.finished",
                RunRecorder.SystemActor,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            var recovery = await queue.QueueAsync(RunKey.Of(run), RunTrigger.Recovery, RunRecorder.SystemActor, run.RequestedSha, recoveryOf: run.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            JobsLog.RunRecovered(logger, run.Id, recovery.Id);
        }
    }

    private async Task RunOneAsync(QueueEntry entry)
    {
        ActiveRun? active = null;
        try
        {
            await dispatcher.StatusGate.WaitAsync().ConfigureAwait(false);
            try
            {
                // The row is the truth: a run cancelled (or removed) since it was queued does not start.
                var row = await history.GetAsync(entry.RunId).ConfigureAwait(false);
                if (row is not { Status: RunStatus.Queued })
                {
                    return;
                }

                var started = await recorder.SaveAsync(
                    row with { Status = RunStatus.Running, StartedAt = time.GetUtcNow(), RequestedSha = entry.RequestedSha ?? row.RequestedSha },
                    "run.started",
                    row.Actor).ConfigureAwait(false);
                active = new ActiveRun(started);
                dispatcher.Register(active);
            }
            finally
            {
                dispatcher.StatusGate.Release();
            }

            await executor.ExecuteAsync(active, entry.Options).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The store itself failed; the row stays as it was, and the next start recovers it.
            JobsLog.WorkerStepFailed(logger, entry.RunId, e.GetType().Name, e.Message);
        }
        finally
        {
            if (active is not null)
            {
                dispatcher.Unregister(entry.RunId);
                active.Dispose();
            }

            dispatcher.Complete(entry.Key);
        }
    }

    private async Task DrainAsync()
    {
        var underWay = _running.Values.ToList();
        if (underWay.Count == 0)
        {
            return;
        }

        JobsLog.Draining(logger, underWay.Count, options.Value.Worker.ShutdownGracePeriod);
        var all = Task.WhenAll(underWay);
        using var grace = new CancellationTokenSource();
        var graceOver = Task.Delay(options.Value.Worker.ShutdownGracePeriod, time, grace.Token);
        if (await Task.WhenAny(all, graceOver).ConfigureAwait(false) != all)
        {
            foreach (var active in dispatcher.ActiveRuns())
            {
                active.StopForShutdown();
            }
        }

        await grace.CancelAsync().ConfigureAwait(false);
        await all.ConfigureAwait(false);
    }
}
