using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Pipeline;

/// <summary>
/// Execution: carries a plan out page by page. Each page's file steps and its manifest entry are saved together
/// (cancellation is only honoured between pages), in an order that lets an interrupted run converge on the next one:
/// a new page's entry is recorded before its file is written (a missing file is recreated), a moved file is recorded
/// right after the move (a crash in between is repaired by adoption), and updates are recorded after the write
/// (a file already equal to what would be written counts as unchanged).
/// </summary>
internal sealed partial class MarkdownFolderPublisher
{
    private async Task<IReadOnlyList<PageOutcome>> ExecuteAsync(PublishPlan plan, CancellationToken cancellationToken)
    {
        var manifest = new ManifestWriter(this, plan);
        var pageOutcomes = plan.Pages.Select(p => p.Outcome).ToArray();
        var removalOutcomes = plan.Removals.Select(r => r.Outcome).ToArray();
        var foldersToTidy = new HashSet<string>(StringComparer.Ordinal);
        var completed = false;
        try
        {
            for (var i = 0; i < plan.Removals.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var removal = plan.Removals[i];
                try
                {
                    await RemoveAsync(removal, manifest, foldersToTidy).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or DocPublisherException)
                {
                    Log.PageFailed(_logger, removal.Recorded.Key, removal.Recorded.TargetId, e);
                    removalOutcomes[i] = removal.Outcome with
                    {
                        Kind = PageOutcomeKind.Failed,
                        Link = removal.Recorded.TargetId,
                        Reason = $"Could not remove {removal.Recorded.TargetId}: {e.Message}",
                    };
                }
            }

            for (var i = 0; i < plan.Pages.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = plan.Pages[i];
                try
                {
                    pageOutcomes[i] = await ApplyAsync(page, manifest, foldersToTidy).ConfigureAwait(false);
                    Log.PageDone(_logger, page.Page.Key, page.Path, pageOutcomes[i].Kind);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or DocPublisherException)
                {
                    Log.PageFailed(_logger, page.Page.Key, page.Path, e);
                    pageOutcomes[i] = page.Outcome with { Kind = PageOutcomeKind.Failed, Reason = $"Could not write {page.Path}: {e.Message}" };
                }
            }

            if (plan.WriteIndex)
            {
                await WriteOrThrowAsync(_indexFileName, Utf8(plan.IndexText)).ConfigureAwait(false);
            }

            completed = !pageOutcomes.Concat(removalOutcomes).Any(o => o.Kind == PageOutcomeKind.Failed);
        }
        finally
        {
            await manifest.SaveAsync(final: completed).ConfigureAwait(false);
            TidyFolders(foldersToTidy);
        }

        return [.. pageOutcomes, .. removalOutcomes];
    }

    private async Task<PageOutcome> ApplyAsync(PagePlan page, ManifestWriter manifest, HashSet<string> foldersToTidy)
    {
        var entry = page.Entry!;
        switch (page.Action)
        {
            case PageAction.None:
                if (page.Entry is not null)
                {
                    manifest.Set(entry);
                }

                return page.Outcome;

            case PageAction.Create:
                if (_folder.Exists(page.Path))
                {
                    return Failed(page, $"{page.Path} already exists and CodeDoc does not own it; it was left alone.");
                }

                // Recorded first: if the run stops before the file is written, the next run recreates it.
                manifest.Set(entry);
                await manifest.SaveAsync(final: false).ConfigureAwait(false);
                await WriteAttachmentsAsync(page).ConfigureAwait(false);
                await _folder.WriteAtomicAsync(page.Path, Utf8(page.Text!)).ConfigureAwait(false);
                return page.Outcome;

            case PageAction.Move or PageAction.Adopt:
                var recorded = page.Recorded!;
                DeleteFiles(page.AttachmentPathsToDelete, foldersToTidy);
                if (page.Action == PageAction.Move)
                {
                    if (_folder.Exists(page.Path))
                    {
                        return Failed(page, $"{page.Path} already exists and CodeDoc does not own it, so {recorded.TargetId} was not moved there.");
                    }

                    _folder.Move(recorded.TargetId, page.Path);
                }

                foldersToTidy.Add(OutputFolder.ParentOf(recorded.TargetId));
                manifest.Set(recorded with { TargetId = page.Path, Attachments = [] });
                await manifest.SaveAsync(final: false).ConfigureAwait(false);
                await WriteAttachmentsAsync(page).ConfigureAwait(false);
                if (page.WriteText)
                {
                    await _folder.WriteAtomicAsync(page.Path, Utf8(page.Text!)).ConfigureAwait(false);
                }

                manifest.Set(entry);
                await manifest.SaveAsync(final: false).ConfigureAwait(false);
                return page.Outcome;

            default:
                await WriteAttachmentsAsync(page).ConfigureAwait(false);
                DeleteFiles(page.AttachmentPathsToDelete, foldersToTidy);
                if (page.WriteText)
                {
                    await _folder.WriteAtomicAsync(page.Path, Utf8(page.Text!)).ConfigureAwait(false);
                }

                manifest.Set(entry);
                await manifest.SaveAsync(final: false).ConfigureAwait(false);
                return page.Outcome;
        }
    }

    private async Task RemoveAsync(RemovalPlan removal, ManifestWriter manifest, HashSet<string> foldersToTidy)
    {
        var recorded = removal.Recorded;
        var attachments = recorded.Attachments.Select(a => FolderLayout.AttachmentPath(recorded.TargetId, a)).ToList();
        switch (removal.Action)
        {
            case RemovalAction.Delete:
                DeleteFiles(attachments, foldersToTidy);
                DeleteFiles([recorded.TargetId], foldersToTidy);
                break;

            case RemovalAction.Archive:
                // Attachments first: if the run stops in between, the page is still listed and is archived next time.
                foreach (var (attachment, name) in attachments.Zip(recorded.Attachments))
                {
                    if (_folder.FileExists(attachment))
                    {
                        _folder.Move(attachment, FolderLayout.AttachmentPath(removal.Link!, name));
                        foldersToTidy.Add(OutputFolder.ParentOf(attachment));
                    }
                }

                _folder.Move(recorded.TargetId, removal.Link!);
                foldersToTidy.Add(OutputFolder.ParentOf(recorded.TargetId));
                break;

            case RemovalAction.Forget:
                break;
        }

        manifest.Remove(recorded.Key);
        await manifest.SaveAsync(final: false).ConfigureAwait(false);
    }

    private async Task WriteAttachmentsAsync(PagePlan page)
    {
        foreach (var attachment in page.AttachmentsToWrite)
        {
            await _folder.WriteAtomicAsync(FolderLayout.AttachmentPath(page.Path, attachment.FileName), attachment.Content).ConfigureAwait(false);
        }
    }

    private void DeleteFiles(IEnumerable<string> paths, HashSet<string> foldersToTidy)
    {
        foreach (var path in paths)
        {
            _folder.DeleteFile(path);
            foldersToTidy.Add(OutputFolder.ParentOf(path));
        }
    }

    private async Task WriteOrThrowAsync(string path, byte[] content)
    {
        try
        {
            await _folder.WriteAtomicAsync(path, content).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DocPublisherException($"Could not write '{_folder.Resolve(path)}': {e.Message}", e)
            {
                ProviderName = Metadata.Name,
                OperationName = nameof(PublishAsync),
            };
        }
    }

    // Folders CodeDoc emptied by moving or deleting its own files go too; a folder with anything in it stays.
    private void TidyFolders(HashSet<string> folders)
    {
        foreach (var folder in folders.Where(f => f.Length > 0).OrderByDescending(f => f.Count(c => c == '/')).ThenBy(f => f, StringComparer.Ordinal))
        {
            try
            {
                _folder.RemoveEmptyFolders(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.FolderNotRemoved(_logger, folder, e);
            }
        }
    }

    private PageOutcome Failed(PagePlan page, string reason)
    {
        Log.PageNotWritten(_logger, page.Page.Key, page.Path);
        return page.Outcome with { Kind = PageOutcomeKind.Failed, Reason = reason };
    }

    /// <summary>The manifest as a run changes it, saved whenever it differs from what is on disk.</summary>
    private sealed class ManifestWriter(MarkdownFolderPublisher publisher, PublishPlan plan)
    {
        private readonly Dictionary<string, PublishedPage> _entries =
            plan.Manifest?.Pages.ToDictionary(p => p.Key, StringComparer.Ordinal) ?? new Dictionary<string, PublishedPage>(StringComparer.Ordinal);

        private byte[]? _saved = plan.ManifestBytes;
        private DateTimeOffset _publishedAt = plan.Manifest?.PublishedAt ?? default;

        public void Set(PublishedPage entry) => _entries[entry.Key] = entry;

        public void Remove(string key) => _entries.Remove(key);

        public async Task SaveAsync(bool final)
        {
            // Compared with the last publish time, so a save that changes nothing else writes nothing.
            var bytes = MarkdownManifestFile.Serialize(plan.BuildManifest(_entries, final, _publishedAt));
            if (_saved is not null && bytes.AsSpan().SequenceEqual(_saved))
            {
                return;
            }

            var now = publisher._timeProvider.GetUtcNow();
            bytes = MarkdownManifestFile.Serialize(plan.BuildManifest(_entries, final, now));
            await publisher.WriteOrThrowAsync(MarkdownManifestFile.RelativePath, bytes).ConfigureAwait(false);
            (_saved, _publishedAt) = (bytes, now);
        }
    }
}
