using CodeDoc.Core;

namespace CodeDoc.Publishing.Confluence;

/// <summary>Which Confluence product a publisher talks to.</summary>
public enum ConfluenceDeployment
{
    /// <summary>Decide from the address: <c>*.atlassian.net</c>, <c>*.jira.com</c> and <c>api.atlassian.com</c> are Cloud, anything else is Data Center.</summary>
    Auto,

    /// <summary>Confluence Cloud: REST v2, and v1 for attachments and label writes; an email address and an API token.</summary>
    Cloud,

    /// <summary>Confluence Data Center or Server (7.9 or later): REST v1 with a personal access token.</summary>
    DataCenter,
}

/// <summary>What the publisher does with a page that left the outline.</summary>
public enum ConfluenceRemovedPages
{
    /// <summary>Move the page under the set's "archived pages" page, where it can be found again (and comes back if the page returns to the outline).</summary>
    Archive,

    /// <summary>Move the page to the space's trash (its title stays taken until the trash is emptied).</summary>
    Delete,
}

/// <summary>What the publisher does with a page a person edited since CodeDoc last published it.</summary>
public enum ConfluenceEditedPages
{
    /// <summary>Leave the page as the person left it and report it.</summary>
    Skip,

    /// <summary>Leave the page alone, report it, and publish CodeDoc's update as a child page titled "... (proposed update)".</summary>
    ProposeChildPage,

    /// <summary>Overwrite the person's edits (team notes are still kept), as <see cref="PublishOptions.Force"/> does for one run.</summary>
    Overwrite,
}

/// <summary>
/// Options of a Confluence publisher (<c>CodeDoc:Confluence</c> for the default one). Cloud needs <see cref="BaseAddress"/>,
/// <see cref="Email"/>, <see cref="ApiToken"/> and <see cref="SpaceKey"/>; Data Center needs <see cref="BaseAddress"/>,
/// <see cref="PersonalAccessToken"/> and <see cref="SpaceKey"/>.
/// </summary>
public sealed class ConfluenceOptions
{
    /// <summary>The default address of the Atlassian API gateway used with scoped API tokens.</summary>
    public static readonly Uri DefaultApiGatewayAddress = new("https://api.atlassian.com/");

    /// <summary>
    /// Gets or sets the site's address: <c>https://your-site.atlassian.net</c> for Cloud (with or without <c>/wiki</c>),
    /// <c>https://confluence.example.com</c> for Data Center (see <see cref="ContextPath"/>). Required; HTTPS except for loopback addresses.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the product; <see cref="ConfluenceDeployment.Auto"/> decides from <see cref="BaseAddress"/>.</summary>
    public ConfluenceDeployment Deployment { get; set; } = ConfluenceDeployment.Auto;

    /// <summary>
    /// Gets or sets the Data Center context path, e.g. <c>/confluence</c> when the site lives at
    /// <c>https://host/confluence</c>; empty when it is at the root. A path in <see cref="BaseAddress"/> works too. Cloud uses <c>/wiki</c>.
    /// </summary>
    public string? ContextPath { get; set; }

    /// <summary>Gets or sets the email address of the Atlassian account (Cloud).</summary>
    public string? Email { get; set; }

    /// <summary>Gets or sets the Atlassian API token, classic or scoped (Cloud). A secret: never logged or shown.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Gets or sets the personal access token (Data Center 7.9 or later). A secret: never logged or shown.</summary>
    public string? PersonalAccessToken { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether to call Cloud through the Atlassian API gateway
    /// (<c>https://api.atlassian.com/ex/confluence/{cloudId}/wiki</c>), as scoped API tokens require.
    /// </summary>
    public bool UseApiGateway { get; set; }

    /// <summary>Gets or sets the Cloud site's id for the gateway; read from the site's <c>/_edge/tenant_info</c> when not set.</summary>
    public string? CloudId { get; set; }

    /// <summary>Gets or sets the gateway's address; <see cref="DefaultApiGatewayAddress"/> unless a proxy or test server stands in.</summary>
    public Uri ApiGatewayAddress { get; set; } = DefaultApiGatewayAddress;

    /// <summary>Gets or sets the key of the space to publish into, e.g. <c>DOC</c>. Required.</summary>
    public string? SpaceKey { get; set; }

    /// <summary>
    /// Gets or sets the id of the page the documentation set is published under; the space's home page when not set.
    /// The set's manifest is kept in content properties of this page.
    /// </summary>
    public string? ParentPageId { get; set; }

    /// <summary>Gets or sets what happens to pages that left the outline; <see cref="ConfluenceRemovedPages.Archive"/> by default.</summary>
    public ConfluenceRemovedPages RemovedPages { get; set; } = ConfluenceRemovedPages.Archive;

    /// <summary>Gets or sets what happens to pages a person edited; <see cref="ConfluenceEditedPages.Skip"/> by default.</summary>
    public ConfluenceEditedPages EditedPages { get; set; } = ConfluenceEditedPages.Skip;

    /// <summary>
    /// Gets or sets a value indicating whether every page ends with an empty "Team notes" panel, so people know where to
    /// write notes that survive regeneration. On by default. Any panel a person titles "Team notes" or
    /// "Team notes: something" is kept either way.
    /// </summary>
    public bool AddTeamNotesSection { get; set; } = true;

    /// <summary>Gets or sets how many headings a page needs before it gets a table of contents at the top; 0 turns it off. 4 by default.</summary>
    public int TableOfContentsMinHeadings { get; set; } = 4;

    /// <summary>
    /// Gets or sets the name of a Mermaid macro installed on the site (e.g. <c>mermaid-cloud</c>); diagrams are sent to it as
    /// their source. When not set, diagrams become code blocks with their source (and images when <see cref="MermaidRenderer"/> is set).
    /// </summary>
    public string? MermaidMacroName { get; set; }

    /// <summary>
    /// Gets or sets a renderer that turns Mermaid diagrams into images, attached to the page and shown above the source.
    /// Renders are cached by the diagram's hash: an unchanged diagram is neither rendered nor uploaded again. Set in code only.
    /// </summary>
    public IMermaidRenderer? MermaidRenderer { get; set; }

    /// <summary>Gets the HTTP options: proxy, extra trusted CA certificates (Data Center behind a private CA), timeouts and retries.</summary>
    public CodeDocHttpOptions Http { get; } = new();
}

/// <summary>Renders Mermaid diagrams into images for the Confluence publisher.</summary>
public interface IMermaidRenderer
{
    /// <summary>Gets the media type of the images, <c>image/png</c> or <c>image/svg+xml</c>.</summary>
    string MediaType { get; }

    /// <summary>Renders one diagram.</summary>
    /// <param name="source">The diagram's Mermaid source.</param>
    /// <param name="cancellationToken">Cancels the render.</param>
    /// <returns>The image bytes.</returns>
    ValueTask<ReadOnlyMemory<byte>> RenderAsync(string source, CancellationToken cancellationToken = default);
}
