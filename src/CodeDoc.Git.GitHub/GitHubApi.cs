using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace CodeDoc.Git.GitHub;

/// <summary>
/// The REST endpoints CodeDoc uses. Every method takes the <c>Authorization</c> value (or <see langword="null"/> for
/// anonymous calls), because GitHub App installations differ per repository. JSON answers come back as
/// <see cref="IApiResponse{T}"/> so status, headers and error bodies reach the provider's error translation; raw
/// answers (archives, SHAs) as <see cref="HttpResponseMessage"/>.
/// </summary>
internal interface IGitHubApi
{
    [Get("/user")]
    Task<IApiResponse<GitHubUser>> GetAuthenticatedUserAsync([Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    [Get("/rate_limit")]
    Task<IApiResponse<GitHubRateLimit>> GetRateLimitAsync([Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    [Get("/app")]
    Task<IApiResponse<GitHubApp>> GetAppAsync([Header("Authorization")] string authorization, CancellationToken cancellationToken);

    [Get("/repos/{owner}/{repo}/installation")]
    Task<IApiResponse<GitHubInstallation>> GetRepositoryInstallationAsync(string owner, string repo, [Header("Authorization")] string authorization, CancellationToken cancellationToken);

    [Post("/app/installations/{installationId}/access_tokens")]
    Task<IApiResponse<GitHubInstallationToken>> CreateInstallationTokenAsync(long installationId, [Header("Authorization")] string authorization, CancellationToken cancellationToken);

    [Get("/repos/{owner}/{repo}")]
    Task<IApiResponse<GitHubRepository>> GetRepositoryAsync(string owner, string repo, [Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    [Get("/repos/{owner}/{repo}/git/ref/{**reference}")]
    Task<IApiResponse<GitHubGitRef>> GetRefAsync(string owner, string repo, string reference, [Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    [Get("/repos/{owner}/{repo}/git/tags/{sha}")]
    Task<IApiResponse<GitHubGitTag>> GetTagObjectAsync(string owner, string repo, string sha, [Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    [Get("/repos/{owner}/{repo}/commits/{**reference}")]
    [Headers("Accept: application/vnd.github.sha")]
    Task<HttpResponseMessage> GetCommitShaAsync(string owner, string repo, string reference, [Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    [Get("/repos/{owner}/{repo}/tarball/{sha}")]
    Task<HttpResponseMessage> GetTarballAsync(string owner, string repo, string sha, [Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    [Get("/repos/{owner}/{repo}/compare/{basehead}")]
    Task<IApiResponse<GitHubComparison>> CompareAsync(
        string owner, string repo, string basehead, int page, [AliasAs("per_page")] int perPage, [Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    [Get("/repos/{owner}/{repo}/git/trees/{sha}?recursive=1")]
    Task<IApiResponse<GitHubTree>> GetTreeAsync(string owner, string repo, string sha, [Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    [Get("/repos/{owner}/{repo}/branches")]
    Task<IApiResponse<List<GitHubBranch>>> ListBranchesAsync(
        string owner, string repo, int page, [AliasAs("per_page")] int perPage, [Header("Authorization")] string? authorization, CancellationToken cancellationToken);
}

/// <summary>The JSON settings of GitHub's API: snake_case names, unknown members ignored.</summary>
internal static class GitHubJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Gets the Refit settings: error bodies are read up to a bound (a hostile server cannot exhaust memory), and
    /// exceptions drop the request's <c>Authorization</c> header, so a logged exception carries no token.
    /// </summary>
    public static RefitSettings RefitSettings { get; } = new(new SystemTextJsonContentSerializer(Options))
    {
        MaxExceptionContentLength = GitHubFailures.MaxErrorBodyChars,
        ExceptionRedactor = exception => exception.RequestMessage?.Headers.Authorization = null,
    };
}

internal sealed record GitHubUser(string Login);

internal sealed record GitHubRateLimit(GitHubRateLimitResources? Resources);

internal sealed record GitHubRateLimitResources(GitHubRateLimitWindow? Core);

internal sealed record GitHubRateLimitWindow(int Limit, int Remaining, long Reset);

internal sealed record GitHubApp(string? Slug, string? Name);

internal sealed record GitHubInstallation(long Id);

internal sealed record GitHubInstallationToken(string Token, DateTimeOffset ExpiresAt);

internal sealed record GitHubRepository(
    string Name,
    string FullName,
    string? DefaultBranch,
    string? HtmlUrl,
    string? Description,
    bool Private,
    bool Archived,
    GitHubPermissions? Permissions);

internal sealed record GitHubPermissions(bool Pull, bool Push, bool Admin);

internal sealed record GitHubGitRef(string Ref, GitHubGitObject Object);

internal sealed record GitHubGitObject(string Sha, string Type);

internal sealed record GitHubGitTag(string Sha, GitHubGitObject Object);

internal sealed record GitHubComparison(string Status, int AheadBy, int BehindBy, int TotalCommits, List<GitHubChangedFile>? Files);

internal sealed record GitHubChangedFile(string Filename, string Status, string? PreviousFilename);

internal sealed record GitHubTree(string Sha, List<GitHubTreeEntry> Tree, bool Truncated);

internal sealed record GitHubTreeEntry(string Path, string Mode, string Type, string Sha);

internal sealed record GitHubBranch(string Name, GitHubBranchCommit Commit);

internal sealed record GitHubBranchCommit(string Sha);

internal sealed record GitHubError(string? Message, string? DocumentationUrl);
