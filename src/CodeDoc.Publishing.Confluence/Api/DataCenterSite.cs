using System.Globalization;
using System.Text.Json;
using CodeDoc.Core;
using Refit;

namespace CodeDoc.Publishing.Confluence;

/// <summary>Confluence Data Center and Server: everything through REST v1, signed with a personal access token.</summary>
/// <param name="v1">The v1 client.</param>
/// <param name="calls">Runs calls and translates failures.</param>
/// <param name="endpoint">The endpoint, for links and messages.</param>
/// <param name="providerName">The publisher's registration name.</param>
internal sealed class DataCenterSite(IConfluenceV1Api v1, SiteCalls calls, ConfluenceEndpoint endpoint, string providerName) : IConfluenceSite
{
    private const int PageSize = 200;
    private const string PageExpand = "version,ancestors";

    public bool IsCloud => false;

    public async Task CheckCredentialsAsync(CancellationToken cancellationToken)
    {
        var user = await calls.ExpectAsync(ct => v1.GetCurrentUserAsync(ct), "read the current user", "the credential check", cancellationToken).ConfigureAwait(false);
        if (string.Equals(user.Type, "anonymous", StringComparison.OrdinalIgnoreCase))
        {
            throw new DocPublisherAuthenticationException(
                $"Confluence at {endpoint.SiteBase} treated CodeDoc as an anonymous user: the PersonalAccessToken was not accepted. " +
                "Check that it is a personal access token of this server (Confluence 7.9 or later) and that it has not expired.")
            {
                ProviderName = providerName,
                OperationName = "read the current user",
            };
        }
    }

    public async Task<SiteSpace?> GetSpaceAsync(string key, CancellationToken cancellationToken)
    {
        var space = await calls.ExpectOrNotFoundAsync(ct => v1.GetSpaceAsync(key, "homepage", ct), "look up a space", $"space {key}", cancellationToken).ConfigureAwait(false);
        return space is null ? null : new SiteSpace(space.Id.ToString(CultureInfo.InvariantCulture), space.Key, space.Homepage?.Id is { Length: > 0 } home ? home : null);
    }

    public async Task<bool?> CanCreatePagesAsync(SiteSpace space, CancellationToken cancellationToken)
    {
        var withOperations = await calls.ExpectAsync(ct => v1.GetSpaceAsync(space.Key, "operations", ct), "read the permitted operations", $"space {space.Key}", cancellationToken).ConfigureAwait(false);
        return withOperations.Operations is { } operations ? operations.Any(o => o.Operation == "create" && o.TargetType == "page") : null;
    }

    public async Task<SitePage?> GetPageAsync(string id, bool withBody, CancellationToken cancellationToken)
    {
        var expand = withBody ? PageExpand + ",body.storage" : PageExpand;
        var content = await calls.ExpectOrNotFoundAsync(ct => v1.GetContentAsync(id, expand, "any", ct), "read a page", $"page {id}", cancellationToken).ConfigureAwait(false);
        return content is null ? null : Map(content);
    }

    public async Task<IReadOnlyList<SitePage>> GetPagesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var pages = new List<SitePage>(ids.Count);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (await GetPageAsync(id, withBody: false, cancellationToken).ConfigureAwait(false) is { } page)
            {
                pages.Add(page);
            }
        }

        return pages;
    }

    public async Task<IReadOnlyList<SitePage>> FindPagesByTitleAsync(SiteSpace space, string title, CancellationToken cancellationToken)
    {
        var found = await calls.ExpectAsync(ct => v1.FindContentAsync(space.Key, title, "page", "any", PageExpand, 25, ct), "look up a title", $"title \"{title}\" in space {space.Key}", cancellationToken).ConfigureAwait(false);
        return found.Results.Select(Map).ToList();
    }

    public Task<IReadOnlyList<SitePage>> SearchPagesByTitleAsync(SiteSpace space, string title, CancellationToken cancellationToken) =>
        TitleSearch.FindAsync(v1, calls, space, title, cancellationToken);

    public async Task<IReadOnlyList<SitePage>> GetChildrenAsync(string id, CancellationToken cancellationToken)
    {
        var children = new List<SitePage>();
        for (var start = 0; ; start += PageSize)
        {
            var first = start;
            var results = await calls.ExpectAsync(ct => v1.GetChildPagesAsync(id, first, PageSize, "version", ct), "list child pages", $"page {id}", cancellationToken).ConfigureAwait(false);
            children.AddRange(results.Results.Select(c => Map(c) with { ParentId = id }));
            if (results.Results.Count < PageSize)
            {
                return children;
            }
        }
    }

    public async Task<SitePage> CreatePageAsync(SiteSpace space, string parentId, string title, string body, CancellationToken cancellationToken)
    {
        var request = new V1ContentWrite
        {
            Title = title,
            Space = new V1SpaceRef { Key = space.Key },
            Ancestors = [new V1IdRef { Id = parentId }],
            Body = new V1Body { Storage = new V2BodyValue { Value = body } },
        };
        var created = await calls.ExpectAsync(ct => v1.CreateContentAsync(request, ct), "create a page", $"\"{title}\" under page {parentId}", cancellationToken).ConfigureAwait(false);
        return Map(created) with { ParentId = parentId };
    }

    public async Task<SitePage> UpdatePageAsync(SiteSpace space, SitePageUpdate update, CancellationToken cancellationToken)
    {
        var request = new V1ContentWrite
        {
            Id = update.Id,
            Status = "current",
            Title = update.Title,
            Space = new V1SpaceRef { Key = space.Key },
            Ancestors = [new V1IdRef { Id = update.ParentId }],
            Body = new V1Body { Storage = new V2BodyValue { Value = update.Body } },
            Version = new V1Version { Number = update.Version, Message = update.Message, MinorEdit = true },
        };
        var updated = await calls.ExpectAsync(ct => v1.UpdateContentAsync(update.Id, request, ct), "update a page", $"page {update.Id}", cancellationToken).ConfigureAwait(false);
        return Map(updated) with { ParentId = update.ParentId };
    }

    public async Task<SitePage> RestorePageAsync(SiteSpace space, SitePage page, CancellationToken cancellationToken)
    {
        var request = new V1ContentWrite
        {
            Id = page.Id,
            Status = "current",
            Title = page.Title,
            Space = new V1SpaceRef { Key = space.Key },
            Version = new V1Version { Number = page.Version + 1 },
        };
        var restored = await calls.ExpectAsync(ct => v1.UpdateContentAsync(page.Id, request, ct), "restore a page from the trash", $"page {page.Id}", cancellationToken).ConfigureAwait(false);
        return Map(restored) with { ParentId = restored.Ancestors is { Count: > 0 } ? restored.Ancestors[^1].Id : page.ParentId };
    }

    public Task DeletePageAsync(string id, CancellationToken cancellationToken) =>
        calls.ExpectAsync(ct => v1.DeleteContentAsync(id, ct), "move a page to the trash", $"page {id}", cancellationToken, notFoundIsSuccess: true);

    public async Task<SiteProperty?> GetPropertyAsync(string pageId, string key, CancellationToken cancellationToken)
    {
        var property = await calls.ExpectOrNotFoundAsync(ct => v1.GetPropertyAsync(pageId, key, ct), "read a content property", $"property {key} of page {pageId}", cancellationToken).ConfigureAwait(false);
        return property is null ? null : Map(property);
    }

    public async Task<SiteProperty> CreatePropertyAsync(string pageId, string key, JsonElement value, CancellationToken cancellationToken) =>
        Map(await calls.ExpectAsync(ct => v1.CreatePropertyAsync(pageId, new V1PropertyWrite { Key = key, Value = value }, ct), "create a content property", $"property {key} of page {pageId}", cancellationToken).ConfigureAwait(false));

    public async Task<SiteProperty> UpdatePropertyAsync(string pageId, SiteProperty current, JsonElement value, CancellationToken cancellationToken)
    {
        var request = new V1PropertyWrite { Key = current.Key, Value = value, Version = new V1Version { Number = current.Version + 1, MinorEdit = true } };
        return Map(await calls.ExpectAsync(ct => v1.UpdatePropertyAsync(pageId, current.Key, request, ct), "update a content property", $"property {current.Key} of page {pageId}", cancellationToken).ConfigureAwait(false));
    }

    public Task DeletePropertyAsync(string pageId, SiteProperty property, CancellationToken cancellationToken) =>
        calls.ExpectAsync(ct => v1.DeletePropertyAsync(pageId, property.Key, ct), "delete a content property", $"property {property.Key} of page {pageId}", cancellationToken, notFoundIsSuccess: true);

    public Task AddLabelsAsync(string pageId, IReadOnlyList<string> labels, CancellationToken cancellationToken) =>
        calls.ExpectAsync(ct => v1.AddLabelsAsync(pageId, [.. labels.Select(l => new V1Label { Name = l })], ct), "add labels", $"page {pageId}", cancellationToken);

    public Task RemoveLabelAsync(string pageId, string label, CancellationToken cancellationToken) =>
        calls.ExpectAsync(ct => v1.RemoveLabelAsync(pageId, label, ct), "remove a label", $"label {label} of page {pageId}", cancellationToken, notFoundIsSuccess: true);

    public async Task<IReadOnlyList<SiteAttachment>> GetAttachmentsAsync(string pageId, CancellationToken cancellationToken)
    {
        var attachments = new List<SiteAttachment>();
        for (var start = 0; ; start += PageSize)
        {
            var first = start;
            var results = await calls.ExpectAsync(ct => v1.GetAttachmentsAsync(pageId, first, PageSize, ct), "list attachments", $"page {pageId}", cancellationToken).ConfigureAwait(false);
            attachments.AddRange(results.Results.Select(a => new SiteAttachment(a.Id, a.Title, a.Metadata?.Comment)));
            if (results.Results.Count < PageSize)
            {
                return attachments;
            }
        }
    }

    public Task UploadAttachmentAsync(string pageId, string? existingId, string fileName, string mediaType, ReadOnlyMemory<byte> content, string comment, CancellationToken cancellationToken)
    {
        var file = new ByteArrayPart(content.ToArray(), fileName, mediaType);
        return existingId is null
            ? calls.ExpectAsync(async ct => (IApiResponse)await v1.CreateAttachmentAsync(pageId, file, comment, "true", ct).ConfigureAwait(false), "upload an attachment", $"{fileName} on page {pageId}", cancellationToken)
            : calls.ExpectAsync(async ct => (IApiResponse)await v1.UpdateAttachmentDataAsync(pageId, existingId, file, comment, "true", ct).ConfigureAwait(false), "upload a new version of an attachment", $"{fileName} on page {pageId}", cancellationToken);
    }

    public Task DeleteAttachmentAsync(string attachmentId, CancellationToken cancellationToken) =>
        calls.ExpectAsync(ct => v1.DeleteContentAsync(attachmentId, ct), "delete an attachment", $"attachment {attachmentId}", cancellationToken, notFoundIsSuccess: true);

    public string PageLink(SiteSpace space, string pageId) => endpoint.PageLink(space.Key, pageId);

    /// <summary>Maps v1 content (expanded with version and ancestors) to a page.</summary>
    /// <param name="content">The content.</param>
    /// <returns>The page.</returns>
    internal static SitePage Map(V1Content content) => new(
        content.Id,
        content.Title,
        content.Ancestors is { Count: > 0 } ancestors ? ancestors[^1].Id : null,
        content.Status ?? "current",
        content.Version?.Number ?? 1,
        content.Version?.Message,
        content.Body?.Storage?.Value);

    private static SiteProperty Map(V1Property property) =>
        new(property.Key, property.Key, property.Value, property.Version?.Number ?? 1);
}
