namespace CodeDoc.ConsoleHost;

/// <summary>Where the command writes and what it may ask; tests pass their own writers.</summary>
/// <param name="Out">Standard output (reports, JSON).</param>
/// <param name="Error">Standard error (errors, logs, progress).</param>
/// <param name="Interactive">Whether a person is at a terminal (colors, live progress, prompts).</param>
internal sealed record CliEnvironment(TextWriter Out, TextWriter Error, bool Interactive)
{
    public static CliEnvironment FromProcess() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected && !Console.IsInputRedirected);
}
