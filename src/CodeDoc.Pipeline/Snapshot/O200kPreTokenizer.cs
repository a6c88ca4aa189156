using System.Globalization;

namespace CodeDoc.Pipeline;

/// <summary>
/// Splits text into the pieces the o200k encoding's pre-tokenization regex produces, without a regex:
/// <code>
/// [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
/// |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
/// |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
/// </code>
/// </summary>
/// <remarks>
/// The regex is half the cost of counting tokens with Microsoft.ML.Tokenizers; this scanner gives the same pieces
/// (a property test compares them with the library's pre-tokenizer) several times faster. It follows .NET regex
/// semantics exactly: alternatives are tried in order with backtracking, categories are those of each UTF-16 code
/// unit (a surrogate is neither letter nor number), and <c>\s</c> is <see cref="char.IsWhiteSpace(char)"/>.
/// </remarks>
internal static class O200kPreTokenizer
{
    private const byte Upper = 1;      // Lu Lt Lm Lo M: the first class of the letter alternatives
    private const byte Lower = 2;      // Ll Lm Lo M: the second class
    private const byte Letter = 4;     // \p{L}
    private const byte Number = 8;     // \p{N}
    private const byte White = 16;     // \s
    private const byte LineBreak = 32; // \r \n

    private static readonly byte[] Classes = BuildClasses();

    /// <summary>Returns where the piece that starts at <paramref name="start"/> ends.</summary>
    /// <param name="text">The text.</param>
    /// <param name="start">The start of the piece, less than the text's length.</param>
    /// <returns>The exclusive end of the piece, greater than <paramref name="start"/>.</returns>
    public static int PieceEnd(ReadOnlySpan<char> text, int start)
    {
        int end;
        if ((end = LetterRun(text, start, prefixed: true)) > 0
            || (end = LetterRun(text, start, prefixed: false)) > 0
            || (end = CapitalRun(text, start, prefixed: true)) > 0
            || (end = CapitalRun(text, start, prefixed: false)) > 0)
        {
            return end;
        }

        var first = Class(text[start]);
        if ((first & Number) != 0)
        {
            end = start + 1;
            while (end < text.Length && end < start + 3 && (Class(text[end]) & Number) != 0)
            {
                end++;
            }

            return end;
        }

        if ((end = Punctuation(text, start)) > 0)
        {
            return end;
        }

        // What is left starts with whitespace.
        var run = start;
        while (run < text.Length && (Class(text[run]) & White) != 0)
        {
            run++;
        }

        // \s*[\r\n]+ ends after the run's last line break.
        for (var i = run - 1; i >= start; i--)
        {
            if ((Class(text[i]) & LineBreak) != 0)
            {
                return i + 1;
            }
        }

        // \s+(?!\S) leaves the last space for the word that follows; \s+ takes a single space anyway.
        return run == text.Length || run - start < 2 ? run : run - 1;
    }

    /// <summary>[^\r\n\p{L}\p{N}]?[Upper]*[Lower]+ contraction?</summary>
    private static int LetterRun(ReadOnlySpan<char> text, int start, bool prefixed)
    {
        var from = start;
        if (prefixed)
        {
            if (!IsPrefix(text[start]))
            {
                return -1;
            }

            from++;
        }

        var upperEnd = from;
        while (upperEnd < text.Length && (Class(text[upperEnd]) & Upper) != 0)
        {
            upperEnd++;
        }

        int end;
        if (upperEnd < text.Length && (Class(text[upperEnd]) & Lower) != 0)
        {
            end = upperEnd + 1;
            while (end < text.Length && (Class(text[end]) & Lower) != 0)
            {
                end++;
            }
        }
        else
        {
            // Backtrack the greedy [Upper]* to the last character that is also [Lower].
            var last = upperEnd - 1;
            while (last >= from && (Class(text[last]) & Lower) == 0)
            {
                last--;
            }

            if (last < from)
            {
                return -1;
            }

            end = last + 1;
        }

        return Contraction(text, end);
    }

    /// <summary>[^\r\n\p{L}\p{N}]?[Upper]+[Lower]* contraction?</summary>
    private static int CapitalRun(ReadOnlySpan<char> text, int start, bool prefixed)
    {
        var from = start;
        if (prefixed)
        {
            if (!IsPrefix(text[start]))
            {
                return -1;
            }

            from++;
        }

        if (from >= text.Length || (Class(text[from]) & Upper) == 0)
        {
            return -1;
        }

        var end = from + 1;
        while (end < text.Length && (Class(text[end]) & Upper) != 0)
        {
            end++;
        }

        while (end < text.Length && (Class(text[end]) & Lower) != 0)
        {
            end++;
        }

        return Contraction(text, end);
    }

    /// <summary> ?[^\s\p{L}\p{N}]+[\r\n/]*</summary>
    private static int Punctuation(ReadOnlySpan<char> text, int start)
    {
        var from = start;
        if (text[start] == ' ' && start + 1 < text.Length && IsSymbol(text[start + 1]))
        {
            from++;
        }
        else if (!IsSymbol(text[start]))
        {
            return -1;
        }

        var end = from + 1;
        while (end < text.Length && IsSymbol(text[end]))
        {
            end++;
        }

        while (end < text.Length && text[end] is '\r' or '\n' or '/')
        {
            end++;
        }

        return end;
    }

    /// <summary>(?i:'s|'t|'re|'ve|'m|'ll|'d)?</summary>
    private static int Contraction(ReadOnlySpan<char> text, int end)
    {
        if (end + 1 >= text.Length || text[end] != '\'')
        {
            return end;
        }

        var a = text[end + 1];
        if (Is(a, 's') || Is(a, 't') || Is(a, 'm') || Is(a, 'd'))
        {
            return end + 2;
        }

        if (end + 2 < text.Length)
        {
            var b = text[end + 2];
            if ((Is(a, 'r') && Is(b, 'e')) || (Is(a, 'v') && Is(b, 'e')) || (Is(a, 'l') && Is(b, 'l')))
            {
                return end + 3;
            }
        }

        return end;
    }

    // Case-insensitive as the regex's (?i) for these ASCII letters (the long s does not match 's' there).
    private static bool Is(char c, char lower) => (c | 0x20) == lower;

    private static bool IsPrefix(char c) => (Class(c) & (Letter | Number | LineBreak)) == 0;

    private static bool IsSymbol(char c) => (Class(c) & (Letter | Number | White)) == 0;

    private static byte Class(char c) => Classes[c];

    private static byte[] BuildClasses()
    {
        var classes = new byte[char.MaxValue + 1];
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            byte value = CharUnicodeInfo.GetUnicodeCategory(c) switch
            {
                UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => Upper | Letter,
                UnicodeCategory.LowercaseLetter => Lower | Letter,
                UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Upper | Lower | Letter,
                UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => Upper | Lower,
                UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Number,
                _ => 0,
            };
            if (char.IsWhiteSpace(c))
            {
                value |= White;
            }

            if (c is '\r' or '\n')
            {
                value |= LineBreak;
            }

            classes[i] = value;
        }

        return classes;
    }
}
