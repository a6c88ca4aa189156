using System.Buffers;

namespace CodeDoc.Pipeline;

/// <summary>One line of a <c>.gitignore</c> file (or of an include/exclude list), parsed as git parses it.</summary>
internal sealed class IgnorePattern
{
    private static readonly SearchValues<char> GlobSpecials = SearchValues.Create("*?[\\");

    private IgnorePattern(string pattern, int literalPrefixLength, bool negative, bool mustBeDirectory, bool basenameOnly, bool endsWith, int index, string source, int line, string text)
    {
        Pattern = pattern;
        LiteralPrefixLength = literalPrefixLength;
        IsNegative = negative;
        MustBeDirectory = mustBeDirectory;
        MatchesBasename = basenameOnly;
        IsEndsWith = endsWith;
        Index = index;
        Source = source;
        Line = line;
        Text = text;
    }

    /// <summary>Gets the glob (byte string) without '!' and the trailing '/'.</summary>
    public string Pattern { get; }

    /// <summary>Gets the length of the leading part without glob characters (git's <c>nowildcardlen</c>).</summary>
    public int LiteralPrefixLength { get; }

    /// <summary>Gets a value indicating whether the line starts with '!' (re-includes).</summary>
    public bool IsNegative { get; }

    /// <summary>Gets a value indicating whether the line ends with '/' (directories only).</summary>
    public bool MustBeDirectory { get; }

    /// <summary>Gets a value indicating whether the pattern has no '/' and so matches the last path component at any depth.</summary>
    public bool MatchesBasename { get; }

    /// <summary>Gets a value indicating whether the pattern is '*' followed by a literal (git's <c>ENDSWITH</c> fast path).</summary>
    public bool IsEndsWith { get; }

    /// <summary>Gets a value indicating whether the pattern has no glob characters at all.</summary>
    public bool IsLiteral => LiteralPrefixLength == Pattern.Length;

    /// <summary>Gets the position of the pattern in its list; a later pattern wins.</summary>
    public int Index { get; }

    /// <summary>Gets where the pattern comes from, e.g. <c>src/.gitignore</c>.</summary>
    public string Source { get; }

    /// <summary>Gets the 1-based line in <see cref="Source"/>.</summary>
    public int Line { get; }

    /// <summary>Gets the line as written, for details.</summary>
    public string Text { get; }

    /// <summary>Describes the rule for an exclusion detail, e.g. <c>.gitignore:3 bin/</c>.</summary>
    /// <returns>The description.</returns>
    public string Describe() => $"{Source}:{Line} {ByteString.ToText(Text)}";

    /// <summary>Parses one line that is neither blank nor a comment, after trailing spaces were trimmed (git's <c>parse_path_pattern</c>).</summary>
    /// <param name="line">The line (byte string).</param>
    /// <param name="index">The position in the list.</param>
    /// <param name="source">Where it comes from.</param>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <returns>The pattern.</returns>
    public static IgnorePattern Parse(string line, int index, string source, int lineNumber)
    {
        var text = line;
        var negative = false;
        if (line.StartsWith('!'))
        {
            negative = true;
            line = line[1..];
        }

        var length = line.Length;
        var mustBeDirectory = false;
        if (length > 0 && line[length - 1] == '/')
        {
            length--;
            mustBeDirectory = true;
        }

        var basenameOnly = line.AsSpan(0, length).IndexOf('/') < 0;
        var literalPrefix = Math.Min(LiteralLength(line), length);
        var endsWith = line.StartsWith('*') && LiteralLength(line.AsSpan(1)) == line.Length - 1;
        return new IgnorePattern(line[..length], literalPrefix, negative, mustBeDirectory, basenameOnly, endsWith, index, source, lineNumber, text);
    }

    /// <summary>Matches a path (relative to the pattern's directory) as git's <c>match_basename</c>/<c>match_pathname</c> do.</summary>
    /// <param name="relativePath">The path relative to the directory of the pattern's file (byte string).</param>
    /// <param name="basename">The last component of the path.</param>
    /// <param name="isDirectory">Whether the path is a directory.</param>
    /// <returns><see langword="true"/> when the pattern matches.</returns>
    public bool Matches(ReadOnlySpan<char> relativePath, ReadOnlySpan<char> basename, bool isDirectory)
    {
        if (MustBeDirectory && !isDirectory)
        {
            return false;
        }

        return MatchesBasename ? MatchBasename(basename) : MatchPathname(relativePath);
    }

    private static int LiteralLength(ReadOnlySpan<char> s)
    {
        var i = s.IndexOfAny(GlobSpecials);
        return i < 0 ? s.Length : i;
    }

    private bool MatchBasename(ReadOnlySpan<char> basename)
    {
        var pattern = Pattern.AsSpan();
        if (LiteralPrefixLength == pattern.Length)
        {
            return basename.SequenceEqual(pattern);
        }

        if (IsEndsWith)
        {
            return basename.EndsWith(pattern[1..], StringComparison.Ordinal);
        }

        return Wildmatch.IsMatch(pattern, basename, pathName: false);
    }

    private bool MatchPathname(ReadOnlySpan<char> name)
    {
        var pattern = Pattern.AsSpan();
        var prefix = LiteralPrefixLength;
        if (pattern.Length > 0 && pattern[0] == '/')
        {
            pattern = pattern[1..];
            prefix--;
        }

        if (prefix > 0)
        {
            if (prefix > name.Length || !name[..prefix].SequenceEqual(pattern[..prefix]))
            {
                return false;
            }

            pattern = pattern[prefix..];
            name = name[prefix..];
            if (pattern.IsEmpty && name.IsEmpty)
            {
                return true;
            }
        }

        return Wildmatch.IsMatch(pattern, name, pathName: true);
    }
}
