using System.Globalization;
using CodeDoc.Core;
using Microsoft.Extensions.AI;

namespace CodeDoc.Pipeline;

/// <summary>
/// The sizes every request of a run is built to, from the model's context window and output limit: what the
/// generator sends and what the forecast counts are the same numbers.
/// </summary>
/// <param name="ContextWindow">The model's context window in tokens.</param>
/// <param name="MaxOutput">The model's output limit per request.</param>
internal sealed record GenerationLimits(int ContextWindow, int MaxOutput)
{
    /// <summary>The context window assumed when the model's is unknown.</summary>
    public const int DefaultContextWindow = 128_000;

    /// <summary>The output limit assumed when the model's is unknown.</summary>
    public const int DefaultMaxOutput = 8_000;

    /// <summary>The words of a part summary.</summary>
    public const int SummaryWords = 300;

    /// <summary>The words of a summary combined from parts.</summary>
    public const int CombineWords = 450;

    /// <summary>The share of a page's source tokens its excerpts may use.</summary>
    public const double ExcerptShare = 0.2;

    /// <summary>The excerpt room every page with sources gets at least (when its sources are that large).</summary>
    public const int MinExcerptTokens = 2_000;

    /// <summary>Gets the most tokens of repository text in one request: half the window (room for instructions and output), 8,000 to 100,000.</summary>
    public int Chunk => Math.Clamp(ContextWindow / 2, 8_000, 100_000);

    /// <summary>Gets the output limit of a summary request.</summary>
    public int SummaryOutputTokens => Math.Min(MaxOutput, 900);

    /// <summary>Gets the output limit of a combine request.</summary>
    public int CombineOutputTokens => Math.Min(MaxOutput, 1_200);

    /// <summary>Gets the output limit of the outline request.</summary>
    public int OutlineOutputTokens => Math.Min(MaxOutput, 4_000);

    /// <summary>Gets the output limit of an update request (edits, not the page).</summary>
    public int UpdateOutputTokens => Math.Min(MaxOutput, 2_000);

    /// <summary>Gets the limits for a model.</summary>
    /// <param name="contextWindow">The model's context window, when known.</param>
    /// <param name="maxOutput">The model's output limit, when known.</param>
    /// <returns>The limits.</returns>
    public static GenerationLimits For(int? contextWindow, int? maxOutput) =>
        new(contextWindow is > 0 ? contextWindow.Value : DefaultContextWindow, maxOutput is > 0 ? maxOutput.Value : DefaultMaxOutput);

    /// <summary>Gets the output limit of a page request.</summary>
    /// <param name="pageWords">The length the page aims for, in words.</param>
    /// <returns>The limit.</returns>
    public int PageOutputTokens(int pageWords) => Math.Min(MaxOutput, Math.Max(1_500, pageWords * 4));

    /// <summary>Gets the room for source excerpts in a page request.</summary>
    /// <param name="sourceTokens">The tokens of the page's source files.</param>
    /// <param name="fixedTokens">The tokens of everything else in the request (instructions, context).</param>
    /// <param name="outputTokens">The output the request allows.</param>
    /// <returns>The excerpt room in tokens.</returns>
    public int ExcerptBudget(long sourceTokens, long fixedTokens, int outputTokens)
    {
        if (sourceTokens <= 0)
        {
            return 0;
        }

        var room = Math.Max(0, Math.Min(Chunk, ContextWindow - outputTokens) - fixedTokens);
        var floor = Math.Min(MinExcerptTokens, (long)(sourceTokens * 1.2) + 100);
        var wanted = Math.Max(floor, (long)(sourceTokens * ExcerptShare));
        return (int)Math.Min(wanted, room);
    }

    /// <summary>Builds the options of one request.</summary>
    /// <param name="maxOutputTokens">The output limit.</param>
    /// <returns>The options.</returns>
    public static ChatOptions Options(int maxOutputTokens) => new() { MaxOutputTokens = maxOutputTokens };

    /// <summary>Describes the limits for forecast assumptions.</summary>
    /// <returns>The description.</returns>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"requests hold up to {Chunk:N0} tokens of repository text (half of a {ContextWindow:N0}-token context window, capped at 100,000)");
}
