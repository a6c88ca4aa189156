using System.Text;

namespace CodeDoc.Pipeline;

/// <summary>Indexes the definitions of one language in one file.</summary>
internal interface ILanguageIndexer
{
    /// <summary>Gets the language id, e.g. <c>go</c>.</summary>
    string Language { get; }

    /// <summary>Adds the definitions of a file to the sink.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="content">The file's text.</param>
    /// <param name="sink">Receives the definitions.</param>
    void Index(string path, string content, SymbolSink sink);
}

/// <summary>Collects what indexers find in one file: definitions and the base types each type names.</summary>
internal sealed class SymbolSink
{
    /// <summary>The longest signature kept; longer ones are cut with an ellipsis.</summary>
    internal const int MaxSignatureLength = 400;

    /// <summary>The longest summary kept; longer ones are cut with an ellipsis.</summary>
    internal const int MaxSummaryLength = 600;

    private readonly string _path;
    private readonly string _language;

    public SymbolSink(string path, string language)
    {
        _path = path;
        _language = language;
    }

    public List<CodeSymbol> Symbols { get; } = [];

    /// <summary>Gets the base types named by each type, as (qualified type name, base simple name) pairs.</summary>
    public List<(string Type, string Base)> BaseTypes { get; } = [];

    public CodeSymbol Add(string name, string? container, CodeSymbolKind kind, int line, bool isPublic, string? signature = null, string? summary = null)
    {
        var symbol = new CodeSymbol(name, string.IsNullOrEmpty(container) ? null : container, kind, _path, line, isPublic, _language)
        {
            Signature = signature is null ? null : Cut(signature, MaxSignatureLength),
            Summary = string.IsNullOrWhiteSpace(summary) ? null : Cut(summary, MaxSummaryLength),
        };
        Symbols.Add(symbol);
        return symbol;
    }

    public void AddBase(string qualifiedType, string baseName)
    {
        var simple = SimpleTypeName(baseName);
        if (simple.Length > 0)
        {
            BaseTypes.Add((qualifiedType, simple));
        }
    }

    /// <summary>Joins a container and a name with a dot.</summary>
    public static string Qualify(string? container, string name) => string.IsNullOrEmpty(container) ? name : container + "." + name;

    /// <summary>Collapses a stretch of source into one line: runs of white space become one space.</summary>
    public static string Collapse(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxSignatureLength + 8));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
            if (builder.Length > MaxSignatureLength)
            {
                break;
            }
        }

        return builder.ToString();
    }

    /// <summary>The summary of a <c>/** ... */</c> comment: its text before the first block tag, on one line.</summary>
    public static string? DocCommentSummary(ReadOnlySpan<char> comment)
    {
        if (comment.StartsWith("/**"))
        {
            comment = comment[3..];
        }

        if (comment.EndsWith("*/"))
        {
            comment = comment[..^2];
        }

        var builder = new StringBuilder();
        foreach (var rawLine in comment.EnumerateLines())
        {
            var line = rawLine.Trim();
            if (line.StartsWith("*"))
            {
                line = line[1..].Trim();
            }

            if (line.StartsWith("@"))
            {
                break;
            }

            if (line.Length == 0)
            {
                if (builder.Length > 0)
                {
                    break;
                }

                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(line);
        }

        var summary = StripInlineTags(builder.ToString());
        return summary.Length == 0 ? null : summary;
    }

    /// <summary>The first paragraph of a Python docstring literal, on one line.</summary>
    public static string? DocstringSummary(ReadOnlySpan<char> literal)
    {
        var start = 0;
        while (start < literal.Length && literal[start] is not ('"' or '\''))
        {
            start++;
        }

        literal = literal[start..];
        var quoteLength = literal.StartsWith("\"\"\"") || literal.StartsWith("'''") ? 3 : 1;
        if (literal.Length < quoteLength * 2)
        {
            return null;
        }

        literal = literal[quoteLength..^quoteLength];
        var builder = new StringBuilder();
        foreach (var rawLine in literal.EnumerateLines())
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                if (builder.Length > 0)
                {
                    break;
                }

                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(line);
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>The simple name of a type reference: <c>pkg.Base&lt;T&gt;</c> gives <c>Base</c>.</summary>
    public static string SimpleTypeName(string reference)
    {
        var span = reference.AsSpan().Trim();
        var generic = span.IndexOfAny('<', '[', '(');
        if (generic >= 0)
        {
            span = span[..generic];
        }

        var dot = span.LastIndexOf('.');
        if (dot >= 0)
        {
            span = span[(dot + 1)..];
        }

        return span.Trim().TrimStart('*').ToString();
    }

    private static string StripInlineTags(string text)
    {
        // {@link Foo#bar} and {@code x} keep their argument; the tag itself is noise in a summary.
        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '@')
            {
                var close = text.IndexOf('}', i);
                var space = text.IndexOf(' ', i);
                if (close > 0 && space > 0 && space < close)
                {
                    builder.Append(text.AsSpan(space + 1, close - space - 1).Trim());
                    i = close + 1;
                    continue;
                }
            }

            builder.Append(text[i]);
            i++;
        }

        return builder.ToString().Trim();
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1).TrimEnd(), "…");
}
