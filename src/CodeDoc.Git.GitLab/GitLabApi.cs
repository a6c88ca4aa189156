using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace CodeDoc.Git.GitLab;

/// <summary>
/// The REST endpoints CodeDoc uses. <c>{project}</c> is the numeric id or the full path, which Refit escapes into one
/// segment (<c>group%2Fsub%2Fproject</c>) as GitLab requires; branch and tag names are escaped the same way. JSON
/// answers come back as <see cref="IApiResponse{T}"/> so status, headers and error bodies reach the provider's error
/// translation; archives as <see cref="HttpResponseMessage"/>, read as a stream.
/// </summary>
internal interface IGitLabApi
{
    [Get("/personal_access_tokens/self")]
    Task<IApiResponse<GitLabToken>> GetTokenAsync(CancellationToken cancellationToken);

    [Get("/user")]
    Task<IApiResponse<GitLabUser>> GetUserAsync(CancellationToken cancellationToken);

    [Get("/projects/{project}")]
    Task<IApiResponse<GitLabProject>> GetProjectAsync(string project, CancellationToken cancellationToken);

    [Get("/projects/{project}/repository/branches/{branch}")]
    Task<IApiResponse<GitLabBranch>> GetBranchAsync(string project, string branch, CancellationToken cancellationToken);

    [Get("/projects/{project}/repository/tags/{tag}")]
    Task<IApiResponse<GitLabTag>> GetTagAsync(string project, string tag, CancellationToken cancellationToken);

    [Get("/projects/{project}/repository/commits/{sha}")]
    Task<IApiResponse<GitLabCommit>> GetCommitAsync(string project, string sha, CancellationToken cancellationToken);

    [Get("/projects/{project}/repository/archive.tar.gz")]
    Task<HttpResponseMessage> GetArchiveAsync(string project, string sha, CancellationToken cancellationToken);

    [Get("/projects/{project}/repository/compare?straight=true")]
    Task<IApiResponse<GitLabComparison>> CompareAsync(string project, string from, string to, CancellationToken cancellationToken);

    [Get("/projects/{project}/repository/merge_base")]
    Task<IApiResponse<GitLabCommit>> GetMergeBaseAsync(
        string project, [Query(CollectionFormat.Multi)][AliasAs("refs[]")] string[] refs, CancellationToken cancellationToken);

    [Get("/projects/{project}/repository/branches")]
    Task<IApiResponse<List<GitLabBranch>>> ListBranchesAsync(string project, int page, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken);
}

/// <summary>The JSON settings of GitLab's API: snake_case names, unknown members ignored.</summary>
internal static class GitLabJson
{
    /// <summary>Gets the serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Gets the Refit settings: error bodies are read up to a bound, and exceptions drop the request's
    /// <c>Authorization</c> header, so a logged exception carries no token.
    /// </summary>
    public static RefitSettings RefitSettings { get; } = new(new SystemTextJsonContentSerializer(Options))
    {
        MaxExceptionContentLength = GitLabFailures.MaxErrorBodyChars,
        ExceptionRedactor = exception => exception.RequestMessage?.Headers.Authorization = null,
    };
}

internal sealed record GitLabToken(string? Name, List<string>? Scopes, string? ExpiresAt, bool Active, bool Revoked);

internal sealed record GitLabUser(string Username);

internal sealed record GitLabProject(
    long Id,
    string Name,
    string PathWithNamespace,
    string? DefaultBranch,
    string? WebUrl,
    string? Description,
    string? Visibility,
    bool Archived,
    bool? EmptyRepo);

internal sealed record GitLabBranch(string Name, GitLabCommit Commit, bool Default);

internal sealed record GitLabTag(string Name, GitLabCommit Commit);

internal sealed record GitLabCommit(string Id);

internal sealed record GitLabComparison(List<GitLabDiff>? Diffs, bool? CompareTimeout);

internal sealed record GitLabDiff(string OldPath, string NewPath, bool NewFile, bool RenamedFile, bool DeletedFile);

internal sealed record GitLabError(JsonElement? Message, string? Error, string? ErrorDescription);
