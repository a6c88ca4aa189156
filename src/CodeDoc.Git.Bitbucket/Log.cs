using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.Bitbucket;

/// <summary>The Bitbucket providers' log messages: repositories, refs, SHAs and counts; never tokens or file contents.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Debug, Message = "Bitbucket '{Provider}': resolved '{Reference}' in {Repository} to {CommitSha} ({Kind}).")]
    public static partial void RefResolved(ILogger logger, string provider, string repository, string reference, string commitSha, Core.RefKind kind);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Debug, Message = "Bitbucket '{Provider}': opened {Repository} at {CommitSha} from {Source}.")]
    public static partial void TreeOpened(ILogger logger, string provider, string repository, string commitSha, string source);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Bitbucket '{Provider}': the web archive of {Repository} is not available ({Reason}); its tree is read file by file instead.")]
    public static partial void WebArchiveUnavailable(ILogger logger, string provider, string repository, string reason);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Bitbucket '{Provider}': reading {Repository} file by file: {Files} files in {Directories} directories, about {Requests} requests of the hourly allowance of {Limit}, estimated {Estimate}.")]
    public static partial void TreeWalkPlanned(ILogger logger, string provider, string repository, int files, int directories, int requests, int limit, string estimate);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Debug, Message = "Bitbucket '{Provider}': compared {BaseSha}..{HeadSha} in {Repository}: {Count} changed paths.")]
    public static partial void Compared(ILogger logger, string provider, string repository, string baseSha, string headSha, int count);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Warning, Message = "Bitbucket '{Provider}': the comparison {BaseSha}..{HeadSha} in {Repository} is incomplete ({Reason}); everything is regenerated.")]
    public static partial void CompareIncomplete(ILogger logger, string provider, string repository, string baseSha, string headSha, string reason);
}
