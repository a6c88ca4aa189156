using Microsoft.Extensions.Logging;

namespace CodeDoc.Pipeline;

/// <summary>The local provider's log messages: paths and SHAs only, never file contents.</summary>
internal static partial class LocalLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Local provider '{Provider}' refused '{Path}': it is outside the allowed roots.")]
    public static partial void LocalPathRefused(this ILogger logger, string provider, string path);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Resolved '{Reference}' in '{Path}' to {CommitSha} ({Kind}).")]
    public static partial void LocalRefResolved(this ILogger logger, string reference, string path, string commitSha, Core.RefKind kind);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "Opened the tree of '{Path}' at {CommitSha} ({Source}).")]
    public static partial void LocalTreeOpened(this ILogger logger, string path, string commitSha, string source);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Debug, Message = "Compared {BaseSha}..{HeadSha} in '{Path}': {Count} changed paths.")]
    public static partial void LocalCompared(this ILogger logger, string baseSha, string headSha, string path, int count);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "{BaseSha} is not an ancestor of {HeadSha} in '{Path}': the comparison is marked incomplete, so everything is regenerated.")]
    public static partial void LocalNotAncestor(this ILogger logger, string baseSha, string headSha, string path);
}
