using CodeDoc.Core;
using Microsoft.Extensions.AI;

namespace CodeDoc.Pipeline;

/// <summary>
/// The measured token counts of the fixed parts of each prompt (the system prompt and the instructions of each
/// task), so forecasts count what the generator really sends rather than a guess.
/// </summary>
/// <param name="System">The system prompt, which every request starts with.</param>
/// <param name="Summarize">A summary request without its files.</param>
/// <param name="Combine">A combine request without its summaries.</param>
/// <param name="Outline">The outline request without its draft, map and summaries.</param>
/// <param name="WritePage">A page request without its page list, context and excerpts.</param>
/// <param name="UpdatePage">An update request without its page list, page text, diffs and excerpts.</param>
/// <param name="Fence">The fence lines around one data block.</param>
internal sealed record PromptSizes(int System, int Summarize, int Combine, int Outline, int WritePage, int UpdatePage, int Fence)
{
    /// <summary>Measures the prompts with a token counter.</summary>
    /// <param name="counter">The counter.</param>
    /// <returns>The sizes.</returns>
    public static PromptSizes Measure(ITokenCounter counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        int Count(IEnumerable<ChatMessage> messages) => messages.Sum(m => counter.CountTokens(m.Text) + 4);
        var page = new PlannedPage("page-key", "A page title", null, "overview", []) { Purpose = "What the page covers, in a sentence of about this length." };
        var request = new PagePrompt(page, []) { Style = new PageStyle("developers new to the code", "plain and precise", 700) };
        return new PromptSizes(
            counter.CountTokens(Prompts.System),
            Count(Prompts.Summarize("src/module", 1, 2, [], GenerationLimits.SummaryWords)),
            Count(Prompts.Combine("src/module", [], GenerationLimits.CombineWords)),
            Count(Prompts.Outline(
                new DocumentationPreset { Name = "wiki", Description = "A full wiki: overview, getting started, architecture and one page per module.", Audience = "developers", Tone = "plain", Pages = [] },
                new Outline("wiki", []),
                40,
                string.Empty,
                [],
                null)),
            Count(Prompts.WritePage(request, [])),
            Count(Prompts.UpdatePage(request with { PreviousMarkdown = string.Empty }, [])),
            counter.CountTokens(DataFence.Wrap("file", [("path", "src/module/some/file.cs"), ("lines", "1-100"), ("view", "outline")], string.Empty)));
    }

    /// <summary>The tokens one line of a page list takes (<c>- key: title</c>).</summary>
    /// <param name="counter">The counter.</param>
    /// <param name="page">The page.</param>
    /// <returns>The tokens.</returns>
    public static int PageListLine(ITokenCounter counter, OutlinePage page) => counter.CountTokens($"- {page.Key}: {page.Title}\n");
}
