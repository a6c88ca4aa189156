using System.CommandLine;
using System.Text.Json;
using CodeDoc.ConsoleHost.Hosting;
using CodeDoc.ConsoleHost.Rendering;
using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.ConsoleHost.Commands;

/// <summary><c>codedoc history [--job] [--limit] [--clear]</c>: the runs the store remembers (metadata only), and clearing them.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var job = new Option<string?>("--job") { Description = "Only the runs of this job (generate's runs are job 'cli')." };
        var limit = new Option<int>("--limit", "-n") { Description = "The most runs to show, newest first.", DefaultValueFactory = _ => 20 };
        var clear = new Option<bool>("--clear") { Description = "Delete every run from the history (the audit log keeps a row saying so)." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Clear without asking." };
        var json = new Option<bool>("--json") { Description = "Print the runs as JSON." };
        var command = new Command("history", "Show the runs of every job, newest first: status, commit, tokens, cost and page links; never content.")
        {
            job, limit, clear, yes, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(clear))
            {
                var question = $"This deletes every run in the history of {session.DatabasePath}; jobs, configurations and the audit log stay.";
                if (!await HostingSession.ConfirmAsync(environment, question, result.GetValue(yes), cancellationToken).ConfigureAwait(false))
                {
                    return ExitCodes.NotConfirmed;
                }

                var deleted = await session.Services.GetRequiredService<IHostingDataAdministration>().ClearHistoryAsync(HostingSession.Actor, cancellationToken).ConfigureAwait(false);
                await environment.Out.WriteLineAsync($"Cleared the history: {deleted} run(s) deleted.").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (result.GetValue(limit) < 1)
            {
                throw new ArgumentException("--limit must be at least 1.");
            }

            var runs = await session.Services.GetRequiredService<IRunHistoryStore>()
                .ListAsync(new RunQuery { JobId = result.GetValue(job), Limit = result.GetValue(limit) }, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(runs, PlanJson.Options)).ConfigureAwait(false);
            }
            else
            {
                HistoryView.Render(PlanCommand.ConsoleFor(environment.Out, environment.Interactive), runs);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
