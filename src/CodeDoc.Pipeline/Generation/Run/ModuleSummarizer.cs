using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>The summary of one scope, kept in memory for the run only.</summary>
/// <param name="Scope">The scope.</param>
/// <param name="Markdown">The summary.</param>
/// <param name="OutlineOnly">The files read as outlines (bodies left out) because of their size.</param>
internal sealed record ScopeSummary(SummaryScope Scope, string Markdown, IReadOnlyList<string> OutlineOnly)
{
    /// <summary>Gets the summary's first paragraph, for prompts that need only the gist.</summary>
    public string Abstract => FirstParagraph(Markdown);

    /// <summary>Gets the first paragraph of Markdown (before the first blank line or heading).</summary>
    /// <param name="markdown">The Markdown.</param>
    /// <returns>The paragraph.</returns>
    public static string FirstParagraph(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n')
            .SkipWhile(string.IsNullOrWhiteSpace)
            .TakeWhile(l => !string.IsNullOrWhiteSpace(l) && !l.StartsWith('#'));
        return string.Join('\n', lines).Trim();
    }
}

/// <summary>
/// Summarizes scopes leaves first: each file is read once (in full or as an outline), files are packed into requests
/// that fit the model's window, and a scope read in several parts gets its part summaries combined. No file is
/// dropped for size: a file too large for one request is split across requests.
/// </summary>
/// <param name="session">The model session.</param>
/// <param name="tokens">The token counter.</param>
/// <param name="limits">The request sizes.</param>
internal sealed class ModuleSummarizer(ModelSession session, ITokenCounter tokens, GenerationLimits limits)
{
    /// <summary>Summarizes scopes concurrently (the session bounds the requests in flight).</summary>
    /// <param name="scopes">The scopes.</param>
    /// <param name="onDone">Called after each scope.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The summaries by scope id.</returns>
    public async Task<IReadOnlyDictionary<string, ScopeSummary>> SummarizeAsync(
        IReadOnlyList<SummaryScope> scopes, Action<SummaryScope> onDone, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(scopes.Select(async scope =>
        {
            var summary = await SummarizeAsync(scope, cancellationToken).ConfigureAwait(false);
            onDone(scope);
            return summary;
        })).ConfigureAwait(false);
        return results.ToDictionary(s => s.Scope.Id, StringComparer.Ordinal);
    }

    private async Task<ScopeSummary> SummarizeAsync(SummaryScope scope, CancellationToken cancellationToken)
    {
        var views = new List<FileView>();
        var outlineOnly = new List<string>();
        foreach (var file in scope.Files)
        {
            var view = SourceViews.ForSummary(file, tokens);
            if (view.Kind == ViewKind.Outline)
            {
                outlineOnly.Add(file.Path);
            }

            views.AddRange(view.Tokens > limits.Chunk ? SourceViews.Split(view, limits.Chunk, tokens) : [view]);
        }

        var parts = SummaryScopes.Pack([.. views.Select(v => (long)v.Tokens)], limits.Chunk);
        var summaries = await Task.WhenAll(parts.Select((part, index) =>
            CompleteAsync(Prompts.Summarize(scope.Title, index + 1, parts.Count, views.GetRange(part.Start, part.Count), GenerationLimits.SummaryWords), limits.SummaryOutputTokens, cancellationToken)))
            .ConfigureAwait(false);
        var markdown = summaries.Length == 1
            ? summaries[0]
            : await CompleteAsync(Prompts.Combine(scope.Title, summaries, GenerationLimits.CombineWords), limits.CombineOutputTokens, cancellationToken).ConfigureAwait(false);
        return new ScopeSummary(scope, markdown, outlineOnly);
    }

    private async Task<string> CompleteAsync(IList<Microsoft.Extensions.AI.ChatMessage> messages, int maxOutput, CancellationToken cancellationToken) =>
        (await session.CompleteAsync(RunStage.Summarizing, messages, maxOutput, cancellationToken).ConfigureAwait(false)).Text.Trim();
}
