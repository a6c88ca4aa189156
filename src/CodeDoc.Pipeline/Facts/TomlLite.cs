using System.Text;

namespace CodeDoc.Pipeline;

/// <summary>
/// The part of TOML that project manifests use: tables, keys with string, array and inline-table values (arrays may
/// span lines), and comments. Values are kept as raw text and read on demand.
/// </summary>
internal sealed class TomlLite
{
    private readonly Dictionary<string, List<(string Key, string Value)>> _tables = new(StringComparer.Ordinal);

    private TomlLite()
    {
    }

    public static TomlLite Parse(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var toml = new TomlLite();
        var table = string.Empty;
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = StripComment(lines[i]).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                table = line.Trim('[', ']').Trim();
                continue;
            }

            var equals = IndexOutsideQuotes(line, '=');
            if (equals <= 0)
            {
                continue;
            }

            var key = Unquote(line[..equals].Trim());
            var value = new StringBuilder(line[(equals + 1)..].Trim());

            // An array or inline table may continue on the next lines until its brackets balance.
            while (Depth(value.ToString()) > 0 && i + 1 < lines.Length)
            {
                i++;
                value.Append(' ').Append(StripComment(lines[i]).Trim());
            }

            var dot = IndexOutsideQuotes(key, '.');
            var target = dot > 0 ? (table.Length == 0 ? key[..dot] : table + "." + key[..dot]) : table;
            toml.Add(target, dot > 0 ? key[(dot + 1)..] : key, value.ToString());
        }

        return toml;
    }

    public string? String(string table, string key) =>
        _tables.TryGetValue(table, out var entries) && entries.FirstOrDefault(e => e.Key == key) is { Value: not null } entry && IsString(entry.Value)
            ? Unquote(entry.Value)
            : null;

    public IReadOnlyList<string> Array(string table, string key)
    {
        if (!_tables.TryGetValue(table, out var entries) || entries.FirstOrDefault(e => e.Key == key) is not { Value: { } value } || !value.StartsWith('['))
        {
            return [];
        }

        return SplitTopLevel(value.Trim()[1..^1]).Where(IsString).Select(Unquote).ToList();
    }

    public IReadOnlyList<(string Key, string Value)> Table(string table) =>
        _tables.TryGetValue(table, out var entries) ? entries : [];

    /// <summary>The version of a dependency value: <c>"1.2"</c> or <c>{ version = "1.2", ... }</c>.</summary>
    public static string? InlineVersion(string value) => IsString(value) ? Unquote(value) : InlineField(value, "version");

    /// <summary>A string field of an inline table, e.g. <c>path</c> in <c>{ path = "../core" }</c>.</summary>
    public static string? InlineField(string value, string field)
    {
        var trimmed = value.Trim();
        if (!trimmed.StartsWith('{') || !trimmed.EndsWith('}'))
        {
            return null;
        }

        foreach (var part in SplitTopLevel(trimmed[1..^1]))
        {
            var equals = IndexOutsideQuotes(part, '=');
            if (equals > 0 && Unquote(part[..equals].Trim()) == field && IsString(part[(equals + 1)..].Trim()))
            {
                return Unquote(part[(equals + 1)..].Trim());
            }
        }

        return null;
    }

    public static string Unquote(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length >= 2 && (trimmed[0] == '"' || trimmed[0] == '\'') && trimmed[^1] == trimmed[0] ? trimmed[1..^1] : trimmed;
    }

    private void Add(string table, string key, string value)
    {
        if (!_tables.TryGetValue(table, out var entries))
        {
            _tables[table] = entries = [];
        }

        entries.Add((key, value));
    }

    private static bool IsString(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length >= 2 && (trimmed[0] == '"' || trimmed[0] == '\'') && trimmed[^1] == trimmed[0];
    }

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        char? quote = null;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '[' or '{':
                    depth++;
                    break;
                case ']' or '}':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        if (start < text.Length && text[start..].Trim().Length > 0)
        {
            parts.Add(text[start..].Trim());
        }

        return parts;
    }

    private static int Depth(string text)
    {
        var depth = 0;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '[' or '{':
                    depth++;
                    break;
                case ']' or '}':
                    depth--;
                    break;
            }
        }

        return depth;
    }

    private static int IndexOutsideQuotes(string text, char target)
    {
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == target)
            {
                return i;
            }
        }

        return -1;
    }

    private static string StripComment(string line)
    {
        var hash = IndexOutsideQuotes(line, '#');
        return (hash < 0 ? line : line[..hash]).TrimEnd('\r');
    }
}
