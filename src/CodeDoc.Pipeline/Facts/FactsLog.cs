using Microsoft.Extensions.Logging;

namespace CodeDoc.Pipeline;

/// <summary>The facts stage's log messages: paths and counts only, never file contents.</summary>
internal static partial class FactsLog
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Indexed {CommitSha}: {Symbols} definitions in {Files} files, {Projects} projects.")]
    public static partial void Indexed(this ILogger logger, string commitSha, int symbols, int files, int projects);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Could not index '{Path}' as {Language}; it counts as file-level only.")]
    public static partial void IndexFailed(this ILogger logger, Exception exception, string path, string language);
}
