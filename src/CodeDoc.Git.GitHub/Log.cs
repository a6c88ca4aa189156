using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.GitHub;

/// <summary>The GitHub provider's log messages: repositories, refs and SHAs only; never tokens, keys, file contents or redirect addresses (they carry tokens).</summary>
internal static partial class GitHubLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Debug, Message = "GitHub provider '{Provider}' resolved '{Reference}' in {Repository} to {CommitSha} ({Kind}).")]
    public static partial void GitHubRefResolved(this ILogger logger, string provider, string reference, string repository, string commitSha, Core.RefKind kind);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "GitHub provider '{Provider}' opened the tarball of {Repository} at {CommitSha}.")]
    public static partial void GitHubTreeOpened(this ILogger logger, string provider, string repository, string commitSha);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "GitHub provider '{Provider}' compared {BaseSha}...{HeadSha} in {Repository}: {Count} changed paths, complete: {IsComplete}.")]
    public static partial void GitHubCompared(this ILogger logger, string provider, string baseSha, string headSha, string repository, int count, bool isComplete);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "GitHub provider '{Provider}' compared {Repository} by its trees instead: {Reason}")]
    public static partial void GitHubCompareByTrees(this ILogger logger, string provider, string repository, string reason);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "GitHub App installation {InstallationId}: a new installation token was issued, valid until {ExpiresAt:u}.")]
    public static partial void GitHubInstallationTokenIssued(this ILogger logger, long installationId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "GitHub provider '{Provider}': {Repository} is incomplete to compare ({Reason}); the run regenerates everything.")]
    public static partial void GitHubCompareIncomplete(this ILogger logger, string provider, string repository, string reason);
}
