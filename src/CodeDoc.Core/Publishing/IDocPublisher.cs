namespace CodeDoc.Core;

/// <summary>What happened (or, in a dry run, would happen) to one page.</summary>
public enum PageOutcomeKind
{
    /// <summary>The page was created.</summary>
    Created,

    /// <summary>The page's content, title or position was updated.</summary>
    Updated,

    /// <summary>Nothing changed; no write was made.</summary>
    Unchanged,

    /// <summary>A person edited the page since the last publish, so it was left alone (a force option overrides).</summary>
    SkippedEditedByPerson,

    /// <summary>The page left the outline and was removed or archived.</summary>
    Removed,

    /// <summary>The page could not be published; see the reason.</summary>
    Failed,
}

/// <summary>The outcome for one page.</summary>
/// <param name="Key">The page key.</param>
/// <param name="Title">The page title as published.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Link">Where the page lives (a URL, or a path relative to the output folder).</param>
/// <param name="Reason">Details for skips, failures, renames and title clashes.</param>
public sealed record PageOutcome(string Key, string Title, PageOutcomeKind Kind, string? Link, string? Reason = null);

/// <summary>The result of publishing a documentation set.</summary>
/// <param name="DocumentSetId">The set's id.</param>
/// <param name="DryRun">Whether this was a dry run (nothing written).</param>
/// <param name="Pages">One outcome per page, removed pages included.</param>
public sealed record PublishResult(string DocumentSetId, bool DryRun, IReadOnlyList<PageOutcome> Pages)
{
    /// <summary>Counts the pages with an outcome.</summary>
    /// <param name="kind">The outcome.</param>
    /// <returns>How many pages had it.</returns>
    public int Count(PageOutcomeKind kind) => Pages.Count(p => p.Kind == kind);

    /// <summary>Gets a value indicating whether any page failed.</summary>
    public bool HasFailures => Pages.Any(p => p.Kind == PageOutcomeKind.Failed);
}

/// <summary>Options of one publish.</summary>
public sealed record PublishOptions
{
    /// <summary>Gets a value indicating whether to compute every outcome without writing anything.</summary>
    public bool DryRun { get; init; }

    /// <summary>Gets a value indicating whether to overwrite pages a person has edited since the last publish.</summary>
    public bool Force { get; init; }
}

/// <summary>The manifest entry of one published page.</summary>
public sealed record PublishedPage
{
    /// <summary>Gets the page key.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the title as published.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the parent page's key.</summary>
    public string? ParentKey { get; init; }

    /// <summary>Gets the page's identity at the target: a path relative to the folder, or a page id.</summary>
    public required string TargetId { get; init; }

    /// <summary>Gets the hash of the content as CodeDoc last wrote it (team notes excluded), to detect edits by people.</summary>
    public required string ContentHash { get; init; }

    /// <summary>Gets the target's version number after CodeDoc's last write, where the target has versions.</summary>
    public long? Version { get; init; }

    /// <summary>Gets the commit the page describes.</summary>
    public string? SourceCommit { get; init; }

    /// <summary>Gets the repository files the page was written from.</summary>
    public IReadOnlyList<string> SourceFiles { get; init; } = [];

    /// <summary>
    /// Gets the file names of the page's attachments as CodeDoc last wrote them, so attachments dropped from the page
    /// (or left behind by a move) can be removed without touching files CodeDoc did not write.
    /// </summary>
    public IReadOnlyList<string> Attachments { get; init; } = [];
}

/// <summary>
/// The publish manifest of a documentation set. The master copy lives at the target (a file in the folder,
/// content properties on Confluence pages); pages are found by the ids recorded here, never by title.
/// </summary>
public sealed record PublishManifest
{
    /// <summary>Gets the manifest schema version.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>Gets the documentation set's id.</summary>
    public required string DocumentSetId { get; init; }

    /// <summary>Gets the commit last published.</summary>
    public string? SourceCommit { get; init; }

    /// <summary>Gets the generator version that published it.</summary>
    public string? GeneratorVersion { get; init; }

    /// <summary>Gets when it was published.</summary>
    public DateTimeOffset PublishedAt { get; init; }

    /// <summary>Gets the published pages.</summary>
    public required IReadOnlyList<PublishedPage> Pages { get; init; }

    /// <summary>Gets the set's <see cref="DocumentSet.Properties"/> as last published.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A documentation target: a Markdown folder, a Confluence space. Pages are identified through the publish
/// manifest; unchanged pages cost no writes; pages a person edited are not overwritten unless forced.
/// </summary>
/// <remarks>
/// Implementations validate the set first (see <see cref="DocumentSetValidator"/>) and never lose what is already
/// published because of bad input. Errors are reported through the <see cref="DocPublisherException"/> family.
/// </remarks>
public interface IDocPublisher
{
    /// <summary>Gets the publisher's name, kind and endpoint.</summary>
    ProviderMetadata Metadata { get; }

    /// <summary>Checks that the target is reachable and writable, saying what is missing.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The verdict; a failed check is a result, not an exception.</returns>
    Task<AccessCheckResult> CheckAccessAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the published state of a documentation set from the target.</summary>
    /// <param name="documentSetId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The manifest, or <see langword="null"/> when the set was never published here.</returns>
    Task<PublishManifest?> ReadManifestAsync(string documentSetId, CancellationToken cancellationToken = default);

    /// <summary>Publishes a documentation set (or, with <see cref="PublishOptions.DryRun"/>, reports what would change).</summary>
    /// <param name="documentSet">The set.</param>
    /// <param name="options">Dry run and force.</param>
    /// <param name="cancellationToken">Cancels the publish; pages already written stay recorded in the manifest.</param>
    /// <returns>One outcome per page.</returns>
    /// <exception cref="InvalidDocumentSetException">The set is not a valid page tree; nothing was written.</exception>
    Task<PublishResult> PublishAsync(DocumentSet documentSet, PublishOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a published page back as page Markdown, as a <see cref="DocumentPage"/> would carry it (links to other
    /// pages of the set in <see cref="DocumentLinks.PageScheme"/> form), so incremental runs can update it from its
    /// text and republish it unchanged when nothing changed. The default returns <see langword="null"/>: such a target
    /// gets its pages regenerated instead.
    /// </summary>
    /// <param name="documentSetId">The set's id.</param>
    /// <param name="pageKey">The page key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The Markdown, or <see langword="null"/> when the page is not published or cannot be read back.</returns>
    Task<string?> ReadPageMarkdownAsync(string documentSetId, string pageKey, CancellationToken cancellationToken = default) =>
        Task.FromResult<string?>(null);
}
