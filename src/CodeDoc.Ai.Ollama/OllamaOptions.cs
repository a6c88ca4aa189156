using CodeDoc.Ai;
using CodeDoc.Core;

namespace CodeDoc.Ai.Ollama;

/// <summary>Options of an Ollama provider (kind <c>ollama</c>), through Ollama's native API. Bound from e.g. <c>CodeDoc:Ai:ollama</c>.</summary>
public sealed class OllamaOptions
{
    /// <summary>Gets or sets the Ollama server; <c>http://localhost:11434/</c> by default. HTTPS is required except for loopback addresses.</summary>
    public Uri? Endpoint { get; set; } = new("http://localhost:11434/");

    /// <summary>Gets or sets the model as Ollama names it (see <c>ollama list</c>), e.g. <c>qwen3-coder:30b</c>. Required.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// Gets or sets a key sent as <c>Authorization: Bearer</c>, for an Ollama behind an authenticating proxy or a hosted
    /// Ollama. A secret: never logged or printed. A local Ollama needs none.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets a delegate that returns the current key for each request; wins over <see cref="ApiKey"/>. Not bindable.</summary>
    public Func<CancellationToken, ValueTask<string>>? ApiKeyProvider { get; set; }

    /// <summary>Gets or sets the output tokens every request allows (sent as <c>num_predict</c>).</summary>
    public int MaxOutputTokens { get; set; } = 8192;

    /// <summary>
    /// Gets or sets the context window sent as <c>num_ctx</c> with every request. When not set, the model's own
    /// context length is asked from the server (<c>/api/show</c>) before the first request. Set it lower when the
    /// machine lacks the memory for the model's full window.
    /// </summary>
    public int? ContextWindowTokens { get; set; }

    /// <summary>Gets or sets the sampling temperature; the model's default when not set.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the requests per minute the server takes; no limit when not set.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets the tokens per minute the server takes; no limit when not set.</summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets the HTTP options (proxy, extra CA certificates, timeouts, retries); model calls get 10 minutes per attempt by default, as local models load and generate slowly.</summary>
    public CodeDocHttpOptions Http { get; } = AiHttpDefaults.Create();

    /// <inheritdoc />
    public override string ToString() => $"Ollama {Model} at {(Endpoint is null ? "(no endpoint)" : EndpointRules.SafeDisplay(Endpoint))}";
}
