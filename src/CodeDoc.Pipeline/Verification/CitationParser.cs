using System.Text.RegularExpressions;

namespace CodeDoc.Pipeline;

/// <summary>One bracket of citations in a page: <c>[a.cs:1-5]</c> or <c>[a.cs:1-5, b.cs:7]</c>.</summary>
/// <param name="Start">Where the bracket starts in the page.</param>
/// <param name="Length">How long the bracket is, brackets included.</param>
/// <param name="Citations">The citations inside it, in order.</param>
internal sealed record CitationGroup(int Start, int Length, IReadOnlyList<Citation> Citations);

/// <summary>
/// Finds the citations the generator asks models to write: a repository path in square brackets (not a Markdown
/// link), optionally with a line or a line range — <c>[src/a.cs:10-20]</c>, <c>[src/a.cs:10]</c>, <c>[src/a.cs]</c>;
/// the <c>L10-L20</c> and <c>#L10-L20</c> spellings models also produce are read too. Several citations may share
/// one bracket, separated by commas or semicolons. Nothing inside code is a citation.
/// </summary>
internal static partial class CitationParser
{
    /// <summary>Finds the citations of a page.</summary>
    /// <param name="markdown">The page.</param>
    /// <returns>The citations, in order of position.</returns>
    public static IReadOnlyList<Citation> Parse(string markdown) =>
        ParseGroups(markdown).SelectMany(g => g.Citations).ToList();

    /// <summary>Finds the citation brackets of a page.</summary>
    /// <param name="markdown">The page.</param>
    /// <returns>The brackets that hold only citations, in order of position.</returns>
    public static IReadOnlyList<CitationGroup> ParseGroups(string markdown) =>
        ParseGroups(MarkdownScanner.Scan(markdown));

    /// <summary>Finds the citation brackets among scanned elements.</summary>
    /// <param name="elements">The page's elements from <see cref="MarkdownScanner.Scan"/>.</param>
    /// <returns>The brackets that hold only citations, in order of position.</returns>
    public static IReadOnlyList<CitationGroup> ParseGroups(IReadOnlyList<MarkdownElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var groups = new List<CitationGroup>();
        foreach (var element in elements)
        {
            if (element.Kind == MarkdownElementKind.Bracket && TryParseGroup(element, out var group))
            {
                groups.Add(group);
            }
        }

        return groups;
    }

    /// <summary>Reads one citation, e.g. <c>src/a.cs:10-20</c>.</summary>
    /// <param name="text">The citation without brackets.</param>
    /// <param name="index">Where it starts in the page.</param>
    /// <returns>The citation, or null when the text is no citation.</returns>
    public static Citation? TryParse(string text, int index)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = CitationPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var path = match.Groups["path"].Value.Replace('\\', '/');
        if (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        int? start = null;
        int? end = null;
        if (match.Groups["start"].Success)
        {
            if (!int.TryParse(match.Groups["start"].ValueSpan, out var first))
            {
                return null;
            }

            start = first;
            end = first;
            if (match.Groups["end"].Success)
            {
                if (!int.TryParse(match.Groups["end"].ValueSpan, out var last))
                {
                    return null;
                }

                end = last;
            }
        }

        if (!LooksLikePath(path, hasLines: start is not null))
        {
            return null;
        }

        return new Citation(path, start, end, index, text.Length);
    }

    private static bool TryParseGroup(MarkdownElement bracket, out CitationGroup group)
    {
        group = null!;
        var inside = bracket.Text;
        if (inside.Length == 0 || inside.Contains('\n', StringComparison.Ordinal))
        {
            return false;
        }

        var citations = new List<Citation>();
        var offset = 0;
        foreach (var part in inside.Split([',', ';']))
        {
            var leading = part.Length - part.TrimStart().Length;
            var item = part.Trim();
            var citation = TryParse(item, bracket.TextStart + offset + leading);
            if (citation is null)
            {
                return false;
            }

            citations.Add(citation);
            offset += part.Length + 1;
        }

        group = new CitationGroup(bracket.Start, bracket.Length, citations);
        return true;
    }

    /// <summary>
    /// Keeps prose in brackets (<c>[e.g]</c>, <c>[v1.2]</c>, <c>[!NOTE]</c>) from being taken for a citation: a path
    /// needs a folder, a line, or a file name with a known source or manifest extension.
    /// </summary>
    private static bool LooksLikePath(string path, bool hasLines)
    {
        if (path.Contains("://", StringComparison.Ordinal))
        {
            return false;
        }

        var name = path[(path.LastIndexOf('/') + 1)..];
        var hasExtension = name.LastIndexOf('.') is var dot and > 0 && dot < name.Length - 1 && char.IsAsciiLetter(name[dot + 1]);
        if (path.Contains('/', StringComparison.Ordinal))
        {
            return hasExtension || hasLines || path.EndsWith('/');
        }

        return hasLines ? hasExtension || SourceLanguages.Of(name) is not null : SourceLanguages.Of(name) is not null || ProjectManifests.IsManifest(name);
    }

    [GeneratedRegex(@"^(?<path>[^\s:\[\]()<>""'`*|#,;]+)(?:(?::|#)L?(?<start>\d{1,7})(?:\s*[-–—]\s*L?(?<end>\d{1,7}))?)?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CitationPattern();
}
