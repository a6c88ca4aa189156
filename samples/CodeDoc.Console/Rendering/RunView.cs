using System.Globalization;
using CodeDoc.Core;
using Spectre.Console;

namespace CodeDoc.ConsoleHost.Rendering;

/// <summary>Renders a run: its progress line, the preview before spending, and the final report.</summary>
internal static class RunView
{
    /// <summary>One line of progress: stage, items done, tokens and cost so far.</summary>
    public static string Describe(RunProgress progress)
    {
        var parts = new List<string> { progress.Message };
        if (progress.Total is { } total && progress.Stage is RunStage.Summarizing or RunStage.Generating or RunStage.Publishing)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{progress.Done}/{total}"));
        }

        var tokens = progress.Usage.InputTokens + progress.Usage.OutputTokens;
        if (tokens > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{tokens:N0} tokens"));
        }

        if (progress.Cost is { } cost && tokens > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"${cost:0.0000}"));
        }

        return $"[{progress.Stage}] " + string.Join(" · ", parts);
    }

    /// <summary>What the run is about to do and what it may cost.</summary>
    public static void RenderPreview(IAnsiConsole console, RunPreview preview)
    {
        var forecast = preview.Forecast;
        var sha = preview.Plan.Commit.CommitSha;
        var shortSha = sha.Length > 12 ? sha[..12] : sha;
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Plan: {preview.PagesToGenerate.Count} pages to write, {preview.PagesToUpdate.Count} to update, {preview.PagesReused.Count} kept as published ({preview.Plan.Repository.Id} at {preview.Plan.Commit.Reference}, {shortSha}).")));
        if (preview.FullRunReason is { } reason && preview.PagesToGenerate.Count > 0 && preview.PagesReused.Count + preview.PagesToUpdate.Count == 0)
        {
            console.MarkupLine(Markup.Escape("Every page is written because " + reason + "."));
        }

        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Forecast: {forecast.InputTokens.Low:N0}-{forecast.InputTokens.High:N0} input and {forecast.OutputTokens.Low:N0}-{forecast.OutputTokens.High:N0} output tokens, ") +
            (forecast.Cost is { } cost
                ? string.Create(CultureInfo.InvariantCulture, $"${cost.Low:0.00}-${cost.High:0.00} with {forecast.ModelId}.")
                : $"cost unknown ({forecast.ModelId ?? "no model"} has no price data).")));
    }

    /// <summary>The final report: pages, tokens by stage, cost, coverage, verification and warnings.</summary>
    public static void Render(IAnsiConsole console, RunReport report)
    {
        var pages = new Table().AddColumns("Page", "Action", "Truthfulness", "Note");
        foreach (var page in report.Pages)
        {
            pages.AddRow(
                Markup.Escape(page.Key),
                page.Action.ToString(),
                page.Truthfulness is { } t ? t.ToString("P0", CultureInfo.InvariantCulture) : "-",
                Markup.Escape(page.Note ?? string.Empty));
        }

        console.Write(pages);
        foreach (var (stage, usage) in report.UsageByStage.OrderBy(u => u.Key))
        {
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{stage}: {usage.InputTokens:N0} input ({usage.CachedInputTokens:N0} cached), {usage.OutputTokens:N0} output tokens")));
        }

        console.MarkupLine(Markup.Escape(report.Usage == AiUsage.Zero
            ? "No model tokens were spent."
            : report.Cost is { } cost ? string.Create(CultureInfo.InvariantCulture, $"Cost: ${cost:0.0000}") : "Cost: unknown (no price data for the model)"));
        var coverage = report.Coverage;
        if (coverage.FilesByPage.Count > 0)
        {
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"Coverage: {report.Plan.Snapshot.Files.Count - coverage.UncoveredFiles.Count} of {report.Plan.Snapshot.Files.Count} included files were drawn on by a page; {coverage.OutlineOnlyFiles.Count} read as outlines.")));
            foreach (var file in coverage.UncoveredFiles.Take(10))
            {
                console.MarkupLine(Markup.Escape("  not covered: " + file));
            }
        }

        if (report.Publish is { } publish)
        {
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"Published {publish.DocumentSetId}: {publish.Count(PageOutcomeKind.Created)} created, {publish.Count(PageOutcomeKind.Updated)} updated, {publish.Count(PageOutcomeKind.Unchanged)} unchanged, {publish.Count(PageOutcomeKind.Removed)} removed, {publish.Count(PageOutcomeKind.Failed)} failed.")));
        }
        else
        {
            console.MarkupLine(Markup.Escape(report.StopReason switch
            {
                RunStopReason.Declined => "Stopped before spending anything: not confirmed.",
                RunStopReason.DryRun => "Dry run: nothing was spent or published.",
                _ => "Nothing was published: the documentation is up to date.",
            }));
        }

        foreach (var warning in report.Warnings)
        {
            console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(warning));
        }
    }
}
