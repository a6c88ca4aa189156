using CodeDoc.Core;

namespace CodeDoc.Ai;

/// <summary>HTTP defaults for model calls: long generations take minutes, so the library defaults (seconds) would kill them.</summary>
internal static class AiHttpDefaults
{
    /// <summary>Creates HTTP options with a 10-minute attempt and a 30-minute total timeout.</summary>
    /// <returns>The options.</returns>
    public static CodeDocHttpOptions Create() => new()
    {
        AttemptTimeout = TimeSpan.FromMinutes(10),
        TotalTimeout = TimeSpan.FromMinutes(30),
    };
}
