using System.Text.Json;
using System.Xml.Linq;
using CodeDoc.Core;

namespace CodeDoc.Publishing.Confluence;

/// <summary>The plan's data: what was found, what will be written, and the outcomes.</summary>
internal sealed partial class ConfluencePublisher
{
    /// <summary>What planning knows while it works through a set.</summary>
    /// <param name="target">Where the set goes.</param>
    /// <param name="documentSet">The set.</param>
    /// <param name="overwriteEdits">Whether pages people edited are overwritten.</param>
    /// <param name="refusedTitles">The titles Confluence refused earlier in this publish, with who holds them.</param>
    private sealed class PlanContext(PublishTarget target, DocumentSet documentSet, bool overwriteEdits, IReadOnlyDictionary<string, TitleHolder> refusedTitles)
    {
        private readonly Dictionary<string, string> _bodies = new(StringComparer.Ordinal);
        private string? _titlesFingerprint;

        public PublishTarget Target { get; } = target;

        public DocumentSet Set { get; } = documentSet;

        public bool OverwriteEdits { get; } = overwriteEdits;

        /// <summary>Gets the site's pages the manifest knows, by id.</summary>
        public Dictionary<string, SitePage> Current { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the ids of every page the manifest holds.</summary>
        public HashSet<string> OwnedIds { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the ids of pages that leave the manifest but stay at the site.</summary>
        public HashSet<string> ForgottenIds { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the keys of pages an interrupted publish created and this one takes over.</summary>
        public HashSet<string> Adopted { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the title each page of the set is published under.</summary>
        public Dictionary<string, string> TitleOf { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the id of each page of the set that exists at the site.</summary>
        public Dictionary<string, string> ExistingIdOf { get; } = new(StringComparer.Ordinal);

        public TitleBook Titles { get; } = new(target.Site, target.Space, documentSet.Title, refusedTitles);

        public string? IdOf(string key) => ExistingIdOf.GetValueOrDefault(key);

        /// <summary>Gets a fingerprint of every page's title; read once the titles are decided (every page's links depend on them).</summary>
        public string TitlesFingerprint => _titlesFingerprint ??= StorageDocument.Sha256(
            string.Join('\n', TitleOf.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + "\u0001" + t.Value)));

        /// <summary>Reads a page's storage body once per publish.</summary>
        /// <param name="pageId">The page id.</param>
        /// <param name="cancellationToken">Cancels the read.</param>
        /// <returns>The body; empty when the page has none.</returns>
        public async Task<string> BodyAsync(string pageId, CancellationToken cancellationToken)
        {
            if (!_bodies.TryGetValue(pageId, out var body))
            {
                var page = await Target.Site.GetPageAsync(pageId, withBody: true, cancellationToken).ConfigureAwait(false);
                body = page?.Body ?? string.Empty;
                _bodies[pageId] = body;
            }

            return body;
        }
    }

    /// <summary>What was found for one page of the set.</summary>
    private sealed class PageState
    {
        public ManifestEntry? Recorded { get; set; }

        public SitePage? Current { get; set; }

        public bool Edited { get; set; }

        public List<string> Reasons { get; } = [];
    }

    /// <summary>An attachment to upload: a file of the page, or a diagram rendered when the upload happens.</summary>
    /// <param name="Name">The file name.</param>
    /// <param name="MediaType">The media type.</param>
    /// <param name="Content">The bytes, or <see langword="null"/> for a diagram still to render.</param>
    /// <param name="Hash">The SHA-256 of the bytes, when known.</param>
    /// <param name="MermaidSource">The diagram source, for a rendered diagram.</param>
    private sealed record PlannedAttachment(string Name, string MediaType, ReadOnlyMemory<byte>? Content, string? Hash, string? MermaidSource);

    /// <summary>What to do for one page: a page of the set, the archive page, or a proposed update.</summary>
    private sealed class PagePlan(
        string key, DocumentPage? page, string title, string? parentKey, ManifestEntry? recorded, SitePage? current, PageAction action, PageOutcome outcome)
    {
        public string Key { get; } = key;

        public DocumentPage? Page { get; } = page;

        public string Title { get; } = title;

        /// <summary>Gets the parent's key: a page of the set, or for a proposal the page it proposes an update of.</summary>
        public string? ParentKey { get; } = parentKey;

        public ManifestEntry? Recorded { get; } = recorded;

        public SitePage? Current { get; } = current;

        public PageAction Action { get; set; } = action;

        public PageOutcome Outcome { get; set; } = outcome;

        public XElement? Rendered { get; init; }

        public string Body { get; set; } = string.Empty;

        public string Hash { get; init; } = string.Empty;

        /// <summary>Gets the fingerprint of what <see cref="Hash"/> was rendered from, for the manifest.</summary>
        public string? Inputs { get; init; }

        public bool WriteBody { get; set; }

        public bool Restore { get; set; }

        public IReadOnlyList<KeptTeamNote> KeptNotes { get; set; } = [];

        public string? CurrentBody { get; set; }

        public IReadOnlyList<string> Labels { get; init; } = [];

        public IReadOnlyList<string> AddLabels { get; init; } = [];

        public List<string> RemoveLabels { get; init; } = [];

        public List<PlannedAttachment> Uploads { get; init; } = [];

        public List<string> AttachmentDeletions { get; init; } = [];

        public IReadOnlyList<AttachmentRecord> KeptAttachments { get; init; } = [];

        /// <summary>Gets the skipped page a proposal is for.</summary>
        public PagePlan? ProposalFor { get; init; }

        /// <summary>Gets or sets the manifest entry after the plan is carried out; <see langword="null"/> drops the page from the manifest.</summary>
        public ManifestEntry? Entry { get; set; }
    }

    /// <summary>What to do for a page that left the outline.</summary>
    /// <param name="Recorded">Its manifest entry.</param>
    /// <param name="Action">The action.</param>
    /// <param name="Link">Where the page is, if anywhere.</param>
    /// <param name="Reason">What happened, for the outcome.</param>
    private sealed record RemovalPlan(ManifestEntry Recorded, RemovalAction Action, string? Link, string Reason)
    {
        /// <summary>Gets or sets a value indicating whether the page moves along with its archived parent (no write of its own).</summary>
        public bool MovesWithParent { get; set; }

        public PageOutcome Outcome => new(Recorded.Key, Recorded.Title, PageOutcomeKind.Removed, Link, Reason);
    }

    /// <summary>A whole publish, decided.</summary>
    private sealed class PublishPlan(
        DocumentSet documentSet,
        ManifestDocument? manifest,
        IReadOnlyList<PagePlan> pages,
        IReadOnlyList<RemovalPlan> removals,
        PagePlan? archive,
        IReadOnlyList<PagePlan> proposals,
        IReadOnlyList<ManifestEntry> staleProposals,
        IReadOnlyList<ManifestEntry> retained,
        bool overwriteEdits)
    {
        public bool OverwriteEdits { get; } = overwriteEdits;

        public DocumentSet Set { get; } = documentSet;

        public ManifestDocument? Manifest { get; } = manifest;

        public IReadOnlyList<PagePlan> Pages { get; } = pages;

        public IReadOnlyList<RemovalPlan> Removals { get; } = removals;

        public PagePlan? Archive { get; } = archive;

        public IReadOnlyList<PagePlan> Proposals { get; } = proposals;

        public IReadOnlyList<ManifestEntry> StaleProposals { get; } = staleProposals;

        /// <summary>Gets entries kept as they are: archived pages and the archive page.</summary>
        public IReadOnlyList<ManifestEntry> Retained { get; } = retained;

        /// <summary>Gets every page plan that may write: the archive page first (removals need it), then the set in outline order, then proposals.</summary>
        public IEnumerable<PagePlan> Writers => (Archive is null ? Pages : Pages.Prepend(Archive)).Concat(Proposals);

        /// <summary>Gets a value indicating whether carrying the plan out writes anything at all.</summary>
        public bool HasWork =>
            Writers.Any(p => p.Action is PageAction.Create or PageAction.Update) ||
            Removals.Count > 0 || StaleProposals.Count > 0 ||
            !SameEntries(Manifest?.Pages ?? [], ExpectedEntries()) ||
            !SameSetRecord();

        public IReadOnlyList<PageOutcome> Outcomes() => [.. Pages.Select(p => p.Outcome), .. Removals.Select(r => r.Outcome)];

        /// <summary>Gets the entries the manifest holds when every page keeps its plan's entry.</summary>
        /// <returns>The entries in manifest order.</returns>
        public List<ManifestEntry> ExpectedEntries() => BuildEntries(p => p.Entry, r => r.Action == RemovalAction.Archive ? r.Recorded with { Archived = true } : null);

        /// <summary>Builds the manifest's entries: the set in outline order, archived pages, the archive page, proposals.</summary>
        /// <param name="entryOf">The entry of a page plan (null leaves it out).</param>
        /// <param name="removalEntry">The entry of a removal (null leaves it out).</param>
        /// <returns>The entries.</returns>
        public List<ManifestEntry> BuildEntries(Func<PagePlan, ManifestEntry?> entryOf, Func<RemovalPlan, ManifestEntry?> removalEntry)
        {
            var entries = new List<ManifestEntry>();
            entries.AddRange(Pages.Select(entryOf).OfType<ManifestEntry>());
            entries.AddRange(Removals.Select(removalEntry).OfType<ManifestEntry>());
            entries.AddRange(Retained.Where(r => r.Key != ManifestEntry.ArchiveKey));
            entries.AddRange(Archive is null ? Retained.Where(r => r.Key == ManifestEntry.ArchiveKey) : new[] { Archive }.Select(entryOf).OfType<ManifestEntry>());
            entries.AddRange(Proposals.Select(entryOf).OfType<ManifestEntry>());
            return entries.DistinctBy(e => e.Key, StringComparer.Ordinal).ToList();
        }

        // The set's commit, generator and properties change with every run at a new commit even when no page does; an
        // incremental run continues from them, so they are saved (one property write) whenever they differ.
        private bool SameSetRecord() =>
            Manifest is not null &&
            string.Equals(Manifest.Commit, Set.Source.CommitSha, StringComparison.Ordinal) &&
            string.Equals(Manifest.Generator, Set.GeneratorVersion, StringComparison.Ordinal) &&
            Manifest.Properties.Count == Set.Properties.Count &&
            Set.Properties.All(p => Manifest.Properties.TryGetValue(p.Key, out var value) && string.Equals(value, p.Value, StringComparison.Ordinal));

        private static bool SameEntries(IReadOnlyList<ManifestEntry> before, IReadOnlyList<ManifestEntry> after) =>
            string.Equals(
                JsonSerializer.Serialize(before.OrderBy(e => e.Key, StringComparer.Ordinal), ConfluenceConnection.Json),
                JsonSerializer.Serialize(after.OrderBy(e => e.Key, StringComparer.Ordinal), ConfluenceConnection.Json),
                StringComparison.Ordinal);
    }

    /// <summary>A page that holds a title CodeDoc wanted.</summary>
    /// <param name="Id">The page's id; <see langword="null"/> when Confluence refused the title but neither the look-up nor the search shows the page.</param>
    /// <param name="Status">The page's status, when known.</param>
    private sealed record TitleHolder(string? Id, string? Status)
    {
        public static TitleHolder Of(SitePage page) => new(page.Id, page.Status);
    }

    /// <summary>
    /// Decides titles: the wanted title when no other page in the space holds it (current, archived or trashed pages all
    /// do), otherwise "Title (Set)", "Title (Set 2)", ... A page keeps a fallback title it already has while the wanted
    /// one stays taken. Confluence keeps titles unique ignoring case, but its title look-up matches exactly: a title
    /// Confluence refused in this publish is never tried again, and before an existing page takes a new title (a rename,
    /// or its wanted title back from a fallback) a CQL search makes sure no other spelling of it is held, so a refused
    /// rename is not retried on every publish.
    /// </summary>
    /// <param name="site">The site.</param>
    /// <param name="space">The space.</param>
    /// <param name="setTitle">The set's title, for fallback titles.</param>
    /// <param name="refused">The titles Confluence refused earlier in this publish (keys compare ignoring case).</param>
    private sealed class TitleBook(IConfluenceSite site, SiteSpace space, string setTitle, IReadOnlyDictionary<string, TitleHolder> refused)
    {
        private const int MaxCandidates = 50;
        private readonly HashSet<string> _claimed = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, IReadOnlyList<SitePage>> _holders = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, IReadOnlyList<SitePage>> _searched = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Marks a title as used by a page of this publish.</summary>
        /// <param name="title">The title.</param>
        public void Claim(string title) => _claimed.Add(title);

        /// <summary>Decides a page's title.</summary>
        /// <param name="wanted">The title the page should have.</param>
        /// <param name="ownId">The page's id, when it exists.</param>
        /// <param name="currentTitle">The page's current title, when it exists.</param>
        /// <param name="cancellationToken">Cancels the lookups.</param>
        /// <returns>The title, and the page that holds the wanted one when it is taken.</returns>
        public async Task<(string Title, TitleHolder? TakenBy)> AssignAsync(string wanted, string? ownId, string? currentTitle, CancellationToken cancellationToken)
        {
            TitleHolder? takenBy = null;
            foreach (var candidate in Candidates(wanted))
            {
                if (_claimed.Contains(candidate))
                {
                    continue;
                }

                if (RefusedFor(candidate, ownId) is { } refusedBy)
                {
                    takenBy ??= refusedBy;
                    continue;
                }

                if (!string.Equals(candidate, currentTitle, StringComparison.Ordinal) &&
                    await HolderAsync(candidate, ownId, cancellationToken).ConfigureAwait(false) is { } holder)
                {
                    takenBy ??= holder;
                    continue;
                }

                _claimed.Add(candidate);
                return (candidate, string.Equals(candidate, wanted, StringComparison.Ordinal) ? null : takenBy ?? await FirstHolderAsync(wanted, ownId, cancellationToken).ConfigureAwait(false));
            }

            throw new DocPublisherConflictException(
                $"No free title was found for \"{wanted}\" in space {space.Key} after {MaxCandidates} tries; rename the pages that hold these titles.");
        }

        private async Task<TitleHolder?> FirstHolderAsync(string title, string? ownId, CancellationToken cancellationToken) =>
            RefusedFor(title, ownId) ?? await HolderAsync(title, ownId, cancellationToken).ConfigureAwait(false);

        // A title refused to another page because this page holds it (in another spelling) stays this page's own.
        private TitleHolder? RefusedFor(string title, string? ownId) =>
            refused.TryGetValue(title, out var holder) && (holder.Id is null || !string.Equals(holder.Id, ownId, StringComparison.Ordinal)) ? holder : null;

        private async Task<TitleHolder?> HolderAsync(string title, string? ownId, CancellationToken cancellationToken)
        {
            var holder = (await HoldersAsync(title, cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => !string.Equals(p.Id, ownId, StringComparison.Ordinal));
            if (holder is null && ownId is not null)
            {
                holder = (await SearchAsync(title, cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => !string.Equals(p.Id, ownId, StringComparison.Ordinal));
            }

            return holder is null ? null : TitleHolder.Of(holder);
        }

        private async Task<IReadOnlyList<SitePage>> HoldersAsync(string title, CancellationToken cancellationToken)
        {
            if (!_holders.TryGetValue(title, out var holders))
            {
                holders = (await site.FindPagesByTitleAsync(space, title, cancellationToken).ConfigureAwait(false))
                    .Where(p => string.Equals(p.Title, title, StringComparison.OrdinalIgnoreCase))
                    .ToList();
                _holders[title] = holders;
            }

            return holders;
        }

        private async Task<IReadOnlyList<SitePage>> SearchAsync(string title, CancellationToken cancellationToken)
        {
            if (!_searched.TryGetValue(title, out var holders))
            {
                try
                {
                    holders = await site.SearchPagesByTitleAsync(space, title, cancellationToken).ConfigureAwait(false);
                }
                catch (DocPublisherException e) when (e is not DocPublisherRateLimitedException)
                {
                    // The search only double-checks a free-looking title (a scoped token may not be allowed to search):
                    // if another spelling is held after all, Confluence refuses the write and the publish picks another title.
                    holders = [];
                }

                _searched[title] = holders;
            }

            return holders;
        }

        private IEnumerable<string> Candidates(string wanted)
        {
            yield return Fit(wanted, string.Empty);
            for (var n = 1; n < MaxCandidates; n++)
            {
                yield return Fit(wanted, n == 1 ? $" ({setTitle})" : $" ({setTitle} {n})");
            }
        }

        private static string Fit(string title, string suffix)
        {
            var room = DocumentSetValidator.MaxTitleLength - suffix.Length;
            return (title.Length <= room ? title : title[..Math.Max(1, room)].TrimEnd()) + suffix;
        }
    }
}
