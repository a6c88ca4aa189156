using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CodeDoc.ConsoleHost.Hosting;
using CodeDoc.ConsoleHost.Rendering;
using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.ConsoleHost.Commands;

/// <summary><c>codedoc audit export|verify</c>: the append-only, hash-chained audit log.</summary>
internal static class AuditCommand
{
    public static Command Create(CliEnvironment environment, Action<ICodeDocBuilder>? configure) =>
        new("audit", "The audit log: who did what when (configuration changes, runs, publishes, key use, clears).")
        {
            CreateExport(environment, configure),
            CreateVerify(environment, configure),
        };

    private static Command CreateExport(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var csv = new Option<bool>("--csv") { Description = "Write CSV (RFC 4180), the only export format.", DefaultValueFactory = _ => true };
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (default: standard output)." };
        var command = new Command("export", "Export the audit log as CSV.") { csv, output };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!result.GetValue(csv))
            {
                throw new ArgumentException("CSV is the only export format: leave out '--csv false'.");
            }

            await using var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false);
            var audit = session.Services.GetRequiredService<IAuditLog>();
            if (result.GetValue(output) is not { Length: > 0 } file)
            {
                await audit.ExportCsvAsync(environment.Out, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            long rows;
            var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None);
            await using (stream.ConfigureAwait(false))
            {
                var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                await using (writer.ConfigureAwait(false))
                {
                    rows = await audit.ExportCsvAsync(writer, cancellationToken).ConfigureAwait(false);
                }
            }

            await environment.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Wrote {rows} audit row(s) to {Path.GetFullPath(file)}.")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateVerify(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var json = new Option<bool>("--json") { Description = "Print the verdict as JSON." };
        var command = new Command("verify", "Check the audit log's hash chain: exit 0 when intact, 1 naming the first changed or missing row.") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false);
            var verdict = await session.Services.GetRequiredService<IAuditLog>().VerifyAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(verdict, PlanJson.Options)).ConfigureAwait(false);
            }
            else
            {
                await environment.Out.WriteLineAsync(verdict.IsIntact
                    ? string.Create(CultureInfo.InvariantCulture, $"The audit log is intact: {verdict.RowsChecked} row(s) checked.")
                    : string.Create(CultureInfo.InvariantCulture, $"The audit log was changed: row {verdict.FirstBrokenSequence} does not match its hash chain ({verdict.RowsChecked} row(s) checked).")).ConfigureAwait(false);
            }

            return verdict.IsIntact ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
