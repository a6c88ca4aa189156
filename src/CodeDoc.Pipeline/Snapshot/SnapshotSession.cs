using System.Buffers;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Pipeline;

/// <summary>
/// The state of one snapshot read: decides every file in a fixed order of precedence and collects the result.
/// </summary>
/// <remarks>
/// Precedence (the first that applies is reported): invalid or unsafe name, duplicate, not a regular file, built-in
/// lists, Include and Exclude globs, <c>.gitignore</c>, size cap, content (LFS pointer, binary, generated, minified),
/// repository cap. Everything up to the globs depends on the path alone and is final at once.
/// <para>
/// <c>.gitignore</c> verdicts are final only at the end. A forward-only archive can deliver a directory's
/// <c>.gitignore</c> after some of its entries (tree order puts <c>.github/</c> and names sorting before '.' first),
/// so every file is checked again against the complete rules when the read ends: a file a later <c>.gitignore</c>
/// excludes leaves the result, and a file the rules known so far excluded is read anyway ("speculatively", within a
/// budget the size of the repository cap, not charged to the cap) in case a later <c>!</c> line re-includes it. The
/// result therefore does not depend on entry order, unless the repository cap is reached, which is order-dependent
/// by nature. Entry trees yield each <c>.gitignore</c> first by contract and are never read speculatively.
/// </para>
/// </remarks>
internal sealed class SnapshotSession : IAsyncDisposable
{
    private const int ReadChunk = 64 * 1024;
    private const int ProgressEveryFiles = 100;

    // Strings and arrays cannot hold more; a file is decoded into one string for the redactor.
    private const long MaxReadableFileBytes = 512L * 1024 * 1024;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly SnapshotOptions _options;
    private readonly ISecretRedactor _redactor;
    private readonly ITokenCounter _tokens;
    private readonly IProgress<RunProgress>? _progress;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _speculate;
    private readonly long _maxFileBytes;
    private readonly IgnoreRules _gitIgnore = new();
    private readonly IgnoreRules? _include;
    private readonly IgnoreRules? _exclude;
    private readonly List<FileRecord> _records = [];
    private readonly Dictionary<string, FileRecord?> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly List<ExcludedPath> _excluded = [];
    private readonly Dictionary<(string Directory, ExclusionReason Reason), DirectoryExclusion> _directoryExclusions = [];
    private readonly List<string> _warnings = [];
    private readonly TextProcessingQueue _queue;
    private long _repositoryBytes;
    private long _speculativeBytes;
    private string? _capReachedAt;
    private int _filesAfterCap;
    private long _filesSeen;
    private long _reportedFiles;
    private long _reportedAt;

    public SnapshotSession(
        SnapshotOptions options,
        bool speculate,
        ISecretRedactor redactor,
        ITokenCounter tokens,
        IProgress<RunProgress>? progress,
        TimeProvider time,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        _options = options;
        _speculate = speculate;
        _redactor = redactor;
        _tokens = tokens;
        _progress = progress;
        _time = time;
        _logger = logger;
        _maxFileBytes = Math.Min(options.MaxFileBytes, MaxReadableFileBytes);
        _include = RulesFrom("Include", options.Include);
        _exclude = RulesFrom("Exclude", options.Exclude);
        _reportedAt = time.GetTimestamp();
        _queue = new TextProcessingQueue(ProcessText, Math.Clamp(Environment.ProcessorCount, 1, 8), cancellationToken);
    }

    /// <summary>Records an entry whose name was rejected.</summary>
    /// <param name="name">The rejected name.</param>
    /// <param name="isDirectory">Whether the entry is a directory.</param>
    /// <param name="size">Its declared size.</param>
    public void OnRejected(EntryPath name, bool isDirectory, long? size)
    {
        if (isDirectory)
        {
            _excluded.Add(new ExcludedPath(name.Display, name.Problem!.Value, name.Detail!) { IsDirectory = true, FileCount = 0 });
            return;
        }

        CountFile(name.Display);
        _excluded.Add(new ExcludedPath(name.Display, name.Problem!.Value, name.Detail!) { Bytes = size });
    }

    /// <summary>Records an entry that is not a regular file (link, device, submodule).</summary>
    /// <param name="path">The path.</param>
    /// <param name="reason">Why it is left out.</param>
    /// <param name="detail">What it is.</param>
    public void OnNonFile(string path, ExclusionReason reason, string detail)
    {
        CountFile(path);
        if (!IsDuplicate(path, null))
        {
            _excluded.Add(new ExcludedPath(path, reason, detail));
        }
    }

    /// <summary>Marks a file already read as a symbolic link (a zip says so only in its trailing central directory).</summary>
    /// <param name="path">The path.</param>
    public void OnLateSymbolicLink(string path)
    {
        if (_files.TryGetValue(path, out var record) && record is not null)
        {
            record.IsLateSymbolicLink = true;
        }
    }

    /// <summary>Decides whether an entry tree should descend into a directory, and lists it when not.</summary>
    /// <param name="directoryPath">The directory's path as the source names it.</param>
    /// <returns><see langword="true"/> to enter it.</returns>
    public bool ShouldEnterDirectory(string directoryPath)
    {
        var name = EntryPath.FromText(directoryPath);
        if (!name.IsValid)
        {
            _excluded.Add(new ExcludedPath(name.Display, name.Problem!.Value, $"{name.Detail}; not entered") { IsDirectory = true, FileCount = null });
            return false;
        }

        var path = name.Path!;
        if (path.Length == 0)
        {
            return true;
        }

        var bytePath = ByteString.FromText(path);
        Decision? decision = null;
        if (BuiltInExclusions.MatchDirectory(path, _options.UseBuiltInExclusions) is { } builtIn)
        {
            decision = new Decision(builtIn.Reason, builtIn.Detail, builtIn.Directory ?? path);
        }
        else if (_exclude?.Evaluate(bytePath, isDirectory: true) is { } excluded)
        {
            decision = new Decision(ExclusionReason.ExcludedByOptions, $"Exclude glob {excluded.Pattern.Describe()}", DirectoryOf(excluded) ?? path);
        }
        else if (_options.UseGitIgnore && _gitIgnore.Evaluate(bytePath, isDirectory: true) is { } ignored)
        {
            decision = new Decision(ExclusionReason.GitIgnore, ignored.Pattern.Describe(), DirectoryOf(ignored) ?? path);
        }

        if (decision is not { } found)
        {
            return true;
        }

        Aggregate(found.Directory!, found.Reason, found.Detail, bytes: null).NotEntered = true;
        return false;
    }

    /// <summary>Decides a regular file and reads it when needed.</summary>
    /// <param name="path">The safe relative path.</param>
    /// <param name="declaredSize">The size its header or source declares.</param>
    /// <param name="content">Its content, read only when needed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task that completes when the file is decided (its text may still be processed).</returns>
    public async ValueTask OnFileAsync(string path, long? declaredSize, IEntryContent content, CancellationToken cancellationToken)
    {
        CountFile(path);
        if (IsDuplicate(path, declaredSize))
        {
            return;
        }

        var bytePath = ByteString.FromText(path);
        var isIgnoreFile = _options.UseGitIgnore && (path == ".gitignore" || path.EndsWith("/.gitignore", StringComparison.Ordinal));
        if (DecidePath(path, bytePath) is { } decided)
        {
            // A .gitignore left out of the content still sets rules, unless its whole directory is left out.
            if (isIgnoreFile && decided.Directory is null)
            {
                await LoadIgnoreFileAsync(path, bytePath, declaredSize, content, cancellationToken).ConfigureAwait(false);
            }

            AddExclusion(path, decided.Reason, decided.Detail, decided.Directory, declaredSize);
            return;
        }

        var record = new FileRecord(path, bytePath, declaredSize);
        _records.Add(record);
        _files[path] = record;
        var ignored = _options.UseGitIgnore ? _gitIgnore.Evaluate(bytePath, isDirectory: false) : null;
        var speculative = ignored is not null;
        if (speculative && !(_speculate && _speculativeBytes + (declaredSize ?? 0) <= _options.MaxRepositoryBytes))
        {
            record.IgnoredWhenRead = ignored!.Pattern.Describe();
            record.CapReachedBefore = _capReachedAt is not null;
            if (isIgnoreFile)
            {
                await LoadIgnoreFileAsync(path, bytePath, declaredSize, content, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (declaredSize > _maxFileBytes)
        {
            record.Exclude(ExclusionReason.TooLarge, TooLargeDetail(declaredSize.Value));
            WarnIfIgnoreFileUnread(isIgnoreFile, path);
            return;
        }

        if (!speculative && _capReachedAt is not null && !isIgnoreFile)
        {
            _filesAfterCap++;
            record.Exclude(ExclusionReason.RepositoryCapReached, CapDetail());
            return;
        }

        var (buffer, length, totalSize) = await ReadContentAsync(content, declaredSize, cancellationToken).ConfigureAwait(false);
        record.Size = totalSize;
        if (buffer is null)
        {
            record.Exclude(ExclusionReason.TooLarge, TooLargeDetail(totalSize));
            WarnIfIgnoreFileUnread(isIgnoreFile, path);
            return;
        }

        var queued = false;
        try
        {
            if (isIgnoreFile)
            {
                LoadIgnoreRules(path, bytePath, buffer.AsSpan(0, length));
            }

            queued = await DecideContentAsync(record, buffer, length, speculative, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!queued)
            {
                ContentBuffers.Return(buffer);
            }
        }
    }

    /// <summary>Waits for the text work and assembles the snapshot, checking every file against the complete rules.</summary>
    /// <param name="commitSha">The commit.</param>
    /// <returns>The snapshot.</returns>
    public async Task<RepositorySnapshot> CompleteAsync(string commitSha)
    {
        await _queue.CompleteAsync().ConfigureAwait(false);
        Report(null);

        var files = new List<SnapshotFile>();
        var reincluded = 0;
        foreach (var record in _records)
        {
            if (record.IsLateSymbolicLink)
            {
                AddExclusion(record.Path, ExclusionReason.SymbolicLink, "symbolic link (marked in the zip central directory); never followed", null, record.Size);
                continue;
            }

            if (_options.UseGitIgnore && _gitIgnore.Evaluate(record.BytePath, isDirectory: false) is { } ignored)
            {
                AddExclusion(record.Path, ExclusionReason.GitIgnore, ignored.Pattern.Describe(), DirectoryOf(ignored), record.Size);
                continue;
            }

            if (record.IgnoredWhenRead is { } rule)
            {
                if (record.CapReachedBefore)
                {
                    _filesAfterCap++;
                    AddExclusion(record.Path, ExclusionReason.RepositoryCapReached, CapDetail(), null, record.Size);
                }
                else
                {
                    reincluded++;
                    AddExclusion(record.Path, ExclusionReason.GitIgnore,
                        $"{rule} excluded it when it was read; a .gitignore read later re-includes it, but the archive had already passed its content",
                        null, record.Size);
                }

                continue;
            }

            if (record.Reason is { } reason)
            {
                AddExclusion(record.Path, reason, record.Detail!, null, record.Size);
                continue;
            }

            if (record.Speculative)
            {
                // Read while the rules known then excluded it; it is in after all, so it now counts against the cap.
                if (_repositoryBytes + record.Size > _options.MaxRepositoryBytes)
                {
                    _capReachedAt ??= record.Path;
                    _filesAfterCap++;
                    AddExclusion(record.Path, ExclusionReason.RepositoryCapReached, CapDetail(), null, record.Size);
                    continue;
                }

                _repositoryBytes += record.Size ?? 0;
            }

            files.Add(record.Result!);
        }

        if (reincluded > 0)
        {
            _warnings.Add(FormattableString.Invariant(
                $"{reincluded} files were left out because a .gitignore that re-includes them came later in the archive than their content, and the speculative read budget (CodeDoc:Snapshot:MaxRepositoryBytes) was used up."));
        }

        if (_capReachedAt is not null)
        {
            _warnings.Add(FormattableString.Invariant(
                $"The repository cap of {ByteSize.Format(_options.MaxRepositoryBytes)} (CodeDoc:Snapshot:MaxRepositoryBytes) was reached at '{_capReachedAt}'; {_filesAfterCap} files were not read. Raise the cap or narrow the snapshot with Include and Exclude globs."));
        }

        foreach (var ((directory, reason), aggregate) in _directoryExclusions)
        {
            _excluded.Add(new ExcludedPath(directory, reason, aggregate.NotEntered ? $"{aggregate.Detail}; not entered, so its files were not listed" : aggregate.Detail)
            {
                IsDirectory = true,
                FileCount = aggregate.NotEntered && aggregate.Files == 0 ? null : aggregate.Files,
                Bytes = aggregate.BytesKnown && aggregate.Files > 0 ? aggregate.Bytes : null,
            });
        }

        files.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        _excluded.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path) is var byPath && byPath != 0 ? byPath : a.Reason.CompareTo(b.Reason));
        return new RepositorySnapshot
        {
            CommitSha = commitSha,
            Files = files,
            Excluded = _excluded,
            Warnings = _warnings,
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    private static IgnoreRules? RulesFrom(string source, IList<string> globs)
    {
        if (globs.Count == 0)
        {
            return null;
        }

        var rules = new IgnoreRules();
        rules.Add(IgnoreList.FromLines(source, globs));
        return rules;
    }

    private static string? DirectoryOf(IgnoreMatch match) => match.Directory is null ? null : ByteString.ToText(match.Directory);

    private static async ValueTask<long> DrainAsync(IEntryContent content, CancellationToken cancellationToken)
    {
        var scratch = ContentBuffers.Rent(ReadChunk);
        try
        {
            long total = 0;
            int read;
            while ((read = await content.ReadAsync(scratch, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            ContentBuffers.Return(scratch);
        }
    }

    private async ValueTask<bool> DecideContentAsync(FileRecord record, byte[] buffer, int length, bool speculative, CancellationToken cancellationToken)
    {
        var verdict = ContentInspector.Inspect(buffer.AsSpan(0, length), _options.UseBuiltInExclusions);
        if (verdict.Exclusion is { } reason)
        {
            record.Exclude(reason, verdict.Detail!);
            return false;
        }

        if (speculative)
        {
            _speculativeBytes += length;
        }
        else if (_capReachedAt is not null || _repositoryBytes + length > _options.MaxRepositoryBytes)
        {
            _capReachedAt ??= record.Path;
            _filesAfterCap++;
            record.Exclude(ExclusionReason.RepositoryCapReached, CapDetail());
            return false;
        }
        else
        {
            _repositoryBytes += length;
        }

        record.Speculative = speculative;
        await _queue.EnqueueAsync(new TextWork(record, buffer, length, verdict.Encoding), cancellationToken).ConfigureAwait(false);
        return true;
    }

    // Runs on a worker thread: touches only the record and thread-safe services.
    private void ProcessText(TextWork work)
    {
        var text = ContentInspector.Decode(work.Buffer.AsSpan(0, work.Length), work.Encoding);
        RedactionResult redaction;
        try
        {
            redaction = _redactor.Redact(text, work.Record.Path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new SnapshotException(
                $"Secret redaction failed on '{work.Record.Path}' ({ex.GetType().Name}), so its content cannot be used. Exclude the file or fix the redaction rules.",
                ex);
        }

        var redacted = redaction.Text;
        work.Record.Result = new SnapshotFile(work.Record.Path, work.Length, ContentInspector.CountLines(redacted), _tokens.CountTokens(redacted))
        {
            Content = _options.RetainContent || _options.RetainContentOf.Contains(work.Record.Path) ? redacted : null,
            Redactions = redaction.Findings,
        };
    }

    private Decision? DecidePath(string path, string bytePath)
    {
        if (BuiltInExclusions.MatchFile(path, _options.UseBuiltInExclusions) is { } builtIn)
        {
            return new Decision(builtIn.Reason, builtIn.Detail, builtIn.Directory);
        }

        if (_include is not null && _include.Evaluate(bytePath, isDirectory: false) is null)
        {
            return new Decision(ExclusionReason.NotIncluded, "matches none of the Include globs", null);
        }

        if (_exclude?.Evaluate(bytePath, isDirectory: false) is { } excluded)
        {
            return new Decision(ExclusionReason.ExcludedByOptions, $"Exclude glob {excluded.Pattern.Describe()}", DirectoryOf(excluded));
        }

        return null;
    }

    // Reads up to the per-file cap into a rented buffer; a larger file is drained (never buffered) and only measured.
    private async ValueTask<(byte[]? Buffer, int Length, long TotalSize)> ReadContentAsync(IEntryContent content, long? declaredSize, CancellationToken cancellationToken)
    {
        var limit = _maxFileBytes;
        var buffer = ContentBuffers.Rent((int)Math.Max(1, Math.Min(limit + 1, declaredSize ?? ReadChunk)));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ContentBuffers.Rent((int)Math.Min(limit + 1, (long)length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ContentBuffers.Return(buffer);
                    buffer = larger;
                }

                var room = (int)Math.Min(buffer.Length - length, limit + 1 - length);
                var read = await content.ReadAsync(buffer.AsMemory(length, room), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length, length);
                }

                length += read;
                if (length > limit)
                {
                    var total = length + await DrainAsync(content, cancellationToken).ConfigureAwait(false);
                    ContentBuffers.Return(buffer);
                    return (null, 0, total);
                }
            }
        }
        catch
        {
            ContentBuffers.Return(buffer);
            throw;
        }
    }

    private async ValueTask LoadIgnoreFileAsync(string path, string bytePath, long? declaredSize, IEntryContent content, CancellationToken cancellationToken)
    {
        if (declaredSize > _maxFileBytes)
        {
            WarnIfIgnoreFileUnread(isIgnoreFile: true, path);
            return;
        }

        var (buffer, length, _) = await ReadContentAsync(content, declaredSize, cancellationToken).ConfigureAwait(false);
        if (buffer is null)
        {
            WarnIfIgnoreFileUnread(isIgnoreFile: true, path);
            return;
        }

        try
        {
            LoadIgnoreRules(path, bytePath, buffer.AsSpan(0, length));
        }
        finally
        {
            ContentBuffers.Return(buffer);
        }
    }

    private void LoadIgnoreRules(string path, string bytePath, ReadOnlySpan<byte> content)
    {
        var slash = bytePath.LastIndexOf('/');
        var list = IgnoreList.Parse(slash < 0 ? string.Empty : bytePath[..slash], path, content);
        _gitIgnore.Add(list);
        SnapshotReader.Log.IgnoreFileLoaded(_logger, list.Count, path);
    }

    private void WarnIfIgnoreFileUnread(bool isIgnoreFile, string path)
    {
        if (isIgnoreFile)
        {
            _warnings.Add($"'{path}' is larger than CodeDoc:Snapshot:MaxFileBytes, so its ignore rules were not applied.");
        }
    }

    private bool IsDuplicate(string path, long? size)
    {
        string? conflict = null;
        if (_files.ContainsKey(path))
        {
            conflict = "a second entry with this path; the first one was read";
        }
        else if (_directories.Contains(path))
        {
            conflict = "a file with the path of a directory that holds other files";
        }
        else
        {
            var files = _files.GetAlternateLookup<ReadOnlySpan<char>>();
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                if (files.ContainsKey(path.AsSpan(0, slash)))
                {
                    conflict = $"below '{path[..slash]}', which is a file";
                    break;
                }
            }
        }

        if (conflict is not null)
        {
            _excluded.Add(new ExcludedPath(path, ExclusionReason.Duplicate, conflict) { Bytes = size });
            return true;
        }

        _files[path] = null;
        var directories = _directories.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var slash = path.LastIndexOf('/'); slash > 0 && directories.Add(path.AsSpan(0, slash)); slash = path.LastIndexOf('/', slash - 1))
        {
        }

        return false;
    }

    private void AddExclusion(string path, ExclusionReason reason, string detail, string? directory, long? size)
    {
        if (directory is null)
        {
            _excluded.Add(new ExcludedPath(path, reason, detail) { Bytes = size });
            return;
        }

        var aggregate = Aggregate(directory, reason, detail, size);
        aggregate.Files++;
    }

    private DirectoryExclusion Aggregate(string directory, ExclusionReason reason, string detail, long? bytes)
    {
        if (!_directoryExclusions.TryGetValue((directory, reason), out var aggregate))
        {
            aggregate = new DirectoryExclusion(detail);
            _directoryExclusions[(directory, reason)] = aggregate;
        }

        if (bytes is { } known)
        {
            aggregate.Bytes += known;
        }
        else
        {
            aggregate.BytesKnown = false;
        }

        return aggregate;
    }

    private string TooLargeDetail(long size) =>
        $"{ByteSize.Format(size)} > {ByteSize.Format(_maxFileBytes)} (CodeDoc:Snapshot:MaxFileBytes)";

    private string CapDetail() =>
        $"read after the repository cap of {ByteSize.Format(_options.MaxRepositoryBytes)} (CodeDoc:Snapshot:MaxRepositoryBytes) was reached at '{_capReachedAt}'";

    private void CountFile(string path)
    {
        _filesSeen++;
        if (_progress is null)
        {
            return;
        }

        if (_filesSeen - _reportedFiles >= ProgressEveryFiles || _time.GetElapsedTime(_reportedAt) >= ProgressInterval)
        {
            Report(path);
        }
    }

    private void Report(string? path)
    {
        if (_progress is null)
        {
            return;
        }

        _reportedFiles = _filesSeen;
        _reportedAt = _time.GetTimestamp();
        _progress.Report(new RunProgress(RunStage.Snapshot, path is null ? "Read the files" : "Reading files")
        {
            Done = _filesSeen,
            CurrentItem = path,
        });
    }

    /// <summary>A regular file that passed the path rules; its final verdict waits for the complete ignore rules.</summary>
    internal sealed class FileRecord(string path, string bytePath, long? size)
    {
        public string Path { get; } = path;

        public string BytePath { get; } = bytePath;

        public long? Size { get; set; } = size;

        public ExclusionReason? Reason { get; private set; }

        public string? Detail { get; private set; }

        public bool Speculative { get; set; }

        public string? IgnoredWhenRead { get; set; }

        public bool CapReachedBefore { get; set; }

        public bool IsLateSymbolicLink { get; set; }

        public SnapshotFile? Result { get; set; }

        public void Exclude(ExclusionReason reason, string detail)
        {
            Reason = reason;
            Detail = detail;
        }
    }

    private readonly record struct Decision(ExclusionReason Reason, string Detail, string? Directory);

    private sealed class DirectoryExclusion(string detail)
    {
        public string Detail { get; } = detail;

        public int Files { get; set; }

        public long Bytes { get; set; }

        public bool BytesKnown { get; set; } = true;

        public bool NotEntered { get; set; }
    }
}
