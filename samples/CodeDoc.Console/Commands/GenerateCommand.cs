using System.CommandLine;
using System.Globalization;
using CodeDoc.ConsoleHost.Hosting;
using CodeDoc.ConsoleHost.Rendering;
using CodeDoc.Core;
using CodeDoc.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace CodeDoc.ConsoleHost.Commands;

/// <summary>
/// <c>codedoc generate &lt;repo&gt;</c>: plan, forecast, confirm above a cost, write and verify the pages, publish them,
/// and report. A second run on the same commit spends nothing; after a commit only the affected pages are written.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var repository = new Argument<string>("repo") { Description = "A local path (a folder or a git repository) or a repository URL." };
        var reference = new Option<string?>("--ref") { Description = "The branch, tag or commit to document (default: the current HEAD or the default branch)." };
        var preset = new Option<string?>("--preset") { Description = "The documentation preset: overview, wiki, api, onboarding, or one from CodeDoc:Generation:PresetFiles." };
        var git = new Option<string?>("--git") { Description = "The Git provider to use, by registration name or kind (default: matched by host)." };
        var ai = new Option<string?>("--ai") { Description = "The AI provider to use, by registration name or kind." };
        var publisher = new Option<string?>("--publisher") { Description = "The publisher, by registration name or kind (markdown, confluence)." };
        var output = new Option<string?>("--output", "-o") { Description = "The Markdown folder to write the pages to." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Go ahead without asking, whatever the forecast cost." };
        var maxCost = new Option<decimal?>("--max-cost") { Description = "Stop the run cleanly before it spends more than this many USD." };
        var maxTokens = new Option<long?>("--max-tokens") { Description = "Stop the run cleanly before it uses more model tokens than this." };
        var full = new Option<bool>("--full") { Description = "Write every page again instead of reusing pages whose sources did not change." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan and forecast the run, then stop before spending or publishing anything." };
        var force = new Option<bool>("--force") { Description = "Overwrite pages people edited since the last publish." };
        var factsOnly = new Option<bool>("--facts-only") { Description = "Publish only the pages built from the code without a model: repository map, modules, API reference, project dependencies, coverage." };
        var noHistory = new Option<bool>("--no-history") { Description = "Do not record the run in the host's history (codedoc history)." };

        var command = new Command("generate", "Write verified documentation for a repository with the configured model and publish it.")
        {
            repository, reference, preset, git, ai, publisher, output, factsOnly, yes, maxCost, maxTokens, full, dryRun, force, noHistory,
        };

        command.SetAction(async (result, cancellationToken) =>
        {
            var location = result.GetRequiredValue(repository);
            var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (result.GetValue(output) is { } folder)
            {
                overrides["CodeDoc:Markdown:OutputPath"] = folder;
            }

            await using var services = CliServices.Build(CodeDocCli.Settings(result, overrides), configure);
            if (!PlanCommand.TryChooseGitProvider(services, location, result.GetValue(git), out var gitProvider))
            {
                await PlanCommand.WriteMissingPathAsync(environment, location).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            var runner = services.GetRequiredService<IDocumentationRunner>();
            var threshold = services.GetRequiredService<IOptions<CodeDocOptions>>().Value.Generation.ConfirmAboveCost;
            var console = PlanCommand.ConsoleFor(environment.Error, environment.Interactive);
            var assumeYes = result.GetValue(yes);
            var request = new RunRequest
            {
                Plan = new PlanRequest
                {
                    Location = location,
                    Ref = result.GetValue(reference),
                    GitProvider = gitProvider,
                    AiProvider = result.GetValue(ai),
                    Publisher = result.GetValue(publisher),
                    Preset = result.GetValue(preset),
                    FactsOnly = result.GetValue(factsOnly),
                },
                MaxCost = result.GetValue(maxCost),
                MaxTokens = result.GetValue(maxTokens),
                FullRegeneration = result.GetValue(full),
                DryRun = result.GetValue(dryRun),
                Force = result.GetValue(force),
                Confirm = (preview, token) => ConfirmAsync(preview, threshold, assumeYes, environment, console, token),
            };

            var history = result.GetValue(noHistory) ? null : new GenerateHistory(result, environment, configure, services.GetRequiredService<TimeProvider>(), location, result.GetValue(reference));
            RunReport report;
            try
            {
                report = environment.Interactive
                    ? await console.Status().StartAsync("Resolving...", async context =>
                        await runner.RunAsync(request, new Progress<RunProgress>(p => context.Status(Markup.Escape(RunView.Describe(p)))), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false)
                    : await runner.RunAsync(request, new StageLines(environment.Error), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (history is not null && ex is not OutOfMemoryException)
            {
                await history.RecordFailureAsync(ex, cancellationToken).ConfigureAwait(false);
                throw;
            }

            // Recorded after publishing, so a store problem can cost the history row but never the pages.
            if (history is not null)
            {
                await history.RecordAsync(report, cancellationToken).ConfigureAwait(false);
            }

            RunView.Render(PlanCommand.ConsoleFor(environment.Out, environment.Interactive), report);
            return report.StopReason switch
            {
                RunStopReason.Declined => ExitCodes.NotConfirmed,
                RunStopReason.BudgetReached => ExitCodes.BudgetReached,
                _ when report.Publish?.HasFailures == true => ExitCodes.Failure,
                _ => ExitCodes.Success,
            };
        });
        return command;
    }

    private static async ValueTask<bool> ConfirmAsync(RunPreview preview, decimal threshold, bool assumeYes, CliEnvironment environment, IAnsiConsole console, CancellationToken cancellationToken)
    {
        RunView.RenderPreview(console, preview);
        if (assumeYes || preview.Forecast.Cost is not { } cost || cost.High <= threshold)
        {
            return true;
        }

        var question = string.Create(CultureInfo.InvariantCulture, $"The run may cost up to ${cost.High:0.00} (above CodeDoc:Generation:ConfirmAboveCost, ${threshold:0.00}).");
        if (!environment.Interactive)
        {
            await environment.Error.WriteLineAsync(question + " Nobody is at a terminal to confirm: run again with --yes to go ahead, or lower the cost with --preset or --max-cost.").ConfigureAwait(false);
            return false;
        }

        return await console.ConfirmAsync(question + " Go ahead?", defaultValue: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Progress without a terminal: one line per stage change and per finished page, on standard error.</summary>
    private sealed class StageLines(TextWriter writer) : IProgress<RunProgress>
    {
        private RunStage? _stage;

        public void Report(RunProgress value)
        {
            if (value.Stage != _stage || value.Stage is RunStage.Generating or RunStage.Summarizing)
            {
                _stage = value.Stage;
                writer.WriteLine(RunView.Describe(value));
            }
        }
    }
}
