using CodeDoc.ConsoleHost;
using CodeDoc.Core;

namespace CodeDoc.Console.Tests;

/// <summary>Runs the codedoc command line in-process, without a terminal, and captures what it writes.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) =>
        await RunAsync(configure: null, args).ConfigureAwait(false);

    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(Action<ICodeDocBuilder>? configure, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CodeDocCli.RunAsync(args, new CliEnvironment(output, error, Interactive: false), configure, TestContext.Current.CancellationToken).ConfigureAwait(false);
        return (code, output.ToString(), error.ToString());
    }
}
