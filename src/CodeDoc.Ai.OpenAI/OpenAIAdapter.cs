using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ChatCompletion = OpenAI.Chat.ChatCompletion;
using ChatTokenUsage = OpenAI.Chat.ChatTokenUsage;
using StreamingChatCompletionUpdate = OpenAI.Chat.StreamingChatCompletionUpdate;
using OpenAI.Responses;

namespace CodeDoc.Ai.OpenAI;

/// <summary>
/// OpenAI's specifics: cache writes live only in the raw usage (<c>cache_write_tokens</c>), the Responses API ends a
/// stream with <c>response.completed</c> or <c>response.incomplete</c>, responses are not stored, and servers that
/// repeat cumulative usage in every chunk keep the last one.
/// </summary>
/// <param name="api">The API in use.</param>
/// <param name="streamUsageIsCumulative">Whether streamed chunks repeat cumulative usage.</param>
internal sealed class OpenAIAdapter(OpenAIApi api, bool streamUsageIsCumulative) : AiVendorAdapter
{
    public override bool StreamUsageIsCumulative => streamUsageIsCumulative;

    public override IEnumerable<ChatMessage> Prepare(IEnumerable<ChatMessage> messages, ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Source code is sent to the vendor, never kept there: Responses would store it for 30 days by default.
        if (api == OpenAIApi.Responses && options.RawRepresentationFactory is null)
        {
            options.RawRepresentationFactory = _ => new CreateResponseOptions { StoredOutputEnabled = false };
        }

        return messages;
    }

    public override bool IsFinal(ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return api == OpenAIApi.Responses
            ? update.RawRepresentation is StreamingResponseCompletedUpdate or StreamingResponseIncompleteUpdate
            : update.FinishReason is not null || update.Contents.Any(c => c is UsageContent);
    }

    public override UsageDetails NormalizeUsage(UsageDetails usage, object? rawRepresentation)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var cacheWrite = rawRepresentation switch
        {
            ResponseResult result => result.Usage?.InputTokenDetails?.CacheWriteTokenCount ?? 0,
            StreamingResponseCompletedUpdate completed => completed.Response?.Usage?.InputTokenDetails?.CacheWriteTokenCount ?? 0,
            StreamingResponseIncompleteUpdate incomplete => incomplete.Response?.Usage?.InputTokenDetails?.CacheWriteTokenCount ?? 0,
            ChatCompletion completion => ChatCacheWrites(completion.Usage),
            StreamingChatCompletionUpdate chunk => ChatCacheWrites(chunk.Usage),
            _ => 0,
        };

        // OpenAI's input already includes cache reads and writes, and output includes reasoning.
        return AiUsageMath.Create(
            usage.InputTokenCount ?? 0,
            usage.CachedInputTokenCount ?? 0,
            cacheWrite,
            usage.OutputTokenCount ?? 0,
            usage.ReasoningTokenCount ?? 0);
    }

    // The SDK has no property for cache writes in Chat Completions usage; they are kept with the raw JSON.
    private static long ChatCacheWrites(ChatTokenUsage? usage)
    {
        if (usage is null)
        {
            return 0;
        }

        using var json = JsonDocument.Parse(ModelReaderWriter.Write(usage));
        return json.RootElement.TryGetProperty("prompt_tokens_details", out var details) &&
            details.ValueKind == JsonValueKind.Object &&
            details.TryGetProperty("cache_write_tokens", out var writes) &&
            writes.TryGetInt64(out var count)
                ? count
                : 0;
    }
}
