using System.Globalization;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Pipeline;

/// <summary>
/// Publishes a documentation set as a folder of Markdown files (kind <c>markdown</c>): one <c>.md</c> file per page in
/// folders that follow the outline, attachments next to their page, an index at the root, and the manifest in
/// <c>.codedoc/manifest.json</c>. Unchanged files are not written; files a person edited are not overwritten (unless
/// forced); team notes survive regeneration; nothing outside the folder, and nothing the manifest does not list, is
/// ever written over or deleted.
/// </summary>
internal sealed partial class MarkdownFolderPublisher : IDocPublisher
{
    /// <summary>The publisher kind.</summary>
    public const string PublisherKind = "markdown";

    private readonly OutputFolder _folder;
    private readonly RemovedPagesMode _removedPages;
    private readonly bool _addTeamNotesSection;
    private readonly string _indexFileName;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="MarkdownFolderPublisher"/> class.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="options">Validated options; their values are taken now.</param>
    /// <param name="timeProvider">The clock for the manifest's publish time.</param>
    /// <param name="logger">The logger.</param>
    public MarkdownFolderPublisher(string name, MarkdownFolderOptions options, TimeProvider timeProvider, ILogger<MarkdownFolderPublisher> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputPath);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _folder = new OutputFolder(options.OutputPath);
        _removedPages = options.RemovedPages;
        _addTeamNotesSection = options.AddTeamNotesSection;
        _indexFileName = options.IndexFileName;
        _timeProvider = timeProvider;
        _logger = logger;
        Metadata = new ProviderMetadata(name, PublisherKind, $"Markdown folder {_folder.Root}", Endpoint: null);
    }

    /// <inheritdoc />
    public ProviderMetadata Metadata { get; }

    /// <inheritdoc />
    public async Task<AccessCheckResult> CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var checks = new List<AccessCheckItem> { CheckFolderWritable() };
        try
        {
            var (manifest, _) = await LoadManifestAsync(cancellationToken).ConfigureAwait(false);
            checks.Add(manifest is null
                ? new AccessCheckItem("Manifest", true, $"'{_folder.Root}' holds no documentation set yet; the first publish writes {MarkdownManifestFile.RelativePath}.")
                : new AccessCheckItem("Manifest", true, string.Create(
                    CultureInfo.InvariantCulture,
                    $"'{_folder.Root}' holds the documentation set '{manifest.DocumentSetId}' ({manifest.Pages.Count} pages, last published {manifest.PublishedAt:u}).")));
        }
        catch (DocPublisherException e)
        {
            checks.Add(new AccessCheckItem("Manifest", false, e.Message));
        }

        return new AccessCheckResult(checks);
    }

    /// <inheritdoc />
    public async Task<PublishManifest?> ReadManifestAsync(string documentSetId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(documentSetId);
        cancellationToken.ThrowIfCancellationRequested();
        var (manifest, _) = await LoadManifestAsync(cancellationToken).ConfigureAwait(false);
        return manifest is not null && string.Equals(manifest.DocumentSetId, documentSetId, StringComparison.Ordinal) ? manifest : null;
    }

    /// <inheritdoc />
    public async Task<PublishResult> PublishAsync(DocumentSet documentSet, PublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentSet);
        cancellationToken.ThrowIfCancellationRequested();
        DocumentSetValidator.ThrowIfInvalid(documentSet);
        options ??= new PublishOptions();
        Log.Publishing(_logger, Metadata.Name, documentSet.Id, documentSet.Pages.Count, options.DryRun);

        var (manifest, manifestBytes) = await LoadManifestAsync(cancellationToken).ConfigureAwait(false);
        if (manifest is not null && !string.Equals(manifest.DocumentSetId, documentSet.Id, StringComparison.Ordinal))
        {
            throw new DocPublisherConflictException(
                $"The folder '{_folder.Root}' holds the documentation set '{manifest.DocumentSetId}', not '{documentSet.Id}'. " +
                $"One folder holds one documentation set: choose another output folder for '{documentSet.Id}'.")
            {
                ProviderName = Metadata.Name,
                OperationName = nameof(PublishAsync),
            };
        }

        var plan = await PlanAsync(documentSet, manifest, manifestBytes, options.Force, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<PageOutcome> outcomes = plan.Outcomes();
        if (!options.DryRun && plan.HasWork)
        {
            using (_folder.AcquireLock(MarkdownManifestFile.LockRelativePath))
            {
                var (_, bytesNow) = await LoadManifestAsync(cancellationToken).ConfigureAwait(false);
                if (!(bytesNow ?? []).AsSpan().SequenceEqual(manifestBytes ?? []))
                {
                    throw new DocPublisherConflictException(
                        $"Another publish changed '{_folder.Root}' while this one was preparing; nothing was published. Run it again.")
                    {
                        ProviderName = Metadata.Name,
                        OperationName = nameof(PublishAsync),
                    };
                }

                outcomes = await ExecuteAsync(plan, cancellationToken).ConfigureAwait(false);
            }
        }

        var result = new PublishResult(documentSet.Id, options.DryRun, outcomes);
        LogSummary(result);
        return result;
    }

    private void LogSummary(PublishResult result)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var counts = Enum.GetValues<PageOutcomeKind>().ToDictionary(k => k, result.Count);
        Log.Published(
            _logger,
            result.DocumentSetId,
            counts[PageOutcomeKind.Created],
            counts[PageOutcomeKind.Updated],
            counts[PageOutcomeKind.Unchanged],
            counts[PageOutcomeKind.SkippedEditedByPerson],
            counts[PageOutcomeKind.Removed],
            counts[PageOutcomeKind.Failed],
            result.DryRun);
    }

    private async Task<(PublishManifest? Manifest, byte[]? Bytes)> LoadManifestAsync(CancellationToken cancellationToken)
    {
        var bytes = await _folder.ReadAsync(MarkdownManifestFile.RelativePath, cancellationToken).ConfigureAwait(false);
        var fullPath = _folder.Resolve(MarkdownManifestFile.RelativePath);
        if (bytes is null && Directory.Exists(fullPath))
        {
            throw new DocPublisherException($"'{fullPath}' is a folder, but CodeDoc keeps its manifest in a file there: move the folder away.")
            {
                ProviderName = Metadata.Name,
            };
        }

        return bytes is null ? (null, null) : (MarkdownManifestFile.Parse(bytes, fullPath), bytes);
    }

    private AccessCheckItem CheckFolderWritable()
    {
        const string Name = "Output folder";
        if (File.Exists(_folder.Root))
        {
            return new AccessCheckItem(Name, false, $"'{_folder.Root}' is a file: set OutputPath to a folder.");
        }

        if (Directory.Exists(_folder.Root))
        {
            return ProbeWritable(_folder.Root) is { } problem
                ? new AccessCheckItem(Name, false, $"'{_folder.Root}' exists but cannot be written ({problem}): give this process write access or choose another folder.")
                : new AccessCheckItem(Name, true, $"'{_folder.Root}' exists and is writable.");
        }

        var parent = Path.GetDirectoryName(_folder.Root);
        while (parent is not null && !Directory.Exists(parent))
        {
            parent = Path.GetDirectoryName(parent);
        }

        if (parent is null)
        {
            return new AccessCheckItem(Name, false, $"No parent of '{_folder.Root}' exists: check OutputPath.");
        }

        return ProbeWritable(parent) is { } parentProblem
            ? new AccessCheckItem(Name, false, $"'{_folder.Root}' does not exist and cannot be created in '{parent}' ({parentProblem}): give this process write access there or choose another folder.")
            : new AccessCheckItem(Name, true, $"'{_folder.Root}' does not exist yet; the first publish creates it in '{parent}', which is writable.");
    }

    // Permissions are only known for sure by trying: a probe file that the system deletes when it is closed, so the
    // check leaves nothing behind.
    private static string? ProbeWritable(string directory)
    {
        try
        {
            using var probe = new FileStream(
                Path.Combine(directory, $".codedoc-access-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Markdown publisher {Name}: publishing documentation set {DocumentSetId} ({PageCount} pages, dry run: {DryRun})")]
        public static partial void Publishing(ILogger logger, string name, string documentSetId, int pageCount, bool dryRun);

        [LoggerMessage(EventId = 1401, Level = LogLevel.Debug, Message = "Page {Key} at {Path}: {Outcome}")]
        public static partial void PageDone(ILogger logger, string key, string path, PageOutcomeKind outcome);

        [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Page {Key} at {Path} was edited by a person since the last publish; left as it is")]
        public static partial void PageEditedByPerson(ILogger logger, string key, string path);

        [LoggerMessage(EventId = 1403, Level = LogLevel.Error, Message = "Page {Key} at {Path} could not be published")]
        public static partial void PageFailed(ILogger logger, string key, string path, Exception exception);

        [LoggerMessage(EventId = 1405, Level = LogLevel.Warning, Message = "Page {Key} was not written: {Path} is taken by a file CodeDoc does not own")]
        public static partial void PageNotWritten(ILogger logger, string key, string path);

        [LoggerMessage(EventId = 1406, Level = LogLevel.Debug, Message = "Could not remove the emptied folder {Folder}")]
        public static partial void FolderNotRemoved(ILogger logger, string folder, Exception exception);

        [LoggerMessage(EventId = 1404, Level = LogLevel.Information, Message = "Documentation set {DocumentSetId}: {Created} created, {Updated} updated, {Unchanged} unchanged, {Skipped} skipped (edited by a person), {Removed} removed, {Failed} failed (dry run: {DryRun})")]
        public static partial void Published(ILogger logger, string documentSetId, int created, int updated, int unchanged, int skipped, int removed, int failed, bool dryRun);
    }
}
