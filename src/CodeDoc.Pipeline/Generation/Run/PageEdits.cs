namespace CodeDoc.Pipeline;

/// <summary>
/// Applies the edits an update request returns (<c>&lt;&lt;&lt;&lt;&lt;&lt;&lt; FIND</c> / <c>=======</c> /
/// <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt; REPLACE</c> blocks, or <see cref="Prompts.NoChanges"/>) to a published page. Every FIND must
/// occur exactly once in the page; otherwise nothing is applied and the caller writes the page again.
/// </summary>
internal static class PageEdits
{
    private const string Find = "<<<<<<< FIND\n";
    private const string Separator = "\n=======\n";
    private const string Replace = "\n>>>>>>> REPLACE";

    /// <summary>Applies the edits of an answer.</summary>
    /// <param name="page">The published page.</param>
    /// <param name="answer">The model's answer.</param>
    /// <returns>The updated page, or <see langword="null"/> when the answer holds no applicable edits.</returns>
    public static string? Apply(string page, string answer)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(answer);
        var text = answer.ReplaceLineEndings("\n").Trim();
        if (text == Prompts.NoChanges)
        {
            return page;
        }

        var result = page.ReplaceLineEndings("\n");
        var applied = 0;
        for (var start = text.IndexOf(Find, StringComparison.Ordinal); start >= 0; start = text.IndexOf(Find, start, StringComparison.Ordinal))
        {
            var separator = text.IndexOf(Separator, start, StringComparison.Ordinal);
            var end = separator < 0 ? -1 : text.IndexOf(Replace, separator, StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            var find = text[(start + Find.Length)..separator];
            var replacement = text[(separator + Separator.Length)..end];
            var at = result.IndexOf(find, StringComparison.Ordinal);
            if (find.Length == 0 || at < 0 || result.IndexOf(find, at + 1, StringComparison.Ordinal) >= 0)
            {
                return null;
            }

            result = string.Concat(result.AsSpan(0, at), replacement, result.AsSpan(at + find.Length));
            applied++;
            start = end + Replace.Length;
        }

        return applied > 0 ? result : null;
    }
}
