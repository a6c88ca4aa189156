using System.Text.Json;
using Refit;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Confluence Cloud: every read and the page and property writes through REST v2; label writes and attachment uploads
/// through v1, which v2 lacks.
/// </summary>
/// <param name="v2">The v2 client.</param>
/// <param name="v1">The v1 client.</param>
/// <param name="calls">Runs calls and translates failures.</param>
/// <param name="endpoint">The endpoint, for links.</param>
internal sealed class CloudSite(IConfluenceV2Api v2, IConfluenceV1Api v1, SiteCalls calls, ConfluenceEndpoint endpoint) : IConfluenceSite
{
    private const int PageSize = 250;
    private const string AnyLiveStatus = "current,archived,trashed";

    public bool IsCloud => true;

    public Task CheckCredentialsAsync(CancellationToken cancellationToken) =>
        calls.ExpectAsync(ct => v2.GetSpacesAsync(null, 1, ct), "list spaces", "the credential check", cancellationToken);

    public async Task<SiteSpace?> GetSpaceAsync(string key, CancellationToken cancellationToken)
    {
        var spaces = await calls.ExpectAsync(ct => v2.GetSpacesAsync(key, 1, ct), "look up a space", $"space {key}", cancellationToken).ConfigureAwait(false);
        return spaces.Results.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.Ordinal)) is { } space
            ? new SiteSpace(space.Id, space.Key, space.HomepageId)
            : null;
    }

    public async Task<bool?> CanCreatePagesAsync(SiteSpace space, CancellationToken cancellationToken)
    {
        var operations = await calls.ExpectAsync(ct => v2.GetSpaceOperationsAsync(space.Id, ct), "read the permitted operations", $"space {space.Key}", cancellationToken).ConfigureAwait(false);
        return operations.Operations.Any(o => o.Operation == "create" && o.TargetType == "page");
    }

    public async Task<SitePage?> GetPageAsync(string id, bool withBody, CancellationToken cancellationToken)
    {
        var page = await calls.ExpectOrNotFoundAsync(ct => v2.GetPageAsync(id, withBody ? "storage" : null, AnyLiveStatus, ct), "read a page", $"page {id}", cancellationToken).ConfigureAwait(false);
        return page is null ? null : Map(page);
    }

    public async Task<IReadOnlyList<SitePage>> GetPagesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var pages = new List<SitePage>(ids.Count);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(PageSize))
        {
            var joined = string.Join(',', chunk);
            pages.AddRange(await AllAsync((cursor, ct) => v2.GetPagesAsync(joined, null, null, AnyLiveStatus, PageSize, cursor, ct), "read pages", $"{chunk.Length} pages", cancellationToken).ConfigureAwait(false));
        }

        return pages;
    }

    public Task<IReadOnlyList<SitePage>> FindPagesByTitleAsync(SiteSpace space, string title, CancellationToken cancellationToken) =>
        AllAsync((cursor, ct) => v2.GetPagesAsync(null, space.Id, title, AnyLiveStatus, PageSize, cursor, ct), "look up a title", $"title \"{title}\" in space {space.Key}", cancellationToken);

    public Task<IReadOnlyList<SitePage>> SearchPagesByTitleAsync(SiteSpace space, string title, CancellationToken cancellationToken) =>
        TitleSearch.FindAsync(v1, calls, space, title, cancellationToken);

    public Task<IReadOnlyList<SitePage>> GetChildrenAsync(string id, CancellationToken cancellationToken) =>
        AllAsync((cursor, ct) => v2.GetChildrenAsync(id, PageSize, cursor, ct), "list child pages", $"page {id}", cancellationToken);

    public async Task<SitePage> CreatePageAsync(SiteSpace space, string parentId, string title, string body, CancellationToken cancellationToken)
    {
        var request = new V2PageCreate { SpaceId = space.Id, ParentId = parentId, Title = title, Body = new V2BodyValue { Value = body } };
        return Map(await calls.ExpectAsync(ct => v2.CreatePageAsync(request, ct), "create a page", $"\"{title}\" under page {parentId}", cancellationToken).ConfigureAwait(false));
    }

    public async Task<SitePage> UpdatePageAsync(SiteSpace space, SitePageUpdate update, CancellationToken cancellationToken)
    {
        var request = new V2PageUpdate
        {
            Id = update.Id,
            Title = update.Title,
            ParentId = update.ParentId,
            Body = new V2BodyValue { Value = update.Body },
            Version = new V2VersionWrite { Number = update.Version, Message = update.Message },
        };
        return Map(await calls.ExpectAsync(ct => v2.UpdatePageAsync(update.Id, request, ct), "update a page", $"page {update.Id}", cancellationToken).ConfigureAwait(false));
    }

    public async Task<SitePage> RestorePageAsync(SiteSpace space, SitePage page, CancellationToken cancellationToken)
    {
        // Restoring through v2 changes only the status; the body is required by the schema but ignored.
        var request = new V2PageUpdate
        {
            Id = page.Id,
            Title = page.Title,
            Body = new V2BodyValue { Value = string.Empty },
            Version = new V2VersionWrite { Number = page.Version + 1 },
        };
        return Map(await calls.ExpectAsync(ct => v2.UpdatePageAsync(page.Id, request, ct), "restore a page from the trash", $"page {page.Id}", cancellationToken).ConfigureAwait(false));
    }

    public Task DeletePageAsync(string id, CancellationToken cancellationToken) =>
        calls.ExpectAsync(ct => v2.DeletePageAsync(id, ct), "move a page to the trash", $"page {id}", cancellationToken, notFoundIsSuccess: true);

    public async Task<SiteProperty?> GetPropertyAsync(string pageId, string key, CancellationToken cancellationToken)
    {
        var properties = await calls.ExpectAsync(ct => v2.GetPropertiesAsync(pageId, key, ct), "read a content property", $"property {key} of page {pageId}", cancellationToken).ConfigureAwait(false);
        return properties.Results.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.Ordinal)) is { } property ? Map(property) : null;
    }

    public async Task<SiteProperty> CreatePropertyAsync(string pageId, string key, JsonElement value, CancellationToken cancellationToken) =>
        Map(await calls.ExpectAsync(ct => v2.CreatePropertyAsync(pageId, new V2PropertyWrite { Key = key, Value = value }, ct), "create a content property", $"property {key} of page {pageId}", cancellationToken).ConfigureAwait(false));

    public async Task<SiteProperty> UpdatePropertyAsync(string pageId, SiteProperty current, JsonElement value, CancellationToken cancellationToken)
    {
        var request = new V2PropertyWrite { Key = current.Key, Value = value, Version = new V2VersionWrite { Number = current.Version + 1 } };
        return Map(await calls.ExpectAsync(ct => v2.UpdatePropertyAsync(pageId, current.Id, request, ct), "update a content property", $"property {current.Key} of page {pageId}", cancellationToken).ConfigureAwait(false));
    }

    public Task DeletePropertyAsync(string pageId, SiteProperty property, CancellationToken cancellationToken) =>
        calls.ExpectAsync(ct => v2.DeletePropertyAsync(pageId, property.Id, ct), "delete a content property", $"property {property.Key} of page {pageId}", cancellationToken, notFoundIsSuccess: true);

    public Task AddLabelsAsync(string pageId, IReadOnlyList<string> labels, CancellationToken cancellationToken) =>
        calls.ExpectAsync(ct => v1.AddLabelsAsync(pageId, [.. labels.Select(l => new V1Label { Name = l })], ct), "add labels", $"page {pageId}", cancellationToken);

    public Task RemoveLabelAsync(string pageId, string label, CancellationToken cancellationToken) =>
        calls.ExpectAsync(ct => v1.RemoveLabelAsync(pageId, label, ct), "remove a label", $"label {label} of page {pageId}", cancellationToken, notFoundIsSuccess: true);

    public async Task<IReadOnlyList<SiteAttachment>> GetAttachmentsAsync(string pageId, CancellationToken cancellationToken)
    {
        var attachments = new List<SiteAttachment>();
        string? cursor = null;
        do
        {
            var results = await calls.ExpectAsync(ct => v2.GetAttachmentsAsync(pageId, PageSize, cursor, ct), "list attachments", $"page {pageId}", cancellationToken).ConfigureAwait(false);
            attachments.AddRange(results.Results.Select(a => new SiteAttachment(a.Id, a.Title, a.Comment)));
            cursor = NextCursor(results.Links);
        }
        while (cursor is not null);
        return attachments;
    }

    public Task UploadAttachmentAsync(string pageId, string? existingId, string fileName, string mediaType, ReadOnlyMemory<byte> content, string comment, CancellationToken cancellationToken)
    {
        var file = new ByteArrayPart(content.ToArray(), fileName, mediaType);
        return existingId is null
            ? calls.ExpectAsync(async ct => (IApiResponse)await v1.CreateAttachmentAsync(pageId, file, comment, "true", ct).ConfigureAwait(false), "upload an attachment", $"{fileName} on page {pageId}", cancellationToken)
            : calls.ExpectAsync(async ct => (IApiResponse)await v1.UpdateAttachmentDataAsync(pageId, existingId, file, comment, "true", ct).ConfigureAwait(false), "upload a new version of an attachment", $"{fileName} on page {pageId}", cancellationToken);
    }

    public Task DeleteAttachmentAsync(string attachmentId, CancellationToken cancellationToken) =>
        calls.ExpectAsync(ct => v2.DeleteAttachmentAsync(attachmentId, ct), "delete an attachment", $"attachment {attachmentId}", cancellationToken, notFoundIsSuccess: true);

    public string PageLink(SiteSpace space, string pageId) => endpoint.PageLink(space.Key, pageId);

    /// <summary>Reads the cursor out of a v2 <c>next</c> link (a relative URL with a <c>cursor</c> query parameter).</summary>
    /// <param name="links">The links.</param>
    /// <returns>The cursor, or <see langword="null"/> on the last page.</returns>
    internal static string? NextCursor(V2Links? links)
    {
        if (links?.Next is not { Length: > 0 } next)
        {
            return null;
        }

        var query = next.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? next[(q + 1)..] : string.Empty;
        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair[..equals] == "cursor")
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }

    private async Task<IReadOnlyList<SitePage>> AllAsync(
        Func<string?, CancellationToken, Task<IApiResponse<V2Results<V2Page>>>> call, string operation, string subject, CancellationToken cancellationToken)
    {
        var pages = new List<SitePage>();
        string? cursor = null;
        do
        {
            var results = await calls.ExpectAsync(ct => call(cursor, ct), operation, subject, cancellationToken).ConfigureAwait(false);
            pages.AddRange(results.Results.Select(Map));
            cursor = NextCursor(results.Links);
        }
        while (cursor is not null);
        return pages;
    }

    private static SitePage Map(V2Page page) =>
        new(page.Id, page.Title, page.ParentId, page.Status ?? "current", page.Version?.Number ?? 1, page.Version?.Message, page.Body?.Storage?.Value);

    private static SiteProperty Map(V2Property property) =>
        new(property.Id, property.Key, property.Value, property.Version?.Number ?? 1);
}
