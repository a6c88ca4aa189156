using System.CommandLine;
using CodeDoc.ConsoleHost.Hosting;
using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.ConsoleHost.Commands;

/// <summary><c>codedoc purge</c>: deletes everything the host stored, as uninstalling would; published pages stay.</summary>
internal static class PurgeCommand
{
    public static Command Create(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Purge without asking." };
        var command = new Command("purge", "Delete everything the host stored: provider configurations, repositories, jobs, history, manifests, delivery ids, settings and the audit log.") { yes };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false);
            var question = $"This deletes everything stored in {session.DatabasePath}: provider configurations (with their encrypted keys), repositories, jobs, run history, cached manifests, webhook delivery ids, settings and the audit log. Pages already published stay where they are.";
            if (!await HostingSession.ConfirmAsync(environment, question, result.GetValue(yes), cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.NotConfirmed;
            }

            await session.Services.GetRequiredService<IHostingDataAdministration>().PurgeAsync(cancellationToken).ConfigureAwait(false);
            await environment.Out.WriteLineAsync($"Purged {session.DatabasePath}. Published pages were not touched; the key file was kept (delete it yourself if you no longer need it).").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
