namespace CodeDoc.Core;

/// <summary>Limits and filters of the snapshot stage. Bound from <c>CodeDoc:Snapshot</c>.</summary>
public sealed class SnapshotOptions
{
    /// <summary>Gets or sets the largest file read, in bytes; larger files are listed as too large.</summary>
    public long MaxFileBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Gets or sets the most content read from one repository, in bytes. Files past it are listed as
    /// "repository cap reached", never dropped silently.
    /// </summary>
    public long MaxRepositoryBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Gets or sets the most bytes an archive may expand to in total (archive-bomb limit); past it the read fails.</summary>
    public long MaxArchiveExpandedBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Gets or sets the most entries an archive or tree may have; past it the read fails.</summary>
    public int MaxEntries { get; set; } = 500_000;

    /// <summary>
    /// Gets or sets the largest ratio of expanded to compressed bytes an archive may reach once it has expanded past
    /// 16 MiB (archive-bomb limit); past it the read fails.
    /// </summary>
    public double MaxCompressionRatio { get; set; } = 200;

    /// <summary>Gets include globs (gitignore syntax). When any is given, only matching files are read.</summary>
    public IList<string> Include { get; } = [];

    /// <summary>Gets exclude globs (gitignore syntax), applied after the include globs.</summary>
    public IList<string> Exclude { get; } = [];

    /// <summary>Gets or sets a value indicating whether <c>.gitignore</c> files in the tree apply.</summary>
    public bool UseGitIgnore { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the built-in lists (vendored, generated, build output, lock, minified) apply.</summary>
    public bool UseBuiltInExclusions { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether to keep the (redacted) content of included files in memory for the
    /// next stages. A plan needs only counts; generation needs content.
    /// </summary>
    public bool RetainContent { get; set; }

    /// <summary>
    /// Gets paths whose (redacted) content is kept even when <see cref="RetainContent"/> is off, such as the
    /// repository's steering file <c>.codedoc/config.json</c>, which planning reads.
    /// </summary>
    public ISet<string> RetainContentOf { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Lists problems with these options.</summary>
    /// <param name="prefix">The configuration path, e.g. <c>CodeDoc:Snapshot</c>.</param>
    /// <returns>One message per problem.</returns>
    public IEnumerable<string> Validate(string prefix)
    {
        if (MaxFileBytes <= 0)
        {
            yield return $"{prefix}:MaxFileBytes must be positive (it is {MaxFileBytes}).";
        }

        if (MaxRepositoryBytes < MaxFileBytes)
        {
            yield return $"{prefix}:MaxRepositoryBytes ({MaxRepositoryBytes}) must be at least MaxFileBytes ({MaxFileBytes}).";
        }

        if (MaxArchiveExpandedBytes < MaxRepositoryBytes)
        {
            yield return $"{prefix}:MaxArchiveExpandedBytes ({MaxArchiveExpandedBytes}) must be at least MaxRepositoryBytes ({MaxRepositoryBytes}).";
        }

        if (MaxEntries <= 0)
        {
            yield return $"{prefix}:MaxEntries must be positive (it is {MaxEntries}).";
        }

        if (MaxCompressionRatio < 10)
        {
            yield return $"{prefix}:MaxCompressionRatio must be at least 10 (it is {MaxCompressionRatio}); source archives commonly compress 5-20x.";
        }
    }
}

/// <summary>Why a path was left out of a snapshot.</summary>
public enum ExclusionReason
{
    /// <summary>Matched a <c>.gitignore</c> rule.</summary>
    GitIgnore,

    /// <summary>Third-party code checked into the repository (<c>node_modules</c>, <c>vendor</c>, ...).</summary>
    Vendored,

    /// <summary>Generated code (<c>*.designer.cs</c>, <c>*.g.cs</c>, protobuf output, ...).</summary>
    Generated,

    /// <summary>Build output (<c>bin</c>, <c>obj</c>, <c>dist</c>, <c>target</c>, ...).</summary>
    BuildOutput,

    /// <summary>A dependency lock file.</summary>
    LockFile,

    /// <summary>Minified or bundled code, or a source map.</summary>
    Minified,

    /// <summary>Binary content (detected by content, not only by extension).</summary>
    Binary,

    /// <summary>A Git LFS pointer file; the real content is not in the repository.</summary>
    LfsPointer,

    /// <summary>Larger than the per-file size cap.</summary>
    TooLarge,

    /// <summary>Came after the whole-repository size cap was reached.</summary>
    RepositoryCapReached,

    /// <summary>Matched an exclude glob from options or the repository's steering file.</summary>
    ExcludedByOptions,

    /// <summary>Did not match any include glob from options.</summary>
    NotIncluded,

    /// <summary>A symbolic link; never followed.</summary>
    SymbolicLink,

    /// <summary>A submodule; its content lives in another repository.</summary>
    Submodule,

    /// <summary>An unsafe path: absolute, with <c>..</c>, or outside the archive's top folder.</summary>
    UnsafePath,

    /// <summary>A name that is not valid UTF-8 or holds control characters.</summary>
    InvalidName,

    /// <summary>A second entry with a path already read.</summary>
    Duplicate,

    /// <summary>A special entry (device, FIFO, hard link) that is not a regular file.</summary>
    NotRegularFile,

    /// <summary>Version-control metadata (<c>.git</c>, <c>.svn</c>, <c>.hg</c>); never source, and it may hold credentials.</summary>
    VersionControl,
}

/// <summary>A file included in a snapshot.</summary>
/// <param name="Path">The relative '/'-separated path.</param>
/// <param name="Bytes">The size in bytes as stored.</param>
/// <param name="Lines">The number of lines.</param>
/// <param name="Tokens">The o200k token count of the redacted text.</param>
public sealed record SnapshotFile(string Path, long Bytes, int Lines, int Tokens)
{
    /// <summary>Gets the redacted text, when <see cref="SnapshotOptions.RetainContent"/> was set.</summary>
    public string? Content { get; init; }

    /// <summary>Gets the secrets redacted from this file (rule and line, never the secret).</summary>
    public IReadOnlyList<SecretFinding> Redactions { get; init; } = [];
}

/// <summary>A path left out of a snapshot, and why.</summary>
/// <param name="Path">The path (a directory path for directory-level exclusions), escaped if the name was not valid UTF-8.</param>
/// <param name="Reason">Why.</param>
/// <param name="Detail">Which rule or limit, e.g. <c>.gitignore:3 bin/</c> or <c>2.1 MiB &gt; 1 MiB</c>.</param>
public sealed record ExcludedPath(string Path, ExclusionReason Reason, string Detail)
{
    /// <summary>Gets a value indicating whether a whole directory was left out (counted in <see cref="FileCount"/>).</summary>
    public bool IsDirectory { get; init; }

    /// <summary>
    /// Gets how many files this exclusion covers: 1 for a file, the files seen below an excluded directory, or
    /// <see langword="null"/> for a directory a walk did not enter (so its files were never listed or read).
    /// </summary>
    public int? FileCount { get; init; } = 1;

    /// <summary>Gets the bytes left out, when known.</summary>
    public long? Bytes { get; init; }
}

/// <summary>
/// A repository at one commit after filtering, redaction and token counting. Every file is either in
/// <see cref="Files"/> or covered by an entry of <see cref="Excluded"/>: nothing is dropped silently.
/// </summary>
public sealed class RepositorySnapshot
{
    /// <summary>Gets the commit.</summary>
    public required string CommitSha { get; init; }

    /// <summary>Gets the included files, ordered by path (ordinal).</summary>
    public required IReadOnlyList<SnapshotFile> Files { get; init; }

    /// <summary>Gets the excluded paths, ordered by path (ordinal).</summary>
    public required IReadOnlyList<ExcludedPath> Excluded { get; init; }

    /// <summary>Gets notes about the read that are not per file (e.g. a cap reached).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gets the tokens of all included files.</summary>
    public long TotalTokens => Files.Sum(f => (long)f.Tokens);

    /// <summary>Gets the bytes of all included files.</summary>
    public long TotalBytes => Files.Sum(f => f.Bytes);

    /// <summary>Gets the number of files seen (included plus every counted excluded file).</summary>
    public long FilesSeen => Files.Count + Excluded.Sum(e => (long)(e.FileCount ?? 0));

    /// <summary>Gets every redaction, with the file it was in.</summary>
    public IEnumerable<(string Path, SecretFinding Finding)> Redactions =>
        Files.SelectMany(f => f.Redactions.Select(r => (f.Path, r)));
}

/// <summary>Reads a repository tree into a snapshot: hardened parsing, ignore rules, size caps, redaction, tokens.</summary>
public interface ISnapshotReader
{
    /// <summary>Reads a tree forward only, with bounded memory.</summary>
    /// <param name="tree">The tree from <see cref="IGitProvider.OpenTreeAsync"/>; the caller keeps ownership.</param>
    /// <param name="options">Limits and filters; <see langword="null"/> uses the configured defaults.</param>
    /// <param name="progress">Receives progress at the snapshot stage.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="SnapshotException">The archive is corrupt, truncated or past a safety limit.</exception>
    Task<RepositorySnapshot> ReadAsync(
        RepositoryTree tree,
        SnapshotOptions? options = null,
        IProgress<RunProgress>? progress = null,
        CancellationToken cancellationToken = default);
}
