using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// Reads a plain folder as it is on disk: never follows a symbolic link (it is reported as one), lists each
/// directory's <c>.gitignore</c> first and the rest in ordinal order, and leaves out the <c>.git</c> metadata of a
/// work tree read from disk, which is not content.
/// </summary>
internal static class FolderWalker
{
    private const string GitIgnore = ".gitignore";
    private const string GitMetadata = ".git";
    private const int FingerprintBytes = 20;

    private static readonly EnumerationOptions ListOptions = new()
    {
        // The defaults skip hidden entries, and on Unix every dot file (.gitignore included) counts as hidden.
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Walks the folder depth first.</summary>
    /// <param name="root">The folder's absolute path.</param>
    /// <param name="shouldEnterDirectory">Asked before descending into a directory.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>The entries.</returns>
    public static async IAsyncEnumerable<RepositoryEntry> EnumerateAsync(
        string root,
        Func<string, bool> shouldEnterDirectory,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (item, path) in Walk(root, shouldEnterDirectory, cancellationToken))
        {
            yield return ToEntry(item, path);
        }
    }

    /// <summary>
    /// Computes a fingerprint of the folder's listing (paths, kinds, sizes, last-write times and link targets), which
    /// stands in for a commit SHA: it stays the same while nothing in the folder changes.
    /// </summary>
    /// <param name="root">The folder's absolute path.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>40 lowercase hex digits.</returns>
    public static string Fingerprint(string root, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (item, path) in Walk(root, static _ => true, cancellationToken))
        {
            // NUL separates the fields: it is the one character no path or link target can hold.
            var record = item switch
            {
                { LinkTarget: { } target } => $"L\0{path}\0{target}\0",
                FileInfo file => string.Create(CultureInfo.InvariantCulture, $"F\0{path}\0{file.Length}\0{file.LastWriteTimeUtc.Ticks}\0"),
                _ => $"D\0{path}\0",
            };
            hash.AppendData(Encoding.UTF8.GetBytes(record));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, FingerprintBytes));
    }

    /// <summary>
    /// Walks the folder depth first, yielding each item with its '/'-separated path relative to the root. A directory
    /// (never a link to one) is entered if <paramref name="shouldEnterDirectory"/> agrees, asked only once the
    /// directory has been yielded, so a caller's consumer sees it before its contents are listed.
    /// </summary>
    private static IEnumerable<(FileSystemInfo Item, string Path)> Walk(
        string root,
        Func<string, bool> shouldEnterDirectory,
        CancellationToken cancellationToken)
    {
        var pending = new Stack<Queue<FileSystemInfo>>();
        pending.Push(List(root, root));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!pending.Peek().TryDequeue(out var item))
            {
                pending.Pop();
                continue;
            }

            var path = RelativePath(root, item.FullName);
            yield return (item, path);
            if (item is DirectoryInfo && item.LinkTarget is null && shouldEnterDirectory(path))
            {
                pending.Push(List(root, item.FullName));
            }
        }
    }

    private static RepositoryEntry ToEntry(FileSystemInfo item, string path) => item switch
    {
        { LinkTarget: { } target } => new RepositoryEntry(path, RepositoryEntryKind.SymbolicLink) { LinkTarget = target },
        DirectoryInfo => new RepositoryEntry(path, RepositoryEntryKind.Directory),
        FileInfo file => new RepositoryEntry(path, RepositoryEntryKind.File, file.Length, OpenFor(file.FullName, file.Length)),
        _ => throw new InvalidOperationException($"Unexpected file system entry '{item.FullName}'."),
    };

    private static Func<CancellationToken, ValueTask<Stream>> OpenFor(string fullPath, long length) => cancellationToken =>
    {
        cancellationToken.ThrowIfCancellationRequested();

        // FIFOs and devices list with length 0 and opening a FIFO blocks until a writer comes; an empty file has
        // nothing to read either, so nothing of length 0 is opened.
        if (length == 0)
        {
            return ValueTask.FromResult<Stream>(new MemoryStream([], writable: false));
        }

        // The entry was a regular file when listed; refuse it if it has been swapped for a link since.
        if (new FileInfo(fullPath).LinkTarget is not null)
        {
            throw new GitProviderException($"'{fullPath}' became a symbolic link while the folder was read; links are never followed. Run again.");
        }

        try
        {
            return ValueTask.FromResult<Stream>(new FileStream(
                fullPath,
                new FileStreamOptions
                {
                    Mode = FileMode.Open,
                    Access = FileAccess.Read,
                    Share = FileShare.Read,
                    Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                }));
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new GitProviderException($"'{fullPath}' cannot be read: {ex.Message} Grant read access to it, close programs that hold it open for writing, or exclude it from the snapshot.", ex);
        }
    };

    private static Queue<FileSystemInfo> List(string root, string directory)
    {
        try
        {
            var items = new DirectoryInfo(directory)
                .EnumerateFileSystemInfos("*", ListOptions)
                .Where(static i => i.Name != GitMetadata)
                .OrderBy(static i => i.Name == GitIgnore ? 0 : 1)
                .ThenBy(static i => i.Name, StringComparer.Ordinal);
            return new Queue<FileSystemInfo>(items);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            var relative = RelativePath(root, directory);
            throw new GitProviderException(
                $"The folder '{(relative.Length == 0 ? root : relative)}' cannot be listed: {ex.Message} Grant read access to it, or exclude it from the snapshot.",
                ex);
        }
    }

    private static string RelativePath(string root, string fullPath)
    {
        var relative = Path.GetRelativePath(root, fullPath);
        return relative == "." ? string.Empty : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
