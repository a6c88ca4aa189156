using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// Where each page of a set goes in the folder. A page is <c>slug.md</c> in its parent's folder (<c>parent-stem/</c>),
/// its attachments are in <c>slug.assets/</c>. Siblings with the same slug get "-2", "-3", ... in outline order; a page
/// keeps the name it already has while that name still fits its title, so names do not shuffle between runs. Pages a
/// person edited stay where they are, and names taken by files CodeDoc does not own are never used.
/// </summary>
internal sealed class FolderLayout
{
    private readonly Dictionary<string, string> _paths = new(StringComparer.Ordinal);

    private FolderLayout()
    {
    }

    /// <summary>Gets the page paths by key, relative to the folder.</summary>
    public IReadOnlyDictionary<string, string> Paths => _paths;

    /// <summary>Gets the keys of pages whose name had to differ from their slug.</summary>
    public HashSet<string> Renamed { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the folder of a page's children.</summary>
    /// <param name="pagePath">The page's path.</param>
    /// <returns>The folder, relative to the output folder.</returns>
    public static string ChildFolder(string pagePath) => pagePath[..^".md".Length];

    /// <summary>Gets the relative path of an attachment of a page.</summary>
    /// <param name="pagePath">The page's path.</param>
    /// <param name="fileName">The attachment's file name.</param>
    /// <returns>The attachment's path, relative to the output folder.</returns>
    public static string AttachmentPath(string pagePath, string fileName) => $"{ChildFolder(pagePath)}.assets/{fileName}";

    /// <summary>Lays out a set.</summary>
    /// <param name="outline">The pages grouped by parent key (<see cref="string.Empty"/> for top level), each group in outline order.</param>
    /// <param name="recordedPaths">The path each page of the set has in the manifest, when it has one.</param>
    /// <param name="pinnedPaths">The pages that must stay where they are (edited by a person), by key.</param>
    /// <param name="reservedPaths">Paths held by files that stay but belong to no page of the set (kept removed pages).</param>
    /// <param name="indexFileName">The index file's name, reserved at the top level.</param>
    /// <param name="isForeign">Tells whether a path is taken by something CodeDoc does not own (for a folder path: a file).</param>
    /// <param name="canAdopt">Tells whether a page may take a path held by a foreign file (its own file, moved before a crash).</param>
    /// <returns>The layout.</returns>
    public static FolderLayout Create(
        IReadOnlyDictionary<string, IReadOnlyList<DocumentPage>> outline,
        IReadOnlyDictionary<string, string> recordedPaths,
        IReadOnlyDictionary<string, string> pinnedPaths,
        IEnumerable<string> reservedPaths,
        string indexFileName,
        Func<string, bool> isForeign,
        Func<string, string, bool> canAdopt)
    {
        var layout = new FolderLayout();

        // "folder/stem" -> the key of the page holding it (empty for a holder outside the set).
        var holders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, path) in recordedPaths)
        {
            holders[ChildFolder(path)] = key;
        }

        foreach (var path in reservedPaths)
        {
            holders[ChildFolder(path)] = string.Empty;
        }

        if (indexFileName.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            holders.TryAdd(indexFileName[..^".md".Length], string.Empty);
        }

        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<(string ParentKey, string Folder)>();
        pending.Enqueue((string.Empty, string.Empty));
        while (pending.Count > 0)
        {
            var (parentKey, folder) = pending.Dequeue();
            if (!outline.TryGetValue(parentKey, out var siblings))
            {
                continue;
            }

            var unplaced = new List<DocumentPage>();
            foreach (var page in siblings)
            {
                if (pinnedPaths.TryGetValue(page.Key, out var pinned))
                {
                    layout.Place(page.Key, pinned, taken);
                }
                else if (recordedPaths.TryGetValue(page.Key, out var recorded) &&
                    string.Equals(OutputFolder.ParentOf(recorded), folder, StringComparison.Ordinal) &&
                    PageSlugs.IsNameFor(StemOf(recorded), PageSlugs.For(page.Title, page.Key)))
                {
                    layout.Place(page.Key, recorded, taken);
                }
                else
                {
                    unplaced.Add(page);
                }
            }

            foreach (var page in unplaced)
            {
                var slug = PageSlugs.For(page.Title, page.Key);
                for (var number = 1; ; number++)
                {
                    var stem = OutputFolder.Join(folder, PageSlugs.Numbered(slug, number));
                    var path = stem + ".md";
                    var heldByOther = holders.TryGetValue(stem, out var holder) && !string.Equals(holder, page.Key, StringComparison.Ordinal);
                    var foreign = isForeign(path) && !canAdopt(page.Key, path);
                    if (!heldByOther && !foreign && !taken.Contains(stem) && !isForeign(stem) && !isForeign(stem + ".assets"))
                    {
                        layout.Place(page.Key, path, taken);
                        if (number > 1)
                        {
                            layout.Renamed.Add(page.Key);
                        }

                        break;
                    }
                }
            }

            foreach (var page in siblings)
            {
                pending.Enqueue((page.Key, ChildFolder(layout._paths[page.Key])));
            }
        }

        return layout;
    }

    private static string StemOf(string pagePath) => ChildFolder(pagePath)[(pagePath.LastIndexOf('/') + 1)..];

    private void Place(string key, string path, HashSet<string> taken)
    {
        _paths[key] = path;
        taken.Add(ChildFolder(path));
    }
}
