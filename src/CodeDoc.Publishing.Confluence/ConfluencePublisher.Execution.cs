using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CodeDoc.Core;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Execution: carries a plan out page by page, in an order that lets an interrupted publish converge on the next run.
/// Pages about to be created are recorded in the manifest as pending first (so a page created just before a crash is
/// found again, not created twice); every page version CodeDoc writes carries its content hash in the version message
/// (so an update made just before a crash is recognised as CodeDoc's, not a person's); the manifest is saved at the end,
/// also when pages failed or the publish was cancelled. Cancellation is honoured between pages.
/// </summary>
internal sealed partial class ConfluencePublisher
{
    private const int MaxConflictRetries = 3;

    /// <summary>Carries a plan out.</summary>
    /// <param name="target">Where the set goes.</param>
    /// <param name="store">The manifest.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="stopOnRefusedTitle">
    /// Tells whether to stop when Confluence refuses this title, which the plan found free (another spelling of it is
    /// held): what was done is recorded as after an interruption, and the caller plans again knowing the title is taken.
    /// Otherwise the page fails like on any other refusal.
    /// </param>
    /// <param name="cancellationToken">Cancels between pages.</param>
    /// <returns>The outcomes, or the refused title with the outcomes of the pages written before it.</returns>
    private async Task<ExecutionResult> ExecuteAsync(PublishTarget target, ManifestStore store, PublishPlan plan, Func<string, bool> stopOnRefusedTitle, CancellationToken cancellationToken)
    {
        var run = new ExecutionRun(target, plan);
        var pageOutcomes = plan.Pages.ToDictionary(p => p.Key, p => p.Outcome, StringComparer.Ordinal);
        var removalOutcomes = plan.Removals.Select(r => r.Outcome).ToArray();
        var written = new List<PageOutcome>();
        var completed = false;
        try
        {
            var creates = plan.Writers.Where(p => p.Action == PageAction.Create).ToList();
            if (creates.Count > 0)
            {
                run.Touched = true;
                await store.WriteAsync(BuildManifest(plan, run, final: false, pending: creates), cancellationToken).ConfigureAwait(false);
            }

            foreach (var page in plan.Writers)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (page.Action is not (PageAction.Create or PageAction.Update))
                {
                    continue;
                }

                PageOutcome outcome;
                try
                {
                    run.Touched = true;
                    outcome = await ApplyAsync(run, store, page, cancellationToken).ConfigureAwait(false);
                    var pageId = run.IdOf(page.Key);
                    Log.PageDone(_logger, page.Key, pageId, outcome.Kind);
                }
                catch (DocPublisherException e) when (SiteCalls.IsTitleTaken(e) && stopOnRefusedTitle(page.Title))
                {
                    Log.TitleRefused(_logger, page.Key, page.Title);
                    return new ExecutionResult(written, page.Title);
                }
                catch (DocPublisherException e) when (!IsFatal(e))
                {
                    Log.PageFailed(_logger, page.Key, e);
                    outcome = page.Outcome with { Kind = PageOutcomeKind.Failed, Reason = $"Could not publish \"{page.Title}\": {e.Message}" };
                }

                if (page.Page is not null)
                {
                    pageOutcomes[page.Key] = outcome;
                    if (outcome.Kind != PageOutcomeKind.Failed)
                    {
                        written.Add(outcome);
                    }
                }
                else if (page.ProposalFor is { } skipped && outcome.Kind == PageOutcomeKind.Failed)
                {
                    pageOutcomes[skipped.Key] = pageOutcomes[skipped.Key] with { Reason = skipped.Outcome.Reason + $" Publishing the proposed update failed: {outcome.Reason}" };
                }
            }

            if (target.Site.IsCloud)
            {
                await RelinkAnchorsAsync(run, store, pageOutcomes, cancellationToken).ConfigureAwait(false);
            }

            for (var i = 0; i < plan.Removals.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var removal = plan.Removals[i];
                try
                {
                    run.Touched = true;
                    await RemoveAsync(run, removal, cancellationToken).ConfigureAwait(false);
                }
                catch (DocPublisherException e) when (!IsFatal(e))
                {
                    Log.PageFailed(_logger, removal.Recorded.Key, e);
                    removalOutcomes[i] = removal.Outcome with { Kind = PageOutcomeKind.Failed, Reason = $"Could not remove page {removal.Recorded.Id}: {e.Message}" };
                }
            }

            foreach (var stale in plan.StaleProposals)
            {
                cancellationToken.ThrowIfCancellationRequested();
                run.Touched = true;
                await target.Site.DeletePageAsync(stale.Id!, cancellationToken).ConfigureAwait(false);
                run.Dropped.Add(stale.Key);
            }

            completed = true;
        }
        finally
        {
            if (run.Touched || completed)
            {
                await SaveManifestAsync(store, plan, run, completed, cancellationToken).ConfigureAwait(false);
            }
        }

        return new ExecutionResult([.. plan.Pages.Select(p => pageOutcomes[p.Key]), .. removalOutcomes], RefusedTitle: null);
    }

    private async Task SaveManifestAsync(ManifestStore store, PublishPlan plan, ExecutionRun run, bool completed, CancellationToken cancellationToken)
    {
        // A create that did not report back (cancelled after the request, a 5xx, a lost connection) may still have been
        // applied: it stays pending, so the next publish adopts the page instead of creating a duplicate.
        var unconfirmed = plan.Writers.Where(p => p.Action == PageAction.Create && !run.Entries.ContainsKey(p.Key)).ToList();
        var manifest = BuildManifest(plan, run, final: completed, pending: unconfirmed);
        if (!completed)
        {
            // The publish stopped (cancelled, rate-limited, the connection lost): record what was done, without waiting on the
            // caller's token, and never hide the reason it stopped behind a failure to save.
            try
            {
                await store.WriteAsync(manifest, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DocPublisherException e)
            {
                Log.ManifestNotSaved(_logger, plan.Set.Id, e);
            }

            return;
        }

        await store.WriteAsync(manifest, cancellationToken).ConfigureAwait(false);
    }

    private ManifestDocument BuildManifest(PublishPlan plan, ExecutionRun run, bool final, IReadOnlyList<PagePlan> pending) => new()
    {
        Set = plan.Set.Id,
        Commit = final ? plan.Set.Source.CommitSha : plan.Manifest?.Commit,
        Generator = final ? plan.Set.GeneratorVersion : plan.Manifest?.Generator,
        PublishedAt = _timeProvider.GetUtcNow(),
        Properties = final ? plan.Set.Properties : plan.Manifest?.Properties ?? new Dictionary<string, string>(StringComparer.Ordinal),
        Pages = plan.BuildEntries(
            p => run.Entries.GetValueOrDefault(p.Key) ?? (pending.Contains(p) ? PendingEntry(p) : null),
            r => run.Dropped.Contains(r.Recorded.Key) ? null : run.Removed.GetValueOrDefault(r.Recorded.Key) ?? r.Recorded)
            .Where(e => !run.Dropped.Contains(e.Key))
            .ToList(),
    };

    private static ManifestEntry PendingEntry(PagePlan page) => new()
    {
        Key = page.Key,
        Title = page.Title,
        ParentKey = page.ParentKey,
        Hash = page.Hash,
        Pending = true,
    };

    private async Task<PageOutcome> ApplyAsync(ExecutionRun run, ManifestStore store, PagePlan page, CancellationToken cancellationToken)
    {
        var site = run.Target.Site;
        var space = run.Target.Space;
        var parentId = page.ParentKey is null ? run.Target.AnchorId
            : run.IdOf(page.ParentKey) ?? throw new DocPublisherException($"its parent page '{page.ParentKey}' could not be published, so it has no place in the tree yet.");

        string id;
        int version;
        var siteHash = page.Recorded?.SiteHash;
        if (page.Action == PageAction.Create)
        {
            var created = await site.CreatePageAsync(space, parentId, page.Title, page.Body, cancellationToken).ConfigureAwait(false);
            id = created.Id;
            version = created.Version;
            run.Ids[page.Key] = id;
            run.Entries[page.Key] = NewEntry(run.Plan.Set, page, id, version, attachments: [], labels: []);
            await UploadAsync(run, page, id, [], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var current = page.Current!;
            id = current.Id;
            version = current.Version;
            if (page.Restore)
            {
                version = (await site.RestorePageAsync(space, current, cancellationToken).ConfigureAwait(false)).Version;
            }

            var existing = page.Uploads.Count > 0 || page.AttachmentDeletions.Count > 0
                ? await site.GetAttachmentsAsync(id, cancellationToken).ConfigureAwait(false)
                : [];
            await UploadAsync(run, page, id, existing, cancellationToken).ConfigureAwait(false);
            if (page.WriteBody)
            {
                var updated = await UpdateWithRetryAsync(run, page, id, parentId, version, cancellationToken).ConfigureAwait(false);
                if (updated is null)
                {
                    return page.Outcome with
                    {
                        Kind = PageOutcomeKind.SkippedEditedByPerson,
                        Reason = $"Page {id} was edited by a person while CodeDoc was publishing, so CodeDoc left it as it is. Publish again to see the edit reported, or with Force to overwrite it.",
                    };
                }

                version = updated.Version;
            }
            else if (page.CurrentBody is not null)
            {
                siteHash = StorageDocument.ContentHash(page.CurrentBody);
            }

            var attachments = run.Entries[page.Key].Attachments.ToList();
            run.Entries[page.Key] = NewEntry(run.Plan.Set, page, id, version, attachments, page.Recorded?.Labels ?? []) with { SiteHash = siteHash };
            foreach (var name in page.AttachmentDeletions)
            {
                if (existing.FirstOrDefault(a => string.Equals(a.FileName, name, StringComparison.OrdinalIgnoreCase)) is { } attachment)
                {
                    await site.DeleteAttachmentAsync(attachment.Id, cancellationToken).ConfigureAwait(false);
                }

                attachments.RemoveAll(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
                run.Entries[page.Key] = run.Entries[page.Key] with { Attachments = attachments.ToList() };
            }
        }

        if (page.AddLabels.Count > 0)
        {
            await site.AddLabelsAsync(id, page.AddLabels, cancellationToken).ConfigureAwait(false);
        }

        foreach (var label in page.RemoveLabels)
        {
            await site.RemoveLabelAsync(id, label, cancellationToken).ConfigureAwait(false);
        }

        var entry = run.Entries[page.Key] with { Labels = page.Labels };
        if (page.Action == PageAction.Create || page.WriteBody)
        {
            // Confluence normalizes what it is sent; the stored form's hash tells a later publish that the body is still CodeDoc's.
            var stored = await site.GetPageAsync(id, withBody: true, cancellationToken).ConfigureAwait(false);
            if (stored?.Body is { } body && stored.Version == version)
            {
                entry = entry with { SiteHash = StorageDocument.ContentHash(body) };
            }
        }

        run.Entries[page.Key] = entry;
        await store.WritePageRecordAsync(id, entry, run.Plan.Set.GeneratorVersion, cancellationToken).ConfigureAwait(false);
        if (page.Page is { } source && !await store.WritePageMarkdownAsync(id, page.Key, entry.Hash, source.Markdown, cancellationToken).ConfigureAwait(false))
        {
            Log.MarkdownNotKept(_logger, page.Key, id);
        }

        return page.Outcome with { Link = site.PageLink(space, id) };
    }

    /// <summary>
    /// Cloud drops the anchor of a link to a page that does not exist yet (CONFCLOUD-78192), so a page created in this run
    /// that links with an anchor to a page created after it is written once more, now that the target exists. Only the
    /// first publish pays for it: later runs compare hashes and write nothing.
    /// </summary>
    private async Task RelinkAnchorsAsync(ExecutionRun run, ManifestStore store, Dictionary<string, PageOutcome> outcomes, CancellationToken cancellationToken)
    {
        var created = run.Plan.Writers
            .Where(p => p.Action == PageAction.Create && p.Page is not null && outcomes[p.Key].Kind == PageOutcomeKind.Created && run.Entries.ContainsKey(p.Key))
            .ToList();
        var order = created.Select((p, i) => (p.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
        for (var i = 0; i < created.Count; i++)
        {
            var page = created[i];
            var position = i;
            if (!AnchoredPageLink().Matches(page.Page!.Markdown).Any(m => order.TryGetValue(m.Groups[1].Value, out var target) && target > position))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var entry = run.Entries[page.Key];
            var parentId = page.ParentKey is null ? run.Target.AnchorId : run.IdOf(page.ParentKey);
            if (entry.Id is not { } id || entry.Version is not { } version || parentId is null)
            {
                continue;
            }

            try
            {
                if (await UpdateWithRetryAsync(run, page, id, parentId, version, cancellationToken).ConfigureAwait(false) is not { } updated)
                {
                    continue;
                }

                var stored = await run.Target.Site.GetPageAsync(id, withBody: true, cancellationToken).ConfigureAwait(false);
                entry = entry with
                {
                    Version = updated.Version,
                    SiteHash = stored?.Body is { } body && stored.Version == updated.Version ? StorageDocument.ContentHash(body) : entry.SiteHash,
                };
                run.Entries[page.Key] = entry;
                await store.WritePageRecordAsync(id, entry, run.Plan.Set.GeneratorVersion, cancellationToken).ConfigureAwait(false);
            }
            catch (DocPublisherException e) when (!IsFatal(e))
            {
                Log.PageFailed(_logger, page.Key, e);
                outcomes[page.Key] = outcomes[page.Key] with
                {
                    Reason = $"The page was created, but writing it again to keep its links' anchors failed, so Confluence may have dropped them: {e.Message}",
                };
            }
        }
    }

    [GeneratedRegex(@"codedoc-page:([a-z0-9][a-z0-9._-]*)#", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredPageLink();

    private async Task<SitePage?> UpdateWithRetryAsync(ExecutionRun run, PagePlan page, string id, string parentId, int version, CancellationToken cancellationToken)
    {
        var site = run.Target.Site;
        var message = PublishMarks.VersionMessage(page.Hash, run.Plan.Set.GeneratorVersion, page.Page?.Provenance?.CommitSha ?? run.Plan.Set.Source.CommitSha);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await site.UpdatePageAsync(run.Target.Space, new SitePageUpdate(id, parentId, page.Title, page.Body, version + 1, message), cancellationToken).ConfigureAwait(false);
            }
            catch (DocPublisherConflictException) when (attempt <= MaxConflictRetries)
            {
                Log.VersionConflict(_logger, page.Key, id, attempt);
                var fresh = await site.GetPageAsync(id, withBody: true, cancellationToken).ConfigureAwait(false)
                    ?? throw new DocPublisherNotFoundException($"Page {id} disappeared while CodeDoc was updating it.");
                if (!run.Plan.OverwriteEdits && page.Recorded is { } recorded && fresh.Version != version &&
                    PublishMarks.HashPrefix(fresh.VersionMessage) is null &&
                    StorageDocument.ContentHash(fresh.Body ?? string.Empty) is var hash &&
                    hash != recorded.Hash && hash != recorded.SiteHash && hash != page.Hash)
                {
                    return null;
                }

                // Notes written in the meantime are kept too.
                if (page.Rendered is not null)
                {
                    var root = new XElement(page.Rendered);
                    StorageDocument.MergeTeamNotes(root, StorageDocument.ExtractTeamNotes(fresh.Body));
                    page.Body = StorageDocument.Serialize(root);
                }

                version = fresh.Version;
            }
        }
    }

    private async Task UploadAsync(ExecutionRun run, PagePlan page, string id, IReadOnlyList<SiteAttachment> existing, CancellationToken cancellationToken)
    {
        // The entry lists what is attached once each upload is done, so an interrupted publish loses track of nothing it uploaded.
        var records = page.KeptAttachments.Concat(run.Entries[page.Key].Attachments).DistinctBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var upload in page.Uploads)
        {
            var content = upload.Content ?? await _settings.MermaidRenderer!.RenderAsync(upload.MermaidSource!, cancellationToken).ConfigureAwait(false);
            var hash = upload.Hash ?? Convert.ToHexStringLower(SHA256.HashData(content.Span));
            var comment = PublishMarks.AttachmentComment(hash);
            var same = existing.FirstOrDefault(a => string.Equals(a.FileName, upload.Name, StringComparison.OrdinalIgnoreCase));
            if (same is null || !string.Equals(same.Comment, comment, StringComparison.Ordinal))
            {
                await run.Target.Site.UploadAttachmentAsync(id, same?.Id, upload.Name, upload.MediaType, content, comment, cancellationToken).ConfigureAwait(false);
            }

            records.RemoveAll(r => string.Equals(r.Name, upload.Name, StringComparison.OrdinalIgnoreCase));
            records.Add(new AttachmentRecord { Name = upload.Name, Hash = hash });
            run.Entries[page.Key] = run.Entries[page.Key] with { Attachments = records.ToList() };
        }
    }

    private static async Task RemoveAsync(ExecutionRun run, RemovalPlan removal, CancellationToken cancellationToken)
    {
        var site = run.Target.Site;
        var recorded = removal.Recorded;
        switch (removal.Action)
        {
            case RemovalAction.Archive when removal.MovesWithParent:
                run.Removed[recorded.Key] = recorded with { Archived = true };
                return;

            case RemovalAction.Archive:
                var archiveId = run.IdOf(ManifestEntry.ArchiveKey)
                    ?? throw new DocPublisherException("the archive page could not be created, so the page was left where it is.");
                var current = await site.GetPageAsync(recorded.Id!, withBody: true, cancellationToken).ConfigureAwait(false);
                if (current is not { IsLive: true })
                {
                    run.Dropped.Add(recorded.Key);
                    return;
                }

                if (string.Equals(current.ParentId, archiveId, StringComparison.Ordinal))
                {
                    run.Removed[recorded.Key] = recorded with { Archived = true };
                    return;
                }

                var body = current.Body ?? string.Empty;
                var hash = StorageDocument.ContentHash(body);
                var message = PublishMarks.VersionMessage(hash, run.Plan.Set.GeneratorVersion, commit: null);
                var moved = await MoveWithRetryAsync(site, run.Target.Space, current, archiveId, message, cancellationToken).ConfigureAwait(false);
                run.Removed[recorded.Key] = recorded with { Archived = true, Version = moved.Version, SiteHash = hash };
                return;

            case RemovalAction.Delete:
                await site.DeletePageAsync(recorded.Id!, cancellationToken).ConfigureAwait(false);
                run.Dropped.Add(recorded.Key);
                return;

            default:
                run.Dropped.Add(recorded.Key);
                return;
        }
    }

    private static async Task<SitePage> MoveWithRetryAsync(IConfluenceSite site, SiteSpace space, SitePage page, string parentId, string message, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await site.UpdatePageAsync(space, new SitePageUpdate(page.Id, parentId, page.Title, page.Body ?? string.Empty, page.Version + 1, message), cancellationToken).ConfigureAwait(false);
            }
            catch (DocPublisherConflictException) when (attempt <= MaxConflictRetries)
            {
                page = await site.GetPageAsync(page.Id, withBody: true, cancellationToken).ConfigureAwait(false)
                    ?? throw new DocPublisherNotFoundException($"Page {page.Id} disappeared while CodeDoc was archiving it.");
            }
        }
    }

    private static ManifestEntry NewEntry(DocumentSet documentSet, PagePlan page, string id, int? version, IReadOnlyList<AttachmentRecord> attachments, IReadOnlyList<string> labels) => new()
    {
        Key = page.Key,
        Title = page.Title,
        ParentKey = page.ParentKey,
        Id = id,
        Hash = page.Hash,
        Inputs = page.Inputs,
        Version = version,
        Commit = page.Page?.Provenance?.CommitSha ?? documentSet.Source.CommitSha,
        Files = page.Page?.Provenance?.SourceFiles ?? [],
        Attachments = attachments,
        Labels = labels,
    };

    // A rate limit that outlasted the retries, or credentials the site rejects, would fail every remaining page the same way.
    private static bool IsFatal(DocPublisherException exception) =>
        exception is DocPublisherRateLimitedException || exception.StatusCode == HttpStatusCode.Unauthorized;

    /// <summary>What carrying out a plan came to.</summary>
    /// <param name="Outcomes">The outcomes: of every page when the plan was carried out, of the pages written before the refusal otherwise.</param>
    /// <param name="RefusedTitle">The title Confluence refused, when the execution stopped because of it.</param>
    private sealed record ExecutionResult(IReadOnlyList<PageOutcome> Outcomes, string? RefusedTitle);

    /// <summary>The state of one execution: page ids and manifest entries as pages are written.</summary>
    private sealed class ExecutionRun
    {
        public ExecutionRun(PublishTarget target, PublishPlan plan)
        {
            Target = target;
            Plan = plan;
            foreach (var page in plan.Writers)
            {
                if (page.Current is not null)
                {
                    Ids[page.Key] = page.Current.Id;
                }

                if ((page.Entry ?? (page.Action == PageAction.Create ? null : page.Recorded)) is { } entry)
                {
                    Entries[page.Key] = entry;
                }
            }
        }

        public PublishTarget Target { get; }

        public PublishPlan Plan { get; }

        /// <summary>Gets the id of every page that exists, by key.</summary>
        public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the manifest entry of every page as it stands now, by key.</summary>
        public Dictionary<string, ManifestEntry> Entries { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the entries of removed pages that stay in the manifest (archived), by key.</summary>
        public Dictionary<string, ManifestEntry> Removed { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the keys that leave the manifest.</summary>
        public HashSet<string> Dropped { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets or sets a value indicating whether anything may have been written.</summary>
        public bool Touched { get; set; }

        public string? IdOf(string key) => Ids.GetValueOrDefault(key);
    }
}
