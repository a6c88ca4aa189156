using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace CodeDoc.Ai.SemanticKernel;

/// <summary>
/// Restores what Semantic Kernel's <c>AsChatClient()</c> bridge leaves behind: it hands over the connector's raw
/// vendor object (OpenAI's <c>ChatCompletion</c>, a streaming update) without mapping its usage and finish reason, so
/// responses and streamed updates come out without them. This reads them back (from the raw object, or from a
/// <see cref="KernelContent"/>'s <c>Usage</c> and <c>FinishReason</c> metadata), so usage is accounted and a finished
/// stream is told from a cut one.
/// </summary>
/// <param name="inner">The bridged chat client.</param>
internal sealed class ConnectorMetadataChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var raw = response.RawRepresentation ?? response.Messages.LastOrDefault()?.RawRepresentation;
        response.Usage ??= ConnectorMetadata.Usage(raw);
        response.FinishReason ??= ConnectorMetadata.FinishReason(raw);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            if (update.RawRepresentation is { } raw)
            {
                update.FinishReason ??= ConnectorMetadata.FinishReason(raw);
                if (!update.Contents.Any(c => c is UsageContent) && ConnectorMetadata.Usage(raw) is { } usage)
                {
                    update.Contents.Add(new UsageContent(usage));
                }
            }

            yield return update;
        }
    }
}

/// <summary>Reads usage and the finish reason from a connector's raw object or metadata, whatever the connector's own types.</summary>
internal static class ConnectorMetadata
{
    /// <summary>Reads the usage: an M.E.AI <see cref="UsageDetails"/>, or a vendor object with the usual count names (OpenAI's <c>ChatTokenUsage</c>).</summary>
    /// <param name="raw">The raw object: a vendor response or update, or a <see cref="KernelContent"/>.</param>
    /// <returns>The usage in CodeDoc's normalized form, or <see langword="null"/> when none is reported.</returns>
    public static UsageDetails? Usage(object? raw)
    {
        var usage = Field(raw, "Usage");
        if (usage is UsageDetails details)
        {
            return details;
        }

        var input = Count(usage, "InputTokenCount", "PromptTokens", "InputTokens", "PromptTokenCount");
        var output = Count(usage, "OutputTokenCount", "CompletionTokens", "OutputTokens", "CandidatesTokenCount");
        if (input is null && output is null)
        {
            return null;
        }

        var cached = Count(Property(usage, "InputTokenDetails"), "CachedTokenCount") ?? 0;
        var reasoning = Count(Property(usage, "OutputTokenDetails"), "ReasoningTokenCount") ?? 0;
        return AiUsageMath.Create(input ?? 0, cached, 0, output ?? 0, reasoning);
    }

    /// <summary>Reads the finish reason (<c>stop</c>, <c>length</c>, <c>content_filter</c>, <c>tool_calls</c>, in any casing).</summary>
    /// <param name="raw">The raw object: a vendor response or update, or a <see cref="KernelContent"/>.</param>
    /// <returns>The finish reason, or <see langword="null"/> when none is reported.</returns>
    public static ChatFinishReason? FinishReason(object? raw)
    {
        if (Field(raw, "FinishReason")?.ToString() is not { Length: > 0 } reason)
        {
            return null;
        }

        return reason.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant() switch
        {
            "STOP" or "ENDTURN" => ChatFinishReason.Stop,
            "LENGTH" or "MAXTOKENS" => ChatFinishReason.Length,
            "CONTENTFILTER" => ChatFinishReason.ContentFilter,
            "TOOLCALLS" or "FUNCTIONCALL" => ChatFinishReason.ToolCalls,
            _ => new ChatFinishReason(reason),
        };
    }

    private static object? Field(object? raw, string name) => raw is KernelContent content
        ? content.Metadata is { } metadata && metadata.TryGetValue(name, out var value) ? value : Property(content.InnerContent, name)
        : Property(raw, name);

    private static object? Property(object? owner, string name) =>
        owner?.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(owner);

    private static long? Count(object? owner, params string[] names)
    {
        foreach (var name in names)
        {
            switch (Property(owner, name))
            {
                case int number:
                    return number;
                case long number:
                    return number;
            }
        }

        return null;
    }
}
