using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>A group of files summarized together: a module, or the repository root (root files and dot folders).</summary>
/// <param name="Id">The module's path, or <see cref="SummaryScopes.RootId"/>.</param>
/// <param name="Files">The files, in path order.</param>
internal sealed record SummaryScope(string Id, IReadOnlyList<SnapshotFile> Files)
{
    /// <summary>Gets the name prompts and reports use.</summary>
    public string Title => Id == SummaryScopes.RootId ? "repository root" : Id;
}

/// <summary>Decides which files are summarized together and which summaries a page draws on.</summary>
internal static class SummaryScopes
{
    /// <summary>The id of the root scope.</summary>
    public const string RootId = "(root)";

    /// <summary>The scopes of a snapshot: one per module, then the root (files in no module), when it has files.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="modules">The modules.</param>
    /// <returns>The scopes; every included file is in exactly one.</returns>
    public static IReadOnlyList<SummaryScope> For(RepositorySnapshot snapshot, IReadOnlyList<RepositoryModule> modules)
    {
        var inModules = modules.SelectMany(m => m.Files).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var scopes = modules.Select(m => new SummaryScope(m.Path, [.. m.Files.OrderBy(f => f.Path, StringComparer.Ordinal)])).ToList();
        var root = snapshot.Files.Where(f => !inModules.Contains(f.Path)).ToList();
        if (root.Count > 0)
        {
            scopes.Add(new SummaryScope(RootId, root));
        }

        return scopes;
    }

    /// <summary>The scopes whose summaries a page draws on.</summary>
    /// <param name="page">The page.</param>
    /// <param name="scopes">Every scope.</param>
    /// <returns>The scopes in scope order.</returns>
    public static IReadOnlyList<SummaryScope> For(OutlinePage page, IReadOnlyList<SummaryScope> scopes)
    {
        if (page.Context.Contains(PageContextKinds.Modules) || page.Context.Contains(PageContextKinds.Repository))
        {
            return scopes;
        }

        if (!page.Context.Contains(PageContextKinds.Module))
        {
            return [];
        }

        var sources = page.SourceFiles.ToHashSet(StringComparer.Ordinal);
        return [.. scopes.Where(s => s.Id == page.Module || s.Files.Any(f => sources.Contains(f.Path)))];
    }

    /// <summary>Packs items into groups of at most <paramref name="capacity"/> in order; an item larger than it is a group of its own.</summary>
    /// <param name="sizes">The sizes in order.</param>
    /// <param name="capacity">The capacity of a group.</param>
    /// <returns>The index ranges (start, count) of the groups.</returns>
    public static IReadOnlyList<(int Start, int Count)> Pack(IReadOnlyList<long> sizes, long capacity)
    {
        var groups = new List<(int, int)>();
        var start = 0;
        long used = 0;
        for (var i = 0; i < sizes.Count; i++)
        {
            if (i > start && used + sizes[i] > capacity)
            {
                groups.Add((start, i - start));
                start = i;
                used = 0;
            }

            used += sizes[i];
        }

        if (sizes.Count > start)
        {
            groups.Add((start, sizes.Count - start));
        }

        return groups;
    }
}
