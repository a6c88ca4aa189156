using System.Globalization;
using CodeDoc.Core;

namespace CodeDoc.Hosting.Jobs;

/// <summary>Makes every change of a run's status in one order: the history row first (the truth), then the audit row, then the event.</summary>
internal sealed class RunRecorder(IRunHistoryStore history, IAuditLog audit, RunMonitor monitor, TimeProvider time)
{
    /// <summary>The actor of changes nobody asked for (webhooks, schedules, recovery).</summary>
    public const string SystemActor = "system";

    /// <summary>Persists a run's row, audits the change and raises the status event.</summary>
    /// <param name="run">The row.</param>
    /// <param name="action">The audit action, e.g. <c>run.started</c>.</param>
    /// <param name="actor">Who made the change; <see langword="null"/> or empty for <see cref="SystemActor"/>.</param>
    /// <param name="extra">Extra audit metadata.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The row.</returns>
    public async Task<RunRecord> SaveAsync(RunRecord run, string action, string? actor, IReadOnlyDictionary<string, string>? extra = null, CancellationToken cancellationToken = default)
    {
        await history.SaveAsync(run, cancellationToken).ConfigureAwait(false);
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["job"] = run.JobId,
            ["repository"] = run.RepositoryId,
            ["branch"] = run.Branch,
            ["trigger"] = run.Trigger.ToString(),
            ["status"] = run.Status.ToString(),
        };
        if (run.RecoveryOf is not null)
        {
            details["recoveryOf"] = run.RecoveryOf;
        }

        if (run.Status is RunStatus.Succeeded or RunStatus.Failed && run.InputTokens + run.OutputTokens > 0)
        {
            details["tokens"] = (run.InputTokens + run.OutputTokens).ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            details[key] = value;
        }

        await audit.WriteAsync(
            new AuditEvent(time.GetUtcNow(), string.IsNullOrWhiteSpace(actor) ? SystemActor : actor, action, run.Id) { Details = details },
            cancellationToken).ConfigureAwait(false);
        monitor.OnStatusChanged(run);
        return run;
    }

    /// <summary>Persists a row whose status did not change (a push joined it).</summary>
    public Task SaveQuietlyAsync(RunRecord run, CancellationToken cancellationToken = default) => history.SaveAsync(run, cancellationToken);
}
