using Microsoft.Extensions.AI;

namespace CodeDoc.Core;

/// <summary>A model vendor and model, as configured.</summary>
/// <param name="Name">The registration name.</param>
/// <param name="Vendor">The vendor, e.g. <c>openai</c>, <c>anthropic</c>, <c>google</c>, <c>ollama</c>; matches the price file.</param>
/// <param name="ModelId">The model id (for Azure OpenAI, the deployment's model).</param>
/// <param name="ContextWindowTokens">The model's context window in tokens.</param>
/// <param name="MaxOutputTokens">The output tokens every request allows.</param>
/// <param name="Endpoint">Where requests go; reported in the plan's data flow.</param>
public sealed record AiProviderMetadata(
    string Name,
    string Vendor,
    string ModelId,
    int ContextWindowTokens,
    int MaxOutputTokens,
    Uri? Endpoint);

/// <summary>
/// A model vendor adapted to CodeDoc: metadata, the Microsoft.Extensions.AI <see cref="IChatClient"/> it wraps
/// (streaming and structured output come from there), and per-call usage accounting.
/// </summary>
public interface IAiProvider
{
    /// <summary>Gets the vendor, model and limits.</summary>
    AiProviderMetadata Metadata { get; }

    /// <summary>Gets the chat client. Every request CodeDoc sends goes through it.</summary>
    IChatClient ChatClient { get; }

    /// <summary>
    /// Checks the key and that the model exists and is usable with it, without spending tokens where the vendor
    /// allows (a model lookup rather than a completion), saying precisely what is wrong.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The verdict; a failed check is a result, not an exception.</returns>
    Task<AccessCheckResult> CheckAccessAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a response's usage in CodeDoc's normalized form. Vendors count differently (Anthropic excludes cache
    /// reads from input, OpenAI reports cache writes only in the raw response); this is where that is undone.
    /// </summary>
    /// <param name="response">A response from <see cref="ChatClient"/>, or one aggregated from its streaming updates.</param>
    /// <returns>The usage; zeros when the vendor reported none.</returns>
    AiUsage GetUsage(ChatResponse response);
}

/// <summary>
/// Token usage of one or more model calls. <see cref="InputTokens"/> includes cached and cache-write tokens;
/// <see cref="OutputTokens"/> includes reasoning tokens (both are billed as output).
/// </summary>
/// <param name="InputTokens">All input tokens, cached and cache-write included.</param>
/// <param name="CachedInputTokens">Input tokens read from the vendor's prompt cache.</param>
/// <param name="CacheWriteTokens">Input tokens written to the vendor's prompt cache.</param>
/// <param name="OutputTokens">All output tokens, reasoning included.</param>
/// <param name="ReasoningTokens">Output tokens spent on reasoning.</param>
public sealed record AiUsage(long InputTokens, long CachedInputTokens, long CacheWriteTokens, long OutputTokens, long ReasoningTokens)
{
    /// <summary>Gets no usage.</summary>
    public static AiUsage Zero { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Gets input tokens billed at the plain input price.</summary>
    public long UncachedInputTokens => Math.Max(0, InputTokens - CachedInputTokens - CacheWriteTokens);

    /// <summary>Gets all tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Adds two usages.</summary>
    /// <param name="left">The first usage.</param>
    /// <param name="right">The second usage.</param>
    /// <returns>The sum.</returns>
    public static AiUsage operator +(AiUsage left, AiUsage right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(
            left.InputTokens + right.InputTokens,
            left.CachedInputTokens + right.CachedInputTokens,
            left.CacheWriteTokens + right.CacheWriteTokens,
            left.OutputTokens + right.OutputTokens,
            left.ReasoningTokens + right.ReasoningTokens);
    }

    /// <summary>Adds two usages.</summary>
    /// <param name="other">The usage to add.</param>
    /// <returns>The sum.</returns>
    public AiUsage Add(AiUsage other) => this + other;
}
