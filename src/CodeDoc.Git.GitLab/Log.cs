using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.GitLab;

/// <summary>The GitLab provider's log messages: projects, refs and SHAs only; never tokens or file contents.</summary>
internal static partial class GitLabLog
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Debug, Message = "GitLab provider '{Provider}' resolved '{Reference}' in {Project} to {CommitSha} ({Kind}).")]
    public static partial void GitLabRefResolved(this ILogger logger, string provider, string reference, string project, string commitSha, Core.RefKind kind);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "GitLab provider '{Provider}' opened the archive of {Project} at {CommitSha}.")]
    public static partial void GitLabTreeOpened(this ILogger logger, string provider, string project, string commitSha);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Debug, Message = "GitLab provider '{Provider}' compared {BaseSha}..{HeadSha} in {Project}: {Count} changed paths, complete: {IsComplete}.")]
    public static partial void GitLabCompared(this ILogger logger, string provider, string baseSha, string headSha, string project, int count, bool isComplete);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "GitLab provider '{Provider}': the changes in {Project} are incomplete ({Reason}); the run regenerates everything.")]
    public static partial void GitLabCompareIncomplete(this ILogger logger, string provider, string project, string reason);
}
