using System.Text;
using System.Text.RegularExpressions;

namespace CodeDoc.Pipeline;

/// <summary>
/// What a parent page takes from a child page, reduced to a comparable key, so a run can tell whether a child's update
/// matters to the pages above it.
/// </summary>
/// <remarks>
/// The gist of a page is (1) its first paragraph, which parents quote as the child's abstract, (2) its headings in
/// order, which are its structure, and (3) the set of names in backticks outside code blocks, which are the public names
/// it documents. Each part is compared after normalization that removes what is not substance: runs of whitespace
/// become one space, and line numbers of citations (<c>[path:12-30]</c>) are dropped, because an edit elsewhere in a
/// file moves them without changing anything the parent says. The verification warning a page may start with is
/// ignored for the same reason. Two pages have the same gist exactly when the three normalized parts are equal, which
/// makes the rule deterministic: a parent is updated for a child only when one of these parts changed.
/// </remarks>
internal static partial class PageGist
{
    /// <summary>Gets the gist of a page.</summary>
    /// <param name="markdown">The page's Markdown.</param>
    /// <returns>A key that is equal for two pages exactly when their gists are.</returns>
    public static string Of(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var headings = new List<string>();
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                headings.Add(Normalize(line));
            }

            foreach (Match name in CodeSpan().Matches(line))
            {
                names.Add(name.Groups[1].Value.Trim());
            }
        }

        var body = string.Join('\n', lines.SkipWhile(l => string.IsNullOrWhiteSpace(l) || l.StartsWith('>')));
        return new StringBuilder()
            .Append(Normalize(ScopeSummary.FirstParagraph(body))).Append('\u001f')
            .AppendJoin('\u001e', headings).Append('\u001f')
            .AppendJoin('\u001e', names)
            .ToString();
    }

    /// <summary>Tells whether a child's new text changes what its parent draws on.</summary>
    /// <param name="before">The child's published text, or <see langword="null"/> when there is none.</param>
    /// <param name="after">The child's text after this run.</param>
    /// <returns>Whether the gists differ.</returns>
    public static bool Changed(string? before, string after) => before is null || !string.Equals(Of(before), Of(after), StringComparison.Ordinal);

    private static string Normalize(string text) => Whitespace().Replace(CitationLines().Replace(text, "[$1]"), " ").Trim();

    [GeneratedRegex(@"`([^`\n]+)`", RegexOptions.CultureInvariant)]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\[([^\[\]\s:]+):\d+(?:-\d+)?\]", RegexOptions.CultureInvariant)]
    private static partial Regex CitationLines();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
