using Refit;

namespace CodeDoc.Git.Bitbucket.Cloud;

/// <summary>The Bitbucket Cloud REST API 2.0 endpoints CodeDoc reads. Later pages are read from each page's <c>next</c> URL as given.</summary>
internal interface IBitbucketCloudApi
{
    [Get("/user")]
    Task<CloudUser> GetUserAsync(CancellationToken cancellationToken);

    [Get("/repositories/{workspace}/{slug}")]
    Task<CloudRepository> GetRepositoryAsync(string workspace, string slug, CancellationToken cancellationToken);

    [Get("/repositories/{workspace}/{slug}/refs/branches/{**name}")]
    Task<CloudRef> GetBranchAsync(string workspace, string slug, string name, CancellationToken cancellationToken);

    [Get("/repositories/{workspace}/{slug}/refs/tags/{**name}")]
    Task<CloudRef> GetTagAsync(string workspace, string slug, string name, CancellationToken cancellationToken);

    [Get("/repositories/{workspace}/{slug}/commit/{commit}")]
    Task<CloudCommit> GetCommitAsync(string workspace, string slug, string commit, CancellationToken cancellationToken);

    [Get("/repositories/{workspace}/{slug}/refs/branches")]
    Task<CloudPage<CloudRef>> ListBranchesAsync(string workspace, string slug, int pagelen, CancellationToken cancellationToken);

    /// <summary>Lists one directory; <paramref name="directory"/> is empty for the root or ends with '/'.</summary>
    [Get("/repositories/{workspace}/{slug}/src/{commit}/{**directory}")]
    Task<CloudPage<CloudTreeItem>> ListDirectoryAsync(string workspace, string slug, string commit, string directory, int pagelen, CancellationToken cancellationToken);

    /// <summary>Changed paths; <paramref name="spec"/> is <c>NEW..OLD</c>, the reverse of <c>git diff</c>.</summary>
    [Get("/repositories/{workspace}/{slug}/diffstat/{spec}")]
    Task<CloudPage<CloudDiffStat>> GetDiffStatAsync(string workspace, string slug, string spec, string topic, int pagelen, CancellationToken cancellationToken);

    /// <summary>Commits reachable from <paramref name="include"/> and not from <paramref name="exclude"/>.</summary>
    [Get("/repositories/{workspace}/{slug}/commits")]
    Task<CloudPage<CloudCommit>> ListCommitsAsync(string workspace, string slug, string include, string exclude, int pagelen, CancellationToken cancellationToken);
}
