using CodeDoc.Core;
using Microsoft.Extensions.AI;

namespace CodeDoc.Pipeline;

/// <summary>
/// Writes one page with the run's model: the page prompt (instructions, page list, notes and context fenced as data)
/// plus numbered excerpts of the page's sources within the room the request has left.
/// </summary>
/// <param name="session">The model session.</param>
/// <param name="snapshot">The snapshot with content.</param>
/// <param name="tokens">The token counter.</param>
/// <param name="limits">The request sizes.</param>
internal sealed class PageGenerator(ModelSession session, RepositorySnapshot snapshot, ITokenCounter tokens, GenerationLimits limits) : IPageGenerator
{
    private readonly Dictionary<string, SnapshotFile> _files = snapshot.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<GeneratedPage> GenerateAsync(PageGenerationRequest request, CancellationToken cancellationToken = default) =>
        (await GenerateOrUpdateAsync(request, cancellationToken).ConfigureAwait(false)).Page;

    /// <summary>
    /// Updates a published page from its text and the changes when the request carries them (edits, not a rewrite),
    /// and writes it from scratch otherwise or when the model's edits do not apply to the page.
    /// </summary>
    /// <param name="request">What to write.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The page, and whether it was updated rather than written.</returns>
    public async Task<(GeneratedPage Page, bool Updated)> GenerateOrUpdateAsync(PageGenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PreviousMarkdown is { } previous && request.Changes.Count > 0)
        {
            var prompt = PagePrompt.From(request);
            var changed = request.Changes.Where(c => c.Kind != ChangeKind.Deleted).Select(c => c.Path).ToList();
            var room = Math.Max(0, limits.Chunk - Prompts.UpdatePage(prompt, []).Sum(m => tokens.CountTokens(m.Text)));
            var excerpts = Excerpts(changed, room);
            var answer = await session.CompleteAsync(RunStage.Generating, Prompts.UpdatePage(prompt, excerpts), limits.UpdateOutputTokens, cancellationToken).ConfigureAwait(false);
            if (!answer.Truncated && PageEdits.Apply(previous, answer.Text) is { } edited)
            {
                var drewOn = request.Context.SelectMany(c => c.SourceFiles).Concat(request.Page.SourceFiles).Concat(excerpts.Select(e => e.Path))
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return (new GeneratedPage(request.Page, edited, answer.Usage) { DrewOn = drewOn }, true);
            }

            var rewritten = await WriteAsync(request with { PreviousMarkdown = null }, cancellationToken).ConfigureAwait(false);
            return (rewritten with
            {
                Usage = rewritten.Usage + answer.Usage,
                Warnings = [.. rewritten.Warnings, $"The update of '{request.Page.Title}' could not be applied to the published text, so the page was written again."],
            }, false);
        }

        return (await WriteAsync(request, cancellationToken).ConfigureAwait(false), false);
    }

    private async Task<GeneratedPage> WriteAsync(PageGenerationRequest request, CancellationToken cancellationToken)
    {
        var prompt = PagePrompt.From(request);
        var output = limits.PageOutputTokens(request.Style?.TargetWords ?? 700);
        var fixedTokens = Prompts.WritePage(prompt, []).Sum(m => (long)tokens.CountTokens(m.Text));
        var room = request.MaxInputTokens is { } max
            ? (int)Math.Max(0, max - fixedTokens)
            : limits.ExcerptBudget(request.Page.SourceTokens, fixedTokens, output);
        var excerpts = Excerpts(request.Page.SourceFiles, room);
        var messages = Prompts.WritePage(prompt, excerpts);

        var answer = await session.CompleteAsync(RunStage.Generating, messages, output, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        if (answer.Truncated)
        {
            warnings.Add($"The model's answer for '{request.Page.Title}' was still cut off at the output limit after {ModelSession.MaxContinuations} continuations; the page may end abruptly.");
        }

        var drewOn = excerpts.Select(e => e.Path)
            .Concat(request.Context.SelectMany(c => c.SourceFiles))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return new GeneratedPage(request.Page, Clean(answer.Text), answer.Usage)
        {
            Warnings = warnings,
            DrewOn = drewOn,
        };
    }

    /// <summary>Removes what models wrap pages in despite the instructions: a fence around the whole answer, a title heading.</summary>
    /// <param name="text">The answer.</param>
    /// <returns>The page Markdown.</returns>
    internal static string Clean(string text)
    {
        var lines = text.Trim().ReplaceLineEndings("\n").Split('\n').ToList();
        if (lines.Count >= 2 && lines[0].StartsWith("```", StringComparison.Ordinal) && lines[0].Trim() is "```" or "```markdown" or "```md" && lines[^1].Trim() == "```")
        {
            lines = lines[1..^1];
        }

        if (lines.Count > 0 && lines[0].StartsWith("# ", StringComparison.Ordinal))
        {
            lines.RemoveAt(0);
        }

        return string.Join('\n', lines).Trim() + "\n";
    }

    private List<FileView> Excerpts(IReadOnlyList<string> paths, int room)
    {
        // Small files first, each taking at most its share of what is left, so many small files are not crowded
        // out by one large one; a file that does not fit is still covered by the summaries the page draws on.
        var files = paths.Select(p => _files.GetValueOrDefault(p)).OfType<SnapshotFile>().Where(f => f.Content is not null).OrderBy(f => f.Tokens).ToList();
        var excerpts = new List<FileView>();
        for (var i = 0; i < files.Count && room > 0; i++)
        {
            var share = room / (files.Count - i);
            if (SourceViews.Excerpt(files[i], Math.Max(share, Math.Min(room, SourceViews.FullReadTokens)), tokens) is { } view && view.Tokens <= room)
            {
                excerpts.Add(view);
                room -= view.Tokens;
            }
        }

        return [.. excerpts.OrderBy(e => e.Path, StringComparer.Ordinal)];
    }
}
