using System.Globalization;
using CodeDoc.Core;
using Spectre.Console;

namespace CodeDoc.ConsoleHost.Rendering;

/// <summary>The human-readable plan report.</summary>
internal static class PlanView
{
    public static void Render(IAnsiConsole console, DocumentationPlan plan, IModelPriceCatalog prices, bool allFiles)
    {
        var facts = new PlanFacts(plan);
        var snapshot = plan.Snapshot;
        console.MarkupLineInterpolated($"[bold]CodeDoc plan[/] for [bold]{plan.Repository.DisplayName}[/] ({plan.Repository.Id})");
        var commit = plan.Commit;
        console.MarkupLineInterpolated(commit.Kind switch
        {
            RefKind.Branch => $"branch [bold]{commit.Reference}[/] at commit {commit.CommitSha}",
            RefKind.Tag => $"tag [bold]{commit.Reference}[/] at commit {commit.CommitSha}",
            _ when commit.Reference == commit.CommitSha => $"commit [bold]{commit.CommitSha}[/]",
            _ => $"[bold]{commit.Reference}[/]: {commit.CommitSha}",
        });
        foreach (var note in plan.Notes)
        {
            console.MarkupLineInterpolated($"[yellow]note:[/] {note}");
        }

        Section(console, "Files");
        console.MarkupLineInterpolated($"Included: [bold]{snapshot.Files.Count:N0}[/] files, {Size(snapshot.TotalBytes)}, [bold]{snapshot.TotalTokens:N0}[/] tokens (o200k)");
        console.MarkupLineInterpolated($"Excluded: [bold]{facts.ExcludedFiles:N0}[/] files{(facts.FoldersNotEntered > 0 ? $" and {facts.FoldersNotEntered:N0} folders not entered" : string.Empty)}");
        if (facts.ByReason.Count > 0)
        {
            var reasons = new Table().Border(TableBorder.Rounded).AddColumns("Reason", "Files", "Size", "Examples");
            foreach (var group in facts.ByReason)
            {
                var files = group.FoldersNotEntered > 0 ? $"{group.Files:N0} + {group.FoldersNotEntered:N0} folders" : group.Files.ToString("N0", CultureInfo.InvariantCulture);
                reasons.AddRow(Markup.Escape(Describe(group.Reason)), files, Size(group.Bytes), Markup.Escape(string.Join(", ", group.Examples)));
            }

            console.Write(reasons);
        }

        foreach (var warning in snapshot.Warnings)
        {
            console.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
        }

        if (allFiles)
        {
            var list = new Table().Border(TableBorder.Simple).AddColumns("Included file", "Tokens", "Lines");
            foreach (var file in snapshot.Files)
            {
                list.AddRow(Markup.Escape(file.Path), file.Tokens.ToString("N0", CultureInfo.InvariantCulture), file.Lines.ToString("N0", CultureInfo.InvariantCulture));
            }

            console.Write(list);
            var excluded = new Table().Border(TableBorder.Simple).AddColumns("Excluded path", "Reason", "Detail");
            foreach (var path in snapshot.Excluded)
            {
                excluded.AddRow(Markup.Escape(path.IsDirectory ? path.Path + "/" : path.Path), Markup.Escape(Describe(path.Reason)), Markup.Escape(path.Detail));
            }

            console.Write(excluded);
        }

        if (facts.LargestDirectories.Count > 0)
        {
            Section(console, "Largest directories");
            var directories = new Table().Border(TableBorder.Rounded).AddColumns("Directory", "Files", "Tokens", "Size");
            foreach (var directory in facts.LargestDirectories)
            {
                directories.AddRow(Markup.Escape(directory.Path + "/"), directory.Files.ToString("N0", CultureInfo.InvariantCulture), directory.Tokens.ToString("N0", CultureInfo.InvariantCulture), Size(directory.Bytes));
            }

            console.Write(directories);
        }

        Section(console, "Secrets redacted before anything reaches a model");
        if (facts.RedactionsByRule.Count == 0)
        {
            console.MarkupLine("None found.");
        }
        else
        {
            var redactions = new Table().Border(TableBorder.Rounded).AddColumns("Rule", "Redactions", "Files");
            foreach (var rule in facts.RedactionsByRule)
            {
                redactions.AddRow(Markup.Escape(rule.Rule), rule.Count.ToString("N0", CultureInfo.InvariantCulture), rule.Files.ToString("N0", CultureInfo.InvariantCulture));
            }

            console.Write(redactions);
            foreach (var (path, finding) in snapshot.Redactions.Take(allFiles ? int.MaxValue : 10))
            {
                console.MarkupLineInterpolated($"  {path}:{finding.Line} ({finding.RuleId})");
            }
        }

        Section(console, $"Pages ({plan.Pages.Count})");
        var tree = new Tree(Markup.Escape(plan.Repository.DisplayName));
        var nodes = new Dictionary<string, TreeNode>(StringComparer.Ordinal);
        foreach (var page in plan.Pages)
        {
            var label = Markup.Escape($"{page.Title} ({page.SourceFiles.Count:N0} files, {page.SourceTokens:N0} tokens)");
            nodes[page.Key] = page.ParentKey is not null && nodes.TryGetValue(page.ParentKey, out var parent) ? parent.AddNode(label) : tree.AddNode(label);
        }

        console.Write(tree);

        RenderForecast(console, plan.Forecast, prices);

        Section(console, "Where data would go");
        var flows = new Table().Border(TableBorder.Rounded).AddColumns("Destination", "Where", "What", "Leaves this machine");
        foreach (var flow in plan.DataFlows)
        {
            flows.AddRow(Markup.Escape(flow.Destination), Markup.Escape(flow.Endpoint), Markup.Escape(flow.Data), flow.LeavesMachine ? "[yellow]yes[/]" : "no");
        }

        console.Write(flows);
    }

    private static void RenderForecast(IAnsiConsole console, CostForecast forecast, IModelPriceCatalog prices)
    {
        Section(console, "Forecast of a full documentation run");
        var stages = new Table().Border(TableBorder.Rounded).AddColumns("Stage", "Requests", "Input tokens", "Output tokens");
        foreach (var stage in forecast.Stages)
        {
            stages.AddRow(Markup.Escape(stage.Stage), stage.Requests.ToString("N0", CultureInfo.InvariantCulture), Range(stage.InputTokens), Range(stage.OutputTokens));
        }

        stages.AddRow("[bold]total[/]", forecast.Requests.ToString("N0", CultureInfo.InvariantCulture), Range(forecast.InputTokens), Range(forecast.OutputTokens));
        console.Write(stages);

        if (forecast.Cost is { } cost)
        {
            console.MarkupLineInterpolated($"Cost with [bold]{forecast.ModelId}[/] ({forecast.Vendor}): [bold]{Usd(cost.Low)} to {Usd(cost.High)}[/] (list prices, price data {forecast.PriceVersion})");
        }
        else if (forecast.ModelId is not null)
        {
            console.MarkupLineInterpolated($"Cost with [bold]{forecast.ModelId}[/]: [yellow]unknown[/] - the model is not in the price data ({prices.Version}); add it with CodeDoc:PriceFile.");
        }
        else
        {
            var models = string.Join(", ", prices.Prices.Where(p => p.ModelId != "*").Select(p => p.ModelId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            console.MarkupLine("Cost: [yellow]unknown[/] - no model is configured. Price this plan with [bold]--model <id>[/], one of: " + Markup.Escape(models) + ".");
        }

        foreach (var assumption in forecast.Assumptions)
        {
            console.MarkupLineInterpolated($"  [dim]assumes {assumption}[/]");
        }
    }

    private static void Section(IAnsiConsole console, string title)
    {
        console.WriteLine();
        console.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());
    }

    private static string Range(TokenRange range) =>
        range.Low == range.High
            ? range.Low.ToString("N0", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{range.Low:N0} - {range.High:N0}");

    private static string Usd(decimal amount) => amount.ToString(amount < 1 ? "$0.000" : "$#,##0.00", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB"),
    };

    private static string Describe(ExclusionReason reason) => reason switch
    {
        ExclusionReason.GitIgnore => ".gitignore rule",
        ExclusionReason.Vendored => "vendored (third-party) code",
        ExclusionReason.Generated => "generated code",
        ExclusionReason.BuildOutput => "build output",
        ExclusionReason.LockFile => "dependency lock file",
        ExclusionReason.Minified => "minified code or source map",
        ExclusionReason.Binary => "binary content",
        ExclusionReason.LfsPointer => "Git LFS pointer",
        ExclusionReason.TooLarge => "larger than the file size cap",
        ExclusionReason.RepositoryCapReached => "after the repository size cap",
        ExclusionReason.ExcludedByOptions => "excluded by options",
        ExclusionReason.NotIncluded => "not matched by --include",
        ExclusionReason.SymbolicLink => "symbolic link (never followed)",
        ExclusionReason.Submodule => "submodule (another repository)",
        ExclusionReason.UnsafePath => "unsafe path",
        ExclusionReason.InvalidName => "invalid file name",
        ExclusionReason.Duplicate => "duplicate entry",
        ExclusionReason.NotRegularFile => "not a regular file",
        _ => reason.ToString(),
    };
}
