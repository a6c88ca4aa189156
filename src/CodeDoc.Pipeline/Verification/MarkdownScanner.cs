using System.Text.RegularExpressions;

namespace CodeDoc.Pipeline;

/// <summary>What a <see cref="MarkdownElement"/> is.</summary>
internal enum MarkdownElementKind
{
    /// <summary>A fenced code block; <see cref="MarkdownElement.Info"/> holds its info string, <see cref="MarkdownElement.Text"/> its body.</summary>
    Fence,

    /// <summary>An inline code span; <see cref="MarkdownElement.Text"/> holds the code.</summary>
    CodeSpan,

    /// <summary>An inline link <c>[text](target)</c>.</summary>
    Link,

    /// <summary>An inline image <c>![alt](target)</c>.</summary>
    Image,

    /// <summary>A bracketed text that is no link (a citation candidate); <see cref="MarkdownElement.Text"/> holds what is inside.</summary>
    Bracket,

    /// <summary>A URL in running text or in angle brackets, which renderers turn into a link.</summary>
    BareUrl,

    /// <summary>A link reference definition line <c>[id]: target</c>.</summary>
    LinkDefinition,

    /// <summary>
    /// An inline HTML tag that can reach elsewhere (<c>a</c>, <c>img</c>, <c>iframe</c>, <c>script</c>, ...), opening or
    /// closing; <see cref="MarkdownElement.Text"/> holds the tag name in lowercase, with a leading <c>/</c> when closing.
    /// </summary>
    HtmlTag,
}

/// <summary>One element of a page found by <see cref="MarkdownScanner"/>, located in the page's text.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Start">Where it starts in the page.</param>
/// <param name="Length">How long it is in the page.</param>
/// <param name="Text">The code of a fence or span, the text of a link, the inside of a bracket, the URL of a bare URL.</param>
/// <param name="TextStart">Where <paramref name="Text"/> starts in the page.</param>
internal sealed record MarkdownElement(MarkdownElementKind Kind, int Start, int Length, string Text, int TextStart)
{
    /// <summary>Gets the info string of a fence (its language first).</summary>
    public string Info { get; init; } = string.Empty;

    /// <summary>Gets the target of a link, image or link definition.</summary>
    public string Target { get; init; } = string.Empty;

    /// <summary>Gets the end of the element in the page.</summary>
    public int End => Start + Length;
}

/// <summary>
/// A small CommonMark-aware scanner for what verification needs: fences and code spans (so nothing inside code is
/// taken for a link or a citation), links, images, link definitions, bare URLs and bracketed citation candidates.
/// It never throws on malformed Markdown: an unclosed fence runs to the end of the page, an unmatched bracket or
/// backtick is plain text.
/// </summary>
internal static partial class MarkdownScanner
{
    /// <summary>Finds the elements of a page, in order of position.</summary>
    /// <param name="markdown">The page.</param>
    /// <returns>The elements, never overlapping.</returns>
    public static IReadOnlyList<MarkdownElement> Scan(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var elements = new List<MarkdownElement>();
        var position = 0;
        var textStart = 0;
        while (position < markdown.Length)
        {
            var lineEnd = LineEnd(markdown, position);
            if (TryOpenFence(markdown, position, lineEnd, out var fenceChar, out var fenceLength, out var info))
            {
                ScanInline(markdown, textStart, position, elements);
                var bodyStart = Math.Min(NextLine(markdown, lineEnd), markdown.Length);
                var closeStart = bodyStart;
                var end = markdown.Length;
                var bodyEnd = markdown.Length;
                while (closeStart < markdown.Length)
                {
                    var closeEnd = LineEnd(markdown, closeStart);
                    if (IsClosingFence(markdown, closeStart, closeEnd, fenceChar, fenceLength))
                    {
                        bodyEnd = closeStart;
                        end = closeEnd;
                        break;
                    }

                    closeStart = NextLine(markdown, closeEnd);
                }

                var body = markdown[bodyStart..bodyEnd];
                elements.Add(new MarkdownElement(MarkdownElementKind.Fence, position, end - position, body, bodyStart) { Info = info });
                position = NextLine(markdown, end);
                textStart = position;
                continue;
            }

            position = NextLine(markdown, lineEnd);
        }

        ScanInline(markdown, textStart, markdown.Length, elements);
        return elements;
    }

    private static void ScanInline(string text, int start, int end, List<MarkdownElement> elements)
    {
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < end)
            {
                i += 2;
                continue;
            }

            if (c == '`')
            {
                i = ScanCodeSpan(text, i, end, elements);
                continue;
            }

            if (c == '<' && HtmlTag().Match(text, i) is { Success: true } tag && tag.Index + tag.Length <= end)
            {
                var name = (tag.Groups["close"].Value + tag.Groups["name"].Value).ToLowerInvariant();
                var attribute = TagTarget().Match(tag.Value);
                var target = attribute.Success ? attribute.Groups["target"].Value : string.Empty;
                elements.Add(new MarkdownElement(MarkdownElementKind.HtmlTag, i, tag.Length, name, i) { Target = target });
                i += tag.Length;
                continue;
            }

            if (c == '<' && TryAutolink(text, i, end, out var autolinkEnd))
            {
                elements.Add(new MarkdownElement(MarkdownElementKind.BareUrl, i, autolinkEnd - i, text[(i + 1)..(autolinkEnd - 1)], i + 1));
                i = autolinkEnd;
                continue;
            }

            if ((c is 'h' or 'H' or 'w' or 'W') && (i == start || !char.IsLetterOrDigit(text[i - 1])) && TryBareUrl(text, i, end, out var urlEnd))
            {
                elements.Add(new MarkdownElement(MarkdownElementKind.BareUrl, i, urlEnd - i, text[i..urlEnd], i));
                i = urlEnd;
                continue;
            }

            if (c == '[' || (c == '!' && i + 1 < end && text[i + 1] == '['))
            {
                i = ScanBracket(text, i, start, end, elements);
                continue;
            }

            i++;
        }
    }

    private static int ScanCodeSpan(string text, int i, int end, List<MarkdownElement> elements)
    {
        var run = RunLength(text, i, end, '`');
        var search = i + run;
        while (search < end)
        {
            var next = text.IndexOf('`', search, end - search);
            if (next < 0)
            {
                break;
            }

            var closing = RunLength(text, next, end, '`');
            if (closing == run)
            {
                var code = text[(i + run)..next];
                var trimmed = code.Length >= 2 && code[0] == ' ' && code[^1] == ' ' && code.Trim().Length > 0 ? code[1..^1] : code;
                elements.Add(new MarkdownElement(MarkdownElementKind.CodeSpan, i, next + closing - i, trimmed.Replace('\n', ' '), i + run));
                return next + closing;
            }

            search = next + closing;
        }

        // An unmatched run of backticks is literal text.
        return i + run;
    }

    private static int ScanBracket(string text, int i, int lineFloor, int end, List<MarkdownElement> elements)
    {
        var isImage = text[i] == '!';
        var open = isImage ? i + 1 : i;
        var close = MatchingBracket(text, open, end);
        if (close < 0)
        {
            return open + 1;
        }

        var inside = text[(open + 1)..close];
        if (close + 1 < end && text[close + 1] == '(')
        {
            var closeParen = MatchingParen(text, close + 1, end);
            if (closeParen > 0)
            {
                var target = LinkTarget(text[(close + 2)..closeParen]);
                var kind = isImage ? MarkdownElementKind.Image : MarkdownElementKind.Link;
                elements.Add(new MarkdownElement(kind, i, closeParen + 1 - i, inside, open + 1) { Target = target });
                return closeParen + 1;
            }
        }

        if (isImage)
        {
            return close + 1;
        }

        if (close + 1 < end && text[close + 1] == '[')
        {
            // A reference link [text][id]: the definition line carries the target.
            var closeReference = MatchingBracket(text, close + 1, end);
            return closeReference < 0 ? close + 1 : closeReference + 1;
        }

        if (close + 1 < end && text[close + 1] == ':' && IsLineStart(text, i, lineFloor))
        {
            var lineEnd = LineEnd(text, close + 1);
            var target = LinkTarget(text[(close + 2)..Math.Min(lineEnd, end)]);
            elements.Add(new MarkdownElement(MarkdownElementKind.LinkDefinition, i, Math.Min(lineEnd, end) - i, inside, open + 1) { Target = target });
            return Math.Min(lineEnd, end);
        }

        elements.Add(new MarkdownElement(MarkdownElementKind.Bracket, i, close + 1 - i, inside, open + 1));
        return close + 1;
    }

    private static string LinkTarget(string inside)
    {
        var trimmed = inside.Trim();
        if (trimmed.StartsWith('<'))
        {
            var closing = trimmed.IndexOf('>', StringComparison.Ordinal);
            return closing > 0 ? trimmed[1..closing] : trimmed[1..];
        }

        // A title ("...") follows the target after whitespace.
        var space = trimmed.IndexOfAny([' ', '\t', '\n']);
        return space < 0 ? trimmed : trimmed[..space];
    }

    private static int MatchingBracket(string text, int open, int end)
    {
        var depth = 0;
        for (var j = open; j < end; j++)
        {
            switch (text[j])
            {
                case '\\':
                    j++;
                    break;
                case '[':
                    depth++;
                    break;
                case ']':
                    if (--depth == 0)
                    {
                        return j;
                    }

                    break;
                case '\n' when j + 1 < end && IsBlankLine(text, j + 1, end):
                    // Links and brackets never span a paragraph break.
                    return -1;
            }
        }

        return -1;
    }

    private static int MatchingParen(string text, int open, int end)
    {
        var depth = 0;
        for (var j = open; j < end; j++)
        {
            switch (text[j])
            {
                case '\\':
                    j++;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth == 0)
                    {
                        return j;
                    }

                    break;
                case '\n':
                    return -1;
            }
        }

        return -1;
    }

    private static bool TryAutolink(string text, int i, int end, out int autolinkEnd)
    {
        autolinkEnd = -1;
        var closing = text.IndexOf('>', i + 1, end - i - 1);
        if (closing < 0)
        {
            return false;
        }

        var inside = text.AsSpan(i + 1, closing - i - 1);
        var colon = inside.IndexOf(':');
        if (colon < 2 || inside.ContainsAny(" \t\n<") || !IsScheme(inside[..colon]))
        {
            return false;
        }

        autolinkEnd = closing + 1;
        return true;
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '+' and not '.' and not '-')
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryBareUrl(string text, int i, int end, out int urlEnd)
    {
        urlEnd = -1;
        var span = text.AsSpan(i, end - i);
        int prefix;
        if (span.StartsWith("www.", StringComparison.OrdinalIgnoreCase) && span.Length > 4 && char.IsLetterOrDigit(span[4]))
        {
            // GitHub-flavored Markdown links "www." text as well.
            prefix = 4;
        }
        else if (span.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            prefix = 8;
        }
        else if (span.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            prefix = 7;
        }
        else
        {
            return false;
        }

        var j = i + prefix;
        while (j < end && !char.IsWhiteSpace(text[j]) && text[j] is not '<' and not '`')
        {
            j++;
        }

        // Trailing punctuation belongs to the sentence, and a closing parenthesis to the text around the URL unless the URL opened it.
        while (j > i + prefix && text[j - 1] is '.' or ',' or ';' or ':' or '!' or '?' or '*' or '_' or '\'' or '"' or ')' or ']')
        {
            if (text[j - 1] == ')' && text.AsSpan(i, j - i).Count('(') >= text.AsSpan(i, j - i).Count(')'))
            {
                break;
            }

            j--;
        }

        if (j == i + prefix)
        {
            return false;
        }

        urlEnd = j;
        return true;
    }

    private static bool TryOpenFence(string text, int lineStart, int lineEnd, out char fenceChar, out int fenceLength, out string info)
    {
        fenceChar = '\0';
        fenceLength = 0;
        info = string.Empty;
        var i = SkipIndent(text, lineStart, lineEnd);
        if (i < 0 || i >= lineEnd || text[i] is not '`' and not '~')
        {
            return false;
        }

        var run = RunLength(text, i, lineEnd, text[i]);
        if (run < 3)
        {
            return false;
        }

        var rest = text[(i + run)..lineEnd].Trim();
        if (text[i] == '`' && rest.Contains('`', StringComparison.Ordinal))
        {
            return false;
        }

        fenceChar = text[i];
        fenceLength = run;
        info = rest;
        return true;
    }

    private static bool IsClosingFence(string text, int lineStart, int lineEnd, char fenceChar, int fenceLength)
    {
        var i = SkipIndent(text, lineStart, lineEnd);
        if (i < 0 || i >= lineEnd || text[i] != fenceChar)
        {
            return false;
        }

        var run = RunLength(text, i, lineEnd, fenceChar);
        return run >= fenceLength && text.AsSpan(i + run, lineEnd - i - run).IsWhiteSpace();
    }

    private static int SkipIndent(string text, int lineStart, int lineEnd)
    {
        var i = lineStart;
        while (i < lineEnd && text[i] == ' ' && i - lineStart < 4)
        {
            i++;
        }

        return i - lineStart > 3 ? -1 : i;
    }

    private static bool IsLineStart(string text, int i, int floor)
    {
        var j = i - 1;
        while (j >= floor && text[j] == ' ')
        {
            j--;
        }

        return j < floor || text[j] == '\n';
    }

    private static bool IsBlankLine(string text, int lineStart, int end)
    {
        var lineEnd = Math.Min(LineEnd(text, lineStart), end);
        return text.AsSpan(lineStart, lineEnd - lineStart).IsWhiteSpace();
    }

    private static int RunLength(string text, int i, int end, char c)
    {
        var j = i;
        while (j < end && text[j] == c)
        {
            j++;
        }

        return j - i;
    }

    /// <summary>Finds the end of the line starting at or containing <paramref name="position"/>, before its line break.</summary>
    /// <param name="text">The text.</param>
    /// <param name="position">A position in the line.</param>
    /// <returns>The offset of the line break (or the text's length), with a preceding <c>\r</c> excluded.</returns>
    internal static int LineEnd(string text, int position)
    {
        var newline = text.IndexOf('\n', position);
        var end = newline < 0 ? text.Length : newline;
        return end > position && text[end - 1] == '\r' ? end - 1 : end;
    }

    private static int NextLine(string text, int lineEnd)
    {
        var newline = text.IndexOf('\n', lineEnd);
        return newline < 0 ? text.Length : newline + 1;
    }

    [GeneratedRegex(@"\G<(?<close>/?)(?<name>a|img|iframe|script|style|link|form|object|embed|video|audio|source|base|meta)\b(?:[^<>""']|""[^""]*""|'[^']*')*>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s(?:href|src|action|data|poster)\s*=\s*(?:""(?<target>[^""]*)""|'(?<target>[^']*)'|(?<target>[^\s>]+))", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TagTarget();
}
