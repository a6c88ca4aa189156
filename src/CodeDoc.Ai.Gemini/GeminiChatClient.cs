using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace CodeDoc.Ai.Gemini;

/// <summary>
/// An <see cref="IChatClient"/> over Gemini's native API: system messages and <see cref="ChatOptions.Instructions"/>
/// become <c>systemInstruction</c>, the output limit and sampling settings <c>generationConfig</c>. Streamed events
/// repeat the cumulative usage, so a stream reports it once, after its last event.
/// </summary>
internal sealed class GeminiChatClient : IChatClient
{
    private readonly IGeminiApi _api;
    private readonly string _defaultModel;
    private readonly string? _thinkingLevel;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="GeminiChatClient"/> class.</summary>
    /// <param name="api">The Refit client.</param>
    /// <param name="endpoint">The API base address, for metadata.</param>
    /// <param name="defaultModel">The model used when a call does not name one.</param>
    /// <param name="thinkingLevel">The thinking level sent with every call, or <see langword="null"/> for the model's default.</param>
    public GeminiChatClient(IGeminiApi api, Uri endpoint, string defaultModel, string? thinkingLevel)
    {
        _api = api;
        _defaultModel = defaultModel;
        _thinkingLevel = thinkingLevel;
        _metadata = new ChatClientMetadata("gcp.gemini", endpoint, defaultModel);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = options?.ModelId ?? _defaultModel;
        var response = await _api.GenerateContentAsync(model, CreateRequest(messages, options), cancellationToken).ConfigureAwait(false);
        var candidate = response.Candidates is { Count: > 0 } candidates ? candidates[0] : null;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, Text(candidate)))
        {
            ResponseId = response.ResponseId,
            ModelId = response.ModelVersion ?? model,
            FinishReason = FinishReason(candidate, response.PromptFeedback),
            Usage = Usage(response.UsageMetadata),
            RawRepresentation = response,
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = options?.ModelId ?? _defaultModel;
        GeminiUsage? usage = null;
        string? responseId = null;
        await foreach (var chunk in _api.StreamGenerateContentAsync(model, CreateRequest(messages, options), cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (chunk.Error is { } error)
            {
                throw GeminiStreamException.From(error);
            }

            usage = chunk.UsageMetadata ?? usage;
            responseId ??= chunk.ResponseId;
            var candidate = chunk.Candidates is { Count: > 0 } candidates ? candidates[0] : null;
            var text = Text(candidate);
            yield return new ChatResponseUpdate(ChatRole.Assistant, text.Length == 0 ? [] : [new TextContent(text)])
            {
                ResponseId = chunk.ResponseId,
                ModelId = chunk.ModelVersion ?? model,
                FinishReason = FinishReason(candidate, chunk.PromptFeedback),
                RawRepresentation = chunk,
            };
        }

        // Every event repeats the usage so far: the last one is the response's.
        if (Usage(usage) is { } total)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(total)]) { ResponseId = responseId, ModelId = model };
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ChatClientMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The HTTP client belongs to the factory.
    }

    /// <summary>Maps Gemini's usage onto CodeDoc's normalized form: thoughts are output, tool prompts are input.</summary>
    /// <param name="usage">Gemini's usage.</param>
    /// <returns>The usage, or <see langword="null"/>.</returns>
    internal static UsageDetails? Usage(GeminiUsage? usage) => usage is null
        ? null
        : AiUsageMath.Create(
            (usage.PromptTokenCount ?? 0) + (usage.ToolUsePromptTokenCount ?? 0),
            usage.CachedContentTokenCount ?? 0,
            0,
            (usage.CandidatesTokenCount ?? 0) + (usage.ThoughtsTokenCount ?? 0),
            usage.ThoughtsTokenCount ?? 0);

    private static string Text(GeminiCandidate? candidate)
    {
        if (candidate?.Content?.Parts is not { } parts)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var part in parts.Where(p => p.Thought != true))
        {
            text.Append(part.Text);
        }

        return text.ToString();
    }

    private static ChatFinishReason? FinishReason(GeminiCandidate? candidate, GeminiPromptFeedback? feedback)
    {
        if (candidate is null && feedback?.BlockReason is not null)
        {
            return ChatFinishReason.ContentFilter;
        }

        return candidate?.FinishReason switch
        {
            null => null,
            "STOP" => ChatFinishReason.Stop,
            "MAX_TOKENS" => ChatFinishReason.Length,
            "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" => ChatFinishReason.ContentFilter,
            var other => new ChatFinishReason(other),
        };
    }

    private GeminiRequest CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (options?.Tools is { Count: > 0 })
        {
            throw new ArgumentException("The Gemini provider sends text conversations only; remove ChatOptions.Tools.", nameof(options));
        }

        var system = new List<GeminiPart>();
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            system.Add(new GeminiPart(options.Instructions));
        }

        var contents = new List<GeminiContent>();
        foreach (var message in messages)
        {
            var parts = new List<GeminiPart>();
            foreach (var content in message.Contents)
            {
                if (content is TextContent text)
                {
                    parts.Add(new GeminiPart(text.Text));
                }
                else if (content is not TextReasoningContent and not UsageContent)
                {
                    throw new ArgumentException($"The Gemini provider sends text only; a {message.Role} message holds {content.GetType().Name}.", nameof(messages));
                }
            }

            if (message.Role == ChatRole.System)
            {
                system.AddRange(parts);
            }
            else if (parts.Count > 0)
            {
                contents.Add(new GeminiContent(message.Role == ChatRole.Assistant ? "model" : "user", parts));
            }
        }

        return new GeminiRequest
        {
            Contents = contents,
            SystemInstruction = system.Count == 0 ? null : new GeminiContent(null, system),
            GenerationConfig = new GeminiGenerationConfig
            {
                MaxOutputTokens = options?.MaxOutputTokens,
                Temperature = options?.Temperature,
                TopP = options?.TopP,
                StopSequences = options?.StopSequences is { Count: > 0 } stops ? [.. stops] : null,
                ResponseMimeType = options?.ResponseFormat is ChatResponseFormatJson ? "application/json" : null,
                ThinkingConfig = _thinkingLevel is null ? null : new GeminiThinkingConfig(_thinkingLevel),
            },
        };
    }
}

/// <summary>An error Gemini sent as an event of a stream after HTTP 200; translated like the same error as a status.</summary>
internal sealed class GeminiStreamException : Exception
{
    private GeminiStreamException(int status, string body)
        : base($"Gemini sent an error event with code {status} in the stream.")
    {
        Status = status;
        Body = body;
    }

    /// <summary>Gets the HTTP status the error names.</summary>
    public int Status { get; }

    /// <summary>Gets the error as an error body (<c>{"error":{...}}</c>).</summary>
    public string Body { get; }

    /// <summary>Reads the <c>error</c> member of an event.</summary>
    /// <param name="error">The member.</param>
    /// <returns>The exception.</returns>
    public static GeminiStreamException From(JsonElement error)
    {
        var status = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code) && code.TryGetInt32(out var value) ? value : 500;
        return new GeminiStreamException(status, $"{{\"error\":{error.GetRawText()}}}");
    }
}
