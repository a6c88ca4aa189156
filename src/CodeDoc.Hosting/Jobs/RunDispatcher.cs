using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Jobs;

/// <summary>
/// The in-memory side of the queue: which persisted Queued rows are due, which (job, repository, branch) keys are busy,
/// and which runs are under way. The rows in <see cref="IRunHistoryStore"/> are the truth; this only dispatches them.
/// </summary>
internal sealed class RunDispatcher(TimeProvider time, IOptions<CodeDocHostingOptions> options)
{
    // A debounced run waits at most this many windows after its first push, so a steady stream of pushes still runs.
    private const int MaxDebounceWindows = 5;

    private readonly Lock _lock = new();
    private readonly List<QueueEntry> _pending = [];
    private readonly HashSet<RunKey> _busy = [];
    private readonly Dictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;
    private long _sequence;

    /// <summary>Gets the lock every change of a run's status is made under, so a push, a cancel and the worker never overwrite each other's row.</summary>
    public SemaphoreSlim StatusGate { get; } = new(1, 1);

    /// <summary>Adds a persisted Queued run, unless it is already waiting.</summary>
    public void Enqueue(RunRecord run, RunExecutionOptions executionOptions, bool debounced)
    {
        var now = time.GetUtcNow();
        var due = debounced ? now + options.Value.Worker.DebounceWindow : now;
        lock (_lock)
        {
            // Start-up recovery may meet a run a push has just queued: the entry already there keeps its debounce.
            if (_pending.Exists(e => e.RunId == run.Id))
            {
                return;
            }

            _pending.Add(new QueueEntry(run.Id, RunKey.Of(run), executionOptions, debounced, now, _sequence++) { DueAt = due, RequestedSha = run.RequestedSha });
        }

        Pulse();
    }

    /// <summary>
    /// Lets a push join the oldest run of its key that has not started; a debounced run's start moves to a window after
    /// this push (bounded). The pushed head is kept in memory only: the row is written when the run starts or is
    /// cancelled, and a run resolves the branch's head itself when it starts, so a row that still names an older head
    /// after a crash documents the newest one anyway.
    /// </summary>
    /// <returns><see langword="false"/> when no run of the key is waiting to start.</returns>
    public bool TryJoin(RunKey key, string? requestedSha)
    {
        var now = time.GetUtcNow();
        var window = options.Value.Worker.DebounceWindow;
        lock (_lock)
        {
            QueueEntry? entry = null;
            foreach (var candidate in _pending)
            {
                if (candidate.Key == key && (entry is null || candidate.Sequence < entry.Sequence))
                {
                    entry = candidate;
                }
            }

            if (entry is null)
            {
                return false;
            }

            entry.RequestedSha = requestedSha ?? entry.RequestedSha;
            if (entry.Debounced)
            {
                var latest = entry.FirstQueuedAt + (window * MaxDebounceWindows);
                var slid = now + window;
                entry.DueAt = slid < latest ? slid : latest;
            }
        }

        // No pulse: the start only moved later, and a worker that wakes at the earlier time finds nothing due and waits again.
        return true;
    }

    /// <summary>Removes a run that will not start (cancelled).</summary>
    /// <returns>The newest head pushes joined it with, or <see langword="null"/> when it was not waiting.</returns>
    public string? Remove(string runId)
    {
        string? requestedSha = null;
        lock (_lock)
        {
            if (_pending.Find(e => e.RunId == runId) is { } entry)
            {
                requestedSha = entry.RequestedSha;
                _pending.Remove(entry);
            }
        }

        Pulse();
        return requestedSha;
    }

    /// <summary>Takes the due runs that may start now: within the concurrency limit, one per free key, oldest first.</summary>
    public IReadOnlyList<QueueEntry> TakeReady()
    {
        var now = time.GetUtcNow();
        var limit = options.Value.Worker.MaxConcurrentRuns;
        var taken = new List<QueueEntry>();
        lock (_lock)
        {
            foreach (var entry in _pending.OrderBy(e => e.Sequence).ToList())
            {
                if (_running >= limit)
                {
                    break;
                }

                if (entry.DueAt <= now && _busy.Add(entry.Key))
                {
                    _pending.Remove(entry);
                    _running++;
                    taken.Add(entry);
                }
            }
        }

        return taken;
    }

    /// <summary>Frees a run's key and concurrency slot.</summary>
    public void Complete(RunKey key)
    {
        lock (_lock)
        {
            _busy.Remove(key);
            _running--;
        }

        Pulse();
    }

    /// <summary>Waits until something changed or the next queued run falls due.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        Task signal;
        DateTimeOffset? due;
        lock (_lock)
        {
            signal = _signal.Task;
            due = _running >= options.Value.Worker.MaxConcurrentRuns
                ? null
                : _pending.Where(e => !_busy.Contains(e.Key)).Select(e => (DateTimeOffset?)e.DueAt).Min();
        }

        if (due is null)
        {
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var delay = due.Value - time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(signal, Task.Delay(delay, time, stopDelay.Token)).ConfigureAwait(false);
        await stopDelay.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Records a run under way, so it can be cancelled.</summary>
    public void Register(ActiveRun run)
    {
        lock (_lock)
        {
            _active[run.Run.Id] = run;
        }
    }

    /// <summary>Forgets a run that is no longer under way.</summary>
    public void Unregister(string runId)
    {
        lock (_lock)
        {
            _active.Remove(runId);
        }
    }

    /// <summary>Gets a run under way.</summary>
    public ActiveRun? GetActive(string runId)
    {
        lock (_lock)
        {
            return _active.GetValueOrDefault(runId);
        }
    }

    /// <summary>Gets every run under way.</summary>
    public IReadOnlyList<ActiveRun> ActiveRuns()
    {
        lock (_lock)
        {
            return [.. _active.Values];
        }
    }

    private void Pulse()
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _signal;
            _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}

/// <summary>A queued run waiting for its start time, its key and a free slot.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Key">Its key.</param>
/// <param name="Options">How it executes.</param>
/// <param name="Debounced">Whether later pushes move its start.</param>
/// <param name="FirstQueuedAt">When it was queued.</param>
/// <param name="Sequence">Queue order.</param>
internal sealed record QueueEntry(string RunId, RunKey Key, RunExecutionOptions Options, bool Debounced, DateTimeOffset FirstQueuedAt, long Sequence)
{
    /// <summary>Gets or sets when it may start.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>Gets or sets the newest head a push named for it; written to the row when the run starts.</summary>
    public string? RequestedSha { get; set; }
}

/// <summary>A run under way and the means to stop it.</summary>
internal sealed class ActiveRun : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();

    public ActiveRun(RunRecord run) => Run = run;

    /// <summary>Gets the run's row as it started.</summary>
    public RunRecord Run { get; }

    /// <summary>Gets the token the run stops on.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Gets who cancelled it, when a person did.</summary>
    public string? CancelledBy { get; private set; }

    /// <summary>Gets a value indicating whether a shutdown stopped it.</summary>
    public bool StoppedByShutdown { get; private set; }

    /// <summary>Stops the run for a person.</summary>
    public void Cancel(string actor)
    {
        CancelledBy ??= actor;
        _cancellation.Cancel();
    }

    /// <summary>Stops the run because the host stops.</summary>
    public void StopForShutdown()
    {
        StoppedByShutdown = CancelledBy is null;
        _cancellation.Cancel();
    }

    /// <inheritdoc />
    public void Dispose() => _cancellation.Dispose();
}
