namespace CodeDoc.Core;

/// <summary>
/// A source of repositories: a Git host (GitHub, GitLab, Bitbucket, Azure DevOps), a local folder or a local git
/// repository. Implementations resolve refs to SHAs first and read everything by SHA afterwards.
/// </summary>
/// <remarks>
/// Implementations are thread-safe. Errors are reported through the <see cref="GitProviderException"/> family;
/// the caller's <see cref="OperationCanceledException"/> passes through unchanged.
/// </remarks>
public interface IGitProvider
{
    /// <summary>Gets the provider's name, kind and endpoint.</summary>
    ProviderMetadata Metadata { get; }

    /// <summary>Parses a location (URL or path) if this provider serves it.</summary>
    /// <param name="location">What the user typed: a path, a web URL or a clone URL.</param>
    /// <param name="repository">The parsed repository, when served.</param>
    /// <returns><see langword="true"/> when this provider serves the location.</returns>
    bool TryParseRepository(string location, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RepositoryReference? repository);

    /// <summary>
    /// Checks credentials and, when a repository is given, that it is visible and readable, saying precisely what is
    /// missing (bad or expired token, missing scope, repository not found or not visible).
    /// </summary>
    /// <param name="repository">The repository to check, or <see langword="null"/> to check credentials only.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The verdict; a failed check is a result, not an exception.</returns>
    Task<AccessCheckResult> CheckAccessAsync(RepositoryReference? repository, CancellationToken cancellationToken = default);

    /// <summary>Reads repository metadata.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The metadata.</returns>
    Task<RepositoryInfo> GetRepositoryAsync(RepositoryReference repository, CancellationToken cancellationToken = default);

    /// <summary>Resolves a branch, tag or SHA to a commit SHA.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="reference">A branch, tag or (abbreviated) SHA; <see langword="null"/> for the default branch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The resolved commit.</returns>
    /// <exception cref="GitProviderNotFoundException">The ref does not exist.</exception>
    Task<ResolvedRef> ResolveRefAsync(RepositoryReference repository, string? reference, CancellationToken cancellationToken = default);

    /// <summary>Opens the tree at a commit, as an archive stream or a stream of entries.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="commitSha">A full commit SHA from <see cref="ResolveRefAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tree; the caller disposes it.</returns>
    Task<RepositoryTree> OpenTreeAsync(RepositoryReference repository, string commitSha, CancellationToken cancellationToken = default);

    /// <summary>Compares two commits directly (two-dot), following every page the host returns.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="baseSha">The older commit.</param>
    /// <param name="headSha">The newer commit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changed paths, flagged incomplete when the host capped them.</returns>
    Task<CommitComparison> CompareAsync(RepositoryReference repository, string baseSha, string headSha, CancellationToken cancellationToken = default);

    /// <summary>Builds a permanent link to a file (and optionally lines) at a commit.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="commitSha">The commit.</param>
    /// <param name="path">The file's relative path.</param>
    /// <param name="lines">The lines to point at, if any.</param>
    /// <returns>An absolute URL for hosts; a relative link with a line anchor for local sources.</returns>
    string GetPermalink(RepositoryReference repository, string commitSha, string path, LineRange? lines = null);

    /// <summary>Lists branches, following every page.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The branches.</returns>
    IAsyncEnumerable<BranchInfo> ListBranchesAsync(RepositoryReference repository, CancellationToken cancellationToken = default);
}

/// <summary>A location matched to the provider that serves it.</summary>
/// <param name="Provider">The provider.</param>
/// <param name="Repository">The repository as that provider parsed it.</param>
public sealed record ResolvedRepository(IGitProvider Provider, RepositoryReference Repository);

/// <summary>Maps a repository location (path or URL) to the registered Git provider that serves its host.</summary>
public interface IGitProviderResolver
{
    /// <summary>Finds the provider for a location.</summary>
    /// <param name="location">A local path or a repository URL.</param>
    /// <param name="providerName">A registration name or kind to use instead of matching by host.</param>
    /// <returns>The provider and the parsed repository.</returns>
    /// <exception cref="CodeDocConfigurationException">No registered provider serves the location; the message lists the registered ones.</exception>
    ResolvedRepository Resolve(string location, string? providerName = null);
}
