namespace CodeDoc.Core;

/// <summary>The container format of a repository archive.</summary>
public enum ArchiveFormat
{
    /// <summary>An uncompressed POSIX/GNU tar stream.</summary>
    Tar,

    /// <summary>A gzip-compressed tar stream.</summary>
    TarGz,

    /// <summary>A zip archive, read forward only.</summary>
    Zip,
}

/// <summary>What a repository entry is.</summary>
public enum RepositoryEntryKind
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link; never followed.</summary>
    SymbolicLink,

    /// <summary>A submodule (gitlink); its content is not part of the repository.</summary>
    Submodule,
}

/// <summary>
/// The files of a repository at one commit, as a provider hands them to the snapshot stage: either the host's
/// archive as a raw stream (<see cref="ArchiveRepositoryTree"/>) or a stream of entries for sources that have no
/// archive (<see cref="EntryRepositoryTree"/>). Only the pipeline's hardened reader parses it.
/// </summary>
public abstract class RepositoryTree : IAsyncDisposable
{
    private protected RepositoryTree(string commitSha)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commitSha);
        CommitSha = commitSha;
    }

    /// <summary>Gets the commit the tree belongs to.</summary>
    public string CommitSha { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the stream or the resources behind the entries.</summary>
    /// <returns>A task that completes when released.</returns>
    private protected abstract ValueTask DisposeAsyncCore();
}

/// <summary>A repository tree as the host's archive stream, read forward only.</summary>
public sealed class ArchiveRepositoryTree : RepositoryTree
{
    /// <summary>Initializes a new instance of the <see cref="ArchiveRepositoryTree"/> class.</summary>
    /// <param name="commitSha">The commit the archive was made from.</param>
    /// <param name="content">The raw archive stream; owned and disposed by this tree. It need not be seekable.</param>
    /// <param name="format">The archive's format.</param>
    /// <param name="hasTopLevelFolder">
    /// Whether the host wraps every entry in one top folder (GitHub's <c>owner-repo-sha7/</c>, GitLab's
    /// <c>project-ref-sha/</c>). The reader strips it and fails if an entry lies outside it.
    /// </param>
    public ArchiveRepositoryTree(string commitSha, Stream content, ArchiveFormat format, bool hasTopLevelFolder)
        : base(commitSha)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanRead)
        {
            throw new ArgumentException("The archive stream must be readable.", nameof(content));
        }

        Content = content;
        Format = format;
        HasTopLevelFolder = hasTopLevelFolder;
    }

    /// <summary>Gets the raw archive stream.</summary>
    public Stream Content { get; }

    /// <summary>Gets the archive's format.</summary>
    public ArchiveFormat Format { get; }

    /// <summary>Gets a value indicating whether every entry sits under one top folder that must be stripped.</summary>
    public bool HasTopLevelFolder { get; }

    /// <inheritdoc />
    private protected override ValueTask DisposeAsyncCore() => Content.DisposeAsync();
}

/// <summary>
/// Enumerates a repository's entries. A source should yield each directory's <c>.gitignore</c> before the directory's
/// other entries, and should not descend into a directory when <paramref name="shouldEnterDirectory"/> returns
/// <see langword="false"/> for it (it still yields the directory entry itself).
/// </summary>
/// <param name="shouldEnterDirectory">Asked once per directory path (relative, '/'-separated) before descending.</param>
/// <param name="cancellationToken">Cancels the enumeration.</param>
/// <returns>The entries, with relative '/'-separated paths.</returns>
public delegate IAsyncEnumerable<RepositoryEntry> RepositoryEntryEnumerator(
    Func<string, bool> shouldEnterDirectory,
    CancellationToken cancellationToken);

/// <summary>A repository tree as a stream of entries, for sources without an archive (folders, tree walks).</summary>
public sealed class EntryRepositoryTree : RepositoryTree
{
    private readonly RepositoryEntryEnumerator _enumerator;
    private readonly IAsyncDisposable? _owner;

    /// <summary>Initializes a new instance of the <see cref="EntryRepositoryTree"/> class.</summary>
    /// <param name="commitSha">The commit (or, for plain folders, a fingerprint of the listing).</param>
    /// <param name="enumerator">Enumerates the entries.</param>
    /// <param name="owner">Disposed with the tree, e.g. an open repository handle.</param>
    public EntryRepositoryTree(string commitSha, RepositoryEntryEnumerator enumerator, IAsyncDisposable? owner = null)
        : base(commitSha)
    {
        ArgumentNullException.ThrowIfNull(enumerator);
        _enumerator = enumerator;
        _owner = owner;
    }

    /// <summary>Enumerates the entries.</summary>
    /// <param name="shouldEnterDirectory">Asked before descending into a directory; see <see cref="RepositoryEntryEnumerator"/>.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries.</returns>
    public IAsyncEnumerable<RepositoryEntry> EnumerateAsync(
        Func<string, bool>? shouldEnterDirectory = null,
        CancellationToken cancellationToken = default) =>
        _enumerator(shouldEnterDirectory ?? (static _ => true), cancellationToken);

    /// <inheritdoc />
    private protected override ValueTask DisposeAsyncCore() => _owner?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>One entry of an <see cref="EntryRepositoryTree"/>.</summary>
public sealed class RepositoryEntry
{
    private readonly Func<CancellationToken, ValueTask<Stream>>? _openRead;

    /// <summary>Initializes a new instance of the <see cref="RepositoryEntry"/> class.</summary>
    /// <param name="path">The relative, '/'-separated path as the source names it (validated by the reader).</param>
    /// <param name="kind">What the entry is.</param>
    /// <param name="size">The declared size in bytes, when known.</param>
    /// <param name="openRead">Opens the content of a file entry; <see langword="null"/> for other kinds.</param>
    public RepositoryEntry(string path, RepositoryEntryKind kind, long? size = null, Func<CancellationToken, ValueTask<Stream>>? openRead = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (kind == RepositoryEntryKind.File && openRead is null)
        {
            throw new ArgumentException("A file entry needs a way to open its content.", nameof(openRead));
        }

        Path = path;
        Kind = kind;
        Size = size;
        _openRead = openRead;
    }

    /// <summary>Gets the relative path.</summary>
    public string Path { get; }

    /// <summary>Gets what the entry is.</summary>
    public RepositoryEntryKind Kind { get; }

    /// <summary>Gets the declared size in bytes, when known. The reader never trusts it beyond its limits.</summary>
    public long? Size { get; }

    /// <summary>Gets the target of a symbolic link, when the source knows it. Never followed.</summary>
    public string? LinkTarget { get; init; }

    /// <summary>Opens the content of a file entry.</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>A readable stream the caller disposes.</returns>
    public ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken = default) =>
        _openRead is null
            ? throw new InvalidOperationException($"Entry '{Path}' is a {Kind}, which has no content to read.")
            : _openRead(cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Path}";
}
