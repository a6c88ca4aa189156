namespace CodeDoc.Pipeline;

/// <summary>Why a path is ignored: the deciding pattern and, when a parent directory was excluded, that directory.</summary>
/// <param name="Pattern">The pattern.</param>
/// <param name="Directory">The excluded ancestor directory (byte string), or <see langword="null"/> when the path itself matched.</param>
internal sealed record IgnoreMatch(IgnorePattern Pattern, string? Directory);

/// <summary>
/// The ignore files of a tree with git's precedence: for a path, the files in its ancestor directories apply, the
/// deepest first; within a file the last matching line wins; a '!' line re-includes; and nothing below an excluded
/// directory can be re-included (git does not even read ignore files there). Directory verdicts are cached.
/// Not thread-safe: one instance serves one snapshot.
/// </summary>
internal sealed class IgnoreRules
{
    private static readonly object NotExcluded = new();

    private readonly Dictionary<string, IgnoreList> _lists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IgnoreList>.AlternateLookup<ReadOnlySpan<char>> _listLookup;
    private readonly Dictionary<string, object> _directoryVerdicts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object>.AlternateLookup<ReadOnlySpan<char>> _verdictLookup;

    public IgnoreRules()
    {
        _listLookup = _lists.GetAlternateLookup<ReadOnlySpan<char>>();
        _verdictLookup = _directoryVerdicts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Adds (or replaces) the ignore file of a directory.</summary>
    /// <param name="list">The parsed file.</param>
    public void Add(IgnoreList list)
    {
        _lists[list.Directory] = list;
        _directoryVerdicts.Clear();
    }

    /// <summary>Decides whether a path is excluded.</summary>
    /// <param name="path">The path (byte string, relative, no trailing '/').</param>
    /// <param name="isDirectory">Whether the path is a directory.</param>
    /// <returns>The deciding exclusion, or <see langword="null"/> when the path is not excluded.</returns>
    public IgnoreMatch? Evaluate(string path, bool isDirectory)
    {
        if (_lists.Count == 0)
        {
            return null;
        }

        var slash = path.LastIndexOf('/');
        if (slash > 0 && EvaluateDirectory(path.AsSpan(0, slash)) is { } parentMatch)
        {
            return parentMatch;
        }

        var own = MatchOwn(path, isDirectory);
        return own is null || own.IsNegative ? null : new IgnoreMatch(own, null);
    }

    private IgnoreMatch? EvaluateDirectory(ReadOnlySpan<char> directory)
    {
        if (_verdictLookup.TryGetValue(directory, out var cached))
        {
            return cached as IgnoreMatch;
        }

        IgnoreMatch? result = null;
        var slash = directory.LastIndexOf('/');
        if (slash > 0)
        {
            result = EvaluateDirectory(directory[..slash]);
        }

        if (result is null)
        {
            var own = MatchOwn(directory, isDirectory: true);
            if (own is { IsNegative: false })
            {
                result = new IgnoreMatch(own, directory.ToString());
            }
        }

        _verdictLookup[directory] = result ?? NotExcluded;
        return result;
    }

    // The deciding pattern among the ignore files of the path's ancestors (the deepest file with any match wins).
    private IgnorePattern? MatchOwn(ReadOnlySpan<char> path, bool isDirectory)
    {
        var end = path.LastIndexOf('/');
        while (true)
        {
            var directory = end < 0 ? [] : path[..end];
            if (_listLookup.TryGetValue(directory, out var list))
            {
                var relative = end < 0 ? path : path[(end + 1)..];
                if (list.Match(relative, isDirectory) is { } match)
                {
                    return match;
                }
            }

            if (end < 0)
            {
                return null;
            }

            end = directory.LastIndexOf('/');
        }
    }
}
