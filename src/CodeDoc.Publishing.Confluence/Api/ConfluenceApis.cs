using System.Text.Json;
using Refit;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// The Confluence Cloud REST v2 endpoints CodeDoc uses, relative to the site's <c>/wiki</c> (or the gateway's
/// <c>/ex/confluence/{cloudId}/wiki</c>). Every read on Cloud goes through v2: scoped tokens fail on some v1 reads.
/// </summary>
internal interface IConfluenceV2Api
{
    [Get("/api/v2/spaces")]
    Task<IApiResponse<V2Results<V2Space>>> GetSpacesAsync(string? keys, int limit, CancellationToken cancellationToken);

    [Get("/api/v2/spaces/{spaceId}/operations")]
    Task<IApiResponse<V2Operations>> GetSpaceOperationsAsync(string spaceId, CancellationToken cancellationToken);

    [Get("/api/v2/pages")]
    Task<IApiResponse<V2Results<V2Page>>> GetPagesAsync(
        [AliasAs("id")] string? ids,
        [AliasAs("space-id")] string? spaceId,
        string? title,
        string? status,
        int limit,
        string? cursor,
        CancellationToken cancellationToken);

    [Get("/api/v2/pages/{id}")]
    Task<IApiResponse<V2Page>> GetPageAsync(string id, [AliasAs("body-format")] string? bodyFormat, string? status, CancellationToken cancellationToken);

    [Post("/api/v2/pages")]
    Task<IApiResponse<V2Page>> CreatePageAsync([Body] V2PageCreate page, CancellationToken cancellationToken);

    [Put("/api/v2/pages/{id}")]
    Task<IApiResponse<V2Page>> UpdatePageAsync(string id, [Body] V2PageUpdate page, CancellationToken cancellationToken);

    [Delete("/api/v2/pages/{id}")]
    Task<IApiResponse> DeletePageAsync(string id, CancellationToken cancellationToken);

    [Get("/api/v2/pages/{id}/children")]
    Task<IApiResponse<V2Results<V2Page>>> GetChildrenAsync(string id, int limit, string? cursor, CancellationToken cancellationToken);

    [Get("/api/v2/pages/{id}/properties")]
    Task<IApiResponse<V2Results<V2Property>>> GetPropertiesAsync(string id, string? key, CancellationToken cancellationToken);

    [Post("/api/v2/pages/{id}/properties")]
    Task<IApiResponse<V2Property>> CreatePropertyAsync(string id, [Body] V2PropertyWrite property, CancellationToken cancellationToken);

    [Put("/api/v2/pages/{id}/properties/{propertyId}")]
    Task<IApiResponse<V2Property>> UpdatePropertyAsync(string id, string propertyId, [Body] V2PropertyWrite property, CancellationToken cancellationToken);

    [Delete("/api/v2/pages/{id}/properties/{propertyId}")]
    Task<IApiResponse> DeletePropertyAsync(string id, string propertyId, CancellationToken cancellationToken);

    [Get("/api/v2/pages/{id}/attachments")]
    Task<IApiResponse<V2Results<V2Attachment>>> GetAttachmentsAsync(string id, int limit, string? cursor, CancellationToken cancellationToken);

    [Delete("/api/v2/attachments/{id}")]
    Task<IApiResponse> DeleteAttachmentAsync(string id, CancellationToken cancellationToken);
}

/// <summary>
/// The Confluence REST v1 endpoints CodeDoc uses: everything on Data Center, and on Cloud only the writes v2 lacks
/// (labels and attachment uploads). Relative to the site's <c>/wiki</c> (Cloud) or its context path (Data Center).
/// </summary>
internal interface IConfluenceV1Api
{
    [Get("/rest/api/user/current")]
    Task<IApiResponse<V1User>> GetCurrentUserAsync(CancellationToken cancellationToken);

    [Get("/rest/api/space/{spaceKey}")]
    Task<IApiResponse<V1Space>> GetSpaceAsync(string spaceKey, string expand, CancellationToken cancellationToken);

    [Get("/rest/api/content/{id}")]
    Task<IApiResponse<V1Content>> GetContentAsync(string id, string expand, string? status, CancellationToken cancellationToken);

    [Get("/rest/api/content")]
    Task<IApiResponse<V1Results<V1Content>>> FindContentAsync(string spaceKey, string title, string type, string status, string expand, int limit, CancellationToken cancellationToken);

    [Get("/rest/api/content/search")]
    Task<IApiResponse<V1Results<V1Content>>> SearchContentAsync(string cql, string expand, int limit, CancellationToken cancellationToken);

    [Post("/rest/api/content")]
    Task<IApiResponse<V1Content>> CreateContentAsync([Body] V1ContentWrite content, CancellationToken cancellationToken);

    [Put("/rest/api/content/{id}")]
    Task<IApiResponse<V1Content>> UpdateContentAsync(string id, [Body] V1ContentWrite content, CancellationToken cancellationToken);

    [Delete("/rest/api/content/{id}")]
    Task<IApiResponse> DeleteContentAsync(string id, CancellationToken cancellationToken);

    [Get("/rest/api/content/{id}/child/page")]
    Task<IApiResponse<V1Results<V1Content>>> GetChildPagesAsync(string id, int start, int limit, string expand, CancellationToken cancellationToken);

    [Get("/rest/api/content/{id}/property/{key}")]
    Task<IApiResponse<V1Property>> GetPropertyAsync(string id, string key, CancellationToken cancellationToken);

    [Post("/rest/api/content/{id}/property")]
    Task<IApiResponse<V1Property>> CreatePropertyAsync(string id, [Body] V1PropertyWrite property, CancellationToken cancellationToken);

    [Put("/rest/api/content/{id}/property/{key}")]
    Task<IApiResponse<V1Property>> UpdatePropertyAsync(string id, string key, [Body] V1PropertyWrite property, CancellationToken cancellationToken);

    [Delete("/rest/api/content/{id}/property/{key}")]
    Task<IApiResponse> DeletePropertyAsync(string id, string key, CancellationToken cancellationToken);

    [Post("/rest/api/content/{id}/label")]
    Task<IApiResponse> AddLabelsAsync(string id, [Body] IReadOnlyList<V1Label> labels, CancellationToken cancellationToken);

    [Delete("/rest/api/content/{id}/label")]
    Task<IApiResponse> RemoveLabelAsync(string id, string name, CancellationToken cancellationToken);

    [Get("/rest/api/content/{id}/child/attachment")]
    Task<IApiResponse<V1Results<V1Content>>> GetAttachmentsAsync(string id, int start, int limit, CancellationToken cancellationToken);

    [Multipart]
    [Post("/rest/api/content/{id}/child/attachment")]
    Task<IApiResponse<JsonElement>> CreateAttachmentAsync(string id, [AliasAs("file")] ByteArrayPart file, [AliasAs("comment")] string comment, [AliasAs("minorEdit")] string minorEdit, CancellationToken cancellationToken);

    [Multipart]
    [Post("/rest/api/content/{id}/child/attachment/{attachmentId}/data")]
    Task<IApiResponse<JsonElement>> UpdateAttachmentDataAsync(string id, string attachmentId, [AliasAs("file")] ByteArrayPart file, [AliasAs("comment")] string comment, [AliasAs("minorEdit")] string minorEdit, CancellationToken cancellationToken);
}
