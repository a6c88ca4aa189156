using Refit;

namespace CodeDoc.Git.Bitbucket.DataCenter;

/// <summary>The Bitbucket Data Center REST API (<c>rest/api/latest</c>) endpoints CodeDoc reads. Pages go by <c>start</c> and <c>limit</c>.</summary>
internal interface IBitbucketDataCenterApi
{
    [Get("/application-properties")]
    Task<DataCenterApplicationProperties> GetApplicationPropertiesAsync(CancellationToken cancellationToken);

    [Get("/repos")]
    Task<ApiResponse<DataCenterPage<DataCenterRepository>>> ListRepositoriesAsync(int limit, CancellationToken cancellationToken);

    [Get("/projects/{key}/repos/{slug}")]
    Task<DataCenterRepository> GetRepositoryAsync(string key, string slug, CancellationToken cancellationToken);

    /// <summary>The default branch; an empty repository has none (404 or 204).</summary>
    [Get("/projects/{key}/repos/{slug}/branches/default")]
    Task<DataCenterRef?> GetDefaultBranchAsync(string key, string slug, CancellationToken cancellationToken);

    /// <summary>Branches; <paramref name="filterText"/> matches substrings, so callers pick the exact name.</summary>
    [Get("/projects/{key}/repos/{slug}/branches")]
    Task<DataCenterPage<DataCenterRef>> ListBranchesAsync(string key, string slug, string? filterText, string? boostMatches, int start, int limit, CancellationToken cancellationToken);

    [Get("/projects/{key}/repos/{slug}/tags")]
    Task<DataCenterPage<DataCenterRef>> ListTagsAsync(string key, string slug, string? filterText, int start, int limit, CancellationToken cancellationToken);

    /// <summary>A commit by id (ref names are not accepted since 2.11).</summary>
    [Get("/projects/{key}/repos/{slug}/commits/{commitId}")]
    Task<DataCenterCommit> GetCommitAsync(string key, string slug, string commitId, CancellationToken cancellationToken);

    /// <summary>The changes "in <paramref name="from"/> but not in <paramref name="to"/>": from = new, to = old.</summary>
    [Get("/projects/{key}/repos/{slug}/compare/changes")]
    Task<DataCenterPage<DataCenterChange>> CompareChangesAsync(string key, string slug, string from, string to, int start, int limit, CancellationToken cancellationToken);

    /// <summary>The commits reachable from <paramref name="from"/> but not from <paramref name="to"/>.</summary>
    [Get("/projects/{key}/repos/{slug}/compare/commits")]
    Task<DataCenterPage<DataCenterCommit>> CompareCommitsAsync(string key, string slug, string from, string to, int limit, CancellationToken cancellationToken);
}
