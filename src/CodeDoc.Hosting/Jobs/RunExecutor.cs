using System.Globalization;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Jobs;

/// <summary>
/// Executes one started run: spending caps, providers, the documentation run with its approval step, and the history
/// row with what the run did (metadata only). Every outcome, failures included, ends in a row; nothing is thrown.
/// </summary>
internal sealed class RunExecutor(
    IJobStore jobs,
    IRepositoryStore repositories,
    IRunHistoryStore history,
    IManifestCache manifests,
    IDocumentationRunner runner,
    RunProviderBuilder providers,
    RunRecorder recorder,
    RunQueue queue,
    RunMonitor monitor,
    HostingNotifier notifier,
    IAuditLog audit,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    /// <summary>Executes a run whose row is Running.</summary>
    /// <param name="active">The run and its cancellation.</param>
    /// <param name="options">How it executes.</param>
    /// <returns>The final row.</returns>
    public async Task<RunRecord> ExecuteAsync(ActiveRun active, RunExecutionOptions options)
    {
        var run = active.Run;
        var token = active.Token;
        BuiltProviders? built = null;
        try
        {
            var job = await jobs.GetAsync(run.JobId, token).ConfigureAwait(false)
                ?? throw new CodeDocConfigurationException($"The job '{run.JobId}' no longer exists: it was deleted after the run was queued.");
            var repository = await repositories.GetAsync(run.RepositoryId, token).ConfigureAwait(false)
                ?? throw new CodeDocConfigurationException($"The repository '{run.RepositoryId}' no longer exists: it was deleted after the run was queued.");

            var room = await SpendingRoom.ReadAsync(history, job, time.GetUtcNow(), token).ConfigureAwait(false);
            if (room.ReachedCap is { } cap)
            {
                var message = $"The job '{job.Id}' has reached {cap}, so the run was not started. It runs again when the cap resets, or raise the cap.";
                run = await FinishAsync(run with { Status = RunStatus.Declined, Error = message }, CancellationToken.None).ConfigureAwait(false);
                await notifier.NotifyAsync(HostingNotificationKind.CapReached, job.Id, run.Id, message, token).ConfigureAwait(false);
                return run;
            }

            built = await providers.BuildAsync(job, repository, run.Branch, run.Id, run.Actor, token).ConfigureAwait(false);

            // An approved row keeps the forecast it was approved for, and may spend up to it.
            var approvedCost = run.ForecastCost;
            var maxCost = approvedCost is { } approved && (room.Cost is null || approved < room.Cost) ? approved : room.Cost;
            var awaitingApproval = false;
            Func<RunPreview, CancellationToken, ValueTask<bool>>? confirm = null;
            if (run.Trigger != RunTrigger.Manual && approvedCost is null && job.Limits.ApprovalAboveCost is { } threshold)
            {
                confirm = async (preview, cancellationToken) =>
                {
                    // An unknown forecast (no price for the model) cannot exceed the threshold; the caps still bound the run.
                    if (preview.Forecast.Cost?.High is not { } high || high <= threshold)
                    {
                        return true;
                    }

                    run = await recorder.SaveAsync(run with { Status = RunStatus.AwaitingApproval, ForecastCost = high }, "run.awaiting-approval", RunRecorder.SystemActor, cancellationToken: cancellationToken).ConfigureAwait(false);
                    awaitingApproval = true;
                    await notifier.NotifyAsync(
                        HostingNotificationKind.ApprovalRequired,
                        job.Id,
                        run.Id,
                        $"The run of job '{job.Id}' on {run.RepositoryId}@{run.Branch} is forecast to cost up to USD {high.ToString("0.####", CultureInfo.InvariantCulture)}, above the approval threshold of USD {threshold.ToString(CultureInfo.InvariantCulture)}. Approve or cancel run '{run.Id}'.",
                        cancellationToken).ConfigureAwait(false);
                    return false;
                };
            }

            var request = new RunRequest
            {
                Plan = new PlanRequest
                {
                    Location = repository.Url,
                    Ref = run.Branch,
                    Preset = job.Preset,
                    FactsOnly = job.FactsOnly,
                    AiProvider = built.AiName,
                    Publisher = built.PublisherName,
                    Providers = built.Providers,
                },
                Force = options.Force,
                FullRegeneration = options.FullRegeneration,
                MaxTokens = room.Tokens,
                MaxCost = maxCost,
                Confirm = confirm,
            };
            var report = await runner.RunAsync(request, new RunMonitor.Reporter(monitor, run.Id), token).ConfigureAwait(false);
            if (awaitingApproval)
            {
                return run;
            }

            run = await FinishAsync(Outcome(run, report), CancellationToken.None).ConfigureAwait(false);
            await AfterPublishAsync(job, run, report, built, token).ConfigureAwait(false);
            return run;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return await StoppedAsync(active, run).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var error = e is CodeDocException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            JobsLog.RunFailed(logger, run.Id, run.JobId, e.GetType().Name, error);
            run = await FinishAsync(run with { Status = RunStatus.Failed, Error = error }, CancellationToken.None).ConfigureAwait(false);
            await notifier.NotifyAsync(HostingNotificationKind.RunFailed, run.JobId, run.Id, $"The run of job '{run.JobId}' on {run.RepositoryId}@{run.Branch} failed: {error}", CancellationToken.None).ConfigureAwait(false);
            return run;
        }
        finally
        {
            built?.Dispose();
        }
    }

    private static RunRecord Outcome(RunRecord run, RunReport report)
    {
        var links = report.Publish?.Pages
            .Where(p => p.Link is not null && p.Kind is not (PageOutcomeKind.Removed or PageOutcomeKind.Failed))
            .Select(p => p.Link!)
            .ToList() ?? [];
        var usage = report.Usage;
        run = run with
        {
            CommitSha = report.Plan.Commit.CommitSha,
            InputTokens = usage.InputTokens,
            OutputTokens = usage.OutputTokens,
            Cost = report.Cost,
            PageLinks = links,
        };
        if (report.Publish is { HasFailures: true } publish)
        {
            var failed = publish.Pages.Where(p => p.Kind == PageOutcomeKind.Failed).Select(p => p.Key).ToList();
            return run with { Status = RunStatus.Failed, Error = $"{failed.Count} page(s) could not be published: {string.Join(", ", failed)}." };
        }

        return report.StopReason switch
        {
            RunStopReason.BudgetReached => run with
            {
                Status = RunStatus.Succeeded,
                Error = $"Stopped at the job's spending cap: {report.Pages.Count(p => p.Action == PageRunAction.NotWritten)} page(s) were not written this run; the published versions stay and the next run continues.",
            },
            RunStopReason.Declined => run with { Status = RunStatus.Declined, Error = "The run was declined before it spent anything." },
            _ => run with { Status = RunStatus.Succeeded },
        };
    }

    private async Task AfterPublishAsync(JobDefinition job, RunRecord run, RunReport report, BuiltProviders built, CancellationToken cancellationToken)
    {
        if (report.StopReason == RunStopReason.BudgetReached)
        {
            await notifier.NotifyAsync(HostingNotificationKind.CapReached, job.Id, run.Id, $"The run of job '{job.Id}' on {run.RepositoryId}@{run.Branch} reached the job's spending cap. {run.Error}", cancellationToken).ConfigureAwait(false);
        }

        if (report.Publish is not { DryRun: false } publish)
        {
            return;
        }

        await audit.WriteAsync(
            new AuditEvent(time.GetUtcNow(), run.Actor, "run.published", run.Id)
            {
                Details = new Dictionary<string, string>
                {
                    ["job"] = job.Id,
                    ["publisher"] = job.PublisherId,
                    ["set"] = publish.DocumentSetId,
                    ["commit"] = run.CommitSha ?? string.Empty,
                    ["pages"] = string.Join(",", publish.Pages.GroupBy(p => p.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}")),
                },
            },
            cancellationToken).ConfigureAwait(false);

        var frozen = publish.Pages.Where(p => p.Kind == PageOutcomeKind.SkippedEditedByPerson).Select(p => p.Key).ToList();
        if (frozen.Count > 0)
        {
            await notifier.NotifyAsync(
                HostingNotificationKind.PageFrozen,
                job.Id,
                run.Id,
                $"{frozen.Count} page(s) of job '{job.Id}' on {run.RepositoryId}@{run.Branch} were edited by people and left as they are: {string.Join(", ", frozen)}. Run with Force to overwrite them.",
                cancellationToken).ConfigureAwait(false);
        }

        // The cache is a convenience copy; the manifest at the target stays the master, so a failed read only costs a log line.
        try
        {
            var publisher = providers.Publisher(built);
            if (await publisher.ReadManifestAsync(publish.DocumentSetId, cancellationToken).ConfigureAwait(false) is { } manifest)
            {
                await manifests.SaveAsync(job.PublisherId, manifest, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            JobsLog.ManifestCacheFailed(logger, run.Id, publish.DocumentSetId, e.GetType().Name);
        }
    }

    private async Task<RunRecord> StoppedAsync(ActiveRun active, RunRecord run)
    {
        if (active.StoppedByShutdown)
        {
            var interrupted = await FinishAsync(
                run with { Status = RunStatus.Interrupted, Error = "The host stopped while the run was under way; a recovery run was queued." },
                CancellationToken.None).ConfigureAwait(false);
            await queue.QueueAsync(RunKey.Of(run), RunTrigger.Recovery, RunRecorder.SystemActor, run.RequestedSha, recoveryOf: run.Id).ConfigureAwait(false);
            return interrupted;
        }

        var cancelled = run with { Status = RunStatus.Cancelled, Error = $"cancelled by {active.CancelledBy}", FinishedAt = time.GetUtcNow() };
        return await recorder.SaveAsync(cancelled, "run.cancelled", active.CancelledBy).ConfigureAwait(false);
    }

    private Task<RunRecord> FinishAsync(RunRecord run, CancellationToken cancellationToken) =>
        recorder.SaveAsync(run with { FinishedAt = time.GetUtcNow() }, "run.finished", run.Actor, cancellationToken: cancellationToken);
}
