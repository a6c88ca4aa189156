namespace CodeDoc.FakeServers.Ai;

/// <summary>How a fake model ends its answer.</summary>
public enum FakeFinish
{
    /// <summary>A complete answer.</summary>
    Stop,

    /// <summary>The output limit cut the answer.</summary>
    Length,
}

/// <summary>
/// One scripted answer of a fake model, rendered in each vendor's wire format. Token counts are CodeDoc's normalized
/// ones (input includes cached and cache-write tokens, output includes reasoning); each vendor renders them the way
/// it reports them (Anthropic leaves cached tokens out of <c>input_tokens</c>, Gemini counts thoughts apart).
/// </summary>
public sealed record FakeReply
{
    /// <summary>Gets the answer's text; streamed in pieces of <see cref="ChunkSize"/> characters.</summary>
    public string Text { get; init; } = "Hello from the fake model.";

    /// <summary>Gets all input tokens.</summary>
    public int InputTokens { get; init; } = 12;

    /// <summary>Gets input tokens read from the cache.</summary>
    public int CachedTokens { get; init; }

    /// <summary>Gets input tokens written to the cache.</summary>
    public int CacheWriteTokens { get; init; }

    /// <summary>Gets all output tokens.</summary>
    public int OutputTokens { get; init; } = 6;

    /// <summary>Gets output tokens spent on reasoning.</summary>
    public int ReasoningTokens { get; init; }

    /// <summary>Gets how the answer ends.</summary>
    public FakeFinish Finish { get; init; } = FakeFinish.Stop;

    /// <summary>Gets the size of streamed text pieces.</summary>
    public int ChunkSize { get; init; } = 5;

    /// <summary>Gets a pause before each streamed piece after the first (gives a client time to read the headers before a scripted reset).</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Gets a value indicating whether the body is not valid JSON (a broken proxy, a wrong endpoint).</summary>
    public bool Malformed { get; init; }

    /// <summary>Gets a value indicating whether a stream stops after the first pieces, without the vendor's end events, and closes normally.</summary>
    public bool StopEarly { get; init; }

    /// <summary>Gets a value indicating whether a stream sends an error event after the first pieces (after HTTP 200).</summary>
    public bool MidStreamError { get; init; }

    /// <summary>Gets a value indicating whether streamed chunks repeat the cumulative usage (Gemini, some OpenAI-compatible servers).</summary>
    public bool RepeatUsage { get; init; }

    /// <summary>Splits the text into streamed pieces.</summary>
    /// <returns>The pieces.</returns>
    public IReadOnlyList<string> Pieces()
    {
        var pieces = new List<string>();
        for (var i = 0; i < Text.Length; i += ChunkSize)
        {
            pieces.Add(Text.Substring(i, Math.Min(ChunkSize, Text.Length - i)));
        }

        return pieces.Count == 0 ? [string.Empty] : pieces;
    }
}
