using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace CodeDoc.Ai.Gemini;

/// <summary>
/// Gemini's native API (<c>https://generativelanguage.googleapis.com/v1beta/</c>). The key travels in the
/// <c>x-goog-api-key</c> header, written by the shared key handler; never in the <c>?key=</c> query, which ends up in logs.
/// </summary>
internal interface IGeminiApi
{
    /// <summary>Generates one complete answer.</summary>
    /// <param name="model">The model id, without <c>models/</c>.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer.</returns>
    [Post("/models/{model}:generateContent")]
    Task<GeminiResponse> GenerateContentAsync(string model, [Body] GeminiRequest request, CancellationToken cancellationToken = default);

    /// <summary>Generates an answer as server-sent events, one partial response per event.</summary>
    /// <param name="model">The model id.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The partial responses.</returns>
    [Post("/models/{model}:streamGenerateContent?alt=sse")]
    IAsyncEnumerable<GeminiResponse> StreamGenerateContentAsync(string model, [Body] GeminiRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a model's description and limits.</summary>
    /// <param name="model">The model id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model.</returns>
    [Get("/models/{model}")]
    Task<GeminiModel> GetModelAsync(string model, CancellationToken cancellationToken = default);
}

/// <summary>The body of <c>generateContent</c>.</summary>
internal sealed record GeminiRequest
{
    /// <summary>Gets the conversation.</summary>
    public required IReadOnlyList<GeminiContent> Contents { get; init; }

    /// <summary>Gets the system prompt.</summary>
    public GeminiContent? SystemInstruction { get; init; }

    /// <summary>Gets the generation settings.</summary>
    public GeminiGenerationConfig? GenerationConfig { get; init; }
}

/// <summary>One turn: a role (<c>user</c> or <c>model</c>) and its parts.</summary>
/// <param name="Role">The role; absent for the system instruction.</param>
/// <param name="Parts">The parts.</param>
internal sealed record GeminiContent(string? Role, IReadOnlyList<GeminiPart>? Parts);

/// <summary>A part of a turn; CodeDoc sends and reads text.</summary>
/// <param name="Text">The text.</param>
/// <param name="Thought">Whether the part is a thought summary rather than answer text.</param>
internal sealed record GeminiPart(string? Text, bool? Thought = null);

/// <summary>The generation settings.</summary>
internal sealed record GeminiGenerationConfig
{
    /// <summary>Gets the output limit.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Gets the temperature.</summary>
    public float? Temperature { get; init; }

    /// <summary>Gets the nucleus sampling limit.</summary>
    public float? TopP { get; init; }

    /// <summary>Gets the sequences that stop generation.</summary>
    public IReadOnlyList<string>? StopSequences { get; init; }

    /// <summary>Gets the response MIME type (<c>application/json</c> for JSON answers).</summary>
    public string? ResponseMimeType { get; init; }

    /// <summary>Gets the thinking settings.</summary>
    public GeminiThinkingConfig? ThinkingConfig { get; init; }
}

/// <summary>The thinking settings of Gemini 3 and later.</summary>
/// <param name="ThinkingLevel">The level: <c>minimal</c>, <c>low</c>, <c>medium</c> or <c>high</c>.</param>
internal sealed record GeminiThinkingConfig(string? ThinkingLevel);

/// <summary>A response of <c>generateContent</c>, or one event of <c>streamGenerateContent</c>.</summary>
internal sealed record GeminiResponse
{
    /// <summary>Gets the candidates; none when the prompt was blocked.</summary>
    public IReadOnlyList<GeminiCandidate>? Candidates { get; init; }

    /// <summary>Gets the usage; streamed events repeat it cumulatively.</summary>
    public GeminiUsage? UsageMetadata { get; init; }

    /// <summary>Gets why the prompt was blocked, when it was.</summary>
    public GeminiPromptFeedback? PromptFeedback { get; init; }

    /// <summary>Gets the model version that answered.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>Gets the response id.</summary>
    public string? ResponseId { get; init; }

    /// <summary>Gets an error the server sent inside a stream after HTTP 200.</summary>
    public JsonElement? Error { get; init; }
}

/// <summary>One candidate answer.</summary>
/// <param name="Content">The content.</param>
/// <param name="FinishReason">Why generation stopped; set on the last event only.</param>
internal sealed record GeminiCandidate(GeminiContent? Content, string? FinishReason);

/// <summary>Why a prompt was blocked.</summary>
/// <param name="BlockReason">The reason, e.g. <c>SAFETY</c>.</param>
internal sealed record GeminiPromptFeedback(string? BlockReason);

/// <summary>
/// Gemini's usage: <c>promptTokenCount</c> includes <c>cachedContentTokenCount</c>; <c>thoughtsTokenCount</c> is
/// billed as output but not part of <c>candidatesTokenCount</c>.
/// </summary>
internal sealed record GeminiUsage
{
    /// <summary>Gets the prompt tokens, cached ones included.</summary>
    public long? PromptTokenCount { get; init; }

    /// <summary>Gets the prompt tokens read from the cache.</summary>
    public long? CachedContentTokenCount { get; init; }

    /// <summary>Gets the answer tokens, thoughts excluded.</summary>
    public long? CandidatesTokenCount { get; init; }

    /// <summary>Gets the thinking tokens.</summary>
    public long? ThoughtsTokenCount { get; init; }

    /// <summary>Gets the prompt tokens of tool results.</summary>
    public long? ToolUsePromptTokenCount { get; init; }

    /// <summary>Gets the total.</summary>
    public long? TotalTokenCount { get; init; }
}

/// <summary>A model's description.</summary>
/// <param name="Name">The resource name, <c>models/{id}</c>.</param>
/// <param name="InputTokenLimit">The input limit.</param>
/// <param name="OutputTokenLimit">The output limit.</param>
internal sealed record GeminiModel(string? Name, int? InputTokenLimit, int? OutputTokenLimit);

/// <summary>The JSON settings of the wire: camelCase, nulls left out.</summary>
internal static class GeminiJson
{
    /// <summary>Gets the serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
