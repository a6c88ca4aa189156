using System.Xml;
using System.Xml.Linq;
using CodeDoc.Core;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Planning: everything a publish will do is decided from the set, the manifest and the pages as the site has them,
/// with reads only. A dry run returns the plan's outcomes; a real run carries the plan out.
/// </summary>
internal sealed partial class ConfluencePublisher
{
    private const string ProposalSuffix = "(proposed update)";

    // The builds whose code turns Markdown into storage: a new build may render differently, so it renders again.
    private static readonly string RendererBuild =
        $"{typeof(StorageRenderer).Assembly.ManifestModule.ModuleVersionId:N}{typeof(Markdig.Markdown).Assembly.ManifestModule.ModuleVersionId:N}";

    private enum PageAction
    {
        /// <summary>Nothing is written.</summary>
        None,

        /// <summary>Create the page.</summary>
        Create,

        /// <summary>Write what changed: body, title, parent, attachments, labels, the page's record.</summary>
        Update,

        /// <summary>A person edited the page: leave it alone.</summary>
        Skip,
    }

    private enum RemovalAction
    {
        /// <summary>Stop tracking the page and leave it where it is.</summary>
        Forget,

        /// <summary>The page is already gone from the site.</summary>
        AlreadyGone,

        /// <summary>Move the page under the archive page.</summary>
        Archive,

        /// <summary>Move the page to the trash.</summary>
        Delete,
    }

    private async Task<PublishPlan> PlanAsync(
        PublishTarget target,
        ManifestStore store,
        DocumentSet documentSet,
        ManifestDocument? manifest,
        bool overwriteEdits,
        IReadOnlyDictionary<string, TitleHolder> refusedTitles,
        CancellationToken cancellationToken)
    {
        var site = target.Site;
        var entries = (manifest?.Pages ?? []).ToDictionary(p => p.Key, StringComparer.Ordinal);
        var outline = documentSet.Pages
            .GroupBy(p => p.ParentKey ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<DocumentPage>)g.OrderBy(p => p.Order).ToList(), StringComparer.Ordinal);
        var pages = Preorder(outline).ToList();
        var inSet = pages.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var context = new PlanContext(target, documentSet, overwriteEdits, refusedTitles);

        // One read for the state of every page the manifest knows (one request per 250 pages on Cloud).
        var knownIds = entries.Values.Where(e => e.Id is not null).Select(e => e.Id!).ToList();
        if (knownIds.Count > 0)
        {
            foreach (var page in await site.GetPagesAsync(knownIds, cancellationToken).ConfigureAwait(false))
            {
                context.Current[page.Id] = page;
            }
        }

        await RecoverPendingAsync(context, store, entries, cancellationToken).ConfigureAwait(false);
        context.OwnedIds.UnionWith(entries.Values.Where(e => e.Id is not null).Select(e => e.Id!));

        // Titles first: every page's body links to other pages by title.
        var states = new Dictionary<string, PageState>(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            var state = await ReadStateAsync(context, entries.GetValueOrDefault(page.Key), cancellationToken).ConfigureAwait(false);
            states[page.Key] = state;
            if (state.Current is not null)
            {
                context.ExistingIdOf[page.Key] = state.Current.Id;
            }

            if (state.Edited && !overwriteEdits)
            {
                context.Titles.Claim(state.Current!.Title);
                context.TitleOf[page.Key] = state.Current.Title;
                continue;
            }

            var (title, takenBy) = await context.Titles.AssignAsync(page.Title, state.Current?.Id, state.Current?.Title, cancellationToken).ConfigureAwait(false);
            context.TitleOf[page.Key] = title;
            if (takenBy is not null)
            {
                state.Reasons.Add(TitleTakenReason(page.Title, title, takenBy, context));
                Log.TitleTaken(_logger, page.Key, page.Title, title);
            }
        }

        var plans = new List<PagePlan>(pages.Count);
        foreach (var page in pages)
        {
            plans.Add(await PlanPageAsync(context, page, states[page.Key], cancellationToken).ConfigureAwait(false));
        }

        var removals = await PlanRemovalsAsync(context, entries, inSet, cancellationToken).ConfigureAwait(false);
        var archive = removals.Any(r => r.Action == RemovalAction.Archive)
            ? await PlanArchivePageAsync(context, entries.GetValueOrDefault(ManifestEntry.ArchiveKey), cancellationToken).ConfigureAwait(false)
            : null;
        var proposals = new List<PagePlan>();
        foreach (var skipped in plans.Where(p => p.Action == PageAction.Skip && _settings.EditedPages == ConfluenceEditedPages.ProposeChildPage))
        {
            proposals.Add(await PlanProposalAsync(context, skipped, entries.GetValueOrDefault(ManifestEntry.ProposalPrefix + skipped.Key), cancellationToken).ConfigureAwait(false));
        }

        var proposed = proposals.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var staleProposals = entries.Values
            .Where(e => e.Key.StartsWith(ManifestEntry.ProposalPrefix, StringComparison.Ordinal) && !proposed.Contains(e.Key))
            .ToList();
        var retained = entries.Values
            .Where(e => e.Archived && e.IsOutlinePage && !inSet.Contains(e.Key) && e.Id is not null && context.Current.ContainsKey(e.Id))
            .ToList();
        if (archive is null && entries.TryGetValue(ManifestEntry.ArchiveKey, out var archiveEntry) &&
            archiveEntry.Id is not null && context.Current.GetValueOrDefault(archiveEntry.Id) is { IsLive: true })
        {
            retained.Add(archiveEntry);
        }

        return new PublishPlan(documentSet, manifest, plans, removals, archive, proposals, staleProposals, retained, overwriteEdits);
    }

    private static async Task RecoverPendingAsync(PlanContext context, ManifestStore store, Dictionary<string, ManifestEntry> entries, CancellationToken cancellationToken)
    {
        // Pending entries are written in outline order, so a parent is resolved before its children.
        foreach (var pending in entries.Values.Where(e => e.Pending).ToList())
        {
            entries.Remove(pending.Key);
            var parentId = pending.ParentKey is null ? context.Target.AnchorId
                : entries.TryGetValue(pending.ParentKey, out var parent) ? parent.Id
                : null;
            if (parentId is null)
            {
                continue;
            }

            foreach (var candidate in await context.Target.Site.FindPagesByTitleAsync(context.Target.Space, pending.Title, cancellationToken).ConfigureAwait(false))
            {
                if (!candidate.IsLive || !string.Equals(candidate.ParentId, parentId, StringComparison.Ordinal) ||
                    !string.Equals(candidate.Title, pending.Title, StringComparison.Ordinal))
                {
                    continue;
                }

                // The page was created by the interrupted publish: either its record is written, or the publish stopped
                // right after the create (the manifest says it was about to create exactly this page here).
                var record = await store.ReadPageRecordAsync(candidate.Id, cancellationToken).ConfigureAwait(false);
                if (record is null || (string.Equals(record.Set, context.Set.Id, StringComparison.Ordinal) && string.Equals(record.Entry.Key, pending.Key, StringComparison.Ordinal)))
                {
                    entries[pending.Key] = pending with { Id = candidate.Id, Version = candidate.Version, Pending = false, Attachments = [], Labels = [] };
                    context.Current[candidate.Id] = candidate;
                    context.Adopted.Add(pending.Key);
                    break;
                }
            }
        }
    }

    private static async Task<PageState> ReadStateAsync(PlanContext context, ManifestEntry? recorded, CancellationToken cancellationToken)
    {
        var state = new PageState { Recorded = recorded };
        if (recorded?.Id is not { } id || !context.Current.TryGetValue(id, out var current))
        {
            if (recorded is not null)
            {
                state.Reasons.Add($"Page {recorded.Id} had been deleted from the site since the last publish, so it was created again.");
                state.Recorded = null;
            }

            return state;
        }

        state.Current = current;
        state.Edited = await IsEditedByPersonAsync(context, recorded, current, cancellationToken).ConfigureAwait(false);
        return state;
    }

    private static async Task<bool> IsEditedByPersonAsync(PlanContext context, ManifestEntry recorded, SitePage current, CancellationToken cancellationToken)
    {
        if (current.Version == recorded.Version || PublishMarks.HashPrefix(current.VersionMessage) is not null)
        {
            return false;
        }

        // A newer version CodeDoc did not write: it is an edit unless only team notes (or nothing in the body) changed.
        var hash = StorageDocument.ContentHash(await context.BodyAsync(current.Id, cancellationToken).ConfigureAwait(false));
        return !string.Equals(hash, recorded.Hash, StringComparison.Ordinal) && !string.Equals(hash, recorded.SiteHash, StringComparison.Ordinal);
    }

    private async Task<PagePlan> PlanPageAsync(PlanContext context, DocumentPage page, PageState state, CancellationToken cancellationToken)
    {
        var title = context.TitleOf[page.Key];
        var current = state.Current;
        var recorded = state.Recorded;
        var link = current is null ? null : context.Target.Site.PageLink(context.Target.Space, current.Id);
        if (state.Edited && !context.OverwriteEdits)
        {
            Log.PageEditedByPerson(_logger, page.Key, current!.Id);
            var reason = $"Page {current.Id} was edited by a person since CodeDoc last published it (it is at version {current.Version}; CodeDoc wrote version " +
                $"{recorded!.Version}), so CodeDoc left it as it is. Put lasting additions into a \"Team notes\" panel (those survive regeneration), " +
                "or publish with Force to overwrite the edits.";
            return new PagePlan(page.Key, page, title, page.ParentKey, recorded, current, PageAction.Skip,
                new PageOutcome(page.Key, current.Title, PageOutcomeKind.SkippedEditedByPerson, link, reason))
            {
                Entry = recorded,
            };
        }

        var reasons = state.Reasons;
        var adopted = recorded is not null && context.Adopted.Contains(page.Key);
        var mermaid = MermaidAttachments(page);
        var attachmentNames = page.Attachments.Select(a => a.FileName).Concat(mermaid.Select(m => m.Name)).ToList();
        var labels = PageLabels.For(context.Set, page);

        // Rendering and hashing every page is most of an unchanged publish's work: a page CodeDoc wrote from exactly these
        // inputs, still at the version CodeDoc wrote, in its place, with its labels and files, is known to be unchanged.
        var inputs = _settings.MermaidRenderer is null ? RenderInputs(context, page, title, attachmentNames) : null;
        if (inputs is not null && current is not null && recorded is not null && !adopted && !state.Edited &&
            IsAsRecorded(context, page, title, inputs, labels, recorded, current))
        {
            return new PagePlan(page.Key, page, title, page.ParentKey, recorded, current, PageAction.None,
                new PageOutcome(page.Key, title, PageOutcomeKind.Unchanged, link, Join(reasons)))
            {
                Entry = recorded,
                Hash = recorded.Hash,
                Inputs = inputs,
                Labels = labels,
            };
        }

        XElement root;
        IReadOnlyList<string> unresolved;
        try
        {
            var rendered = StorageRenderer.Render(new StorageRenderRequest
            {
                Markdown = page.Markdown,
                Title = title,
                SpaceKey = context.Target.Space.Key,
                Cloud = context.Target.Site.IsCloud,
                PageTitle = key => context.TitleOf.GetValueOrDefault(key),
                Attachments = attachmentNames,
                MermaidImage = source => mermaid.FirstOrDefault(m => m.MermaidSource == source)?.Name,
                MermaidMacroName = _settings.MermaidMacroName,
                TableOfContentsMinHeadings = _settings.TableOfContentsMinHeadings,
                AddTeamNotesSection = _settings.AddTeamNotesSection,
            });
            root = StorageDocument.Parse(rendered.Body);
            unresolved = rendered.UnresolvedLinks;
        }
        catch (XmlException e)
        {
            return Failed(page, title, recorded, current, $"CodeDoc could not turn the page's Markdown into Confluence storage format ({e.Message}); nothing was written for it.");
        }

        if (unresolved.Count > 0)
        {
            reasons.Add($"Links to unknown targets were left as plain text: {string.Join(", ", unresolved)}.");
        }

        var hash = StorageDocument.ContentHash(root);
        var recordedAttachments = (current is null ? null : recorded?.Attachments)?.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, AttachmentRecord>(StringComparer.OrdinalIgnoreCase);
        var uploads = new List<PlannedAttachment>();
        foreach (var attachment in page.Attachments)
        {
            var attachmentHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(attachment.Content.Span));
            if (!recordedAttachments.TryGetValue(attachment.FileName, out var had) || had.Hash != attachmentHash)
            {
                uploads.Add(new PlannedAttachment(attachment.FileName, attachment.MediaType, attachment.Content, attachmentHash, MermaidSource: null));
            }
        }

        // A rendered diagram's name carries its source's hash: one that is already attached is neither rendered nor uploaded again.
        uploads.AddRange(mermaid.Where(m => !recordedAttachments.ContainsKey(m.Name)));
        var wanted = attachmentNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var deletions = recordedAttachments.Keys.Where(n => !wanted.Contains(n)).ToList();

        var plan = new PagePlan(page.Key, page, title, page.ParentKey, recorded, current, PageAction.Create, new PageOutcome(page.Key, title, PageOutcomeKind.Created, null, Join(reasons)))
        {
            Rendered = new XElement(root),
            Hash = hash,
            Inputs = inputs,
            Labels = labels,
            AddLabels = labels.Except(current is null ? [] : recorded?.Labels ?? [], StringComparer.Ordinal).ToList(),
            RemoveLabels = (current is null ? [] : recorded?.Labels ?? []).Except(labels, StringComparer.Ordinal).ToList(),
            Uploads = uploads,
            AttachmentDeletions = deletions,
            KeptAttachments = attachmentNames.Where(n => recordedAttachments.ContainsKey(n) && !uploads.Any(u => string.Equals(u.Name, n, StringComparison.OrdinalIgnoreCase)))
                .Select(n => recordedAttachments[n]).ToList(),
        };

        if (current is null)
        {
            plan.Body = StorageDocument.Serialize(root);
            return plan;
        }

        var tag = PublishMarks.HashPrefix(current.VersionMessage);
        var versionMatches = current.Version == recorded!.Version;
        var contentChanged = versionMatches || tag is null ? !string.Equals(hash, recorded.Hash, StringComparison.Ordinal) : !PublishMarks.Matches(hash, tag);
        var expectedParent = ExpectedParentId(context, page.ParentKey);
        var move = !string.Equals(current.ParentId, expectedParent, StringComparison.Ordinal);
        var rename = !string.Equals(current.Title, title, StringComparison.Ordinal);
        plan.Restore = current.IsTrashed;
        plan.WriteBody = contentChanged || move || rename || plan.Restore || state.Edited;
        var finishing = adopted || (!versionMatches && tag is not null);
        var labelsOrFilesChange = plan.AddLabels.Count > 0 || plan.RemoveLabels.Count > 0 || uploads.Count > 0 || deletions.Count > 0;
        var entryChanges = !string.Equals(recorded.Title, title, StringComparison.Ordinal) || !string.Equals(recorded.ParentKey, page.ParentKey, StringComparison.Ordinal);
        if (!plan.WriteBody && !finishing && !labelsOrFilesChange && !entryChanges)
        {
            plan.Action = PageAction.None;
            plan.Entry = recorded;
            plan.Outcome = new PageOutcome(page.Key, title, PageOutcomeKind.Unchanged, link, Join(reasons));
            return plan;
        }

        if (plan.WriteBody || finishing)
        {
            var body = await context.BodyAsync(current.Id, cancellationToken).ConfigureAwait(false);
            plan.KeptNotes = StorageDocument.ExtractTeamNotes(body);
            plan.CurrentBody = body;
        }

        StorageDocument.MergeTeamNotes(root, plan.KeptNotes);
        plan.Body = StorageDocument.Serialize(root);
        plan.Action = PageAction.Update;
        if (adopted)
        {
            reasons.Add("An interrupted publish had created the page without finishing; this publish finished it.");
        }
        else if (finishing)
        {
            reasons.Add("An interrupted publish had updated the page without recording it; this publish finished it.");
        }

        if (rename)
        {
            reasons.Add($"Renamed from \"{current.Title}\".");
        }

        if (move && current.ParentId is not null)
        {
            reasons.Add(recorded.Archived ? "Brought back from the archive." : "Moved to its new place in the outline.");
        }

        if (plan.Restore)
        {
            reasons.Add($"Restored page {current.Id} from the trash.");
        }

        if (state.Edited)
        {
            reasons.Add($"Overwrote edits a person made to page {current.Id} (team notes were kept).");
        }

        plan.Outcome = new PageOutcome(page.Key, title, adopted ? PageOutcomeKind.Created : PageOutcomeKind.Updated, link, Join(reasons));
        return plan;
    }

    /// <summary>Fingerprints everything <see cref="StorageRenderer.Render"/> reads for a page, and the builds of the renderer and Markdig.</summary>
    /// <param name="context">The plan.</param>
    /// <param name="page">The page.</param>
    /// <param name="title">Its title.</param>
    /// <param name="attachmentNames">Its attachments' names.</param>
    /// <returns>The fingerprint.</returns>
    private string RenderInputs(PlanContext context, DocumentPage page, string title, IReadOnlyList<string> attachmentNames)
    {
        var text = new System.Text.StringBuilder(page.Markdown.Length + 256)
            .Append(RendererBuild).Append('\0')
            .Append(context.TitlesFingerprint).Append('\0')
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"{context.Target.Space.Key}\0{context.Target.Site.IsCloud}\0{_settings.MermaidMacroName}\0")
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"{_settings.TableOfContentsMinHeadings}\0{_settings.AddTeamNotesSection}\0{title}\0")
            .AppendJoin('\u0001', attachmentNames).Append('\0')
            .Append(page.Markdown);
        return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 12));
    }

    /// <summary>Tells whether a page stands exactly as CodeDoc last wrote it from the same inputs, so nothing needs rendering or writing.</summary>
    private static bool IsAsRecorded(PlanContext context, DocumentPage page, string title, string inputs, IReadOnlyList<string> labels, ManifestEntry recorded, SitePage current)
    {
        if (!string.Equals(recorded.Inputs, inputs, StringComparison.Ordinal) || current.Version != recorded.Version || current.IsTrashed ||
            !string.Equals(current.Title, title, StringComparison.Ordinal) || !string.Equals(recorded.Title, title, StringComparison.Ordinal) ||
            !string.Equals(recorded.ParentKey, page.ParentKey, StringComparison.Ordinal) ||
            !string.Equals(current.ParentId, ExpectedParentId(context, page.ParentKey), StringComparison.Ordinal) ||
            !recorded.Labels.ToHashSet(StringComparer.Ordinal).SetEquals(labels) ||
            recorded.Attachments.Count != page.Attachments.Count)
        {
            return false;
        }

        var attachments = recorded.Attachments.ToDictionary(a => a.Name, a => a.Hash, StringComparer.OrdinalIgnoreCase);
        return page.Attachments.All(a => attachments.TryGetValue(a.FileName, out var hash) &&
            string.Equals(hash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(a.Content.Span)), StringComparison.Ordinal));
    }

    private async Task<List<RemovalPlan>> PlanRemovalsAsync(
        PlanContext context, Dictionary<string, ManifestEntry> entries, HashSet<string> inSet, CancellationToken cancellationToken)
    {
        var removed = entries.Values.Where(e => e.IsOutlinePage && !e.Archived && !inSet.Contains(e.Key)).ToList();
        var removedKeys = removed.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var plans = new List<RemovalPlan>();
        foreach (var entry in removed.OrderByDescending(e => Depth(e, entries)).ThenBy(e => e.Key, StringComparer.Ordinal))
        {
            var current = context.Current.GetValueOrDefault(entry.Id!);
            var link = current is null ? null : context.Target.Site.PageLink(context.Target.Space, current.Id);
            RemovalPlan plan;
            if (current is not { IsLive: true })
            {
                plan = new RemovalPlan(entry, RemovalAction.AlreadyGone, null, $"Page {entry.Id} had already been deleted from the site.");
            }
            else if (!context.OverwriteEdits && await IsEditedByPersonAsync(context, entry, current, cancellationToken).ConfigureAwait(false))
            {
                plan = new RemovalPlan(entry, RemovalAction.Forget, link,
                    $"The page left the outline, but page {current.Id} was edited by a person, so CodeDoc kept it and no longer manages it; delete it when it is not needed.");
            }
            else if ((await context.Target.Site.GetChildrenAsync(current.Id, cancellationToken).ConfigureAwait(false))
                .Count(c => !context.OwnedIds.Contains(c.Id)) is var foreign and > 0)
            {
                plan = new RemovalPlan(entry, RemovalAction.Forget, link,
                    $"The page left the outline, but page {current.Id} has {foreign} child page(s) CodeDoc does not manage, so CodeDoc kept it where it is and no longer manages it.");
            }
            else if (_settings.RemovedPages == ConfluenceRemovedPages.Delete &&
                StorageDocument.ExtractTeamNotes(await context.BodyAsync(current.Id, cancellationToken).ConfigureAwait(false)).Any(n => n.HasContent))
            {
                plan = new RemovalPlan(entry, RemovalAction.Forget, link,
                    $"The page left the outline, but page {current.Id} holds team notes, so CodeDoc kept it and no longer manages it; move the notes elsewhere and delete the page.");
            }
            else if (_settings.RemovedPages == ConfluenceRemovedPages.Delete)
            {
                plan = new RemovalPlan(entry, RemovalAction.Delete, link, $"Moved page {current.Id} to the trash.");
            }
            else
            {
                // Only the top of a removed subtree moves; its removed children come along under it.
                var underRemovedParent = entry.ParentKey is not null && removedKeys.Contains(entry.ParentKey) &&
                    plans.All(p => p.Recorded.Key != entry.ParentKey || p.Action == RemovalAction.Archive);
                plan = new RemovalPlan(entry, RemovalAction.Archive, link, "Moved under the set's archive page.") { MovesWithParent = underRemovedParent };
            }

            if (plan.Action is RemovalAction.Forget)
            {
                context.ForgottenIds.Add(entry.Id!);
            }

            plans.Add(plan);
        }

        // A parent that stays where it is cannot carry its archived children along.
        foreach (var plan in plans.Where(p => p.MovesWithParent))
        {
            if (plans.FirstOrDefault(p => p.Recorded.Key == plan.Recorded.ParentKey) is not { Action: RemovalAction.Archive })
            {
                plan.MovesWithParent = false;
            }
        }

        return plans;
    }

    private static async Task<PagePlan> PlanArchivePageAsync(PlanContext context, ManifestEntry? recorded, CancellationToken cancellationToken)
    {
        var wanted = $"Archived pages ({context.Set.Title})";
        var current = recorded?.Id is { } id ? context.Current.GetValueOrDefault(id) : null;
        if (current is { IsLive: true })
        {
            return new PagePlan(ManifestEntry.ArchiveKey, null, current.Title, null, recorded, current, PageAction.None, new PageOutcome(ManifestEntry.ArchiveKey, current.Title, PageOutcomeKind.Unchanged, null)) { Entry = recorded };
        }

        var (title, _) = await context.Titles.AssignAsync(wanted, null, null, cancellationToken).ConfigureAwait(false);
        var root = StorageDocument.Parse(
            "<p>Pages that left the outline of the documentation set <strong>" + Escape(context.Set.Title) + "</strong> (" + Escape(context.Set.Id) +
            "). CodeDoc moved them here instead of deleting them; a page that returns to the outline moves back.</p>");
        return new PagePlan(ManifestEntry.ArchiveKey, null, title, null, null, null, PageAction.Create, new PageOutcome(ManifestEntry.ArchiveKey, title, PageOutcomeKind.Created, null))
        {
            Rendered = root,
            Body = StorageDocument.Serialize(root),
            Hash = StorageDocument.ContentHash(root),
            Labels = PageLabels.For(context.Set, null),
            AddLabels = PageLabels.For(context.Set, null),
        };
    }

    private async Task<PagePlan> PlanProposalAsync(PlanContext context, PagePlan skipped, ManifestEntry? recorded, CancellationToken cancellationToken)
    {
        var page = skipped.Page!;
        var key = ManifestEntry.ProposalPrefix + page.Key;
        var current = recorded?.Id is { } id ? context.Current.GetValueOrDefault(id) : null;
        if (current is not { IsLive: true })
        {
            current = null;
        }

        var wanted = $"{context.TitleOf[page.Key]} {ProposalSuffix}";
        var (title, _) = await context.Titles.AssignAsync(wanted, current?.Id, current?.Title, cancellationToken).ConfigureAwait(false);
        var rendered = StorageRenderer.Render(new StorageRenderRequest
        {
            Markdown = page.Markdown,
            Title = context.TitleOf[page.Key],
            SpaceKey = context.Target.Space.Key,
            Cloud = context.Target.Site.IsCloud,
            PageTitle = k => context.TitleOf.GetValueOrDefault(k),
            MermaidMacroName = _settings.MermaidMacroName,
            TableOfContentsMinHeadings = _settings.TableOfContentsMinHeadings,
        });
        var note = "<ac:structured-macro ac:name=\"note\"><ac:rich-text-body><p>CodeDoc's proposed update of <ac:link><ri:page ri:content-title=\"" +
            Escape(skipped.Current!.Title) + "\" ri:space-key=\"" + Escape(context.Target.Space.Key) + "\"/></ac:link>. A person edited that page since CodeDoc " +
            "last published it, so CodeDoc did not overwrite it. Copy what you need from here; publishing with Force overwrites the page and removes this one.</p>" +
            "</ac:rich-text-body></ac:structured-macro>";
        var root = StorageDocument.Parse(note + rendered.Body);
        var hash = StorageDocument.ContentHash(root);
        var plan = new PagePlan(key, null, title, page.Key, recorded, current, PageAction.Create, new PageOutcome(key, title, PageOutcomeKind.Created, null))
        {
            Rendered = root,
            Body = StorageDocument.Serialize(root),
            Hash = hash,
            Labels = PageLabels.For(context.Set, null),
            AddLabels = current is null ? PageLabels.For(context.Set, null) : [],
            ProposalFor = skipped,
        };
        var proposalLink = current is null ? null : context.Target.Site.PageLink(context.Target.Space, current.Id);
        var tag = PublishMarks.HashPrefix(current?.VersionMessage);
        if (current is not null &&
            (tag is null ? string.Equals(hash, recorded!.Hash, StringComparison.Ordinal) : PublishMarks.Matches(hash, tag)) &&
            string.Equals(current.Title, title, StringComparison.Ordinal) && string.Equals(current.ParentId, skipped.Current.Id, StringComparison.Ordinal))
        {
            plan.Action = PageAction.None;
            plan.Entry = recorded;
        }
        else if (current is not null)
        {
            plan.Action = PageAction.Update;
            plan.WriteBody = true;
        }

        skipped.Outcome = skipped.Outcome with
        {
            Reason = skipped.Outcome.Reason + (proposalLink is null
                ? $" CodeDoc's update is published as the child page \"{title}\"."
                : $" CodeDoc's update is published as the child page \"{title}\" ({proposalLink})."),
        };
        return plan;
    }

    private List<PlannedAttachment> MermaidAttachments(DocumentPage page)
    {
        if (_settings.MermaidRenderer is not { } renderer)
        {
            return [];
        }

        var extension = renderer.MediaType == "image/svg+xml" ? "svg" : "png";
        return StorageRenderer.MermaidSources(page.Markdown)
            .Distinct(StringComparer.Ordinal)
            .Select(source => new PlannedAttachment($"mermaid-{StorageDocument.Sha256(source)[..16]}.{extension}", renderer.MediaType, null, null, source))
            .ToList();
    }

    private static string? ExpectedParentId(PlanContext context, string? parentKey) =>
        parentKey is null ? context.Target.AnchorId : context.IdOf(parentKey);

    private static string TitleTakenReason(string wanted, string title, TitleHolder takenBy, PlanContext context) => takenBy.Id switch
    {
        { } id when context.OwnedIds.Contains(id) =>
            $"The title \"{wanted}\" is used by another page of this documentation set (page {id}), so this page is titled \"{title}\".",
        { } id =>
            $"The title \"{wanted}\" is taken by a page CodeDoc does not own (page {id}, {takenBy.Status}) in space {context.Target.Space.Key}, so this page is titled \"{title}\" and the other page was left alone.",
        _ =>
            $"The title \"{wanted}\" is taken in space {context.Target.Space.Key} by a page CodeDoc cannot see (Confluence refused the title, which it keeps unique ignoring case, " +
            $"but neither the title look-up nor a search shows the page: it is in the trash, archived, or hidden from the account), so this page is titled \"{title}\" and the other page was left alone.",
    };

    private static PagePlan Failed(DocumentPage page, string title, ManifestEntry? recorded, SitePage? current, string reason) =>
        new(page.Key, page, title, page.ParentKey, recorded, current, PageAction.None,
            new PageOutcome(page.Key, title, PageOutcomeKind.Failed, null, reason))
        {
            Entry = recorded,
        };

    private static int Depth(ManifestEntry entry, Dictionary<string, ManifestEntry> entries)
    {
        var depth = 0;
        for (var parent = entry.ParentKey; parent is not null && depth < entries.Count && entries.TryGetValue(parent, out var next); parent = next.ParentKey)
        {
            depth++;
        }

        return depth;
    }

    private static string? Join(List<string> reasons) => reasons.Count == 0 ? null : string.Join(" ", reasons);

    private static string Escape(string text) => new System.Text.StringBuilder().AppendEscaped(text).ToString();

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
}
