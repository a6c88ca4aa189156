using System.Globalization;
using System.Text;
using System.Text.Json;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// Reads small JSON files people write by hand (the steering file, preset files) so that every error names the line
/// and the field: syntax and type errors from the parser, and rule violations found after parsing.
/// </summary>
internal static class LocatedJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Parses a file.</summary>
    /// <typeparam name="T">The file's shape.</typeparam>
    /// <param name="text">The file's text.</param>
    /// <param name="source">The file's name for messages, e.g. <c>.codedoc/config.json</c>.</param>
    /// <returns>The value and the line of each field path (<c>pages[2].key</c>).</returns>
    /// <exception cref="CodeDocConfigurationException">The text is not valid JSON of the expected shape.</exception>
    public static (T Value, JsonLines Lines) Parse<T>(string text, string source)
        where T : class
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        JsonLines lines;
        try
        {
            lines = JsonLines.Map(bytes);
            var value = JsonSerializer.Deserialize<T>(bytes, Options)
                ?? throw new CodeDocConfigurationException($"{source}: the file holds null; it must hold a JSON object.");
            return (value, lines);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } zeroBased ? zeroBased + 1 : (long?)null;
            var field = FieldOf(e.Path);
            throw new CodeDocConfigurationException(Describe(source, line, field, Reason(e)), e);
        }
    }

    /// <summary>Formats one problem as <c>source line N, field "x": problem</c>.</summary>
    /// <param name="source">The file's name.</param>
    /// <param name="line">The 1-based line, when known.</param>
    /// <param name="field">The field path, when known.</param>
    /// <param name="problem">What is wrong and how to fix it.</param>
    /// <returns>The message.</returns>
    public static string Describe(string source, long? line, string? field, string problem)
    {
        var builder = new StringBuilder(source);
        if (line is { } l)
        {
            builder.Append(" line ").Append(l.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(field))
        {
            builder.Append(line is null ? " " : ", ").Append("field \"").Append(field).Append('"');
        }

        return builder.Append(": ").Append(problem).ToString();
    }

    private static string? FieldOf(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return null;
        }

        return jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
    }

    private static string Reason(JsonException e)
    {
        var message = e.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'', StringComparison.Ordinal);
            var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
            var name = end > start ? message[(start + 1)..end] : "this field";
            return $"'{name}' is not a field this file may have; check the spelling against the schema.";
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            return "the value has the wrong type; check the schema for what this field takes.";
        }

        if (message.Contains("missing required properties", StringComparison.Ordinal) || message.Contains("was missing required", StringComparison.Ordinal))
        {
            return "a required field is missing; check the schema.";
        }

        // The parser's own words for syntax errors, without its position suffix (the message says it already).
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        cut = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return "invalid JSON: " + (cut > 0 ? text[..cut] : text).TrimEnd('.', ' ', '|') + ".";
    }
}

/// <summary>The line of each field of a JSON text, by path (<c>pages[2].key</c>; array items as <c>pages[2]</c>).</summary>
internal sealed class JsonLines
{
    private readonly Dictionary<string, int> _lines;

    private JsonLines(Dictionary<string, int> lines) => _lines = lines;

    /// <summary>Finds the line of a field, or of its closest recorded ancestor.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The 1-based line, or <see langword="null"/> when nothing on the path was recorded.</returns>
    public int? LineOf(string path)
    {
        for (var candidate = path; candidate.Length > 0; candidate = Parent(candidate))
        {
            if (_lines.TryGetValue(candidate, out var line))
            {
                return line;
            }
        }

        return null;
    }

    /// <summary>Maps every property and array item of a JSON text to its line.</summary>
    /// <param name="utf8">The text.</param>
    /// <returns>The map.</returns>
    /// <exception cref="JsonException">The text is not valid JSON.</exception>
    public static JsonLines Map(ReadOnlySpan<byte> utf8)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<string>();
        var arrayIndexes = new Stack<int>();
        var containers = new Stack<bool>(); // true = array
        var lineStarts = LineStarts(utf8);
        while (reader.Read())
        {
            var line = LineAt(lineStarts, reader.TokenStartIndex);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    path.Add(reader.GetString()!);
                    lines.TryAdd(Join(path), line);
                    break;

                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    EnterValue(path, arrayIndexes, containers, lines, line);
                    containers.Push(reader.TokenType == JsonTokenType.StartArray);
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        arrayIndexes.Push(-1);
                    }

                    break;

                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    if (containers.Pop())
                    {
                        arrayIndexes.Pop();
                    }

                    LeaveValue(path, containers);
                    break;

                default:
                    EnterValue(path, arrayIndexes, containers, lines, line);
                    LeaveValue(path, containers);
                    break;
            }
        }

        return new JsonLines(lines);
    }

    private static void EnterValue(List<string> path, Stack<int> arrayIndexes, Stack<bool> containers, Dictionary<string, int> lines, int line)
    {
        if (containers.Count > 0 && containers.Peek())
        {
            var index = arrayIndexes.Pop() + 1;
            arrayIndexes.Push(index);
            path.Add(string.Create(CultureInfo.InvariantCulture, $"[{index}]"));
            lines.TryAdd(Join(path), line);
        }
    }

    private static void LeaveValue(List<string> path, Stack<bool> containers)
    {
        // A value ends its property (inside an object) or its item (inside an array); the root value ends nothing.
        if (path.Count > 0 && containers.Count > 0)
        {
            path.RemoveAt(path.Count - 1);
        }
    }

    private static string Join(List<string> path)
    {
        var builder = new StringBuilder();
        foreach (var part in path)
        {
            if (builder.Length > 0 && !part.StartsWith('['))
            {
                builder.Append('.');
            }

            builder.Append(part);
        }

        return builder.ToString();
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? string.Empty : path[..cut];
    }

    private static List<long> LineStarts(ReadOnlySpan<byte> utf8)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static int LineAt(List<long> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch(offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }
}
