using System.Globalization;
using CodeDoc.Hosting;
using Spectre.Console;

namespace CodeDoc.ConsoleHost.Rendering;

/// <summary>Renders history rows: what ran, when, on which commit, what it spent and where the pages are.</summary>
internal static class HistoryView
{
    public static void Render(IAnsiConsole console, IReadOnlyList<RunRecord> runs)
    {
        if (runs.Count == 0)
        {
            console.MarkupLine("No runs in the history.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("Run", "Job", "Repository", "Branch", "Trigger", "Status", "Queued (UTC)", "Commit", "Tokens", "Cost", "Pages");
        foreach (var run in runs)
        {
            table.AddRow(
                Markup.Escape(Short(run.Id)),
                Markup.Escape(run.JobId),
                Markup.Escape(run.RepositoryId),
                Markup.Escape(run.Branch),
                run.Trigger.ToString(),
                StatusMarkup(run),
                run.QueuedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(run.CommitSha is { } sha ? Short(sha) : "-"),
                (run.InputTokens + run.OutputTokens).ToString("N0", CultureInfo.InvariantCulture),
                run.Cost is { } cost ? cost.ToString("0.0000", CultureInfo.InvariantCulture) : "-",
                run.PageLinks.Count.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        foreach (var run in runs.Where(r => r.Error is not null))
        {
            console.MarkupLine(Markup.Escape($"{Short(run.Id)}: {run.Error}"));
        }
    }

    private static string StatusMarkup(RunRecord run) => run.Status switch
    {
        RunStatus.Succeeded => "[green]Succeeded[/]",
        RunStatus.Failed or RunStatus.Interrupted => $"[red]{run.Status}[/]",
        RunStatus.Declined or RunStatus.AwaitingApproval or RunStatus.Cancelled => $"[yellow]{run.Status}[/]",
        _ => run.Status.ToString(),
    };

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
