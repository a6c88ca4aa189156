using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// The deterministic outline: a preset's pages (or a steering file's explicit pages) over the repository map. It is
/// what a plan forecasts before any model is asked, and the fallback when a model's outline is unusable, so a run
/// never fails for a bad plan.
/// </summary>
internal static class PresetOutline
{
    /// <summary>The title of the page that gathers modules beyond the page cap.</summary>
    public const string OtherModulesTitle = "Other modules";

    /// <summary>Builds the outline.</summary>
    /// <param name="preset">The preset.</param>
    /// <param name="snapshot">The snapshot (already narrowed by the steering file).</param>
    /// <param name="modules">The modules from <see cref="RepositoryOutline.FindModules"/>.</param>
    /// <param name="steering">The steering file, if any.</param>
    /// <param name="maxPages">The most pages, before the preset's and the steering file's own caps.</param>
    /// <returns>The outline.</returns>
    public static Outline Build(DocumentationPreset preset, RepositorySnapshot snapshot, IReadOnlyList<RepositoryModule> modules, SteeringFile? steering, int maxPages)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(modules);
        var cap = Cap(preset, steering, maxPages);
        if (steering is { Pages.Count: > 0 })
        {
            return new Outline(preset.Name, FromSteering(steering, snapshot).Take(cap).ToList()) { Origin = "steering" };
        }

        var fixedCount = preset.Pages.Count(p => !p.PerModule);
        var moduleRoom = Math.Max(0, cap - fixedCount);
        var pages = new List<OutlinePage>();
        var usedKeys = new HashSet<string>(preset.Pages.Where(p => p.Key is not null).Select(p => p.Key!), StringComparer.Ordinal);
        foreach (var template in preset.Pages)
        {
            if (template.PerModule)
            {
                pages.AddRange(ModulePages(template, CapModules(modules, moduleRoom), snapshot, usedKeys));
                continue;
            }

            var page = SourceSelection.WithSources(
                new OutlinePage
                {
                    Key = template.Key!,
                    Title = template.Title!,
                    ParentKey = template.Parent,
                    Kind = template.Kind,
                    Purpose = template.Purpose,
                    Selectors = template.Sources,
                    Context = template.Context,
                },
                snapshot);
            if (!(template.Optional && page.SourceFiles.Count == 0))
            {
                pages.Add(page);
            }
        }

        return new Outline(preset.Name, Tidy(pages, cap));
    }

    /// <summary>The page cap of a run: the least of the options', the preset's and the steering file's.</summary>
    /// <param name="preset">The preset.</param>
    /// <param name="steering">The steering file, if any.</param>
    /// <param name="maxPages">The options' cap.</param>
    /// <returns>The cap.</returns>
    public static int Cap(DocumentationPreset preset, SteeringFile? steering, int maxPages) =>
        Math.Max(1, Math.Min(Math.Min(maxPages, preset.MaxPages), Math.Min(steering?.MaxPages ?? SteeringFile.MaxPagesCap, GenerationOptions.MaxPagesLimit)));

    /// <summary>
    /// Removes what a tree cannot hold: pages beyond the cap, pages whose only context is children they do not have,
    /// and parents that are gone (their children move up).
    /// </summary>
    /// <param name="pages">The pages in outline order.</param>
    /// <param name="cap">The page cap.</param>
    /// <returns>The pages.</returns>
    public static IReadOnlyList<OutlinePage> Tidy(IReadOnlyList<OutlinePage> pages, int cap)
    {
        var kept = pages.Take(cap).ToList();
        bool changed;
        do
        {
            changed = false;
            var keys = kept.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < kept.Count; i++)
            {
                if (kept[i].ParentKey is { } parent && !keys.Contains(parent))
                {
                    kept[i] = kept[i] with { ParentKey = null };
                    changed = true;
                }
            }

            var childless = kept.FirstOrDefault(p =>
                p.Context.Count == 1 && p.Context[0] == PageContextKinds.Children && p.SourceFiles.Count == 0 &&
                !kept.Any(c => string.Equals(c.ParentKey, p.Key, StringComparison.Ordinal)));
            if (childless is not null)
            {
                kept.Remove(childless);
                changed = true;
            }
        }
        while (changed);

        return kept;
    }

    private static IEnumerable<OutlinePage> FromSteering(SteeringFile steering, RepositorySnapshot snapshot)
    {
        foreach (var page in steering.Pages)
        {
            var hasChildren = steering.Pages.Any(p => string.Equals(p.Parent, page.Key, StringComparison.Ordinal));
            yield return SourceSelection.WithSources(
                new OutlinePage
                {
                    Key = page.Key,
                    Title = page.Title,
                    ParentKey = page.Parent,
                    Kind = "page",
                    Purpose = page.Purpose ?? $"Document {page.Title} as the repository's maintainers asked for it.",
                    Selectors = [.. page.Sources.Select(s => SourceSelection.GlobPrefix + s)],
                    Context = page.Sources.Count > 0
                        ? (hasChildren ? [PageContextKinds.Repository, PageContextKinds.Children] : [PageContextKinds.Repository])
                        : (hasChildren ? [PageContextKinds.Modules, PageContextKinds.Children] : [PageContextKinds.Modules]),
                },
                snapshot);
        }
    }

    private static IReadOnlyList<RepositoryModule> CapModules(IReadOnlyList<RepositoryModule> modules, int room)
    {
        if (modules.Count <= room)
        {
            return modules;
        }

        if (room == 0)
        {
            return [];
        }

        // Modules come largest first: the smallest ones share a page rather than being left out.
        var kept = modules.Take(room - 1).ToList();
        kept.Add(new RepositoryModule(OtherModulesTitle, [.. modules.Skip(room - 1).SelectMany(m => m.Files)]));
        return kept;
    }

    private static IEnumerable<OutlinePage> ModulePages(PresetPage template, IReadOnlyList<RepositoryModule> modules, RepositorySnapshot snapshot, HashSet<string> usedKeys)
    {
        foreach (var module in modules)
        {
            var files = module.Files.Select(f => f.Path).ToList();
            yield return SourceSelection.WithSources(
                new OutlinePage
                {
                    Key = RepositoryOutline.UniqueKey("module-" + RepositoryOutline.Slug(module.Path), usedKeys),
                    Title = module.Path,
                    ParentKey = template.Parent,
                    Kind = template.Kind,
                    Purpose = template.Purpose,
                    Selectors = SourceSelection.Describe(files, snapshot.Files),
                    Context = template.Context,
                    Module = module.Path,
                },
                snapshot);
        }
    }
}
