using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>What a run does with one page of the outline.</summary>
/// <param name="Reuse">Whether the published page stays as it is (its sources did not change).</param>
/// <param name="Markdown">The published page's Markdown: republished as-is when reused, updated from the changes when not.</param>
/// <param name="SourceFiles">The files the published page drew on.</param>
/// <param name="Reason">Why the page is written, for the report.</param>
internal sealed record PageDecision(bool Reuse, string? Markdown, IReadOnlyList<string> SourceFiles, string? Reason)
{
    /// <summary>
    /// Gets a value indicating whether the page is a parent none of whose own sources changed but some of whose
    /// children are written: it is updated only when one of them changes its <see cref="PageGist"/>, else reused.
    /// </summary>
    public bool AwaitsChildren { get; init; }
}

/// <summary>
/// The published state of a set as an incremental run sees it: the outline kept with the set, the commit it was built
/// from and what changed since (through <see cref="IGitProvider.CompareAsync"/>), and per page whether its sources
/// changed. Nothing generated is kept between runs except the published pages themselves.
/// </summary>
internal sealed class PublishedState
{
    private readonly PublishManifest? _manifest;
    private readonly HashSet<string>? _changed;

    private PublishedState(PublishManifest? manifest, Outline? outline, HashSet<string>? changed, bool upToDate, string? fullRunReason, IReadOnlyList<ChangedPath>? changes = null)
    {
        Changes = changes ?? [];
        _manifest = manifest;
        Outline = outline;
        _changed = changed;
        UpToDate = upToDate;
        FullRunReason = fullRunReason;
    }

    /// <summary>Gets the changes since the published commit, when known.</summary>
    public IReadOnlyList<ChangedPath> Changes { get; }

    /// <summary>Gets the outline kept with the set, when the run continues it.</summary>
    public Outline? Outline { get; }

    /// <summary>Gets a value indicating whether the set was published from this very commit.</summary>
    public bool UpToDate { get; }

    /// <summary>Gets why every page is written, when they are.</summary>
    public string? FullRunReason { get; }

    /// <summary>Reads the state.</summary>
    /// <param name="details">The plan details.</param>
    /// <param name="manifest">The manifest at the target, if any.</param>
    /// <param name="fullRegeneration">Whether the run was asked to write every page.</param>
    /// <param name="warnings">Receives notes for the report.</param>
    /// <param name="cancellationToken">Cancels the comparison.</param>
    /// <returns>The state.</returns>
    public static async Task<PublishedState> ReadAsync(PlanDetails details, PublishManifest? manifest, bool fullRegeneration, List<string> warnings, CancellationToken cancellationToken)
    {
        var plan = details.Plan;
        if (manifest is null)
        {
            return new PublishedState(null, null, null, upToDate: false, "nothing is published yet");
        }

        if (fullRegeneration)
        {
            return new PublishedState(manifest, null, null, upToDate: false, "a full regeneration was asked for");
        }

        Outline? outline = null;
        if (manifest.Properties.TryGetValue(Outline.PropertyKey, out var json) &&
            manifest.Properties.GetValueOrDefault(DocumentationRunner.PresetPropertyKey) == details.Preset.Name)
        {
            outline = Outline.Deserialize(json, plan.Snapshot);
        }

        // A target that does not keep the set's properties still records the commit: at the same commit the pages
        // it has are kept, so a repeated run spends nothing on them.
        if (outline is null && manifest.Properties.Count == 0 && manifest.SourceCommit == plan.Commit.CommitSha)
        {
            return new PublishedState(manifest, null, [], upToDate: true, null);
        }

        if (outline is null)
        {
            return new PublishedState(manifest, null, null, upToDate: false, "the published set was written with another preset or without an outline");
        }

        if (manifest.SourceCommit == plan.Commit.CommitSha)
        {
            return new PublishedState(manifest, outline, [], upToDate: true, null);
        }

        if (manifest.SourceCommit is null)
        {
            return new PublishedState(manifest, outline, null, upToDate: false, "the published set records no commit");
        }

        var comparison = await details.Git.CompareAsync(plan.Repository, manifest.SourceCommit, plan.Commit.CommitSha, cancellationToken).ConfigureAwait(false);
        if (!comparison.IsComplete)
        {
            warnings.Add($"Every page is written again: the changes since {manifest.SourceCommit[..Math.Min(12, manifest.SourceCommit.Length)]} are not completely known ({comparison.IncompleteReason ?? "the host capped the list"}).");
            return new PublishedState(manifest, outline, null, upToDate: false, "the changes since the last publish are not completely known");
        }

        var changed = comparison.Changes.SelectMany(c => c.OldPath is null ? [c.Path] : new[] { c.Path, c.OldPath }).ToHashSet(StringComparer.Ordinal);
        return new PublishedState(manifest, outline, changed, upToDate: false, null, comparison.Changes);
    }

    /// <summary>
    /// Decides per page: reuse the published page when none of its sources changed, else write it. A parent (a page
    /// drawing on its children's abstracts) counts only the files its own selectors choose as its sources; when none
    /// of them changed but a child is written, the decision waits for the child (<see cref="PageDecision.AwaitsChildren"/>).
    /// </summary>
    /// <param name="details">The plan details.</param>
    /// <param name="outline">The outline of the run.</param>
    /// <param name="documentSetId">The set's id.</param>
    /// <param name="cancellationToken">Cancels reading pages back.</param>
    /// <returns>The decisions by page key.</returns>
    public async Task<Dictionary<string, PageDecision>> DecideAsync(PlanDetails details, Outline outline, string documentSetId, CancellationToken cancellationToken)
    {
        var published = _manifest?.Pages.ToDictionary(p => p.Key, StringComparer.Ordinal) ?? [];
        var decisions = new Dictionary<string, PageDecision>(StringComparer.Ordinal);

        // Children are decided before their parents, whose decision depends on theirs.
        foreach (var page in outline.Pages.OrderByDescending(p => Depth(outline, p)))
        {
            var children = IsParent(page, outline) ? outline.ChildrenOf(page.Key).Select(c => decisions[c.Key]).ToList() : null;
            decisions[page.Key] = Decide(page, published.GetValueOrDefault(page.Key), children);
        }

        // A reused page is republished with the set only when another page is written; then its text is needed.
        if (decisions.Values.All(d => d.Reuse) && UpToDate)
        {
            return decisions;
        }

        // Pages whose sources changed are updated from their published text plus the changes, when it can be read.
        foreach (var (key, decision) in decisions.Where(d => d.Value.Reuse || (_changed is not null && published.ContainsKey(d.Key))).ToList())
        {
            var markdown = await details.Publisher.ReadPageMarkdownAsync(documentSetId, key, cancellationToken).ConfigureAwait(false);
            decisions[key] = markdown is null && decision.Reuse
                ? decision with { Reuse = false, Reason = "the target cannot return the published page's text" }
                : decision with { Markdown = markdown };
        }

        return decisions;
    }

    /// <summary>
    /// Tells whether a page is a parent in the sense of the incremental rule: it draws on the abstracts of pages below
    /// it. Such a page follows its children, not the module summaries it may also draw on.
    /// </summary>
    /// <param name="page">The page.</param>
    /// <param name="outline">The outline.</param>
    /// <returns>Whether the page is a parent.</returns>
    public static bool IsParent(OutlinePage page, Outline outline) =>
        page.Context.Contains(PageContextKinds.Children) && outline.ChildrenOf(page.Key).Count > 0;

    /// <summary>Gets how far below the top of the outline a page is.</summary>
    /// <param name="outline">The outline.</param>
    /// <param name="page">The page.</param>
    /// <returns>0 for a top-level page.</returns>
    public static int Depth(Outline outline, OutlinePage page)
    {
        var depth = 0;
        for (var parent = page.ParentKey; parent is not null && depth < 64; parent = outline.Find(parent)?.ParentKey)
        {
            depth++;
        }

        return depth;
    }

    private PageDecision Decide(OutlinePage page, PublishedPage? published, IReadOnlyList<PageDecision>? children)
    {
        if (published is null || _changed is null)
        {
            return new PageDecision(false, null, [], published is null ? "new page" : FullRunReason);
        }

        // A parent's recorded sources include every file behind the summaries it drew on; only the files its own
        // selectors choose are excerpted on it, so only those make it out of date by themselves.
        var before = published.SourceFiles.Where(f => children is null || IsSelected(page, f)).ToHashSet(StringComparer.Ordinal);
        var selectedNow = page.SourceFiles.Where(f => !before.Contains(f)).ToList();
        var changed = before.Where(_changed.Contains).ToList();
        if (changed.Count > 0)
        {
            return new PageDecision(false, null, published.SourceFiles, $"its sources changed ({string.Join(", ", changed.Take(3))}{(changed.Count > 3 ? ", ..." : string.Empty)})");
        }

        // A file that newly falls under the page's selectors was added or moved there; the page must describe it.
        if (selectedNow.Any(_changed.Contains))
        {
            return new PageDecision(false, null, published.SourceFiles, $"new files fall under it ({string.Join(", ", selectedNow.Where(_changed.Contains).Take(3))})");
        }

        return children is not null && children.Any(c => !c.Reuse)
            ? new PageDecision(false, null, published.SourceFiles, "pages below it are written; it is updated only if their gist changes") { AwaitsChildren = true }
            : new PageDecision(true, null, published.SourceFiles, null);
    }

    // Selectors choose by path alone, so a path is matched without its file, which a deleted path no longer has.
    private static bool IsSelected(OutlinePage page, string path)
    {
        SnapshotFile[] probe = [new(path, 0, 0, 0)];
        return page.Selectors.Any(s => SourceSelection.Select(s, probe).Any());
    }
}
