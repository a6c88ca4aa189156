namespace CodeDoc.Pipeline;

/// <summary>What an archive entry is.</summary>
internal enum ArchiveEntryKind
{
    /// <summary>A regular file with content.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link.</summary>
    SymbolicLink,

    /// <summary>A hard link.</summary>
    HardLink,

    /// <summary>A device, FIFO or other special entry.</summary>
    Special,
}

/// <summary>One entry of an archive, with its name as raw bytes (validated later).</summary>
/// <param name="Name">The raw name.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Size">The declared content size of a file, when the header states it.</param>
/// <param name="LinkTarget">The raw link target of a link.</param>
/// <param name="Description">What a special entry is, for the report.</param>
internal sealed record ArchiveEntry(byte[] Name, ArchiveEntryKind Kind, long? Size, byte[]? LinkTarget = null, string? Description = null);

/// <summary>Content read forward only: an archive's current entry or a file of an entry tree.</summary>
internal interface IEntryContent
{
    /// <summary>Reads the next bytes.</summary>
    /// <param name="buffer">Where to put them (an array-backed buffer).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes read; 0 at the end.</returns>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);
}

/// <summary>An archive read entry by entry; <see cref="IEntryContent"/> reads the current entry.</summary>
internal interface IArchiveEntrySource : IEntryContent, IDisposable
{
    /// <summary>Gets names that the archive's trailer shows to be symbolic links, known once <see cref="NextAsync"/> returned <see langword="null"/>.</summary>
    IReadOnlyList<byte[]> LateSymbolicLinks { get; }

    /// <summary>Skips the rest of the current entry and reads the next header.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/> at the end of the archive.</returns>
    ValueTask<ArchiveEntry?> NextAsync(CancellationToken cancellationToken);
}
