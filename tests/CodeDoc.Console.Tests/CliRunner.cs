using System.Diagnostics;
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

/// <summary>A small git repository made with the git CLI in a temp folder.</summary>
internal sealed class SampleRepository : IDisposable
{
    public SampleRepository()
    {
        Path = Directory.CreateTempSubdirectory("codedoc-cli-").FullName;
        Git("init", "-q", "-b", "main");
        Git("config", "user.name", "CodeDoc Tests");
        Git("config", "user.email", "tests@codedoc.invalid");
        Git("config", "commit.gpgsign", "false");
    }

    public string Path { get; }

    public SampleRepository Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public string Commit(string message = "commit")
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error}");
    }

    public void Dispose()
    {
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(Path, recursive: true);
    }
}
