using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// The output folder of a Markdown publisher. Every path goes through <see cref="Resolve"/>, which accepts only
/// relative '/'-separated paths that stay inside the folder and do not pass through a symbolic link, so neither a
/// hostile title nor a tampered manifest nor a planted link can make CodeDoc read, write or delete outside it.
/// </summary>
internal sealed class OutputFolder
{
    private const string TempPrefix = ".codedoc-";

    private readonly string _rootWithSeparator;

    public OutputFolder(string root)
    {
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _rootWithSeparator = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
    }

    /// <summary>Gets the full path of the folder.</summary>
    public string Root { get; }

    /// <summary>Gets the full path of a path relative to the folder, after checking it stays inside.</summary>
    /// <param name="relativePath">A relative path with '/' separators.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="DocPublisherException">The path would leave the folder or passes through a symbolic link.</exception>
    public string Resolve(string relativePath)
    {
        if (!IsSafeRelativePath(relativePath))
        {
            throw new DocPublisherException(
                $"CodeDoc refused the path '{relativePath}': paths inside the output folder '{Root}' must be relative and must not leave it.");
        }

        var full = Path.GetFullPath(Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            throw new DocPublisherException(
                $"CodeDoc refused the path '{relativePath}': it resolves outside the output folder '{Root}'.");
        }

        // Every existing component below the root must be a real folder or file: a link could point anywhere.
        var current = Root;
        foreach (var segment in relativePath.Split('/'))
        {
            current = Path.Combine(current, segment);
            if (new FileInfo(current).LinkTarget is not null)
            {
                throw new DocPublisherException(
                    $"'{relativePath}' in the output folder '{Root}' passes through the symbolic link '{current}'. CodeDoc does not follow links " +
                    "inside the output folder: replace the link with a real folder or file, or choose another output folder.");
            }
        }

        return full;
    }

    /// <summary>Tells whether a file or folder exists at a relative path.</summary>
    /// <param name="relativePath">The relative path.</param>
    /// <returns>Whether anything exists there.</returns>
    public bool Exists(string relativePath)
    {
        var full = Resolve(relativePath);
        return File.Exists(full) || Directory.Exists(full);
    }

    /// <summary>Tells whether a file (not a folder) exists at a relative path.</summary>
    /// <param name="relativePath">The relative path.</param>
    /// <returns>Whether a file exists there.</returns>
    public bool FileExists(string relativePath) => File.Exists(Resolve(relativePath));

    /// <summary>Reads a file, or returns <see langword="null"/> when there is none.</summary>
    /// <param name="relativePath">The relative path.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes, or <see langword="null"/>.</returns>
    public async Task<byte[]?> ReadAsync(string relativePath, CancellationToken cancellationToken)
    {
        var full = Resolve(relativePath);
        try
        {
            return File.Exists(full) ? await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false) : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Reads a file synchronously, or returns <see langword="null"/> when there is none.</summary>
    /// <param name="relativePath">The relative path.</param>
    /// <returns>The bytes, or <see langword="null"/>.</returns>
    public byte[]? Read(string relativePath)
    {
        var full = Resolve(relativePath);
        try
        {
            return File.Exists(full) ? File.ReadAllBytes(full) : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes a file atomically: the bytes go to a temporary file in the same folder, which then replaces the target,
    /// so a crash leaves either the old or the new file, never half of one.
    /// </summary>
    /// <param name="relativePath">The relative path.</param>
    /// <param name="content">The bytes.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public async Task WriteAtomicAsync(string relativePath, ReadOnlyMemory<byte> content)
    {
        var full = Resolve(relativePath);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $"{TempPrefix}{Guid.NewGuid():N}.tmp");
        try
        {
            // Not cancellable on purpose: a page's file and its manifest entry are written as one step.
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, CancellationToken.None).ConfigureAwait(false);
                await stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Moves a file, creating the target's folder; fails when the target exists.</summary>
    /// <param name="fromRelativePath">The file to move.</param>
    /// <param name="toRelativePath">Where it goes.</param>
    public void Move(string fromRelativePath, string toRelativePath)
    {
        var from = Resolve(fromRelativePath);
        var to = Resolve(toRelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Move(from, to, overwrite: false);
    }

    /// <summary>Deletes a file if it exists.</summary>
    /// <param name="relativePath">The relative path.</param>
    public void DeleteFile(string relativePath)
    {
        var full = Resolve(relativePath);
        if (File.Exists(full))
        {
            File.Delete(full);
        }
    }

    /// <summary>Removes a folder and then its parents while they are empty, stopping at the root.</summary>
    /// <param name="relativeDirectory">The folder, relative to the root; empty for the root itself (which stays).</param>
    public void RemoveEmptyFolders(string relativeDirectory)
    {
        for (var current = relativeDirectory; current.Length > 0; current = ParentOf(current))
        {
            var full = Resolve(current);
            if (!Directory.Exists(full) || Directory.EnumerateFileSystemEntries(full).Any())
            {
                return;
            }

            Directory.Delete(full);
        }
    }

    /// <summary>
    /// Takes the folder's publish lock (a file in <c>.codedoc/</c> held open exclusively and deleted on close), so two
    /// publishes never write into the same folder at once.
    /// </summary>
    /// <param name="relativePath">The lock file's relative path.</param>
    /// <returns>The lock; dispose it to release.</returns>
    /// <exception cref="DocPublisherConflictException">Another publish holds the lock.</exception>
    public IDisposable AcquireLock(string relativePath)
    {
        var full = Resolve(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        try
        {
            return new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException e)
        {
            throw new DocPublisherConflictException(
                $"Another CodeDoc publish is writing to '{Root}' right now (it holds '{full}'). Wait for it to finish and run again.", e);
        }
    }

    /// <summary>Gets the parent of a relative path ('' for a top-level entry).</summary>
    /// <param name="relativePath">The relative path.</param>
    /// <returns>The parent.</returns>
    public static string ParentOf(string relativePath)
    {
        var slash = relativePath.LastIndexOf('/');
        return slash < 0 ? string.Empty : relativePath[..slash];
    }

    /// <summary>Joins a relative folder and a name.</summary>
    /// <param name="relativeDirectory">The folder ('' for the root).</param>
    /// <param name="name">The name.</param>
    /// <returns>The relative path.</returns>
    public static string Join(string relativeDirectory, string name) =>
        relativeDirectory.Length == 0 ? name : $"{relativeDirectory}/{name}";

    private static bool IsSafeRelativePath(string relativePath)
    {
        if (string.IsNullOrEmpty(relativePath) || relativePath.Contains('\\', StringComparison.Ordinal) ||
            relativePath.Contains(':', StringComparison.Ordinal) || relativePath.Any(char.IsControl) || Path.IsPathRooted(relativePath))
        {
            return false;
        }

        return relativePath.Split('/').All(s => s.Length > 0 && s != "." && s != "..");
    }
}
