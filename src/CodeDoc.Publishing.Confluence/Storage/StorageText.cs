using System.Text;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Escaping for Confluence storage format (XHTML): text and attribute values, CDATA sections, and characters XML
/// does not allow at all, which are dropped rather than sent (Confluence answers 400 "Error parsing xhtml" otherwise).
/// </summary>
internal static class StorageText
{
    /// <summary>Appends text escaped for element content or a double-quoted attribute value.</summary>
    /// <param name="builder">The output.</param>
    /// <param name="text">The raw text.</param>
    /// <returns>The output.</returns>
    public static StringBuilder AppendEscaped(this StringBuilder builder, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '"':
                    builder.Append("&quot;");
                    break;
                case '\'':
                    builder.Append("&#39;");
                    break;
                default:
                    AppendIfXmlChar(builder, text, ref i);
                    break;
            }
        }

        return builder;
    }

    /// <summary>
    /// Appends a CDATA section holding the text. <c>]]&gt;</c> inside it is split across two sections, the way
    /// Confluence Cloud and Data Center 8.3+ read it back.
    /// </summary>
    /// <param name="builder">The output.</param>
    /// <param name="text">The raw text.</param>
    /// <returns>The output.</returns>
    public static StringBuilder AppendCData(this StringBuilder builder, ReadOnlySpan<char> text)
    {
        builder.Append("<![CDATA[");
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ']' && text[i..].StartsWith("]]>", StringComparison.Ordinal))
            {
                builder.Append("]]]]><![CDATA[>");
                i += 2;
                continue;
            }

            AppendIfXmlChar(builder, text, ref i);
        }

        return builder.Append("]]>");
    }

    /// <summary>Removes the characters XML 1.0 does not allow (most control characters, lone surrogates, U+FFFE, U+FFFF).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text without them.</returns>
    public static string WithoutInvalidXmlChars(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsValidAt(text, i, out var width))
            {
                var builder = new StringBuilder(text.Length);
                for (var j = 0; j < text.Length; j++)
                {
                    AppendIfXmlChar(builder, text, ref j);
                }

                return builder.ToString();
            }

            i += width - 1;
        }

        return text;
    }

    private static void AppendIfXmlChar(StringBuilder builder, ReadOnlySpan<char> text, ref int i)
    {
        if (IsValidAt(text, i, out var width))
        {
            builder.Append(text.Slice(i, width));
        }

        i += width - 1;
    }

    private static bool IsValidAt(ReadOnlySpan<char> text, int i, out int width)
    {
        var c = text[i];
        width = 1;
        if (char.IsHighSurrogate(c))
        {
            if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                width = 2;
                return true;
            }

            return false;
        }

        return c switch
        {
            '\t' or '\n' or '\r' => true,
            < ' ' => false,
            _ when char.IsLowSurrogate(c) => false,
            '\uFFFE' or '\uFFFF' => false,
            _ => true,
        };
    }
}
