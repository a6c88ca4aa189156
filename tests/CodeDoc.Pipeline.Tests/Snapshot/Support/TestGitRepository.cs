using System.Diagnostics;
using System.Text;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>A real git repository in a temp folder, driven by the git CLI, isolated from the user's git configuration.</summary>
public sealed class TestGitRepository : IDisposable
{
    public TestGitRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "codedoc-snapshot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        GlobalConfig = Path.Combine(Root, ".test-gitconfig");
        File.WriteAllText(GlobalConfig, string.Empty);
        Directory.CreateDirectory(WorkTree);
        Git("init", "-q", "-b", "main");
        Git("config", "user.name", "CodeDoc Tests");
        Git("config", "user.email", "tests@codedoc.invalid");
        Git("config", "commit.gpgsign", "false");
        Git("config", "core.autocrlf", "false");
        Git("config", "core.symlinks", "true");
        Git("config", "core.excludesFile", GlobalConfig);
    }

    public string Root { get; }

    public string WorkTree => Path.Combine(Root, "work");

    private string GlobalConfig { get; }

    public TestGitRepository Write(string path, string content) => Write(path, Encoding.UTF8.GetBytes(content));

    public TestGitRepository Write(string path, byte[] content)
    {
        var full = Path.Combine(WorkTree, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return this;
    }

    public TestGitRepository Symlink(string path, string target)
    {
        var full = Path.Combine(WorkTree, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
        return this;
    }

    /// <summary>Commits everything, including files a .gitignore matches (archives hold what is tracked).</summary>
    public string CommitAll(string message = "commit")
    {
        Git("add", "-A", "-f", ".");
        Git("commit", "-q", "-m", message);
        return Encoding.UTF8.GetString(Git("rev-parse", "HEAD")).Trim();
    }

    public byte[] Archive(string format, string? prefix = null) =>
        prefix is null ? Git("archive", $"--format={format}", "HEAD") : Git("archive", $"--format={format}", $"--prefix={prefix}", "HEAD");

    public byte[] Git(params string[] args) => Run(WorkTree, null, args);

    public byte[] Run(string workingDirectory, byte[]? input, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GIT_CONFIG_GLOBAL"] = GlobalConfig;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.BaseStream.Write(input);
            process.StandardInput.Close();
        }

        using var output = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return output.ToArray();
    }

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
