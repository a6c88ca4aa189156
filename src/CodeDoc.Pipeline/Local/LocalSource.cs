using CodeDoc.Core;
using LibGit2Sharp;

namespace CodeDoc.Pipeline;

/// <summary>
/// What a local path is, found afresh for every operation: a git repository (with the open handle, and the
/// sub-folder documented when the path is below the work tree's root) or a plain folder.
/// </summary>
internal sealed class LocalSource : IDisposable
{
    private LocalSource(Repository? repository, string subtree, bool readFromDisk)
    {
        Repository = repository;
        Subtree = subtree;
        IsGitWorkTreeReadAsFolder = readFromDisk;
    }

    /// <summary>Gets the open repository, or <see langword="null"/> for a plain folder.</summary>
    public Repository? Repository { get; private set; }

    /// <summary>Gets the folder's path inside the repository ('/'-separated), or empty for its root.</summary>
    public string Subtree { get; }

    /// <summary>Gets a value indicating whether the folder is in a git work tree but read from disk (PreferGit off).</summary>
    public bool IsGitWorkTreeReadAsFolder { get; }

    /// <summary>Inspects a folder.</summary>
    /// <param name="path">The absolute path.</param>
    /// <param name="preferGit">Whether a folder in a git work tree is read from the repository.</param>
    /// <returns>The source; the caller disposes it.</returns>
    /// <exception cref="GitProviderNotFoundException">The folder does not exist.</exception>
    /// <exception cref="GitProviderException">The repository cannot be opened.</exception>
    public static LocalSource Open(string path, bool preferGit)
    {
        if (!Directory.Exists(path))
        {
            throw new GitProviderNotFoundException(File.Exists(path)
                ? $"'{path}' is a file: give the folder of the repository instead."
                : $"The folder '{path}' does not exist. Check the path (a relative path is resolved against the current directory, '{Environment.CurrentDirectory}').");
        }

        var gitDirectory = LibGit2Sharp.Repository.Discover(path);
        if (gitDirectory is null)
        {
            return new LocalSource(repository: null, subtree: string.Empty, readFromDisk: false);
        }

        if (!preferGit)
        {
            return new LocalSource(repository: null, subtree: string.Empty, readFromDisk: true);
        }

        var repository = OpenRepository(gitDirectory);
        try
        {
            return new LocalSource(repository, FindSubtree(repository, path), readFromDisk: false);
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    /// <summary>Hands the open repository over to a new owner (a tree), which then disposes it.</summary>
    /// <returns>The repository.</returns>
    public Repository DetachRepository()
    {
        var repository = Repository ?? throw new InvalidOperationException("A plain folder has no repository to detach.");
        Repository = null;
        return repository;
    }

    /// <inheritdoc />
    public void Dispose() => Repository?.Dispose();

    private static Repository OpenRepository(string gitDirectory)
    {
        try
        {
            return new Repository(gitDirectory);
        }
        catch (LibGit2SharpException ex)
        {
            // libgit2 refuses repositories another account owns, as git does, unless they are marked safe.
            var hint = ex.Message.Contains("owned", StringComparison.OrdinalIgnoreCase)
                ? $" If you trust it, mark it safe for the account this runs as: git config --global --add safe.directory \"{gitDirectory}\"."
                : string.Empty;
            throw new GitProviderException($"The git repository at '{gitDirectory}' cannot be opened: {ex.Message}{hint}", ex);
        }
    }

    // A bare repository has no work tree: the path names the repository itself, so there is no sub-folder.
    private static string FindSubtree(Repository repository, string path)
    {
        if (repository.Info.WorkingDirectory is not { } workingDirectory)
        {
            return string.Empty;
        }

        var root = LocalPaths.Canonicalize(workingDirectory);
        return LocalPaths.RelativeTo(root, LocalPaths.Canonicalize(path))
            ?? throw new GitProviderException(
                $"'{path}' was found to belong to the git repository at '{root}' but does not lie inside its work tree. " +
                "Give the repository's folder, or set PreferGit to false to read the folder as it is on disk.");
    }
}
