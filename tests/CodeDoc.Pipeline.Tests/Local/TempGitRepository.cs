using System.Diagnostics;

namespace CodeDoc.Pipeline.Tests.Local;

/// <summary>A real git repository in a temp folder, driven by the git CLI, deleted on dispose.</summary>
public sealed class TempGitRepository : IDisposable
{
    private TempGitRepository(string root)
    {
        Root = root;
        Path = System.IO.Path.Combine(root, "repo");
        Directory.CreateDirectory(Path);
    }

    /// <summary>Gets the folder that holds the repository and anything else a test makes (deleted on dispose).</summary>
    public string Root { get; }

    /// <summary>Gets the work tree's path.</summary>
    public string Path { get; }

    /// <summary>Creates an empty folder under a fresh temp root, without git.</summary>
    public static TempGitRepository CreateFolder() =>
        new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "codedoc-local-" + Guid.NewGuid().ToString("N")));

    /// <summary>Creates a repository with no commits (default branch main).</summary>
    public static TempGitRepository Init()
    {
        var repository = CreateFolder();
        repository.Git("init", "--quiet", "--initial-branch=main");
        return repository;
    }

    /// <summary>Writes a file (creating folders) in the work tree.</summary>
    public TempGitRepository Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    /// <summary>Stages everything and commits; returns the new commit's SHA.</summary>
    public string Commit(string message)
    {
        Git("add", "--all");
        Git("commit", "--quiet", "--allow-empty", "-m", message);
        return Head();
    }

    /// <summary>Gets the SHA HEAD points at.</summary>
    public string Head() => Git("rev-parse", "HEAD");

    /// <summary>Runs git in the work tree with a clean, fixed configuration and returns its trimmed output.</summary>
    public string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var setting in new[] { "user.name=CodeDoc Tests", "user.email=tests@codedoc.invalid", "commit.gpgsign=false", "tag.gpgsign=false", "core.autocrlf=false", "core.symlinks=true" })
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(setting);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = System.IO.Path.Combine(Root, "no-global-gitconfig");
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}");
        }

        return output.Trim();
    }

    public void Dispose()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        // git marks its objects read-only, which Windows refuses to delete. (Never on Unix: the walk could follow a
        // test's link out of the folder.)
        if (OperatingSystem.IsWindows())
        {
            foreach (var file in Directory.EnumerateFiles(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }
        }

        Directory.Delete(Root, recursive: true);
    }
}
