using System.Text.Json;

namespace CodeDoc.Publishing.Confluence;

/// <summary>A space as the publisher needs it.</summary>
/// <param name="Id">The space id.</param>
/// <param name="Key">The space key.</param>
/// <param name="HomepageId">The home page's id, when the space has one.</param>
internal sealed record SiteSpace(string Id, string Key, string? HomepageId);

/// <summary>A page as the publisher needs it.</summary>
/// <param name="Id">The page id.</param>
/// <param name="Title">The title.</param>
/// <param name="ParentId">The parent page's id, when it has one.</param>
/// <param name="Status">The status: <c>current</c>, <c>archived</c>, <c>trashed</c>, ...</param>
/// <param name="Version">The version number.</param>
/// <param name="VersionMessage">The version's message.</param>
/// <param name="Body">The storage-format body, when it was asked for.</param>
internal sealed record SitePage(string Id, string Title, string? ParentId, string Status, int Version, string? VersionMessage, string? Body)
{
    /// <summary>Gets a value indicating whether the page is live (current or archived, not trashed).</summary>
    public bool IsLive => Status is "current" or "archived";

    /// <summary>Gets a value indicating whether the page is in the trash.</summary>
    public bool IsTrashed => Status == "trashed";
}

/// <summary>A content property.</summary>
/// <param name="Id">The property id (v2) or key (v1 addresses properties by key).</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The JSON value.</param>
/// <param name="Version">The property's version number.</param>
internal sealed record SiteProperty(string Id, string Key, JsonElement Value, int Version);

/// <summary>An attachment.</summary>
/// <param name="Id">The attachment id.</param>
/// <param name="FileName">The file name.</param>
/// <param name="Comment">The comment.</param>
internal sealed record SiteAttachment(string Id, string FileName, string? Comment);

/// <summary>A page write.</summary>
/// <param name="Id">The page id.</param>
/// <param name="ParentId">The parent to put it under.</param>
/// <param name="Title">The title.</param>
/// <param name="Body">The storage-format body.</param>
/// <param name="Version">The new version number (current + 1).</param>
/// <param name="Message">The version message.</param>
internal sealed record SitePageUpdate(string Id, string ParentId, string Title, string Body, int Version, string Message);

/// <summary>
/// The operations the publisher performs on a Confluence site, whatever the product and API version. Failures are
/// <see cref="CodeDoc.Core.DocPublisherException"/>s with the operation, status and address set.
/// </summary>
internal interface IConfluenceSite
{
    /// <summary>Gets a value indicating whether this is Confluence Cloud.</summary>
    bool IsCloud { get; }

    /// <summary>Checks that the credentials are accepted.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task CheckCredentialsAsync(CancellationToken cancellationToken);

    /// <summary>Gets a space by key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The space, or <see langword="null"/> when it does not exist or is not visible.</returns>
    Task<SiteSpace?> GetSpaceAsync(string key, CancellationToken cancellationToken);

    /// <summary>Tells whether the credentials may create pages in a space.</summary>
    /// <param name="space">The space.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether they may; <see langword="null"/> when the site does not say.</returns>
    Task<bool?> CanCreatePagesAsync(SiteSpace space, CancellationToken cancellationToken);

    /// <summary>Gets a page in any status.</summary>
    /// <param name="id">The page id.</param>
    /// <param name="withBody">Whether to include the storage body.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, or <see langword="null"/> when it does not exist (or was purged).</returns>
    Task<SitePage?> GetPageAsync(string id, bool withBody, CancellationToken cancellationToken);

    /// <summary>Gets many pages in any status, without bodies.</summary>
    /// <param name="ids">The page ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pages found; missing ones are left out.</returns>
    Task<IReadOnlyList<SitePage>> GetPagesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>Finds the pages of a space with exactly this title (current, archived or trashed: all of them hold the title).</summary>
    /// <param name="space">The space.</param>
    /// <param name="title">The title.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pages.</returns>
    Task<IReadOnlyList<SitePage>> FindPagesByTitleAsync(SiteSpace space, string title, CancellationToken cancellationToken);

    /// <summary>
    /// Finds the pages of a space whose title equals this one ignoring case, through a CQL search (v1 on Cloud as well:
    /// v2 has no search). Confluence keeps titles unique ignoring case while the title look-up matches exactly, so this
    /// is how a page that holds another spelling of a title is found. The search sees current pages only.
    /// </summary>
    /// <param name="space">The space.</param>
    /// <param name="title">The title.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pages.</returns>
    Task<IReadOnlyList<SitePage>> SearchPagesByTitleAsync(SiteSpace space, string title, CancellationToken cancellationToken);

    /// <summary>Lists a page's child pages.</summary>
    /// <param name="id">The page id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The children (id, title and status only).</returns>
    Task<IReadOnlyList<SitePage>> GetChildrenAsync(string id, CancellationToken cancellationToken);

    /// <summary>Creates a page.</summary>
    /// <param name="space">The space.</param>
    /// <param name="parentId">The parent page's id.</param>
    /// <param name="title">The title.</param>
    /// <param name="body">The storage-format body.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new page.</returns>
    Task<SitePage> CreatePageAsync(SiteSpace space, string parentId, string title, string body, CancellationToken cancellationToken);

    /// <summary>Updates (and maybe moves or renames) a page.</summary>
    /// <param name="space">The space.</param>
    /// <param name="update">The write.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page after the write.</returns>
    Task<SitePage> UpdatePageAsync(SiteSpace space, SitePageUpdate update, CancellationToken cancellationToken);

    /// <summary>Restores a trashed page to current (its content is not changed).</summary>
    /// <param name="space">The space.</param>
    /// <param name="page">The trashed page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page after the restore.</returns>
    Task<SitePage> RestorePageAsync(SiteSpace space, SitePage page, CancellationToken cancellationToken);

    /// <summary>Moves a page to the trash.</summary>
    /// <param name="id">The page id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task DeletePageAsync(string id, CancellationToken cancellationToken);

    /// <summary>Gets a content property of a page.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The property, or <see langword="null"/>.</returns>
    Task<SiteProperty?> GetPropertyAsync(string pageId, string key, CancellationToken cancellationToken);

    /// <summary>Creates a content property.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The property.</returns>
    Task<SiteProperty> CreatePropertyAsync(string pageId, string key, JsonElement value, CancellationToken cancellationToken);

    /// <summary>Updates a content property (version + 1).</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="current">The property as read.</param>
    /// <param name="value">The new value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The property.</returns>
    Task<SiteProperty> UpdatePropertyAsync(string pageId, SiteProperty current, JsonElement value, CancellationToken cancellationToken);

    /// <summary>Deletes a content property.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="property">The property.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task DeletePropertyAsync(string pageId, SiteProperty property, CancellationToken cancellationToken);

    /// <summary>Adds global labels to a page (adding a label it has is a no-op).</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="labels">The labels, already normalized.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task AddLabelsAsync(string pageId, IReadOnlyList<string> labels, CancellationToken cancellationToken);

    /// <summary>Removes a label from a page.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="label">The label.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task RemoveLabelAsync(string pageId, string label, CancellationToken cancellationToken);

    /// <summary>Lists a page's attachments.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attachments.</returns>
    Task<IReadOnlyList<SiteAttachment>> GetAttachmentsAsync(string pageId, CancellationToken cancellationToken);

    /// <summary>Uploads an attachment, as a new version of an existing one when its id is given.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="existingId">The id of the attachment with the same name, if any.</param>
    /// <param name="fileName">The file name.</param>
    /// <param name="mediaType">The media type.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="comment">The comment (CodeDoc puts the content hash there).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task UploadAttachmentAsync(string pageId, string? existingId, string fileName, string mediaType, ReadOnlyMemory<byte> content, string comment, CancellationToken cancellationToken);

    /// <summary>Deletes an attachment.</summary>
    /// <param name="attachmentId">The attachment id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task DeleteAttachmentAsync(string attachmentId, CancellationToken cancellationToken);

    /// <summary>Builds the address of a page for people.</summary>
    /// <param name="space">The space.</param>
    /// <param name="pageId">The page id.</param>
    /// <returns>The address.</returns>
    string PageLink(SiteSpace space, string pageId);
}
