using System.Collections.Concurrent;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Jobs;

/// <summary>Progress of runs under way, in memory only: a run's entry goes when it stops; its history row remains.</summary>
internal sealed class RunMonitor(ILogger<RunMonitor> logger) : IRunMonitor
{
    private readonly ConcurrentDictionary<string, RunProgressSnapshot> _active = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public event EventHandler<RunProgressSnapshot>? Progress;

    /// <inheritdoc />
    public event EventHandler<RunRecord>? StatusChanged;

    /// <inheritdoc />
    public IReadOnlyList<RunProgressSnapshot> Active => [.. _active.Values.OrderBy(s => s.Run.StartedAt)];

    /// <summary>Tracks a run's new status and raises <see cref="StatusChanged"/>.</summary>
    public void OnStatusChanged(RunRecord run)
    {
        if (run.Status == RunStatus.Running)
        {
            _active[run.Id] = new RunProgressSnapshot(run, RunStage.Resolving, "Started");
        }
        else
        {
            _active.TryRemove(run.Id, out _);
        }

        Raise(StatusChanged, run);
    }

    /// <summary>Records a run's progress and raises <see cref="Progress"/>.</summary>
    public void Report(string runId, RunProgress progress)
    {
        if (!_active.TryGetValue(runId, out var current))
        {
            return;
        }

        var generating = progress.Stage == RunStage.Generating;
        var snapshot = current with
        {
            Stage = progress.Stage,
            Message = progress.Message,
            PagesDone = generating ? progress.Done : current.PagesDone,
            PagesTotal = generating ? progress.Total : current.PagesTotal,
            Tokens = Math.Max(current.Tokens, progress.Usage.TotalTokens),
            Cost = progress.Cost ?? current.Cost,
        };
        _active[runId] = snapshot;
        Raise(Progress, snapshot);
    }

    private void Raise<T>(EventHandler<T>? handlers, T value)
    {
        if (handlers is null)
        {
            return;
        }

        // A subscriber that throws must not stop a run or hide the event from the other subscribers.
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<T>>())
        {
            try
            {
                handler(this, value);
            }
            catch (Exception e)
            {
                JobsLog.SubscriberFailed(logger, typeof(T).Name, e.GetType().Name);
            }
        }
    }

    /// <summary>Forwards a run's progress to the monitor.</summary>
    /// <param name="monitor">The monitor.</param>
    /// <param name="runId">The run.</param>
    public sealed class Reporter(RunMonitor monitor, string runId) : IProgress<RunProgress>
    {
        /// <inheritdoc />
        public void Report(RunProgress value) => monitor.Report(runId, value);
    }
}
