using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Publishes a documentation set into a Confluence space (kind <c>confluence</c>) as a page tree under a parent page.
/// Pages are identified by the ids recorded in the manifest (kept in content properties at the site), never by title;
/// unchanged pages cost no write; pages a person edited are not overwritten (unless forced or configured); team notes
/// survive regeneration; a dry run only reads; an interrupted publish converges when run again.
/// </summary>
internal sealed partial class ConfluencePublisher : IDocPublisher, IDisposable
{
    /// <summary>The publisher kind.</summary>
    public const string PublisherKind = "confluence";

    // Each refusal costs a stopped round; more distinct refused titles than this in one publish fail their pages instead.
    private const int MaxRefusedTitles = 10;

    private readonly ConfluenceConnection _connection;
    private readonly PublisherSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IDisposable? _owned;

    /// <summary>Initializes a new instance of the <see cref="ConfluencePublisher"/> class.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="options">Validated options; their values are taken now.</param>
    /// <param name="createClient">Creates the instance's HTTP client.</param>
    /// <param name="timeProvider">The clock for the manifest's publish time.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="owned">Something the publisher owns and disposes with itself (the private services of a factory-made publisher).</param>
    public ConfluencePublisher(string name, ConfluenceOptions options, Func<HttpClient> createClient, TimeProvider timeProvider, ILogger<ConfluencePublisher> logger, IDisposable? owned = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createClient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var endpoint = ConfluenceEndpoint.From(options);
        _connection = new ConfluenceConnection(name, endpoint, createClient);
        _settings = new PublisherSettings(options);
        _timeProvider = timeProvider;
        _logger = logger;
        _owned = owned;
        var product = endpoint.IsCloud ? "Confluence Cloud" : "Confluence Data Center";
        Metadata = new ProviderMetadata(name, PublisherKind, $"{product} {endpoint.SiteBase} space {_settings.SpaceKey}", endpoint.SiteBase);
    }

    /// <inheritdoc />
    public ProviderMetadata Metadata { get; }

    /// <inheritdoc />
    public async Task<AccessCheckResult> CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var checks = new List<AccessCheckItem>();
        try
        {
            var site = await _connection.GetSiteAsync(cancellationToken).ConfigureAwait(false);
            await site.CheckCredentialsAsync(cancellationToken).ConfigureAwait(false);
            checks.Add(new AccessCheckItem("Credentials", true, $"{Metadata.DisplayName}: the credentials are accepted."));

            var space = await site.GetSpaceAsync(_settings.SpaceKey, cancellationToken).ConfigureAwait(false);
            if (space is null)
            {
                checks.Add(new AccessCheckItem("Space", false, UnknownSpaceMessage()));
                return new AccessCheckResult(checks);
            }

            checks.Add(new AccessCheckItem("Space", true, $"Space {space.Key} exists and is visible."));
            checks.Add(await CheckParentAsync(site, space, cancellationToken).ConfigureAwait(false));
            checks.Add(await site.CanCreatePagesAsync(space, cancellationToken).ConfigureAwait(false) switch
            {
                true => new AccessCheckItem("Permission", true, $"The account may create pages in space {space.Key}."),
                false => new AccessCheckItem("Permission", false,
                    $"The account may not create pages in space {space.Key}: a space administrator must grant it 'Add pages' (and 'Delete pages', " +
                    "'Add attachments' for archiving and diagrams) in the space permissions."),
                null => new AccessCheckItem("Permission", true, $"The site does not say whether the account may create pages in space {space.Key}; the first publish will tell."),
            });
        }
        catch (DocPublisherException e)
        {
            checks.Add(new AccessCheckItem(checks.Count == 0 ? "Credentials" : "Confluence", false, e.Message));
        }

        return new AccessCheckResult(checks);
    }

    /// <inheritdoc />
    public async Task<PublishManifest?> ReadManifestAsync(string documentSetId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(documentSetId);
        cancellationToken.ThrowIfCancellationRequested();
        var target = await OpenTargetAsync(cancellationToken).ConfigureAwait(false);
        var manifest = await new ManifestStore(target.Site, target.AnchorId, documentSetId, Metadata.Name).ReadAsync(cancellationToken).ConfigureAwait(false);
        return manifest?.ToPublishManifest();
    }

    /// <inheritdoc />
    public async Task<PublishResult> PublishAsync(DocumentSet documentSet, PublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentSet);
        cancellationToken.ThrowIfCancellationRequested();
        DocumentSetValidator.ThrowIfInvalid(documentSet);
        if (ManifestStore.CheckProperties(documentSet.Properties) is { } problem)
        {
            throw new InvalidDocumentSetException(problem) { ProviderName = Metadata.Name, OperationName = "publish" };
        }

        options ??= new PublishOptions();
        Log.Publishing(_logger, Metadata.Name, documentSet.Id, documentSet.Pages.Count, options.DryRun);

        var target = await OpenTargetAsync(cancellationToken).ConfigureAwait(false);
        var store = new ManifestStore(target.Site, target.AnchorId, documentSet.Id, Metadata.Name);
        var overwriteEdits = options.Force || _settings.EditedPages == ConfluenceEditedPages.Overwrite;

        // Confluence keeps titles unique ignoring case while its title look-up matches exactly, so a title the plan found
        // free can be refused. Then the publish stops as if interrupted (it converges from any stop), finds the holder
        // with a CQL search, and plans again with that title taken: pages already written that link to the page are
        // written again with its new title, and the report says why the page got it.
        var refusedTitles = new Dictionary<string, TitleHolder>(StringComparer.OrdinalIgnoreCase);
        var written = new Dictionary<string, PageOutcome>(StringComparer.Ordinal);
        IReadOnlyList<PageOutcome> outcomes;
        while (true)
        {
            var manifest = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
            var plan = await PlanAsync(target, store, documentSet, manifest, overwriteEdits, refusedTitles, cancellationToken).ConfigureAwait(false);
            outcomes = plan.Outcomes();
            if (options.DryRun || !plan.HasWork)
            {
                break;
            }

            var execution = await ExecuteAsync(
                target, store, plan, title => refusedTitles.Count < MaxRefusedTitles && !refusedTitles.ContainsKey(title), cancellationToken).ConfigureAwait(false);
            outcomes = execution.Outcomes;
            if (execution.RefusedTitle is not { } refused)
            {
                break;
            }

            refusedTitles[refused] = await FindTitleHolderAsync(target, refused, cancellationToken).ConfigureAwait(false);
            foreach (var outcome in outcomes)
            {
                written[outcome.Key] = written.TryGetValue(outcome.Key, out var earlier) ? Combine(earlier, outcome) : outcome;
            }
        }

        outcomes = [.. outcomes.Select(o => written.TryGetValue(o.Key, out var earlier) ? Combine(earlier, o) : o)];
        var result = new PublishResult(documentSet.Id, options.DryRun, outcomes);
        LogSummary(result);
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.Dispose();
        _owned?.Dispose();
    }

    /// <summary>Combines what a page went through in an earlier, stopped round of this publish with its later outcome.</summary>
    /// <param name="earlier">The outcome of the earlier write.</param>
    /// <param name="later">The outcome of the later round.</param>
    /// <returns>The outcome to report.</returns>
    private static PageOutcome Combine(PageOutcome earlier, PageOutcome later) => later.Kind switch
    {
        // Written before the stop, nothing more to do after it: the earlier write is what happened.
        PageOutcomeKind.Unchanged => earlier with { Link = earlier.Link ?? later.Link },

        // Created, then written again (a link to a re-titled page): it is still a new page.
        PageOutcomeKind.Updated when earlier.Kind == PageOutcomeKind.Created => later with
        {
            Kind = PageOutcomeKind.Created,
            Reason = string.Join(" ", new[] { earlier.Reason, later.Reason }.Where(r => !string.IsNullOrEmpty(r))) is { Length: > 0 } reason ? reason : null,
        },
        _ => later,
    };

    /// <summary>Finds the page that holds a title Confluence refused, with a CQL search (the title look-up missed it).</summary>
    /// <param name="target">Where the set goes.</param>
    /// <param name="title">The refused title.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The holder; with no id when the search does not show it (trashed, archived, or hidden from the account).</returns>
    private async Task<TitleHolder> FindTitleHolderAsync(PublishTarget target, string title, CancellationToken cancellationToken)
    {
        try
        {
            var found = await target.Site.SearchPagesByTitleAsync(target.Space, title, cancellationToken).ConfigureAwait(false);
            return found.Count > 0 ? TitleHolder.Of(found[0]) : new TitleHolder(null, null);
        }
        catch (DocPublisherException e) when (e is not DocPublisherRateLimitedException)
        {
            // Confluence has said the title is taken; the search only names the holder for the report.
            Log.TitleSearchFailed(_logger, title, e);
            return new TitleHolder(null, null);
        }
    }

    private async Task<PublishTarget> OpenTargetAsync(CancellationToken cancellationToken)
    {
        var site = await _connection.GetSiteAsync(cancellationToken).ConfigureAwait(false);
        var space = await site.GetSpaceAsync(_settings.SpaceKey, cancellationToken).ConfigureAwait(false)
            ?? throw new DocPublisherNotFoundException(UnknownSpaceMessage()) { ProviderName = Metadata.Name, OperationName = "look up the space" };
        if (_settings.ParentPageId is { } parentId)
        {
            var parent = await site.GetPageAsync(parentId, withBody: false, cancellationToken).ConfigureAwait(false);
            if (parent is not { IsLive: true })
            {
                throw new DocPublisherNotFoundException(MissingParentMessage(parentId, parent)) { ProviderName = Metadata.Name, OperationName = "look up the parent page" };
            }

            return new PublishTarget(site, space, parentId);
        }

        return space.HomepageId is { } home
            ? new PublishTarget(site, space, home)
            : throw new DocPublisherNotFoundException(NoHomePageMessage(space)) { ProviderName = Metadata.Name, OperationName = "look up the space's home page" };
    }

    private async Task<AccessCheckItem> CheckParentAsync(IConfluenceSite site, SiteSpace space, CancellationToken cancellationToken)
    {
        if (_settings.ParentPageId is not { } parentId)
        {
            return space.HomepageId is null
                ? new AccessCheckItem("Parent page", false, NoHomePageMessage(space))
                : new AccessCheckItem("Parent page", true, $"No ParentPageId is set: the set goes under the home page of space {space.Key} (page {space.HomepageId}).");
        }

        var parent = await site.GetPageAsync(parentId, withBody: false, cancellationToken).ConfigureAwait(false);
        return parent is { IsLive: true }
            ? new AccessCheckItem("Parent page", true, $"The parent page {parentId} (\"{parent.Title}\") exists.")
            : new AccessCheckItem("Parent page", false, MissingParentMessage(parentId, parent));
    }

    private string UnknownSpaceMessage() =>
        $"Space '{_settings.SpaceKey}' does not exist at {_connection.Endpoint.SiteBase}, or the account may not see it: check SpaceKey (the key is in the " +
        "space's address, /spaces/KEY/) and that the account has the space's 'View' permission.";

    private static string MissingParentMessage(string parentId, SitePage? parent) => parent is null
        ? $"The parent page {parentId} (ParentPageId) does not exist or the account may not see it: use the id in the page's address (/pages/123456/...)."
        : $"The parent page {parentId} (ParentPageId) is {parent.Status}: restore it, or choose another parent page.";

    private static string NoHomePageMessage(SiteSpace space) =>
        $"Space {space.Key} has no home page to publish under: set ParentPageId to the id of the page that should hold the documentation.";

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

    /// <summary>The site, space and page a publish works under.</summary>
    /// <param name="Site">The site.</param>
    /// <param name="Space">The space.</param>
    /// <param name="AnchorId">The id of the page the set's top-level pages go under, which also holds the manifest.</param>
    private sealed record PublishTarget(IConfluenceSite Site, SiteSpace Space, string AnchorId);

    /// <summary>The option values a publish uses, taken once.</summary>
    private sealed class PublisherSettings(ConfluenceOptions options)
    {
        public string SpaceKey { get; } = options.SpaceKey!;

        public string? ParentPageId { get; } = options.ParentPageId is { Length: > 0 } id ? id : null;

        public ConfluenceRemovedPages RemovedPages { get; } = options.RemovedPages;

        public ConfluenceEditedPages EditedPages { get; } = options.EditedPages;

        public bool AddTeamNotesSection { get; } = options.AddTeamNotesSection;

        public int TableOfContentsMinHeadings { get; } = options.TableOfContentsMinHeadings;

        public string? MermaidMacroName { get; } = options.MermaidMacroName is { Length: > 0 } macro ? macro : null;

        public IMermaidRenderer? MermaidRenderer { get; } = options.MermaidRenderer;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "Confluence publisher {Name}: publishing documentation set {DocumentSetId} ({PageCount} pages, dry run: {DryRun})")]
        public static partial void Publishing(ILogger logger, string name, string documentSetId, int pageCount, bool dryRun);

        [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "Page {Key} ({PageId}): {Outcome}")]
        public static partial void PageDone(ILogger logger, string key, string? pageId, PageOutcomeKind outcome);

        [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Page {Key} ({PageId}) was edited by a person since the last publish; not overwritten")]
        public static partial void PageEditedByPerson(ILogger logger, string key, string pageId);

        [LoggerMessage(EventId = 7103, Level = LogLevel.Error, Message = "Page {Key} could not be published")]
        public static partial void PageFailed(ILogger logger, string key, Exception exception);

        [LoggerMessage(EventId = 7104, Level = LogLevel.Information, Message = "Documentation set {DocumentSetId}: {Created} created, {Updated} updated, {Unchanged} unchanged, {Skipped} skipped (edited by a person), {Removed} removed, {Failed} failed (dry run: {DryRun})")]
        public static partial void Published(ILogger logger, string documentSetId, int created, int updated, int unchanged, int skipped, int removed, int failed, bool dryRun);

        [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "Page {Key}: the title \"{Wanted}\" is taken by a page CodeDoc does not own, so it is published as \"{Title}\"")]
        public static partial void TitleTaken(ILogger logger, string key, string wanted, string title);

        [LoggerMessage(EventId = 7106, Level = LogLevel.Information, Message = "Page {Key} ({PageId}): version conflict, read again and retrying (attempt {Attempt})")]
        public static partial void VersionConflict(ILogger logger, string key, string pageId, int attempt);

        [LoggerMessage(EventId = 7108, Level = LogLevel.Warning, Message = "Page {Key}: Confluence refused the title \"{Title}\" (another page holds it, in another spelling); planning again with the title taken")]
        public static partial void TitleRefused(ILogger logger, string key, string title);

        [LoggerMessage(EventId = 7109, Level = LogLevel.Warning, Message = "The search for the page that holds the title \"{Title}\" failed; the title is treated as taken by a page CodeDoc cannot see")]
        public static partial void TitleSearchFailed(ILogger logger, string title, Exception exception);

        [LoggerMessage(EventId = 7107, Level = LogLevel.Error, Message = "The manifest of documentation set {DocumentSetId} could not be saved")]
        public static partial void ManifestNotSaved(ILogger logger, string documentSetId, Exception exception);

        [LoggerMessage(EventId = 7110, Level = LogLevel.Information, Message = "Page {Key} ({PageId}): its Markdown is too large to keep in a content property, so an incremental run regenerates the page instead of updating it")]
        public static partial void MarkdownNotKept(ILogger logger, string key, string pageId);
    }
}
