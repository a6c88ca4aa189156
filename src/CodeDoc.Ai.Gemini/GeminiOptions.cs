using CodeDoc.Ai;
using CodeDoc.Core;

namespace CodeDoc.Ai.Gemini;

/// <summary>Options of a Google Gemini provider (kind <c>gemini</c>), over the native Gemini API. Bound from e.g. <c>CodeDoc:Ai:gemini</c>.</summary>
public sealed class GeminiOptions
{
    /// <summary>Gets or sets the model, e.g. <c>gemini-3.8-flash</c> (without <c>models/</c>). Required.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the API base address including the version; Google's <c>v1beta</c> by default. HTTPS is required except for loopback addresses.</summary>
    public Uri? Endpoint { get; set; } = new("https://generativelanguage.googleapis.com/v1beta/");

    /// <summary>Gets or sets the API key (sent as <c>x-goog-api-key</c>, never in the URL). A secret: never logged or printed. Required unless <see cref="ApiKeyProvider"/> is set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets a delegate that returns the current key for each request; wins over <see cref="ApiKey"/>. Not bindable.</summary>
    public Func<CancellationToken, ValueTask<string>>? ApiKeyProvider { get; set; }

    /// <summary>Gets or sets the output tokens every request allows (sent as <c>maxOutputTokens</c>).</summary>
    public int MaxOutputTokens { get; set; } = 8192;

    /// <summary>Gets or sets the model's context window in tokens; taken from the price data for known models when not set.</summary>
    public int? ContextWindowTokens { get; set; }

    /// <summary>Gets or sets the sampling temperature; not sent unless set.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the thinking level of Gemini 3 and later (<c>minimal</c>, <c>low</c>, <c>medium</c> or <c>high</c>; not every model takes every level); the model's default when not set.</summary>
    public string? ThinkingLevel { get; set; }

    /// <summary>Gets or sets the requests per minute of the project; shared by every instance with the same key.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets the tokens per minute of the project; shared by every instance with the same key.</summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets the HTTP options (proxy, extra CA certificates, timeouts, retries); model calls get 10 minutes per attempt by default.</summary>
    public CodeDocHttpOptions Http { get; } = AiHttpDefaults.Create();

    /// <inheritdoc />
    public override string ToString() => $"Gemini {Model} at {(Endpoint is null ? "(no endpoint)" : EndpointRules.SafeDisplay(Endpoint))}";
}
