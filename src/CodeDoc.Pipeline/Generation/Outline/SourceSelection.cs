using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>Chooses pages' source files from selectors, and describes a set of files compactly as path selectors.</summary>
internal static class SourceSelection
{
    /// <summary>The prefix of path selectors.</summary>
    public const string PathPrefix = "path:";

    /// <summary>The prefix of glob selectors.</summary>
    public const string GlobPrefix = "glob:";

    /// <summary>Chooses the files of a selector.</summary>
    /// <param name="selector">A preset selector, <c>glob:X</c> or <c>path:X</c>.</param>
    /// <param name="files">The snapshot's files.</param>
    /// <returns>The files, in snapshot order.</returns>
    public static IEnumerable<SnapshotFile> Select(string selector, IReadOnlyList<SnapshotFile> files)
    {
        if (selector.StartsWith(PathPrefix, StringComparison.Ordinal))
        {
            var path = selector[PathPrefix.Length..];
            return path.EndsWith('/')
                ? files.Where(f => f.Path.StartsWith(path, StringComparison.Ordinal))
                : files.Where(f => string.Equals(f.Path, path, StringComparison.Ordinal));
        }

        if (selector.StartsWith(GlobPrefix, StringComparison.Ordinal))
        {
            var rules = SnapshotNarrowing.Rules("selector", [selector[GlobPrefix.Length..]]);
            return files.Where(f => SnapshotNarrowing.Matches(rules, f.Path));
        }

        return selector switch
        {
            "readme" => files.Where(f => RepositoryOutline.IsReadme(f.Path) && RepositoryOutline.DirectoryOf(f.Path).Length == 0),
            "root" => files.Where(f => RepositoryOutline.DirectoryOf(f.Path).Length == 0 && !RepositoryOutline.IsReadme(f.Path)),
            "docs" => files.Where(f => f.Path.StartsWith("docs/", StringComparison.OrdinalIgnoreCase) && f.Path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)),
            "configuration" => files.Where(f => RepositoryOutline.IsConfiguration(f.Path)),
            "deployment" => files.Where(f => RepositoryOutline.IsDeployment(f.Path)),
            "code" => files.Where(f => !RepositoryOutline.IsDocumentation(f.Path)),
            "tests" => files.Where(f => RepositoryOutline.IsTestPath(f.Path)),
            "all" => files,
            _ => [],
        };
    }

    /// <summary>Chooses a page's sources from its selectors.</summary>
    /// <param name="page">The page.</param>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>The page with <see cref="OutlinePage.SourceFiles"/> and <see cref="OutlinePage.SourceTokens"/> set.</returns>
    public static OutlinePage WithSources(OutlinePage page, RepositorySnapshot snapshot)
    {
        var chosen = page.Selectors.SelectMany(s => Select(s, snapshot.Files)).DistinctBy(f => f.Path).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        return page with { SourceFiles = [.. chosen.Select(f => f.Path)], SourceTokens = chosen.Sum(f => (long)f.Tokens) };
    }

    /// <summary>
    /// Describes a set of files as few path selectors as possible: a folder when every file of the snapshot below it
    /// is in the set, the file otherwise.
    /// </summary>
    /// <param name="chosen">The files.</param>
    /// <param name="all">Every file of the snapshot.</param>
    /// <returns>Path selectors.</returns>
    public static IReadOnlyList<string> Describe(IEnumerable<string> chosen, IReadOnlyList<SnapshotFile> all)
    {
        var set = chosen.ToHashSet(StringComparer.Ordinal);
        var complete = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var file in all)
        {
            var inSet = set.Contains(file.Path);
            for (var folder = RepositoryOutline.DirectoryOf(file.Path); folder.Length > 0; folder = RepositoryOutline.DirectoryOf(folder))
            {
                complete[folder] = complete.GetValueOrDefault(folder, true) && inSet;
            }
        }

        var selectors = new List<string>();
        foreach (var path in set.Order(StringComparer.Ordinal))
        {
            string? widest = null;
            for (var folder = RepositoryOutline.DirectoryOf(path); folder.Length > 0; folder = RepositoryOutline.DirectoryOf(folder))
            {
                if (complete.GetValueOrDefault(folder))
                {
                    widest = folder;
                }
            }

            var selector = PathPrefix + (widest is null ? path : widest + "/");
            if (selectors.Count == 0 || selectors[^1] != selector)
            {
                selectors.Add(selector);
            }
        }

        return selectors;
    }
}
