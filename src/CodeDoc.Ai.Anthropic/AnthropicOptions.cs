using CodeDoc.Ai;
using CodeDoc.Core;

namespace CodeDoc.Ai.Anthropic;

/// <summary>How long Anthropic keeps a cached prompt prefix.</summary>
public enum AnthropicCacheTtl
{
    /// <summary>Five minutes; a cache write costs 1.25 times the input price.</summary>
    FiveMinutes,

    /// <summary>One hour; a cache write costs twice the input price. Worth it when pages are written more than five minutes apart.</summary>
    OneHour,
}

/// <summary>Options of an Anthropic provider (kind <c>anthropic</c>). Bound from e.g. <c>CodeDoc:Ai:anthropic</c>.</summary>
/// <remarks>There is no temperature: current Claude models reject non-default sampling parameters, and the SDK does not send them.</remarks>
public sealed class AnthropicOptions
{
    /// <summary>Gets or sets the model, e.g. <c>claude-sonnet-5-5</c>. Required.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the API base address without <c>/v1</c>; Anthropic's by default. HTTPS is required except for loopback addresses.</summary>
    public Uri? Endpoint { get; set; } = new("https://api.anthropic.com/");

    /// <summary>Gets or sets the API key (sent as <c>x-api-key</c>). A secret: never logged or printed. Required unless <see cref="ApiKeyProvider"/> is set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets a delegate that returns the current key for each request; wins over <see cref="ApiKey"/>. Not bindable.</summary>
    public Func<CancellationToken, ValueTask<string>>? ApiKeyProvider { get; set; }

    /// <summary>Gets or sets the output tokens every request allows (the SDK's own default of 1024 would cut pages short).</summary>
    public int MaxOutputTokens { get; set; } = 8192;

    /// <summary>Gets or sets the model's context window in tokens; taken from the price data for known models when not set.</summary>
    public int? ContextWindowTokens { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether context that repeats across requests is cached: a cache breakpoint ends
    /// the system prompt and another ends everything before the last message (the shared repository context).
    /// </summary>
    public bool PromptCaching { get; set; } = true;

    /// <summary>Gets or sets how long cached prefixes live.</summary>
    public AnthropicCacheTtl PromptCacheTtl { get; set; } = AnthropicCacheTtl.FiveMinutes;

    /// <summary>Gets or sets the requests per minute of the organization; shared by every instance with the same key.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets the tokens per minute of the organization; shared by every instance with the same key.</summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets the HTTP options (proxy, extra CA certificates, timeouts, retries); model calls get 10 minutes per attempt by default.</summary>
    public CodeDocHttpOptions Http { get; } = AiHttpDefaults.Create();

    /// <inheritdoc />
    public override string ToString() => $"Anthropic {Model} at {(Endpoint is null ? "(no endpoint)" : EndpointRules.SafeDisplay(Endpoint))}";
}
