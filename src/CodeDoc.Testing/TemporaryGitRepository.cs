using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace CodeDoc.Testing;

/// <summary>
/// A real git repository (or a plain folder) in a fresh temporary folder, built with the <c>git</c> CLI and deleted
/// on dispose. Tests of git providers use it to make the repositories they read, and fake git hosts serve what it
/// produces (<see cref="Archive"/>, or <see cref="Run"/> for any other git command).
/// </summary>
/// <remarks>
/// <para>
/// Every git command the helper runs ignores the machine's git configuration, so tests behave the same on every
/// machine: the global configuration is an empty file, the system configuration is not read, git never prompts,
/// the identity is fixed, commits and tags are not signed, line endings are not converted, symbolic links are
/// stored as links, and no global ignore or attributes file applies. Environment variables that would point git at
/// another repository or inject configuration are removed. Code under test that runs git itself is not affected.
/// </para>
/// <para>The helper needs the <c>git</c> CLI (2.28 or later) on the <c>PATH</c>.</para>
/// </remarks>
/// <example>
/// <code>
/// using var repository = TemporaryGitRepository.Init();
/// var first = repository.Write("README.md", "# Sample\n").Commit("first");
/// var second = repository.Write("src/app.cs", "class App { }\n").Commit("second");
/// byte[] tarball = repository.Archive("tar.gz", prefix: "sample-" + second[..7] + "/");
/// </code>
/// </example>
public sealed class TemporaryGitRepository : IDisposable
{
    /// <summary>The name the fixed identity commits and tags with.</summary>
    public const string UserName = "CodeDoc Tests";

    /// <summary>The e-mail address the fixed identity commits and tags with.</summary>
    public const string UserEmail = "tests@codedoc.invalid";

    private const string WorkTreeName = "repo";
    private const string EmptyConfigName = "empty.gitconfig";

    // Variables that would make git work on another repository, add configuration or replace the fixed identity.
    private static readonly string[] RemovedVariables =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
        "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
    ];

    private readonly string _emptyFile;
    private readonly string[] _settings;

    private TemporaryGitRepository()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "codedoc-git-" + Guid.NewGuid().ToString("N"));
        Path = System.IO.Path.Combine(Root, WorkTreeName);
        Directory.CreateDirectory(Path);

        // The empty file stands in for the global configuration and for the global ignore and attributes files, which
        // git would otherwise read from the user's home even with the global configuration replaced.
        _emptyFile = System.IO.Path.Combine(Root, EmptyConfigName);
        File.WriteAllBytes(_emptyFile, []);
        _settings =
        [
            "user.name=" + UserName,
            "user.email=" + UserEmail,
            "commit.gpgsign=false",
            "tag.gpgsign=false",
            "core.autocrlf=false",
            "core.symlinks=true",
            "core.excludesFile=" + _emptyFile,
            "core.attributesFile=" + _emptyFile,
        ];
    }

    /// <summary>
    /// Gets the temporary folder that holds the work tree (<see cref="Path"/>); a test can make other folders in it
    /// (for example a folder outside the work tree) and they are deleted with it.
    /// </summary>
    public string Root { get; }

    /// <summary>Gets the absolute path of the work tree, a folder named <c>repo</c> in <see cref="Root"/>.</summary>
    public string Path { get; }

    /// <summary>Creates a repository with no commits in a new temporary folder.</summary>
    /// <param name="initialBranch">The branch <c>HEAD</c> points at; <c>main</c> by default.</param>
    /// <returns>The repository; dispose it to delete the folder.</returns>
    public static TemporaryGitRepository Init(string initialBranch = "main")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(initialBranch);
        var repository = new TemporaryGitRepository();
        try
        {
            repository.Git("init", "--quiet", "--initial-branch=" + initialBranch);
            return repository;
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates an empty work tree folder that is not a git repository, for code that reads plain folders. The other
    /// members work on it as well; <see cref="Git"/> with <c>init</c> turns it into a repository later.
    /// </summary>
    /// <returns>The folder; dispose it to delete it.</returns>
    public static TemporaryGitRepository CreateFolder() => new();

    /// <summary>Writes a UTF-8 text file (without a byte order mark) in the work tree, creating its folders.</summary>
    /// <param name="relativePath">The file's path relative to the work tree, with <c>/</c> or the platform's separator.</param>
    /// <param name="content">The text.</param>
    /// <returns>This repository, to chain calls.</returns>
    /// <exception cref="ArgumentException">The path is rooted or climbs out of the work tree with <c>..</c>.</exception>
    public TemporaryGitRepository Write(string relativePath, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Write(relativePath, Encoding.UTF8.GetBytes(content));
    }

    /// <summary>Writes a file with the given bytes in the work tree, creating its folders.</summary>
    /// <param name="relativePath">The file's path relative to the work tree, with <c>/</c> or the platform's separator.</param>
    /// <param name="content">The bytes.</param>
    /// <returns>This repository, to chain calls.</returns>
    /// <exception cref="ArgumentException">The path is rooted or climbs out of the work tree with <c>..</c>.</exception>
    public TemporaryGitRepository Write(string relativePath, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var fullPath = InWorkTree(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        File.WriteAllBytes(fullPath, content);
        return this;
    }

    /// <summary>Creates a symbolic link in the work tree, creating its folders; the target is stored as given.</summary>
    /// <param name="relativePath">The link's path relative to the work tree.</param>
    /// <param name="target">
    /// What the link points at: a path relative to the link's folder, or an absolute path (which may lie outside the
    /// work tree, to test that links are not followed).
    /// </param>
    /// <returns>This repository, to chain calls.</returns>
    /// <exception cref="ArgumentException">The path is rooted or climbs out of the work tree with <c>..</c>.</exception>
    /// <remarks>On Windows this needs developer mode or the right to create symbolic links.</remarks>
    public TemporaryGitRepository Symlink(string relativePath, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        var fullPath = InWorkTree(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        File.CreateSymbolicLink(fullPath, target);
        return this;
    }

    /// <summary>
    /// Stages every change in the work tree (new, changed and deleted files) and commits it, even when nothing
    /// changed.
    /// </summary>
    /// <param name="message">The commit message.</param>
    /// <param name="includeIgnored">
    /// Whether to commit files a <c>.gitignore</c> matches as well, as repositories do that track such files; archives
    /// of the commit then hold them.
    /// </param>
    /// <returns>The new commit's full SHA.</returns>
    public string Commit(string message, bool includeIgnored = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        if (includeIgnored)
        {
            Git("add", "--all", "--force", "--", ".");
        }
        else
        {
            Git("add", "--all");
        }

        Git("commit", "--quiet", "--allow-empty", "--message", message);
        return Head();
    }

    /// <summary>Gets the full SHA of the commit <c>HEAD</c> points at.</summary>
    /// <returns>The SHA.</returns>
    /// <exception cref="InvalidOperationException">The repository has no commits yet.</exception>
    public string Head() => Git("rev-parse", "HEAD");

    /// <summary>Runs git in the work tree and returns its output as text.</summary>
    /// <param name="arguments">The arguments, e.g. <c>"tag", "v1.0"</c>.</param>
    /// <returns>The standard output, decoded as UTF-8, without leading or trailing white space.</returns>
    /// <exception cref="InvalidOperationException">git exited with an error; the message holds what it wrote.</exception>
    public string Git(params string[] arguments) => Encoding.UTF8.GetString(GitBytes(arguments)).Trim();

    /// <summary>Runs git in the work tree and returns its output unchanged, for binary output or exact bytes.</summary>
    /// <param name="arguments">The arguments, e.g. <c>"ls-files", "-z"</c>.</param>
    /// <returns>The standard output.</returns>
    /// <exception cref="InvalidOperationException">git exited with an error; the message holds what it wrote.</exception>
    public byte[] GitBytes(params string[] arguments) => Run(Path, null, arguments);

    /// <summary>Makes an archive of a commit with <c>git archive</c>, as git hosts serve them.</summary>
    /// <param name="format">The format: <c>tar</c>, <c>tar.gz</c>, <c>tgz</c> or <c>zip</c>.</param>
    /// <param name="prefix">
    /// A folder every entry is put in, ending with <c>/</c> (hosts use names like <c>owner-repo-0123456/</c>), or
    /// <see langword="null"/> for none.
    /// </param>
    /// <param name="treeish">The commit, branch, tag or tree to archive; <c>HEAD</c> by default.</param>
    /// <returns>The archive's bytes.</returns>
    /// <exception cref="InvalidOperationException">git exited with an error, for example for an unknown format or ref.</exception>
    public byte[] Archive(string format, string? prefix = null, string treeish = "HEAD")
    {
        ArgumentException.ThrowIfNullOrEmpty(format);
        ArgumentException.ThrowIfNullOrEmpty(treeish);
        return prefix is null
            ? GitBytes("archive", "--format=" + format, treeish)
            : GitBytes("archive", "--format=" + format, "--prefix=" + prefix, treeish);
    }

    /// <summary>
    /// Runs git in any folder with the helper's isolated configuration, optionally feeding it standard input; for
    /// commands outside the work tree (a bare clone in <see cref="Root"/>) or that read input (a fake server's
    /// <c>upload-pack --stateless-rpc</c>).
    /// </summary>
    /// <param name="workingDirectory">The folder git runs in.</param>
    /// <param name="standardInput">The bytes written to git's standard input, or <see langword="null"/> for none.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The standard output.</returns>
    /// <exception cref="InvalidOperationException">
    /// git is not on the <c>PATH</c>, or exited with an error; the message holds what it wrote.
    /// </exception>
    public byte[] Run(string workingDirectory, byte[]? standardInput, params string[] arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,

            // Always redirected, so git never reads the test host's console.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var setting in _settings)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(setting);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in RemovedVariables)
        {
            start.Environment.Remove(variable);
        }

        start.Environment["GIT_CONFIG_GLOBAL"] = _emptyFile;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";

        using var process = StartGit(start, arguments);
        var error = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        WriteInput(process, standardInput);
        copy.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"git {string.Join(' ', arguments)} failed with exit code {process.ExitCode} in '{workingDirectory}': {error.GetAwaiter().GetResult().Trim()}");
        }

        return output.ToArray();
    }

    /// <summary>
    /// Deletes <see cref="Root"/> with everything in it. Symbolic links are deleted, never followed, so nothing
    /// outside the folder is touched. Calling it again does nothing.
    /// </summary>
    public void Dispose()
    {
        var root = new DirectoryInfo(Root);
        if (!root.Exists)
        {
            return;
        }

        // git makes its object files read-only, which Windows refuses to delete; Unix only asks the folder's permission.
        if (OperatingSystem.IsWindows())
        {
            ClearReadOnly(root);
        }

        root.Delete(recursive: true);
    }

    private static Process StartGit(ProcessStartInfo start, string[] arguments)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"git {string.Join(' ', arguments)} did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"git could not be started ({ex.Message}); install the git CLI and put it on the PATH.", ex);
        }
    }

    private static void WriteInput(Process process, byte[]? standardInput)
    {
        try
        {
            if (standardInput is not null)
            {
                process.StandardInput.BaseStream.Write(standardInput);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // git exited before it read all of its input; its exit code and message say why.
        }
    }

    private static void ClearReadOnly(DirectoryInfo directory)
    {
        foreach (var item in directory.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
        {
            // A link (or junction) is deleted as itself; walking into it could change files outside the folder.
            if (item.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                continue;
            }

            if (item is DirectoryInfo subdirectory)
            {
                ClearReadOnly(subdirectory);
            }
            else if (item.Attributes.HasFlag(FileAttributes.ReadOnly))
            {
                item.Attributes &= ~FileAttributes.ReadOnly;
            }
        }
    }

    private string InWorkTree(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (System.IO.Path.IsPathRooted(relativePath) || relativePath.Split('/', '\\').Contains(".."))
        {
            throw new ArgumentException(
                $"'{relativePath}' is not a path inside the work tree: give it relative to the work tree, without '..'.",
                nameof(relativePath));
        }

        return System.IO.Path.Combine(Path, relativePath);
    }
}
