using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>The Azure DevOps provider's log messages; never a token, a secret or file content.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4400, Level = LogLevel.Debug, Message = "Azure DevOps '{Provider}': resolved '{Reference}' in {Repository} to {CommitSha} ({Kind}).")]
    public static partial void RefResolved(ILogger logger, string provider, string repository, string reference, string commitSha, RefKind kind);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Debug, Message = "Azure DevOps '{Provider}': opened the zip of {Repository} at {CommitSha}.")]
    public static partial void TreeOpened(ILogger logger, string provider, string repository, string commitSha);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Debug, Message = "Azure DevOps '{Provider}': compared {BaseSha}..{HeadSha} in {Repository}: {Count} changed paths.")]
    public static partial void Compared(ILogger logger, string provider, string repository, string baseSha, string headSha, int count);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "Azure DevOps '{Provider}': the comparison {BaseSha}..{HeadSha} in {Repository} is incomplete ({Reason}); everything is regenerated.")]
    public static partial void CompareIncomplete(ILogger logger, string provider, string repository, string baseSha, string headSha, string reason);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Warning, Message = "Azure DevOps '{Provider}': asked to slow down; the next request waits {Seconds:0.###} s (resource {Resource}, {Remaining} TSTUs remaining).")]
    public static partial void Throttled(ILogger logger, string provider, double seconds, string resource, string remaining);
}
