using Refit;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>
/// The Azure DevOps REST endpoints CodeDoc reads, relative to <see cref="AzureDevOpsOptions.BaseAddress"/>; the
/// organization (Services) or collection (Server) is the first path segment.
/// </summary>
internal interface IAzureDevOpsApi
{
    [Get("/{organization}/_apis/connectionData")]
    Task<AzureConnectionData> GetConnectionDataAsync(string organization, CancellationToken cancellationToken);

    [Get("/{organization}/{project}/_apis/git/repositories/{repository}")]
    Task<AzureRepository> GetRepositoryAsync(string organization, string project, string repository, [AliasAs("api-version")] string apiVersion, CancellationToken cancellationToken);

    /// <summary>Lists refs whose names start with <paramref name="filter"/> (a prefix, without <c>refs/</c>).</summary>
    [Get("/{organization}/{project}/_apis/git/repositories/{repository}/refs")]
    Task<ApiResponse<AzureList<AzureRef>>> ListRefsAsync(
        string organization,
        string project,
        string repository,
        string filter,
        string peelTags,
        [AliasAs("$top")] int top,
        string? continuationToken,
        [AliasAs("api-version")] string apiVersion,
        CancellationToken cancellationToken);

    [Get("/{organization}/{project}/_apis/git/repositories/{repository}/commits/{commitId}")]
    Task<AzureCommit> GetCommitAsync(string organization, string project, string repository, string commitId, [AliasAs("api-version")] string apiVersion, CancellationToken cancellationToken);

    [Get("/{organization}/{project}/_apis/git/repositories/{repository}/diffs/commits")]
    Task<AzureCommitDiffs> GetCommitDiffsAsync(
        string organization,
        string project,
        string repository,
        string baseVersion,
        string baseVersionType,
        string targetVersion,
        string targetVersionType,
        string diffCommonCommit,
        [AliasAs("$top")] int top,
        [AliasAs("$skip")] int skip,
        [AliasAs("api-version")] string apiVersion,
        CancellationToken cancellationToken);
}
