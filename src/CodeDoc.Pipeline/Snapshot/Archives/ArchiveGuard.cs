using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// Enforces an archive's safety limits while it is read (entries, expanded bytes, compression ratio) and words the
/// errors, naming the entry reached. One instance serves one read.
/// </summary>
internal sealed class ArchiveGuard
{
    /// <summary>The expansion after which the compression ratio is checked; small archives of repetitive text compress well.</summary>
    public const long RatioCheckThreshold = 16L * 1024 * 1024;

    private readonly SnapshotOptions _options;
    private readonly bool _checkRatio;
    private string? _currentEntry;
    private byte[]? _currentRawName;

    /// <summary>Initializes a new instance of the <see cref="ArchiveGuard"/> class.</summary>
    /// <param name="options">The limits.</param>
    /// <param name="source">What is read, for messages, e.g. <c>tar.gz archive</c>.</param>
    /// <param name="checkRatio">Whether the input is compressed, so the ratio limit applies.</param>
    public ArchiveGuard(SnapshotOptions options, string source, bool checkRatio)
    {
        _options = options;
        Source = source;
        _checkRatio = checkRatio;
    }

    /// <summary>Gets what is read, for messages.</summary>
    public string Source { get; }

    /// <summary>Gets the entries seen.</summary>
    public int Entries { get; private set; }

    /// <summary>Gets the raw (compressed) bytes read.</summary>
    public long CompressedBytes { get; private set; }

    /// <summary>Gets the bytes the archive expanded to so far.</summary>
    public long ExpandedBytes { get; private set; }

    /// <summary>Gets or sets the name of the entry being read (escaped), for messages.</summary>
    public string? CurrentEntry
    {
        get => _currentEntry ??= _currentRawName is null ? null : EntryPath.Escape(_currentRawName);
        set
        {
            _currentEntry = value;
            _currentRawName = null;
        }
    }

    /// <summary>Describes where the read is, e.g. <c>at entry 12 ('src/a.cs')</c>.</summary>
    public string Position => CurrentEntry is null
        ? "before the first entry"
        : FormattableString.Invariant($"at entry {Entries} ('{CurrentEntry}')");

    /// <summary>Counts raw bytes read from the input.</summary>
    /// <param name="count">The bytes.</param>
    public void CountCompressed(int count) => CompressedBytes += count;

    /// <summary>Counts expanded bytes and enforces the expansion and ratio limits.</summary>
    /// <param name="count">The bytes.</param>
    /// <exception cref="SnapshotException">A limit is passed.</exception>
    public void CountExpanded(long count)
    {
        ExpandedBytes += count;
        if (ExpandedBytes > _options.MaxArchiveExpandedBytes)
        {
            throw new SnapshotException(
                $"The {Source} expands past {ByteSize.Format(_options.MaxArchiveExpandedBytes)} (CodeDoc:Snapshot:MaxArchiveExpandedBytes), {Position}. " +
                "It is an archive bomb or a repository larger than the limit: raise the limit only if you trust the source.");
        }

        if (_checkRatio && ExpandedBytes > RatioCheckThreshold && ExpandedBytes > CompressedBytes * _options.MaxCompressionRatio)
        {
            var ratio = CompressedBytes == 0 ? double.PositiveInfinity : (double)ExpandedBytes / CompressedBytes;
            throw new SnapshotException(FormattableString.Invariant(
                $"The {Source} expands {ratio:F0} times its compressed size, more than CodeDoc:Snapshot:MaxCompressionRatio ({_options.MaxCompressionRatio}), {Position}. ") +
                "It looks like an archive bomb, so it was not read further; raise the limit only if you trust the source.");
        }
    }

    /// <summary>Checks a size an entry declares before reading it, so a lying header fails at once.</summary>
    /// <param name="declared">The declared size.</param>
    /// <exception cref="SnapshotException">The entry cannot fit the expansion limit.</exception>
    public void CheckDeclaredSize(long declared)
    {
        if (declared > _options.MaxArchiveExpandedBytes - ExpandedBytes)
        {
            throw new SnapshotException(
                $"The {Source} declares an entry of {ByteSize.Format(declared)} {Position}, past CodeDoc:Snapshot:MaxArchiveExpandedBytes " +
                $"({ByteSize.Format(_options.MaxArchiveExpandedBytes)}). It is corrupt, crafted, or larger than the limit allows.");
        }
    }

    /// <summary>Counts an entry, remembers its name for messages, and enforces the entry limit.</summary>
    /// <param name="rawName">The entry's name as stored.</param>
    /// <exception cref="SnapshotException">The limit is passed.</exception>
    public void CountEntry(byte[] rawName)
    {
        // Escaped only when a message needs it.
        _currentEntry = null;
        _currentRawName = rawName;
        CountEntry();
    }

    /// <summary>Counts an entry and enforces the entry limit.</summary>
    /// <exception cref="SnapshotException">The limit is passed.</exception>
    public void CountEntry()
    {
        if (++Entries > _options.MaxEntries)
        {
            throw new SnapshotException(FormattableString.Invariant(
                $"The {Source} has more than {_options.MaxEntries} entries (CodeDoc:Snapshot:MaxEntries), {Position}. ") +
                "Raise the limit if the repository really is this large; otherwise the input is an archive bomb.");
        }
    }

    /// <summary>Builds the error for a corrupt input.</summary>
    /// <param name="problem">What is wrong, e.g. <c>a header has a bad checksum</c>.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    /// <returns>The exception to throw.</returns>
    public SnapshotException Corrupt(string problem, Exception? innerException = null) =>
        new($"The {Source} is corrupt {Position}: {problem}. Fetch it again; if it keeps failing, check that the provider reports the right format.", innerException);

    /// <summary>Builds the error for a failed read of the input (I/O, access).</summary>
    /// <param name="innerException">The failure.</param>
    /// <returns>The exception to throw.</returns>
    public SnapshotException ReadFailed(Exception innerException) =>
        new($"Reading the {Source} failed {Position}: {innerException.Message} Check that the source is reachable and readable, then read it again.", innerException);

    /// <summary>Builds the error for an input that ends too early.</summary>
    /// <param name="problem">What was being read.</param>
    /// <returns>The exception to throw.</returns>
    public SnapshotException Truncated(string problem) =>
        new($"The {Source} is truncated {Position}: {problem}. The download was cut short; fetch it again.");
}

/// <summary>Formats byte counts for people.</summary>
internal static class ByteSize
{
    /// <summary>Formats a byte count, e.g. <c>2.1 MiB</c>.</summary>
    /// <param name="bytes">The count.</param>
    /// <returns>The text.</returns>
    public static string Format(long bytes) => bytes switch
    {
        < 1024 => FormattableString.Invariant($"{bytes} bytes"),
        < 1024 * 1024 => FormattableString.Invariant($"{bytes / 1024.0:0.#} KiB"),
        < 1024L * 1024 * 1024 => FormattableString.Invariant($"{bytes / (1024.0 * 1024):0.#} MiB"),
        _ => FormattableString.Invariant($"{bytes / (1024.0 * 1024 * 1024):0.#} GiB"),
    };
}
