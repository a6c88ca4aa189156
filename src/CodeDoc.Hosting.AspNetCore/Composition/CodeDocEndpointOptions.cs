using Microsoft.AspNetCore.Http;

namespace CodeDoc.Hosting.AspNetCore;

/// <summary>
/// Options of the status and job API (<c>MapCodeDocApi</c>). The API authenticates every request with
/// <see cref="Authenticate"/> when set, otherwise with <see cref="ApiKey"/>; with neither it refuses every request.
/// Webhook endpoints do not use these options: each delivery is verified with its repository's webhook secret.
/// </summary>
public sealed class CodeDocEndpointOptions
{
    /// <summary>The header the default authentication reads the API key from (<c>Authorization: Bearer</c> works too).</summary>
    public const string ApiKeyHeader = "X-CodeDoc-Api-Key";

    /// <summary>
    /// Gets or sets the API key clients send in <c>X-CodeDoc-Api-Key</c> or <c>Authorization: Bearer</c>; at least 16
    /// characters, compared in constant time, never logged or returned. Ignored when <see cref="Authenticate"/> is set.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets or sets the embedding application's own authentication: returns the caller's actor id (recorded in run
    /// history and the audit log), or <see langword="null"/> to answer 401. Replaces the API key check when set.
    /// </summary>
    public Func<HttpContext, ValueTask<string?>>? Authenticate { get; set; }

    /// <summary>Gets or sets how often the event stream sends a keep-alive comment while nothing happens. Default 15 seconds.</summary>
    public TimeSpan EventsHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
