using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using CodeDoc.Core;
using Microsoft.Extensions.AI;

namespace CodeDoc.Ai.Anthropic;

/// <summary>
/// Anthropic's specifics: <c>input_tokens</c> leaves out cache reads and writes (added back here), prompt-cache
/// breakpoints on the repeated context, errors that arrive as SSE events after HTTP 200, and a 429 without
/// <c>retry-after</c> that means a spending cap.
/// </summary>
/// <param name="promptCaching">Whether to place cache breakpoints.</param>
/// <param name="ttl">How long cached prefixes live.</param>
internal sealed class AnthropicAdapter(bool promptCaching, AnthropicCacheTtl ttl) : AiVendorAdapter
{
    private const string SdkCacheWriteKey = "CacheCreationInputTokens";

    private static readonly AiErrorRules Rules = new() { RateLimitWithoutRetryAfterIsQuota = true };

    public override AiErrorRules ErrorRules => Rules;

    public override bool SendsTemperature => false;

    // The SDK reports usage at the end of every stream, also one cut short, so only the stop reason
    // (message_delta) or message_stop proves the answer is complete.
    public override bool IsFinal(ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.FinishReason is not null || (update.RawRepresentation is RawMessageStreamEvent streamEvent && streamEvent.TryPickStop(out _));
    }

    public override IEnumerable<ChatMessage> Prepare(IEnumerable<ChatMessage> messages, ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var list = messages.ToList();
        if (!promptCaching || list.Count == 0)
        {
            return list;
        }

        // Instructions are the system prompt too: as a leading system message they get its breakpoint.
        if (!string.IsNullOrEmpty(options.Instructions))
        {
            list.Insert(0, new ChatMessage(ChatRole.System, options.Instructions));
            options.Instructions = null;
        }

        // The cache matches a byte-exact prefix: one breakpoint after the system prompt (the same for every page),
        // one after everything but the final message (the shared context before the page's own request).
        var breakpoints = new HashSet<int>();
        var lastSystem = list.FindLastIndex(m => m.Role == ChatRole.System);
        if (lastSystem >= 0)
        {
            breakpoints.Add(lastSystem);
        }

        if (list.Count >= 2)
        {
            breakpoints.Add(list.Count - 2);
        }

        return list.Select((message, index) => breakpoints.Contains(index) ? WithBreakpoint(message) : message).ToList();
    }

    public override UsageDetails NormalizeUsage(UsageDetails usage, object? rawRepresentation)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (rawRepresentation is Message { Usage: { } raw })
        {
            var cacheRead = raw.CacheReadInputTokens ?? 0;
            var cacheWrite = raw.CacheCreationInputTokens ?? 0;
            return AiUsageMath.Create(raw.InputTokens + cacheRead + cacheWrite, cacheRead, cacheWrite, raw.OutputTokens, 0);
        }

        // The SDK's adapter already adds cache reads and writes to the input count; only the write count moves.
        var writes = usage.AdditionalCounts is { } counts && counts.TryGetValue(SdkCacheWriteKey, out var w) ? w : 0;
        return AiUsageMath.Create(usage.InputTokenCount ?? 0, usage.CachedInputTokenCount ?? 0, writes, usage.OutputTokenCount ?? 0, usage.ReasoningTokenCount ?? 0);
    }

    public override AiProviderException? Translate(Exception exception, AiCallCapture capture, AiErrorContext context, string operation)
    {
        if (exception is not AnthropicSseException sse)
        {
            return null;
        }

        // An error event after HTTP 200: classified by its type, as the same error would be as a status.
        var type = sse.Type?.Raw();
        var status = type switch
        {
            "overloaded_error" => 529,
            "rate_limit_error" => 429,
            "api_error" => 500,
            "authentication_error" => 401,
            "not_found_error" => 404,
            _ => 400,
        };

        // An event has no headers, so a missing retry-after says nothing about a spending cap here.
        return AiErrors.FromHttp(context, operation, status, new AiVendorError(null, type, null, null, sse.ApiMessage, null, false), null, capture.RequestUri, AiErrorRules.Default, exception);
    }

    private ChatMessage WithBreakpoint(ChatMessage message)
    {
        var contents = message.Contents.ToList();
        var last = contents.FindLastIndex(c => c is TextContent);
        if (last < 0)
        {
            return message;
        }

        // A copy: the caller's messages are never changed.
        contents[last] = new TextContent(((TextContent)contents[last]).Text).WithCacheControl(ttl == AnthropicCacheTtl.OneHour ? Ttl.Ttl1h : Ttl.Ttl5m);
        return new ChatMessage(message.Role, contents) { AuthorName = message.AuthorName, MessageId = message.MessageId };
    }
}
