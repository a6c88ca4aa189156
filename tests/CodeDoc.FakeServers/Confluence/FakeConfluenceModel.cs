namespace CodeDoc.FakeServers.Confluence;

/// <summary>Which product the fake plays.</summary>
public enum FakeConfluenceMode
{
    /// <summary>Confluence Cloud: REST v2 and v1 under <c>/wiki</c> (and the API gateway prefix), Basic auth with email and API token.</summary>
    Cloud,

    /// <summary>Confluence Data Center: REST v1 only under the context path, Bearer personal access tokens; v2 answers 404.</summary>
    DataCenter,
}

/// <summary>Options of a fake Confluence.</summary>
public sealed class FakeConfluenceOptions
{
    /// <summary>Gets or sets the product.</summary>
    public FakeConfluenceMode Mode { get; set; } = FakeConfluenceMode.Cloud;

    /// <summary>Gets or sets the Data Center context path, e.g. <c>/confluence</c>; empty for the root.</summary>
    public string ContextPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the email address Cloud accepts.</summary>
    public string Email { get; set; } = "codedoc@example.test";

    /// <summary>Gets or sets the API token Cloud accepts.</summary>
    public string ApiToken { get; set; } = "fake-api-token";

    /// <summary>Gets or sets the personal access token Data Center accepts.</summary>
    public string PersonalAccessToken { get; set; } = "fake-personal-access-token";

    /// <summary>Gets or sets the cloud id served by <c>/_edge/tenant_info</c> and accepted in the gateway prefix.</summary>
    public string CloudId { get; set; } = "6f1c2a4e-0b7d-4e55-9c1a-2d3e4f5a6b7c";

    /// <summary>Gets or sets a value indicating whether the token is a scoped one: v1 reads answer 401 "scope does not match".</summary>
    public bool ScopedToken { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether trashing a page trashes its children with it; when false they move up to
    /// the grandparent, as Server historically did. Which one Confluence does is unverified, so tests can pick.
    /// </summary>
    public bool TrashChildrenWithParent { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a page link's anchor is dropped when the linked page does not exist yet,
    /// as Confluence Cloud does (CONFCLOUD-78192).
    /// </summary>
    public bool DropAnchorsToMissingPages { get; set; }

    /// <summary>
    /// Gets or sets how many reads of a newly created page by id miss it (404, or left out of lists), as Confluence's
    /// eventually consistent reads sometimes do right after a create.
    /// </summary>
    public int MissedReadsAfterCreate { get; set; }

    /// <summary>Gets or sets the largest content property value in UTF-8 bytes; larger ones answer 413.</summary>
    public int MaxPropertyBytes { get; set; } = 32 * 1024;
}

/// <summary>A space of the fake.</summary>
public sealed class FakeConfluenceSpace
{
    internal FakeConfluenceSpace(string id, string key, string name)
    {
        Id = id;
        Key = key;
        Name = name;
    }

    /// <summary>Gets the space id.</summary>
    public string Id { get; }

    /// <summary>Gets the key.</summary>
    public string Key { get; }

    /// <summary>Gets the name.</summary>
    public string Name { get; }

    /// <summary>Gets the home page's id.</summary>
    public string? HomepageId { get; internal set; }

    /// <summary>Gets or sets a value indicating whether the account may create pages (the permitted operations say so, and creates answer 403 otherwise).</summary>
    public bool CanCreatePages { get; set; } = true;
}

/// <summary>A page of the fake.</summary>
public sealed class FakeConfluencePage
{
    internal FakeConfluencePage(string id, FakeConfluenceSpace space)
    {
        Id = id;
        Space = space;
    }

    /// <summary>Gets the id.</summary>
    public string Id { get; }

    /// <summary>Gets the space.</summary>
    public FakeConfluenceSpace Space { get; }

    /// <summary>Gets the parent page's id.</summary>
    public string? ParentId { get; internal set; }

    /// <summary>Gets the title.</summary>
    public string Title { get; internal set; } = string.Empty;

    /// <summary>Gets the status: current, archived, trashed or deleted (purged).</summary>
    public string Status { get; internal set; } = "current";

    /// <summary>Gets the version number.</summary>
    public int Version { get; internal set; } = 1;

    /// <summary>Gets the last version's message.</summary>
    public string? VersionMessage { get; internal set; }

    /// <summary>Gets the storage-format body.</summary>
    public string Body { get; internal set; } = string.Empty;

    /// <summary>Gets the position among siblings (creation order).</summary>
    public long Position { get; internal set; }

    /// <summary>Gets the labels.</summary>
    public SortedSet<string> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the content properties.</summary>
    public List<FakeConfluenceProperty> Properties { get; } = [];

    /// <summary>Gets the attachments.</summary>
    public List<FakeConfluenceAttachment> Attachments { get; } = [];

    /// <summary>Gets or sets how many more reads by id miss the page.</summary>
    internal int MissedReads { get; set; }
}

/// <summary>A content property.</summary>
/// <param name="id">The id.</param>
/// <param name="key">The key.</param>
public sealed class FakeConfluenceProperty(string id, string key)
{
    /// <summary>Gets the id.</summary>
    public string Id { get; } = id;

    /// <summary>Gets the key.</summary>
    public string Key { get; } = key;

    /// <summary>Gets the value as JSON text.</summary>
    public string ValueJson { get; internal set; } = "null";

    /// <summary>Gets the version number.</summary>
    public int Version { get; internal set; } = 1;
}

/// <summary>An attachment.</summary>
/// <param name="id">The id (<c>att...</c>).</param>
/// <param name="title">The file name.</param>
public sealed class FakeConfluenceAttachment(string id, string title)
{
    /// <summary>Gets the id.</summary>
    public string Id { get; } = id;

    /// <summary>Gets the file name.</summary>
    public string Title { get; } = title;

    /// <summary>Gets the media type.</summary>
    public string MediaType { get; internal set; } = "application/octet-stream";

    /// <summary>Gets the comment.</summary>
    public string? Comment { get; internal set; }

    /// <summary>Gets the version number.</summary>
    public int Version { get; internal set; } = 1;

    /// <summary>Gets the bytes.</summary>
    public byte[] Content { get; internal set; } = [];

    /// <summary>Gets the status: current or trashed.</summary>
    public string Status { get; internal set; } = "current";
}
