using System.IO.Compression;
using CodeDoc.Core;
using ICSharpCode.SharpZipLib;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline;

/// <summary>
/// The snapshot stage: one hardened, forward-only reader for tar, tar.gz and zip streams and for entry trees, with
/// ignore rules, built-in exclusions, size caps, secret redaction and o200k token counts in a single pass. Nothing
/// is dropped silently: every file is in <see cref="RepositorySnapshot.Files"/> or covered by an exclusion.
/// </summary>
/// <remarks>
/// Hostile input gets a <see cref="SnapshotException"/> (corrupt, truncated, past a limit) or a listed skip (unsafe or
/// invalid name, link, device, duplicate); nothing is extracted or written anywhere, and only the caller's
/// cancellation passes through as <see cref="OperationCanceledException"/>.
/// </remarks>
internal sealed partial class SnapshotReader : ISnapshotReader
{
    private readonly ISecretRedactor _redactor;
    private readonly ITokenCounter _tokens;
    private readonly IOptions<CodeDocOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SnapshotReader> _logger;

    public SnapshotReader(ISecretRedactor redactor, ITokenCounter tokens, IOptions<CodeDocOptions> options, TimeProvider time, ILogger<SnapshotReader> logger)
    {
        _redactor = redactor;
        _tokens = tokens;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<RepositorySnapshot> ReadAsync(
        RepositoryTree tree,
        SnapshotOptions? options = null,
        IProgress<RunProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        options ??= _options.Value.Snapshot;
        var problems = options.Validate("options").ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The snapshot options are invalid: {string.Join(" ", problems)}", nameof(options));
        }

        var source = tree switch
        {
            ArchiveRepositoryTree archive => archive.Format switch
            {
                ArchiveFormat.Tar => "tar archive",
                ArchiveFormat.TarGz => "tar.gz archive",
                ArchiveFormat.Zip => "zip archive",
                _ => throw new ArgumentException($"The archive format {archive.Format} is not supported.", nameof(tree)),
            },
            EntryRepositoryTree => "entry tree",
            _ => throw new ArgumentException($"The tree type {tree.GetType().Name} is not supported.", nameof(tree)),
        };

        Log.ReadStarted(_logger, tree.CommitSha, source);
        var guard = new ArchiveGuard(options, source, checkRatio: tree is ArchiveRepositoryTree { Format: not ArchiveFormat.Tar });
        var session = new SnapshotSession(options, speculate: tree is ArchiveRepositoryTree, _redactor, _tokens, progress, _time, _logger, cancellationToken);
        await using (session.ConfigureAwait(false))
        {
            try
            {
                if (tree is ArchiveRepositoryTree archive)
                {
                    await ReadArchiveAsync(archive, session, guard, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await ReadEntriesAsync((EntryRepositoryTree)tree, session, guard, cancellationToken).ConfigureAwait(false);
                }

                var snapshot = await session.CompleteAsync(tree.CommitSha).ConfigureAwait(false);
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    var redactions = snapshot.Files.Sum(f => f.Redactions.Count);
                    Log.ReadCompleted(
                        _logger,
                        tree.CommitSha,
                        snapshot.Files.Count,
                        snapshot.TotalTokens,
                        snapshot.TotalBytes,
                        snapshot.Excluded.Count,
                        snapshot.FilesSeen - snapshot.Files.Count,
                        redactions,
                        snapshot.Warnings.Count);
                }

                return snapshot;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (SnapshotException ex)
            {
                Log.ReadFailed(_logger, tree.CommitSha, ex.Message);
                throw;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or SharpZipBaseException or OperationCanceledException or UnauthorizedAccessException)
            {
                var wrapped = ex switch
                {
                    OperationCanceledException => new SnapshotException($"The {source} stream was canceled by its source {guard.Position} (for example an HTTP timeout). Fetch it again.", ex),
                    IOException or UnauthorizedAccessException => guard.ReadFailed(ex),
                    _ => guard.Corrupt(ex.Message, ex),
                };
                Log.ReadFailed(_logger, tree.CommitSha, wrapped.Message);
                throw wrapped;
            }
        }
    }

    private static async Task ReadArchiveAsync(ArchiveRepositoryTree archive, SnapshotSession session, ArchiveGuard guard, CancellationToken cancellationToken)
    {
        Stream raw = new CountingReadStream(archive.Content, guard.CountCompressed);
        var tarStream = archive.Format == ArchiveFormat.TarGz ? new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true) : raw;
        await using var tarStreamScope = tarStream.ConfigureAwait(false);
        using IArchiveEntrySource entries = archive.Format == ArchiveFormat.Zip
            ? new ZipEntrySource(raw, guard)
            : new TarEntryReader(tarStream, guard, readToEnd: archive.Format == ArchiveFormat.TarGz);

        var topFolder = archive.HasTopLevelFolder ? new TopFolder() : null;
        while (await entries.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
        {
            var name = EntryPath.FromBytes(entry.Name);
            var isDirectory = entry.Kind == ArchiveEntryKind.Directory;
            if (topFolder is not null && name.IsValid)
            {
                name = topFolder.Strip(name, isDirectory);
            }

            if (!name.IsValid)
            {
                session.OnRejected(name, isDirectory, entry.Size);
                continue;
            }

            var path = name.Path!;
            if (path.Length == 0)
            {
                continue;
            }

            switch (entry.Kind)
            {
                case ArchiveEntryKind.File:
                    await session.OnFileAsync(path, entry.Size, entries, cancellationToken).ConfigureAwait(false);
                    break;
                case ArchiveEntryKind.SymbolicLink:
                    session.OnNonFile(path, ExclusionReason.SymbolicLink, $"symbolic link to '{LinkTarget(entry)}'; never followed");
                    break;
                case ArchiveEntryKind.HardLink:
                    session.OnNonFile(path, ExclusionReason.NotRegularFile, $"hard link to '{LinkTarget(entry)}'");
                    break;
                case ArchiveEntryKind.Special:
                    session.OnNonFile(path, ExclusionReason.NotRegularFile, entry.Description ?? "special entry");
                    break;
            }
        }

        foreach (var link in entries.LateSymbolicLinks)
        {
            var name = EntryPath.FromBytes(link);
            if (topFolder is not null && name.IsValid)
            {
                name = topFolder.Strip(name, isDirectory: false);
            }

            if (name.IsValid)
            {
                session.OnLateSymbolicLink(name.Path!);
            }
        }
    }

    private static async Task ReadEntriesAsync(EntryRepositoryTree tree, SnapshotSession session, ArchiveGuard guard, CancellationToken cancellationToken)
    {
        await foreach (var entry in tree.EnumerateAsync(session.ShouldEnterDirectory, cancellationToken).ConfigureAwait(false))
        {
            var name = EntryPath.FromText(entry.Path);
            guard.CurrentEntry = name.Display;
            guard.CountEntry();
            if (!name.IsValid)
            {
                session.OnRejected(name, entry.Kind == RepositoryEntryKind.Directory, entry.Size);
                continue;
            }

            var path = name.Path!;
            switch (entry.Kind)
            {
                case RepositoryEntryKind.File when path.Length > 0:
                    var content = new EntryStreamContent(entry, guard);
                    await using (content.ConfigureAwait(false))
                    {
                        await session.OnFileAsync(path, entry.Size, content, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case RepositoryEntryKind.SymbolicLink:
                    session.OnNonFile(path, ExclusionReason.SymbolicLink, entry.LinkTarget is null
                        ? "symbolic link; never followed"
                        : $"symbolic link to '{EntryPath.Escape(entry.LinkTarget)}'; never followed");
                    break;
                case RepositoryEntryKind.Submodule:
                    session.OnNonFile(path, ExclusionReason.Submodule, "submodule: its content lives in another repository");
                    break;
            }
        }
    }

    private static string LinkTarget(ArchiveEntry entry) => entry.LinkTarget is { Length: > 0 } target ? EntryPath.Escape(target) : string.Empty;

    /// <summary>Strips the one top folder a host wraps every entry in; an entry outside it is unsafe.</summary>
    private sealed class TopFolder
    {
        private string? _name;

        public EntryPath Strip(EntryPath name, bool isDirectory)
        {
            var path = name.Path!;
            var slash = path.IndexOf('/');
            var first = slash < 0 ? path : path[..slash];
            if (_name is null)
            {
                if (slash < 0 && !isDirectory)
                {
                    return new EntryPath(null, path, ExclusionReason.UnsafePath, "outside the archive's top folder (a file at the root)");
                }

                _name = first;
            }
            else if (first != _name)
            {
                return new EntryPath(null, path, ExclusionReason.UnsafePath, $"outside the archive's top folder '{_name}/'");
            }

            var rest = slash < 0 ? string.Empty : path[(slash + 1)..];
            return new EntryPath(rest, rest, null, null);
        }
    }

    /// <summary>Log messages of the snapshot stage: counts and paths, never contents.</summary>
    internal static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Reading the snapshot of {CommitSha} from a {Source}")]
        public static partial void ReadStarted(ILogger logger, string commitSha, string source);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Information,
            Message = "Snapshot of {CommitSha}: {IncludedFiles} files included ({Tokens} tokens, {Bytes} bytes), {Exclusions} exclusions covering {ExcludedFiles} files, {Redactions} secrets redacted, {Warnings} warnings")]
        public static partial void ReadCompleted(ILogger logger, string commitSha, int includedFiles, long tokens, long bytes, int exclusions, long excludedFiles, int redactions, int warnings);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Snapshot of {CommitSha} failed: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string commitSha, string reason);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "Loaded {RuleCount} ignore rules from {Path}")]
        public static partial void IgnoreFileLoaded(ILogger logger, int ruleCount, string path);
    }
}
