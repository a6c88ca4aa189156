using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Stores;

/// <summary>Log messages of the store: counts, key ids and paths only, never a value.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Store schema upgraded: {Count} migration(s) applied, now at version {Version}")]
    public static partial void MigrationsApplied(ILogger logger, int count, int version);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Run history cleared: {Count} run(s) deleted")]
    public static partial void HistoryCleared(ILogger logger, int count);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Store purged: every row of {DatabasePath} deleted, audit log included")]
    public static partial void Purged(ILogger logger, string databasePath);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Information, Message = "{Count} secret(s) re-encrypted with key {KeyId}")]
    public static partial void SecretsReencrypted(ILogger logger, int count, string keyId);
}
