using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// Planning: everything a publish will do is decided from the set, the manifest and the files as they are, before
/// anything is written. A dry run returns the plan's outcomes; a real run carries the plan out.
/// </summary>
internal sealed partial class MarkdownFolderPublisher
{
    private const string ArchiveFolder = "_archived";

    private enum PageAction
    {
        /// <summary>No file changes (the manifest entry may still be refreshed).</summary>
        None,

        /// <summary>Write a new file (a new page, or one whose file was deleted).</summary>
        Create,

        /// <summary>Rewrite the file where it is.</summary>
        Update,

        /// <summary>Move the file to its new path, then rewrite it there.</summary>
        Move,

        /// <summary>Take over the page's own file that an interrupted publish already moved, then rewrite it.</summary>
        Adopt,
    }

    private enum RemovalAction
    {
        /// <summary>Stop tracking the page and leave its files alone.</summary>
        Forget,

        /// <summary>Delete the page's file and attachments.</summary>
        Delete,

        /// <summary>Move the page's file and attachments under <c>_archived/</c>.</summary>
        Archive,
    }

    private async Task<PublishPlan> PlanAsync(
        DocumentSet documentSet, PublishManifest? manifest, byte[]? manifestBytes, bool force, CancellationToken cancellationToken)
    {
        var outline = documentSet.Pages
            .GroupBy(p => p.ParentKey ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<DocumentPage>)g.OrderBy(p => p.Order).ToList(), StringComparer.Ordinal);
        var inSet = documentSet.Pages.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var recorded = manifest?.Pages.ToDictionary(p => p.Key, StringComparer.Ordinal) ?? new Dictionary<string, PublishedPage>(StringComparer.Ordinal);

        var existing = new Dictionary<string, ExistingPage>(StringComparer.Ordinal);
        foreach (var entry in recorded.Values)
        {
            existing[entry.Key] = await ReadExistingAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        var indexText = await ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        var removals = PlanRemovals(recorded.Values.Where(p => !inSet.Contains(p.Key)), existing, force);

        var owned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in recorded.Values)
        {
            owned.Add(entry.TargetId);
            owned.UnionWith(entry.Attachments.Select(a => FolderLayout.AttachmentPath(entry.TargetId, a)));
        }

        var adoptable = new HashSet<(string Key, string Path)>();
        var layout = FolderLayout.Create(
            outline,
            recorded.Values.Where(p => inSet.Contains(p.Key)).ToDictionary(p => p.Key, p => p.TargetId, StringComparer.Ordinal),
            recorded.Values
                .Where(p => inSet.Contains(p.Key) && existing[p.Key] is { Exists: true, Edited: true } && !force)
                .ToDictionary(p => p.Key, p => p.TargetId, StringComparer.Ordinal),
            removals.Where(r => r.Action == RemovalAction.Forget && existing[r.Recorded.Key].Exists).Select(r => r.Recorded.TargetId),
            _indexFileName,
            path => !owned.Contains(path) && (path.EndsWith(".md", StringComparison.Ordinal) ? _folder.Exists(path) : _folder.FileExists(path)),
            (key, path) =>
            {
                // Only a page whose own file is missing may take a foreign file, and only one identical to what it last published.
                if (!recorded.TryGetValue(key, out var entry) || existing[key].Exists || _folder.Read(path) is not { } bytes ||
                    !string.Equals(TeamNotes.ContentHash(MarkdownPageRenderer.Decode(bytes)), entry.ContentHash, StringComparison.Ordinal))
                {
                    return false;
                }

                adoptable.Add((key, path));
                return true;
            });

        var renderer = new MarkdownPageRenderer(documentSet, outline, layout.Paths, _addTeamNotesSection);
        var pages = new List<PagePlan>(documentSet.Pages.Count);
        foreach (var page in Preorder(outline))
        {
            recorded.TryGetValue(page.Key, out var entry);
            pages.Add(await PlanPageAsync(
                documentSet, page, layout, renderer, entry, entry is null ? null : existing[page.Key], adoptable, force, cancellationToken).ConfigureAwait(false));
        }

        var index = renderer.RenderIndex();
        return new PublishPlan(documentSet, manifest, manifestBytes, pages, removals, index, !string.Equals(index, indexText, StringComparison.Ordinal));
    }

    private async Task<PagePlan> PlanPageAsync(
        DocumentSet documentSet,
        DocumentPage page,
        FolderLayout layout,
        MarkdownPageRenderer renderer,
        PublishedPage? recorded,
        ExistingPage? existing,
        HashSet<(string Key, string Path)> adoptable,
        bool force,
        CancellationToken cancellationToken)
    {
        var path = layout.Paths[page.Key];
        var rendered = renderer.RenderPage(page);

        // A file that already holds exactly what would be written is current, whatever the manifest's hash says: an
        // interrupted run wrote it but did not get to record it.
        if (recorded is not null && existing is { Exists: true, Edited: true } && !force &&
            !string.Equals(existing.Text, TeamNotes.Merge(rendered.Text, existing.Notes), StringComparison.Ordinal))
        {
            var reason = $"{recorded.TargetId} was edited by a person since CodeDoc last published it, so CodeDoc left it as it is. " +
                "Move the changes into a team-notes block (those survive regeneration) or publish with Force to overwrite them.";
            if (!string.Equals(recorded.Title, page.Title, StringComparison.Ordinal) || !string.Equals(recorded.ParentKey, page.ParentKey, StringComparison.Ordinal))
            {
                reason += " The page's title or place in the outline changed too; its file moves once it can be published again.";
            }

            Log.PageEditedByPerson(_logger, page.Key, recorded.TargetId);
            return new PagePlan(page, recorded.TargetId, recorded, PageAction.None, new PageOutcome(page.Key, page.Title, PageOutcomeKind.SkippedEditedByPerson, recorded.TargetId, reason));
        }

        var reasons = new List<string>();
        PageAction action;
        IReadOnlyList<TeamNote> notes = [];
        string? current = null;
        if (recorded is null)
        {
            action = PageAction.Create;
        }
        else if (existing!.Exists)
        {
            action = string.Equals(recorded.TargetId, path, StringComparison.Ordinal) ? PageAction.Update : PageAction.Move;
            (notes, current) = (existing.Notes, existing.Text);
            if (action == PageAction.Move)
            {
                reasons.Add($"Moved from {recorded.TargetId} to {path}.");
            }

            if (existing.Edited && force)
            {
                reasons.Add($"Overwrote edits a person made to {recorded.TargetId} (Force).");
            }
        }
        else if (adoptable.Contains((page.Key, path)))
        {
            action = PageAction.Adopt;
            current = MarkdownPageRenderer.Decode(await _folder.ReadAsync(path, cancellationToken).ConfigureAwait(false) ?? []);
            notes = TeamNotes.Extract(current);
            reasons.Add($"Moved from {recorded.TargetId} to {path} (finishing a move an interrupted publish had started).");
        }
        else
        {
            action = PageAction.Create;
            reasons.Add(string.Equals(recorded.TargetId, path, StringComparison.Ordinal)
                ? $"Recreated {path}: the file had been deleted since the last publish."
                : $"Recreated at {path}: {recorded.TargetId} had been deleted since the last publish.");
        }

        var text = TeamNotes.Merge(rendered.Text, notes);
        var attachmentsToWrite = new List<PageAttachment>();
        foreach (var attachment in page.Attachments)
        {
            var onDisk = await _folder.ReadAsync(FolderLayout.AttachmentPath(path, attachment.FileName), cancellationToken).ConfigureAwait(false);
            if (onDisk is null || !attachment.Content.Span.SequenceEqual(onDisk))
            {
                attachmentsToWrite.Add(attachment);
            }
        }

        var wanted = page.Attachments.Select(a => FolderLayout.AttachmentPath(path, a.FileName)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var attachmentsToDelete = (recorded?.Attachments ?? [])
            .Select(a => FolderLayout.AttachmentPath(recorded!.TargetId, a))
            .Where(p => !wanted.Contains(p) && _folder.FileExists(p))
            .ToList();

        var writeText = !string.Equals(current, text, StringComparison.Ordinal);
        if (action == PageAction.Update && !writeText && attachmentsToWrite.Count == 0 && attachmentsToDelete.Count == 0)
        {
            action = PageAction.None;
        }

        if (action is PageAction.Create or PageAction.Move && layout.Renamed.Contains(page.Key))
        {
            reasons.Add($"Another page or file already has the name this page's title gives, so it is {path}.");
        }

        if (rendered.UnresolvedLinks.Count > 0)
        {
            reasons.Add($"Links to unknown targets were left as plain text: {string.Join(", ", rendered.UnresolvedLinks)}.");
        }

        var kind = action switch
        {
            PageAction.Create => PageOutcomeKind.Created,
            PageAction.None => PageOutcomeKind.Unchanged,
            _ => PageOutcomeKind.Updated,
        };
        var entry = new PublishedPage
        {
            Key = page.Key,
            Title = page.Title,
            ParentKey = page.ParentKey,
            TargetId = path,
            ContentHash = TeamNotes.ContentHash(text),
            SourceCommit = page.Provenance?.CommitSha ?? documentSet.Source.CommitSha,
            SourceFiles = page.Provenance?.SourceFiles ?? [],
            Attachments = page.Attachments.Select(a => a.FileName).ToList(),
        };
        return new PagePlan(page, path, recorded, action, new PageOutcome(page.Key, page.Title, kind, path, reasons.Count == 0 ? null : string.Join(" ", reasons)))
        {
            Text = text,
            WriteText = writeText,
            AttachmentsToWrite = attachmentsToWrite,
            AttachmentPathsToDelete = attachmentsToDelete,
            Entry = entry,
        };
    }

    private List<RemovalPlan> PlanRemovals(IEnumerable<PublishedPage> removed, Dictionary<string, ExistingPage> existing, bool force)
    {
        var archived = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var plans = new List<RemovalPlan>();

        // Deepest first, so folders empty out before their parents are looked at.
        foreach (var entry in removed.OrderByDescending(p => p.TargetId.Count(c => c == '/')).ThenBy(p => p.TargetId, StringComparer.Ordinal))
        {
            var file = existing[entry.Key];
            RemovalPlan plan;
            if (!file.Exists)
            {
                plan = new RemovalPlan(entry, RemovalAction.Delete, null, $"{entry.TargetId} had already been deleted.");
            }
            else if (file.Edited && !force)
            {
                plan = new RemovalPlan(entry, RemovalAction.Forget, entry.TargetId,
                    $"The page left the outline, but {entry.TargetId} was edited by a person, so CodeDoc kept it and no longer manages it; delete it when it is not needed.");
            }
            else if (_removedPages == RemovedPagesMode.Delete && file.Notes.Any(n => n.HasContent))
            {
                plan = new RemovalPlan(entry, RemovalAction.Forget, entry.TargetId,
                    $"The page left the outline, but {entry.TargetId} holds team notes, so CodeDoc kept it and no longer manages it; move the notes elsewhere and delete the file.");
            }
            else if (_removedPages == RemovedPagesMode.Delete)
            {
                plan = new RemovalPlan(entry, RemovalAction.Delete, null, $"Deleted {entry.TargetId}.");
            }
            else
            {
                var stem = FolderLayout.ChildFolder(entry.TargetId);
                var target = Enumerable.Range(1, int.MaxValue)
                    .Select(n => $"{ArchiveFolder}/{PageSlugs.Numbered(stem, n)}.md")
                    .First(p => !archived.Contains(p) && !_folder.Exists(p) && !_folder.Exists(FolderLayout.ChildFolder(p) + ".assets"));
                archived.Add(target);
                plan = new RemovalPlan(entry, RemovalAction.Archive, target, $"Archived {entry.TargetId} to {target}.");
            }

            plans.Add(plan);
        }

        return plans;
    }

    private async Task<ExistingPage> ReadExistingAsync(PublishedPage entry, CancellationToken cancellationToken)
    {
        var bytes = await _folder.ReadAsync(entry.TargetId, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            // Something other than a file where the page was is not CodeDoc's to replace.
            return _folder.Exists(entry.TargetId) ? new ExistingPage(true, null, true, []) : new ExistingPage(false, null, false, []);
        }

        var text = MarkdownPageRenderer.Decode(bytes);
        var edited = !string.Equals(TeamNotes.ContentHash(text), entry.ContentHash, StringComparison.Ordinal);
        return new ExistingPage(true, text, edited, TeamNotes.Extract(text));
    }

    private async Task<string?> ReadIndexAsync(CancellationToken cancellationToken)
    {
        var bytes = await _folder.ReadAsync(_indexFileName, cancellationToken).ConfigureAwait(false);
        var text = bytes is null ? null : MarkdownPageRenderer.Decode(bytes);
        if ((bytes is null && _folder.Exists(_indexFileName)) ||
            (text is not null && !text.StartsWith(MarkdownPageRenderer.IndexMarker, StringComparison.Ordinal)))
        {
            throw new DocPublisherConflictException(
                $"'{_folder.Resolve(_indexFileName)}' exists and was not written by CodeDoc, which will not overwrite it: " +
                "set IndexFileName to another name or choose another output folder.")
            {
                ProviderName = Metadata.Name,
                OperationName = nameof(PublishAsync),
            };
        }

        return text;
    }

    private static IEnumerable<DocumentPage> Preorder(Dictionary<string, IReadOnlyList<DocumentPage>> outline)
    {
        var stack = new Stack<DocumentPage>();
        Push(string.Empty);
        while (stack.Count > 0)
        {
            var page = stack.Pop();
            yield return page;
            Push(page.Key);
        }

        void Push(string parentKey)
        {
            if (outline.TryGetValue(parentKey, out var children))
            {
                for (var i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push(children[i]);
                }
            }
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A page file as found before publishing.</summary>
    /// <param name="Exists">Whether something is at the page's path.</param>
    /// <param name="Text">The file's text, when it is a file.</param>
    /// <param name="Edited">Whether its hash differs from the manifest's (a person edited it).</param>
    /// <param name="Notes">Its team notes.</param>
    private sealed record ExistingPage(bool Exists, string? Text, bool Edited, IReadOnlyList<TeamNote> Notes);

    /// <summary>What to do for one page of the set.</summary>
    /// <param name="Page">The page.</param>
    /// <param name="Path">Where the page is after the publish.</param>
    /// <param name="Recorded">The page's manifest entry before the publish.</param>
    /// <param name="Action">The file action.</param>
    /// <param name="Outcome">The outcome when the action succeeds.</param>
    private sealed record PagePlan(DocumentPage Page, string Path, PublishedPage? Recorded, PageAction Action, PageOutcome Outcome)
    {
        public string? Text { get; init; }

        public bool WriteText { get; init; }

        public IReadOnlyList<PageAttachment> AttachmentsToWrite { get; init; } = [];

        public IReadOnlyList<string> AttachmentPathsToDelete { get; init; } = [];

        /// <summary>Gets the manifest entry after success; <see langword="null"/> keeps the recorded one.</summary>
        public PublishedPage? Entry { get; init; }
    }

    /// <summary>What to do for a page that left the outline.</summary>
    /// <param name="Recorded">Its manifest entry.</param>
    /// <param name="Action">The file action.</param>
    /// <param name="Link">Where the page is afterwards, if anywhere.</param>
    /// <param name="Reason">What happened, for the outcome.</param>
    private sealed record RemovalPlan(PublishedPage Recorded, RemovalAction Action, string? Link, string Reason)
    {
        public PageOutcome Outcome => new(Recorded.Key, Recorded.Title, PageOutcomeKind.Removed, Link, Reason);
    }

    /// <summary>A whole publish, decided.</summary>
    private sealed class PublishPlan(
        DocumentSet documentSet,
        PublishManifest? manifest,
        byte[]? manifestBytes,
        IReadOnlyList<PagePlan> pages,
        IReadOnlyList<RemovalPlan> removals,
        string indexText,
        bool writeIndex)
    {
        public DocumentSet DocumentSet { get; } = documentSet;

        public PublishManifest? Manifest { get; } = manifest;

        public byte[]? ManifestBytes { get; } = manifestBytes;

        public IReadOnlyList<PagePlan> Pages { get; } = pages;

        public IReadOnlyList<RemovalPlan> Removals { get; } = removals;

        public string IndexText { get; } = indexText;

        public bool WriteIndex { get; } = writeIndex;

        /// <summary>Gets a value indicating whether carrying the plan out writes anything at all.</summary>
        public bool HasWork =>
            Removals.Count > 0 || WriteIndex || Pages.Any(p => p.Action != PageAction.None) ||
            !MarkdownManifestFile.Serialize(BuildManifest(ExpectedEntries(), final: true, Manifest?.PublishedAt ?? default))
                .AsSpan().SequenceEqual(ManifestBytes ?? []);

        public IReadOnlyList<PageOutcome> Outcomes() => [.. Pages.Select(p => p.Outcome), .. Removals.Select(r => r.Outcome)];

        /// <summary>Builds the manifest: pages of the set in outline order, then pages not yet removed.</summary>
        /// <param name="entries">The entries by key.</param>
        /// <param name="final">Whether the publish completed, so the set-level commit and generator are the new ones.</param>
        /// <param name="publishedAt">The publish time to record.</param>
        /// <returns>The manifest.</returns>
        public PublishManifest BuildManifest(Dictionary<string, PublishedPage> entries, bool final, DateTimeOffset publishedAt)
        {
            var inOrder = Pages.Select(p => p.Page.Key)
                .Concat(Manifest?.Pages.Select(p => p.Key) ?? [])
                .Distinct(StringComparer.Ordinal)
                .Where(entries.ContainsKey)
                .Select(k => entries[k])
                .ToList();
            return new PublishManifest
            {
                DocumentSetId = DocumentSet.Id,
                SourceCommit = final ? DocumentSet.Source.CommitSha : Manifest?.SourceCommit,
                GeneratorVersion = final ? DocumentSet.GeneratorVersion : Manifest?.GeneratorVersion,
                PublishedAt = publishedAt,
                Pages = inOrder,
                Properties = final ? DocumentSet.Properties : Manifest?.Properties ?? new Dictionary<string, string>(),
            };
        }

        private Dictionary<string, PublishedPage> ExpectedEntries()
        {
            var entries = Manifest?.Pages.ToDictionary(p => p.Key, StringComparer.Ordinal) ?? new Dictionary<string, PublishedPage>(StringComparer.Ordinal);
            foreach (var removal in Removals)
            {
                entries.Remove(removal.Recorded.Key);
            }

            foreach (var page in Pages.Where(p => p.Entry is not null))
            {
                entries[page.Page.Key] = page.Entry!;
            }

            return entries;
        }
    }
}
