using System.CommandLine;
using System.Globalization;
using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.ConsoleHost.Hosting;

/// <summary>
/// Records a <c>generate</c> run in the host's history (job <c>cli</c>) and audit log: metadata only. It runs after
/// the pages are published and turns any store problem into a warning, so the pages are never lost to it.
/// </summary>
internal sealed class GenerateHistory(ParseResult parsed, CliEnvironment environment, Action<ICodeDocBuilder>? configure, TimeProvider time, string location, string? reference)
{
    public const string JobId = "cli";

    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public Task RecordAsync(RunReport report, CancellationToken cancellationToken)
    {
        if (report.StopReason == RunStopReason.DryRun)
        {
            return Task.CompletedTask;
        }

        var status = report.StopReason switch
        {
            RunStopReason.Declined or RunStopReason.BudgetReached => RunStatus.Declined,
            _ when report.Publish?.HasFailures == true => RunStatus.Failed,
            _ => RunStatus.Succeeded,
        };
        var run = NewRecord(status) with
        {
            RepositoryId = report.Plan.Repository.Id,
            Branch = report.Plan.Commit.Reference,
            CommitSha = report.Plan.Commit.CommitSha,
            InputTokens = report.Usage.InputTokens,
            OutputTokens = report.Usage.OutputTokens,
            Cost = report.Cost,
            ForecastCost = report.Forecast?.Cost?.High,
            PageLinks = report.Publish is { } publish
                ? [.. publish.Pages.Where(p => p.Kind is not (PageOutcomeKind.Removed or PageOutcomeKind.Failed) && p.Link is not null).Select(p => p.Link!)]
                : [],
            Error = status == RunStatus.Failed ? string.Create(CultureInfo.InvariantCulture, $"{report.Publish!.Count(PageOutcomeKind.Failed)} page(s) failed to publish.") : null,
        };
        return SaveAsync(run, cancellationToken);
    }

    public Task RecordFailureAsync(Exception exception, CancellationToken cancellationToken)
    {
        // A configuration problem stops the command before any run starts: there is nothing to record.
        if (exception is CodeDocConfigurationException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            return Task.CompletedTask;
        }

        var cancelled = exception is OperationCanceledException && cancellationToken.IsCancellationRequested;

        // Core exceptions carry messages written to be shown (no secret, no content); others are named only.
        var run = NewRecord(cancelled ? RunStatus.Cancelled : RunStatus.Failed) with
        {
            Error = cancelled ? "cancelled." : exception is CodeDocException ? exception.Message : $"unexpected {exception.GetType().Name}.",
        };
        return SaveAsync(run, CancellationToken.None);
    }

    private RunRecord NewRecord(RunStatus status) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        JobId = JobId,
        RepositoryId = RepositoryIds.From(location),
        Branch = reference ?? "HEAD",
        Trigger = RunTrigger.Manual,
        Actor = HostingSession.Actor,
        Status = status,
        QueuedAt = _startedAt,
        StartedAt = _startedAt,
        FinishedAt = time.GetUtcNow(),
    };

    private async Task SaveAsync(RunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            await using var session = await HostingSession.OpenAsync(parsed, environment, configure, cancellationToken).ConfigureAwait(false);
            await session.Services.GetRequiredService<IRunHistoryStore>().SaveAsync(run, cancellationToken).ConfigureAwait(false);
            await session.Services.GetRequiredService<IAuditLog>().WriteAsync(
                new AuditEvent(run.FinishedAt ?? run.QueuedAt, run.Actor, "run.finished", run.Id)
                {
                    Details = new Dictionary<string, string>
                    {
                        ["job"] = run.JobId,
                        ["repository"] = run.RepositoryId,
                        ["branch"] = run.Branch,
                        ["status"] = run.Status.ToString(),
                        ["commit"] = run.CommitSha ?? string.Empty,
                        ["pages"] = run.PageLinks.Count.ToString(CultureInfo.InvariantCulture),
                    },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var (_, message) = CodeDocCli.Describe(ex, cancellationToken);
            await environment.Error.WriteLineAsync($"warning: the run was not recorded in the history: {message} The pages are published; use --no-history to skip the history.").ConfigureAwait(false);
        }
    }
}
