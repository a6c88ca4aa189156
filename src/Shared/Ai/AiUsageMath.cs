using CodeDoc.Core;
using Microsoft.Extensions.AI;

namespace CodeDoc.Ai;

/// <summary>
/// CodeDoc's normalized reading of <see cref="UsageDetails"/>: every vendor adapter rewrites usage so that
/// <see cref="UsageDetails.InputTokenCount"/> includes cached and cache-write tokens, <see cref="UsageDetails.OutputTokenCount"/>
/// includes reasoning tokens, and cache writes sit in <see cref="UsageDetails.AdditionalCounts"/> under
/// <see cref="CacheWriteKey"/>. Summing normalized usages stays correct, so aggregated streams read the same way.
/// </summary>
internal static class AiUsageMath
{
    /// <summary>The additional-count key of tokens written to the prompt cache.</summary>
    public const string CacheWriteKey = "CodeDoc.CacheWriteInputTokens";

    /// <summary>Reads normalized usage.</summary>
    /// <param name="usage">The usage, or <see langword="null"/>.</param>
    /// <returns>The usage; zeros when there is none.</returns>
    public static AiUsage From(UsageDetails? usage)
    {
        if (usage is null)
        {
            return AiUsage.Zero;
        }

        var write = usage.AdditionalCounts is { } counts && counts.TryGetValue(CacheWriteKey, out var w) ? w : 0;
        return new AiUsage(
            usage.InputTokenCount ?? 0,
            usage.CachedInputTokenCount ?? 0,
            write,
            usage.OutputTokenCount ?? 0,
            usage.ReasoningTokenCount ?? 0);
    }

    /// <summary>Builds normalized usage from counts.</summary>
    /// <param name="input">All input tokens, cached and cache-write included.</param>
    /// <param name="cached">Cache reads.</param>
    /// <param name="cacheWrite">Cache writes.</param>
    /// <param name="output">All output tokens, reasoning included.</param>
    /// <param name="reasoning">Reasoning tokens.</param>
    /// <returns>The usage.</returns>
    public static UsageDetails Create(long input, long cached, long cacheWrite, long output, long reasoning)
    {
        var usage = new UsageDetails
        {
            InputTokenCount = input,
            CachedInputTokenCount = cached,
            OutputTokenCount = output,
            ReasoningTokenCount = reasoning,
            TotalTokenCount = input + output,
        };
        if (cacheWrite > 0)
        {
            usage.AdditionalCounts = new AdditionalPropertiesDictionary<long> { [CacheWriteKey] = cacheWrite };
        }

        return usage;
    }

    /// <summary>Estimates the tokens of a request (characters / 4), for rate limiting and pre-flight checks.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The options.</param>
    /// <returns>The estimate.</returns>
    public static long Estimate(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        long characters = options?.Instructions?.Length ?? 0;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                characters += content is TextContent text ? text.Text?.Length ?? 0 : 16;
            }
        }

        return (characters + 3) / 4;
    }
}
