namespace CodeDoc.Pipeline;

/// <summary>What a <see cref="SourceToken"/> is.</summary>
internal enum SourceTokenKind
{
    /// <summary>A name or keyword.</summary>
    Identifier,

    /// <summary>One punctuation character.</summary>
    Punctuation,

    /// <summary>A string, character, template or regular-expression literal, quotes included.</summary>
    String,

    /// <summary>A numeric literal.</summary>
    Number,

    /// <summary>The end of a physical line (only when the language's options ask for it).</summary>
    NewLine,

    /// <summary>A documentation comment (<c>/** ... */</c>), for summaries.</summary>
    DocComment,
}

/// <summary>A token: a span of the source, never a copy of it.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Start">The offset of its first character.</param>
/// <param name="Length">Its length.</param>
/// <param name="Line">The 1-based line it starts on.</param>
/// <param name="Column">The 0-based column it starts at (the indentation of a line's first token).</param>
internal readonly record struct SourceToken(SourceTokenKind Kind, int Start, int Length, int Line, int Column)
{
    public int End => Start + Length;
}

/// <summary>What a language's lexer has to know: its comments and its kinds of string.</summary>
internal sealed record LexerOptions
{
    /// <summary>Gets the line-comment prefix: <c>//</c> or <c>#</c>.</summary>
    public required string LineComment { get; init; }

    /// <summary>Gets a value indicating whether <c>/* */</c> comments exist.</summary>
    public bool BlockComments { get; init; }

    /// <summary>Gets a value indicating whether backticks open a template literal with <c>${ }</c> holes (JavaScript).</summary>
    public bool TemplateLiterals { get; init; }

    /// <summary>Gets a value indicating whether backticks open a raw string (Go).</summary>
    public bool RawBacktickStrings { get; init; }

    /// <summary>Gets a value indicating whether <c>"""</c> (and, with single quotes, <c>'''</c>) open multi-line strings.</summary>
    public bool TripleQuotedStrings { get; init; }

    /// <summary>Gets a value indicating whether single quotes open strings or characters.</summary>
    public bool SingleQuoteStrings { get; init; } = true;

    /// <summary>Gets a value indicating whether Python string prefixes (<c>r</c>, <c>b</c>, <c>f</c>, <c>rb</c>, ...) apply.</summary>
    public bool PythonStringPrefixes { get; init; }

    /// <summary>Gets a value indicating whether a <c>/</c> can open a regular-expression literal (JavaScript).</summary>
    public bool RegexLiterals { get; init; }

    /// <summary>Gets a value indicating whether line ends are tokens (Python, Go).</summary>
    public bool EmitNewLines { get; init; }

    public static LexerOptions CStyle { get; } = new() { LineComment = "//", BlockComments = true };

    public static LexerOptions Java { get; } = CStyle with { TripleQuotedStrings = true, SingleQuoteStrings = true };

    public static LexerOptions JavaScript { get; } = CStyle with { TemplateLiterals = true, RegexLiterals = true };

    public static LexerOptions Go { get; } = CStyle with { RawBacktickStrings = true, EmitNewLines = true };

    public static LexerOptions Python { get; } = new()
    {
        LineComment = "#",
        TripleQuotedStrings = true,
        PythonStringPrefixes = true,
        EmitNewLines = true,
    };
}

/// <summary>
/// Splits source text into tokens, aware of the language's comments and strings, so that indexers never mistake text
/// inside a comment or a string for a definition. Malformed input never throws: an unterminated single-line string
/// ends at the line's end, an unterminated block at the end of the file.
/// </summary>
internal static class SourceLexer
{
    private static readonly HashSet<string> RegexPrecedingKeywords = new(StringComparer.Ordinal)
    {
        "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "instanceof", "yield", "await",
    };

    public static List<SourceToken> Tokenize(string text, LexerOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        var tokens = new List<SourceToken>(Math.Max(16, text.Length / 5));
        var position = 0;
        var line = 1;
        var lineStart = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '\n')
            {
                if (options.EmitNewLines)
                {
                    tokens.Add(new(SourceTokenKind.NewLine, position, 1, line, position - lineStart));
                }

                position++;
                line++;
                lineStart = position;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                position++;
                continue;
            }

            // A backslash before a line end joins the lines (Python, C macros): no line-end token.
            if (c == '\\' && position + 1 < text.Length && (text[position + 1] == '\n' || (text[position + 1] == '\r' && position + 2 < text.Length && text[position + 2] == '\n')))
            {
                position = text.IndexOf('\n', position) + 1;
                line++;
                lineStart = position;
                continue;
            }

            var start = position;
            var startLine = line;
            var column = position - lineStart;
            if (StartsWith(text, position, options.LineComment))
            {
                position = LineEnd(text, position);
                continue;
            }

            if (options.BlockComments && c == '/' && position + 1 < text.Length && text[position + 1] == '*')
            {
                var close = text.IndexOf("*/", position + 2, StringComparison.Ordinal);
                var end = close < 0 ? text.Length : close + 2;
                var isDoc = position + 2 < text.Length && text[position + 2] == '*' && end - position > 4;
                CountLines(text, position, end, ref line, ref lineStart);
                position = end;
                if (isDoc)
                {
                    tokens.Add(new(SourceTokenKind.DocComment, start, end - start, startLine, column));
                }

                continue;
            }

            if (IsIdentifierStart(c))
            {
                position++;
                while (position < text.Length && IsIdentifierPart(text[position]))
                {
                    position++;
                }

                if (options.PythonStringPrefixes && position < text.Length && (text[position] == '"' || text[position] == '\'') && IsPythonStringPrefix(text.AsSpan(start, position - start)))
                {
                    var raw = text.AsSpan(start, position - start).Contains('r') || text.AsSpan(start, position - start).Contains('R');
                    position = SkipQuoted(text, position, options, raw, ref line, ref lineStart);
                    tokens.Add(new(SourceTokenKind.String, start, position - start, startLine, column));
                    continue;
                }

                tokens.Add(new(SourceTokenKind.Identifier, start, position - start, startLine, column));
                continue;
            }

            if (char.IsAsciiDigit(c) || (c == '.' && position + 1 < text.Length && char.IsAsciiDigit(text[position + 1])))
            {
                position++;
                while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '_' or '.'))
                {
                    position++;
                }

                tokens.Add(new(SourceTokenKind.Number, start, position - start, startLine, column));
                continue;
            }

            if (c == '"' || (c == '\'' && options.SingleQuoteStrings))
            {
                position = SkipQuoted(text, position, options, raw: false, ref line, ref lineStart);
                tokens.Add(new(SourceTokenKind.String, start, position - start, startLine, column));
                continue;
            }

            if (c == '`' && options.TemplateLiterals)
            {
                position = SkipTemplate(text, position, ref line, ref lineStart);
                tokens.Add(new(SourceTokenKind.String, start, position - start, startLine, column));
                continue;
            }

            if (c == '`' && options.RawBacktickStrings)
            {
                var close = text.IndexOf('`', position + 1);
                var end = close < 0 ? text.Length : close + 1;
                CountLines(text, position, end, ref line, ref lineStart);
                position = end;
                tokens.Add(new(SourceTokenKind.String, start, position - start, startLine, column));
                continue;
            }

            if (c == '/' && options.RegexLiterals && RegexMayStart(text, tokens) && TrySkipRegex(text, position, out var regexEnd))
            {
                position = regexEnd;
                tokens.Add(new(SourceTokenKind.String, start, position - start, startLine, column));
                continue;
            }

            tokens.Add(new(SourceTokenKind.Punctuation, start, 1, startLine, column));
            position++;
        }

        return tokens;
    }

    public static bool Is(this SourceToken token, string text, string expected) =>
        token.Length == expected.Length && string.CompareOrdinal(text, token.Start, expected, 0, expected.Length) == 0;

    public static bool IsPunctuation(this SourceToken token, string text, char expected) =>
        token.Kind == SourceTokenKind.Punctuation && text[token.Start] == expected;

    public static string Text(this SourceToken token, string text) => text.Substring(token.Start, token.Length);

    internal static bool IsIdentifierStart(char c) => char.IsLetter(c) || c is '_' or '$';

    internal static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static bool IsPythonStringPrefix(ReadOnlySpan<char> prefix)
    {
        if (prefix.Length > 3)
        {
            return false;
        }

        foreach (var c in prefix)
        {
            if (c is not ('r' or 'R' or 'b' or 'B' or 'f' or 'F' or 'u' or 'U' or 't' or 'T'))
            {
                return false;
            }
        }

        return true;
    }

    private static int SkipQuoted(string text, int position, LexerOptions options, bool raw, ref int line, ref int lineStart)
    {
        var quote = text[position];
        if (options.TripleQuotedStrings && position + 2 < text.Length && text[position + 1] == quote && text[position + 2] == quote
            && (quote == '"' || options.PythonStringPrefixes))
        {
            var delimiter = new string(quote, 3);
            var search = position + 3;
            while (true)
            {
                var close = text.IndexOf(delimiter, search, StringComparison.Ordinal);
                if (close < 0)
                {
                    CountLines(text, position, text.Length, ref line, ref lineStart);
                    return text.Length;
                }

                if (!raw && IsEscaped(text, close, position + 3))
                {
                    search = close + 1;
                    continue;
                }

                CountLines(text, position, close + 3, ref line, ref lineStart);
                return close + 3;
            }
        }

        var i = position + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] != '\n')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                return i + 1;
            }

            if (c == '\n')
            {
                // Unterminated on its line: stop here so one stray quote cannot swallow the rest of the file.
                return i;
            }

            i++;
        }

        return i;
    }

    private static bool IsEscaped(string text, int index, int floor)
    {
        var backslashes = 0;
        for (var i = index - 1; i >= floor && text[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static int SkipTemplate(string text, int position, ref int line, ref int lineStart)
    {
        var i = position + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == '`')
            {
                CountLines(text, position, i + 1, ref line, ref lineStart);
                return i + 1;
            }

            if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                i = SkipTemplateHole(text, i + 2);
                continue;
            }

            i++;
        }

        CountLines(text, position, text.Length, ref line, ref lineStart);
        return text.Length;
    }

    /// <summary>Skips the expression inside <c>${ }</c>, which may hold strings, comments and nested templates.</summary>
    private static int SkipTemplateHole(string text, int position)
    {
        var depth = 1;
        var i = position;
        var ignoredLine = 0;
        var ignoredLineStart = 0;
        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case '{':
                    depth++;
                    i++;
                    break;
                case '}':
                    depth--;
                    i++;
                    if (depth == 0)
                    {
                        return i;
                    }

                    break;
                case '`':
                    i = SkipTemplate(text, i, ref ignoredLine, ref ignoredLineStart);
                    break;
                case '"' or '\'':
                    i = SkipQuoted(text, i, LexerOptions.JavaScript, raw: false, ref ignoredLine, ref ignoredLineStart);
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    i = LineEnd(text, i);
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] == '*':
                    var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = close < 0 ? text.Length : close + 2;
                    break;
                default:
                    i++;
                    break;
            }
        }

        return text.Length;
    }

    private static bool RegexMayStart(string text, List<SourceToken> tokens)
    {
        if (tokens.Count == 0)
        {
            return true;
        }

        var previous = tokens[^1];
        return previous.Kind switch
        {
            SourceTokenKind.Identifier => RegexPrecedingKeywords.Contains(previous.Text(text)),
            SourceTokenKind.Punctuation => text[previous.Start] is not (')' or ']' or '}'),
            SourceTokenKind.Number or SourceTokenKind.String => false,
            _ => true,
        };
    }

    private static bool TrySkipRegex(string text, int position, out int end)
    {
        end = position;
        if (position + 1 < text.Length && text[position + 1] is '/' or '*')
        {
            return false;
        }

        var inClass = false;
        for (var i = position + 1; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\n':
                    return false;
                case '\\':
                    i++;
                    break;
                case '[':
                    inClass = true;
                    break;
                case ']':
                    inClass = false;
                    break;
                case '/' when !inClass:
                    end = i + 1;
                    while (end < text.Length && char.IsAsciiLetter(text[end]))
                    {
                        end++;
                    }

                    return true;
            }
        }

        return false;
    }

    private static bool StartsWith(string text, int position, string prefix) =>
        position + prefix.Length <= text.Length && string.CompareOrdinal(text, position, prefix, 0, prefix.Length) == 0;

    private static int LineEnd(string text, int position)
    {
        var newline = text.IndexOf('\n', position);
        return newline < 0 ? text.Length : newline;
    }

    private static void CountLines(string text, int from, int to, ref int line, ref int lineStart)
    {
        for (var i = from; i < to; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
    }
}
