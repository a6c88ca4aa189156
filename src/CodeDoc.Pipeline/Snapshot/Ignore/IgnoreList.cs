namespace CodeDoc.Pipeline;

/// <summary>
/// The patterns of one ignore file, indexed so that a path is not globbed against every line: literal names, literal
/// paths and "*.ext" patterns are dictionary look-ups, and only the remaining patterns are tried one by one (from the
/// last line up, stopping at the best match the look-ups found). The answer is the last matching line, as in git.
/// </summary>
internal sealed class IgnoreList
{
    private readonly List<IgnorePattern> _patterns = [];
    private readonly Dictionary<string, List<IgnorePattern>> _literalNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IgnorePattern>> _literalPaths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IgnorePattern>> _byExtension = new(StringComparer.Ordinal);
    private readonly List<IgnorePattern> _others = [];
    private readonly Dictionary<string, List<IgnorePattern>>.AlternateLookup<ReadOnlySpan<char>> _literalNameLookup;
    private readonly Dictionary<string, List<IgnorePattern>>.AlternateLookup<ReadOnlySpan<char>> _literalPathLookup;
    private readonly Dictionary<string, List<IgnorePattern>>.AlternateLookup<ReadOnlySpan<char>> _extensionLookup;

    private IgnoreList(string directory)
    {
        Directory = directory;
        _literalNameLookup = _literalNames.GetAlternateLookup<ReadOnlySpan<char>>();
        _literalPathLookup = _literalPaths.GetAlternateLookup<ReadOnlySpan<char>>();
        _extensionLookup = _byExtension.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Gets the directory the file lives in (byte string, no trailing '/'; empty for the root).</summary>
    public string Directory { get; }

    /// <summary>Gets the number of patterns.</summary>
    public int Count => _patterns.Count;

    /// <summary>Parses an ignore file the way git reads one (<c>add_patterns_from_buffer</c>).</summary>
    /// <param name="directory">The directory of the file (byte string, empty for the root).</param>
    /// <param name="source">The file's path, for details.</param>
    /// <param name="content">The raw bytes.</param>
    /// <returns>The list.</returns>
    public static IgnoreList Parse(string directory, string source, ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        var list = new IgnoreList(directory);
        var lineNumber = 0;
        while (!content.IsEmpty)
        {
            lineNumber++;
            var end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            if (line[^1] == '\r')
            {
                line = line[..^1];
            }

            // A line of spaces becomes an empty pattern in git, which can never match; it is simply skipped.
            var trimmed = TrimTrailingSpaces(ByteString.FromBytes(line));
            if (trimmed.Length > 0)
            {
                list.Add(IgnorePattern.Parse(trimmed, list._patterns.Count, source, lineNumber));
            }
        }

        return list;
    }

    /// <summary>Builds a list from patterns given in options (gitignore syntax, relative to the root).</summary>
    /// <param name="source">The name shown in details, e.g. <c>Exclude</c>.</param>
    /// <param name="lines">The patterns.</param>
    /// <returns>The list.</returns>
    public static IgnoreList FromLines(string source, IEnumerable<string> lines)
    {
        var list = new IgnoreList(string.Empty);
        var lineNumber = 0;
        foreach (var raw in lines)
        {
            lineNumber++;
            if (string.IsNullOrEmpty(raw) || raw[0] == '#')
            {
                continue;
            }

            var trimmed = TrimTrailingSpaces(ByteString.FromText(raw.TrimEnd('\r', '\n')));
            if (trimmed.Length > 0)
            {
                list.Add(IgnorePattern.Parse(trimmed, list._patterns.Count, source, lineNumber));
            }
        }

        return list;
    }

    /// <summary>Finds the last pattern that matches a path inside <see cref="Directory"/>.</summary>
    /// <param name="relativePath">The path relative to <see cref="Directory"/> (byte string).</param>
    /// <param name="isDirectory">Whether the path is a directory.</param>
    /// <returns>The last matching pattern, or <see langword="null"/>.</returns>
    public IgnorePattern? Match(ReadOnlySpan<char> relativePath, bool isDirectory)
    {
        var slash = relativePath.LastIndexOf('/');
        var basename = slash < 0 ? relativePath : relativePath[(slash + 1)..];
        IgnorePattern? best = null;

        if (_literalNameLookup.TryGetValue(basename, out var candidates))
        {
            best = Last(candidates, isDirectory, best);
        }

        if (_literalPathLookup.TryGetValue(relativePath, out candidates))
        {
            best = Last(candidates, isDirectory, best);
        }

        var dot = basename.LastIndexOf('.');
        if (dot >= 0 && _extensionLookup.TryGetValue(basename[dot..], out candidates))
        {
            for (var i = candidates.Count - 1; i >= 0 && candidates[i].Index > (best?.Index ?? -1); i--)
            {
                if (candidates[i].Matches(relativePath, basename, isDirectory))
                {
                    best = candidates[i];
                    break;
                }
            }
        }

        for (var i = _others.Count - 1; i >= 0 && _others[i].Index > (best?.Index ?? -1); i--)
        {
            if (_others[i].Matches(relativePath, basename, isDirectory))
            {
                best = _others[i];
                break;
            }
        }

        return best;
    }

    // git's trim_trailing_spaces: unescaped trailing spaces go, "\ " stays.
    private static string TrimTrailingSpaces(string line)
    {
        var lastSpace = -1;
        for (var i = 0; i < line.Length; i++)
        {
            switch (line[i])
            {
                case ' ':
                    if (lastSpace < 0)
                    {
                        lastSpace = i;
                    }

                    break;
                case '\\':
                    i++;
                    if (i >= line.Length)
                    {
                        return line;
                    }

                    lastSpace = -1;
                    break;
                default:
                    lastSpace = -1;
                    break;
            }
        }

        return lastSpace >= 0 ? line[..lastSpace] : line;
    }

    private static IgnorePattern? Last(List<IgnorePattern> candidates, bool isDirectory, IgnorePattern? best)
    {
        // Candidates of a literal key all match by name; only the directory-only flag can rule one out.
        for (var i = candidates.Count - 1; i >= 0 && candidates[i].Index > (best?.Index ?? -1); i--)
        {
            if (!candidates[i].MustBeDirectory || isDirectory)
            {
                return candidates[i];
            }
        }

        return best;
    }

    private static void AddTo(Dictionary<string, List<IgnorePattern>> map, string key, IgnorePattern pattern)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        list.Add(pattern);
    }

    private void Add(IgnorePattern pattern)
    {
        _patterns.Add(pattern);
        if (pattern.MatchesBasename && pattern.IsLiteral)
        {
            AddTo(_literalNames, pattern.Pattern, pattern);
        }
        else if (!pattern.MatchesBasename && pattern.IsLiteral)
        {
            AddTo(_literalPaths, pattern.Pattern.StartsWith('/') ? pattern.Pattern[1..] : pattern.Pattern, pattern);
        }
        else if (pattern.MatchesBasename && pattern.IsEndsWith && pattern.Pattern.LastIndexOf('.') is > 0 and var dot)
        {
            // "*.min.js" and "*.js" both go under ".js"; the candidate is still checked with EndsWith.
            AddTo(_byExtension, pattern.Pattern[dot..], pattern);
        }
        else
        {
            _others.Add(pattern);
        }
    }
}
