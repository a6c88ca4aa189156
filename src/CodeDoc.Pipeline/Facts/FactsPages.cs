using System.Globalization;
using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// The deterministic pages that need no model: the repository map, the module list, the API reference from the
/// symbol index (one child page per project, every symbol with a permalink), the project dependency diagram and the
/// coverage report. Every fact on them comes from the snapshot or the index, so they cannot hallucinate; repository
/// text shown on them (doc summaries, names) is escaped so that it renders as text, never as links or markup.
/// They cost nothing to build, so a run rebuilds them every time; each page's provenance lists the files whose
/// content it shows (the indexed sources for the API reference, the manifests for the dependencies).
/// </summary>
internal static class FactsPages
{
    /// <summary>The key of the root page; the others are its children.</summary>
    public const string RootKey = "facts";

    /// <summary>The most folders the repository map lists.</summary>
    internal const int MaxMapFolders = 300;

    /// <summary>The most symbols one API reference page lists.</summary>
    internal const int MaxSymbolsPerPage = 1500;

    /// <summary>The most projects the dependency diagram draws.</summary>
    internal const int MaxDiagramProjects = 80;

    private const int MapDepth = 3;
    private const int ExamplesPerReason = 5;

    /// <summary>Builds the facts pages of a plan.</summary>
    /// <param name="plan">The plan (its snapshot and pages; module rows link to the plan's module pages).</param>
    /// <param name="index">The symbol index of the plan's snapshot.</param>
    /// <param name="mermaid">The validator every diagram passes before it is published.</param>
    /// <param name="permalink">Builds the permalink of a path (and lines) at the plan's commit.</param>
    /// <param name="parentKey">The page to put the root facts page under; null for the top level.</param>
    /// <returns>The pages, root first, in outline order.</returns>
    public static IReadOnlyList<DocumentPage> Build(DocumentationPlan plan, ISymbolIndex index, IMermaidValidator mermaid, Func<string, LineRange?, string> permalink, string? parentKey = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Build(plan.Snapshot, index, mermaid, permalink, plan.Pages, parentKey);
    }

    /// <summary>Builds the facts pages of a snapshot.</summary>
    /// <param name="snapshot">The snapshot (content is not needed).</param>
    /// <param name="index">The symbol index of the snapshot.</param>
    /// <param name="mermaid">The validator every diagram passes before it is published.</param>
    /// <param name="permalink">Builds the permalink of a path (and lines) at the snapshot's commit.</param>
    /// <param name="plannedPages">The plan's pages, to link module rows to module pages; empty for none.</param>
    /// <param name="parentKey">The page to put the root facts page under; null for the top level.</param>
    /// <returns>The pages, root first, in outline order.</returns>
    public static IReadOnlyList<DocumentPage> Build(
        RepositorySnapshot snapshot,
        ISymbolIndex index,
        IMermaidValidator mermaid,
        Func<string, LineRange?, string> permalink,
        IReadOnlyList<PlannedPage> plannedPages,
        string? parentKey = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(mermaid);
        ArgumentNullException.ThrowIfNull(permalink);
        ArgumentNullException.ThrowIfNull(plannedPages);
        var commit = snapshot.CommitSha;
        var apiPages = ApiPages(index, permalink, commit);
        var children = new List<DocumentPage>
        {
            Page("facts-repository-map", "Repository map", RepositoryMap(snapshot, permalink), commit, []),
            Page("facts-modules", "Modules", Modules(snapshot, index, plannedPages, permalink), commit, []),
            Page("facts-api", "API reference", ApiIndex(index, apiPages), commit, []),
        };
        children.AddRange(apiPages.Select(p => p.Page));
        children.Add(Page("facts-dependencies", "Project dependencies", Dependencies(index, mermaid, permalink), commit, index.Projects.Select(p => p.Path).ToList()));
        children.Add(Page("facts-coverage", "Coverage", Coverage(snapshot, index), commit, []));

        var ordered = new List<DocumentPage>(children.Count + 1)
        {
            new()
            {
                Key = RootKey,
                Title = "Repository facts",
                ParentKey = parentKey,
                Markdown = RootMarkdown(children),
                Provenance = new PageProvenance(commit, []),
            },
        };
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            ordered.Add(child with { Order = i, ParentKey = child.ParentKey ?? RootKey });
        }

        return ordered;
    }

    private static DocumentPage Page(string key, string title, string markdown, string commit, IReadOnlyList<string> sources, string? parent = null) => new()
    {
        Key = key,
        Title = title,
        ParentKey = parent,
        Markdown = markdown,
        Provenance = new PageProvenance(commit, sources),
    };

    private static string RootMarkdown(List<DocumentPage> children)
    {
        var builder = new StringBuilder("# Repository facts\n\nThese pages are built from the repository itself, without a model: every name, path and number on them is taken from the code at this commit.\n\n");
        foreach (var child in children.Where(c => c.ParentKey is null))
        {
            builder.Append(CultureInfo.InvariantCulture, $"- [{child.Title}]({DocumentLinks.ToPage(child.Key)})\n");
        }

        return builder.ToString();
    }

    private static string RepositoryMap(RepositorySnapshot snapshot, Func<string, LineRange?, string> permalink)
    {
        var folders = new SortedDictionary<string, FolderStats>(StringComparer.Ordinal);
        var rootFiles = new List<SnapshotFile>();
        foreach (var file in snapshot.Files)
        {
            var segments = file.Path.Split('/');
            if (segments.Length == 1)
            {
                rootFiles.Add(file);
                continue;
            }

            for (var depth = 1; depth <= Math.Min(MapDepth, segments.Length - 1); depth++)
            {
                var folder = string.Join('/', segments, 0, depth);
                if (!folders.TryGetValue(folder, out var stats))
                {
                    folders[folder] = stats = new FolderStats();
                }

                stats.Add(file);
            }
        }

        var builder = new StringBuilder("# Repository map\n\n");
        builder.Append(CultureInfo.InvariantCulture, $"{snapshot.Files.Count:N0} files ({snapshot.TotalTokens:N0} tokens) at commit `{Short(snapshot.CommitSha)}`, folders to depth {MapDepth}.\n\n");
        var listed = 0;
        foreach (var (folder, stats) in folders)
        {
            if (listed == MaxMapFolders)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\n…and {folders.Count - listed:N0} more folders.\n");
                break;
            }

            var depth = folder.Count(c => c == '/');
            var name = folder[(folder.LastIndexOf('/') + 1)..];
            builder.Append(' ', depth * 2)
                .Append(CultureInfo.InvariantCulture, $"- [{Escape(name)}/]({permalink(folder, null)}) — {stats.Files:N0} files, {stats.Tokens:N0} tokens{Languages(stats)}\n");
            listed++;
        }

        if (rootFiles.Count > 0)
        {
            builder.Append("\n## Files at the root\n\n");
            foreach (var file in rootFiles)
            {
                builder.Append(CultureInfo.InvariantCulture, $"- [{Escape(file.Path)}]({permalink(file.Path, null)}) — {file.Lines:N0} lines\n");
            }
        }

        return builder.ToString();
    }

    private static string Languages(FolderStats stats)
    {
        var languages = stats.Languages.OrderByDescending(l => l.Value).ThenBy(l => l.Key, StringComparer.Ordinal).Take(3).Select(l => l.Key).ToList();
        return languages.Count == 0 ? string.Empty : " (" + string.Join(", ", languages) + ")";
    }

    private static string Modules(RepositorySnapshot snapshot, ISymbolIndex index, IReadOnlyList<PlannedPage> plannedPages, Func<string, LineRange?, string> permalink)
    {
        var modules = RepositoryOutline.FindModules(snapshot.Files);
        var modulePages = plannedPages.Where(p => p.Kind == "module").ToList();
        var builder = new StringBuilder("# Modules\n\n");
        if (modules.Count == 0)
        {
            return builder.Append("The repository has no folders with code; every file is at its root.\n").ToString();
        }

        builder.Append("| Module | Files | Tokens | Languages | Projects | Page |\n|---|---:|---:|---|---|---|\n");
        foreach (var module in modules)
        {
            var languages = module.Files.Select(f => SourceLanguages.Of(f.Path)).OfType<string>().GroupBy(l => l, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).Take(3).Select(g => g.Key);
            var projects = index.Projects.Where(p => module.Files.Any(f => f.Path == p.Path)).Select(p => Escape(p.Name));
            var first = module.Files.Count > 0 ? module.Files[0].Path : null;
            var page = modulePages.FirstOrDefault(p => first is not null && p.SourceFiles.Contains(first, StringComparer.Ordinal));
            var folder = module.Files.Count > 0 && module.Files.All(f => f.Path.StartsWith(module.Path + "/", StringComparison.Ordinal))
                ? $"[{Escape(module.Path)}]({permalink(module.Path, null)})"
                : Escape(module.Path);
            builder.Append(CultureInfo.InvariantCulture, $"| {folder} | {module.Files.Count:N0} | {module.Tokens:N0} | {string.Join(", ", languages)} | {string.Join(", ", projects)} | {(page is null ? string.Empty : $"[{Escape(page.Title)}]({DocumentLinks.ToPage(page.Key)})")} |\n");
        }

        return builder.ToString();
    }

    private static List<(DocumentPage Page, string Title, int Symbols)> ApiPages(ISymbolIndex index, Func<string, LineRange?, string> permalink, string commit)
    {
        var owners = index.Projects
            .Select(p => (Project: p, Directory: ProjectManifests.DirectoryOf(p.Path)))
            .OrderByDescending(p => p.Directory.Length)
            .ToList();
        var groups = new Dictionary<string, (string Title, List<CodeSymbol> Symbols)>(StringComparer.Ordinal);
        foreach (var symbol in index.Symbols)
        {
            if (!symbol.IsPublic || symbol.Kind == CodeSymbolKind.Namespace)
            {
                continue;
            }

            var owner = owners.FirstOrDefault(o => o.Directory.Length == 0 || symbol.Path.StartsWith(o.Directory + "/", StringComparison.Ordinal));
            if (owner.Project is { } project && IsTestProject(project))
            {
                continue;
            }

            var key = owner.Project is null ? "other:" + symbol.Language : owner.Project.Path;
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (owner.Project is null ? $"Other {symbol.Language} code" : owner.Project.Name, []);
            }

            group.Symbols.Add(symbol);
        }

        var usedKeys = new HashSet<string>(StringComparer.Ordinal);
        var pages = new List<(DocumentPage, string, int)>();
        // Projects first, then the code outside any project.
        foreach (var (_, (title, symbols)) in groups.OrderBy(g => g.Key.StartsWith("other:", StringComparison.Ordinal)).ThenBy(g => g.Value.Title, StringComparer.Ordinal).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var key = UniqueKey("facts-api-" + Slug(title), usedKeys);
            var sources = symbols.Select(s => s.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var page = Page(key, $"API: {title}", ApiMarkdown(title, symbols, permalink), commit, sources, parent: "facts-api");
            pages.Add((page, title, symbols.Count));
        }

        return pages;
    }

    private static string ApiIndex(ISymbolIndex index, List<(DocumentPage Page, string Title, int Symbols)> apiPages)
    {
        var builder = new StringBuilder("# API reference\n\n");
        if (apiPages.Count == 0)
        {
            builder.Append("No public definitions were found in a language with a symbol index.\n");
        }
        else
        {
            builder.Append("The public definitions of each project, from the symbol index.\n\n| Project | Public symbols |\n|---|---:|\n");
            foreach (var (page, title, symbols) in apiPages)
            {
                builder.Append(CultureInfo.InvariantCulture, $"| [{Escape(title)}]({DocumentLinks.ToPage(page.Key)}) | {symbols:N0} |\n");
            }
        }

        var tests = index.Projects.Where(IsTestProject).Select(p => Escape(p.Name)).ToList();
        if (tests.Count > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\nTest projects are left out: {string.Join(", ", tests)}.\n");
        }

        var fileLevel = index.Coverage.Where(c => c.Depth != SymbolIndexBuilder.SymbolsDepth).Select(c => c.Language).ToList();
        if (fileLevel.Count > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\nLanguages with file-level facts only (no symbols listed): {string.Join(", ", fileLevel)}.\n");
        }

        return builder.ToString();
    }

    private static string ApiMarkdown(string title, List<CodeSymbol> symbols, Func<string, LineRange?, string> permalink)
    {
        var builder = new StringBuilder().Append(CultureInfo.InvariantCulture, $"# API: {Escape(title)}\n\n");
        var types = symbols.Where(s => s.Kind == CodeSymbolKind.Type).ToList();
        var typeNames = types.Select(t => t.QualifiedName).ToHashSet(StringComparer.Ordinal);
        var members = symbols.Where(s => s.Kind != CodeSymbolKind.Type).ToLookup(s => s.Container ?? string.Empty, StringComparer.Ordinal);
        var written = 0;
        var total = symbols.Count;

        // Types first, grouped by the namespace (or package, module) that holds them, each with its members.
        foreach (var space in types.GroupBy(t => t.Container ?? "(global)", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (written >= MaxSymbolsPerPage)
            {
                break;
            }

            builder.Append(CultureInfo.InvariantCulture, $"## {Escape(space.Key)}\n\n");
            foreach (var type in space.DistinctBy(t => t.QualifiedName).OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                builder.Append(CultureInfo.InvariantCulture, $"### {Escape(type.Name)}\n\n{Code(type.Signature ?? type.Name)} — [{Escape(type.Path)}:{type.Line}]({permalink(type.Path, new LineRange(type.Line, type.Line))})\n\n");
                if (type.Summary is { Length: > 0 } summary)
                {
                    builder.Append(Escape(OneLine(summary))).Append("\n\n");
                }

                written++;
                foreach (var member in members[type.QualifiedName].OrderBy(m => m.Line))
                {
                    if (written >= MaxSymbolsPerPage)
                    {
                        break;
                    }

                    AppendMember(builder, member, permalink);
                    written++;
                }

                builder.Append('\n');
            }
        }

        // Free functions and constants of modules and packages.
        foreach (var container in members.Where(g => !typeNames.Contains(g.Key)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (written >= MaxSymbolsPerPage)
            {
                break;
            }

            builder.Append(CultureInfo.InvariantCulture, $"## {Escape(container.Key.Length == 0 ? "(top level)" : container.Key)}\n\n");
            foreach (var member in container.OrderBy(m => m.Path, StringComparer.Ordinal).ThenBy(m => m.Line))
            {
                if (written >= MaxSymbolsPerPage)
                {
                    break;
                }

                AppendMember(builder, member, permalink);
                written++;
            }

            builder.Append('\n');
        }

        if (written < total)
        {
            builder.Append(CultureInfo.InvariantCulture, $"…and {total - written:N0} more public symbols, left out to keep the page readable.\n");
        }

        return builder.ToString();
    }

    private static void AppendMember(StringBuilder builder, CodeSymbol member, Func<string, LineRange?, string> permalink)
    {
        builder.Append(CultureInfo.InvariantCulture, $"- {Code(member.Signature ?? member.Name)} ([{Escape(member.Path)}:{member.Line}]({permalink(member.Path, new LineRange(member.Line, member.Line))}))");
        if (member.Summary is { Length: > 0 } summary)
        {
            builder.Append(" — ").Append(Escape(OneLine(summary)));
        }

        builder.Append('\n');
    }

    private static string Dependencies(ISymbolIndex index, IMermaidValidator mermaid, Func<string, LineRange?, string> permalink)
    {
        var builder = new StringBuilder("# Project dependencies\n\n");
        var projects = index.Projects;
        if (projects.Count == 0)
        {
            return builder.Append("No project manifests (csproj, package.json, go.mod, pyproject.toml, pom.xml, Gradle, Cargo) were found.\n").ToString();
        }

        var diagram = DependencyDiagram(projects);
        var check = mermaid.Check(diagram);
        if (check.Publishable(diagram) is { } publishable)
        {
            builder.Append("```mermaid\n").Append(publishable.TrimEnd('\n')).Append("\n```\n\n");
        }
        else
        {
            builder.Append(CultureInfo.InvariantCulture, $"> **Note:** the dependency diagram was left out because it did not validate ({Escape(string.Join("; ", check.Problems))}).\n\n");
        }

        if (projects.Count > MaxDiagramProjects)
        {
            builder.Append(CultureInfo.InvariantCulture, $"The diagram shows the {MaxDiagramProjects} projects with the most references; the table lists all {projects.Count:N0}.\n\n");
        }

        builder.Append("| Project | Kind | Manifest | Targets | References | Packages |\n|---|---|---|---|---|---|\n");
        var names = projects.ToDictionary(p => p.Path, p => p.Name, StringComparer.Ordinal);
        foreach (var project in projects)
        {
            var references = project.ProjectReferences.Select(r => Escape(names.GetValueOrDefault(r) ?? r));
            builder.Append(CultureInfo.InvariantCulture, $"| {Escape(project.Name)} | {project.Kind} | [{Escape(project.Path)}]({permalink(project.Path, null)}) | {Escape(string.Join(", ", project.Targets))} | {string.Join(", ", references)} | {project.Packages.Count:N0} |\n");
        }

        var withPackages = projects.Where(p => p.Packages.Count > 0).ToList();
        if (withPackages.Count > 0)
        {
            builder.Append("\n## External packages\n");
            foreach (var project in withPackages)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\n### {Escape(project.Name)}\n\n");
                foreach (var (name, version) in project.Packages.OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    builder.Append(CultureInfo.InvariantCulture, $"- {Code(version is null ? name : $"{name} {version}")}\n");
                }
            }
        }

        return builder.ToString();
    }

    /// <summary>Draws projects and their references; ids are generated and labels quoted, so no project name can break the syntax.</summary>
    internal static string DependencyDiagram(IReadOnlyList<ProjectFact> projects)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var referenced = projects.SelectMany(p => p.ProjectReferences).GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var shown = projects
            .OrderByDescending(p => p.ProjectReferences.Count + referenced.GetValueOrDefault(p.Path))
            .ThenBy(p => p.Path, StringComparer.Ordinal)
            .Take(MaxDiagramProjects)
            .OrderBy(p => p.Path, StringComparer.Ordinal)
            .ToList();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var builder = new StringBuilder("flowchart LR\n");
        foreach (var project in shown)
        {
            var id = "p" + ids.Count.ToString(CultureInfo.InvariantCulture);
            ids[project.Path] = id;
            builder.Append(CultureInfo.InvariantCulture, $"  {id}[\"{DiagramText(project.Name)}\"]\n");
        }

        foreach (var project in shown)
        {
            foreach (var reference in project.ProjectReferences.Order(StringComparer.Ordinal))
            {
                if (ids.TryGetValue(reference, out var target))
                {
                    builder.Append(CultureInfo.InvariantCulture, $"  {ids[project.Path]} --> {target}\n");
                }
            }
        }

        return builder.ToString();
    }

    private static string Coverage(RepositorySnapshot snapshot, ISymbolIndex index)
    {
        var builder = new StringBuilder("# Coverage\n\n");
        builder.Append(CultureInfo.InvariantCulture, $"- Included: {snapshot.Files.Count:N0} files, {snapshot.TotalBytes:N0} bytes, {snapshot.TotalTokens:N0} tokens.\n");
        var excludedFiles = snapshot.Excluded.Sum(e => (long)(e.FileCount ?? 0));
        builder.Append(CultureInfo.InvariantCulture, $"- Excluded: {excludedFiles:N0} files in {snapshot.Excluded.Count:N0} entries");
        if (snapshot.Excluded.Any(e => e.FileCount is null))
        {
            builder.Append(" (plus folders that were skipped without being listed)");
        }

        builder.Append(".\n");
        var redactions = snapshot.Files.Sum(f => f.Redactions.Count);
        if (redactions > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"- Secrets redacted before anything was read: {redactions:N0} in {snapshot.Files.Count(f => f.Redactions.Count > 0):N0} files.\n");
        }

        builder.Append("\n## Languages\n\n| Language | Files | Facts |\n|---|---:|---|\n");
        foreach (var language in index.Coverage)
        {
            var depth = language.Depth == SymbolIndexBuilder.SymbolsDepth ? "definitions indexed" : "file-level only";
            builder.Append(CultureInfo.InvariantCulture, $"| {language.Language} | {language.Files:N0} | {depth} |\n");
        }

        if (snapshot.Excluded.Count > 0)
        {
            builder.Append("\n## Excluded paths by reason\n\n| Reason | Files | Examples |\n|---|---:|---|\n");
            foreach (var reason in snapshot.Excluded.GroupBy(e => e.Reason).OrderByDescending(g => g.Sum(e => (long)(e.FileCount ?? 0))).ThenBy(g => g.Key))
            {
                var examples = reason.Take(ExamplesPerReason).Select(e => Code(e.IsDirectory ? e.Path.TrimEnd('/') + "/" : e.Path));
                var more = reason.Count() > ExamplesPerReason ? $", …{reason.Count() - ExamplesPerReason:N0} more" : string.Empty;
                builder.Append(CultureInfo.InvariantCulture, $"| {Describe(reason.Key)} | {reason.Sum(e => (long)(e.FileCount ?? 0)):N0} | {string.Join(", ", examples)}{more} |\n");
            }
        }

        if (snapshot.Warnings.Count > 0)
        {
            builder.Append("\n## Warnings\n\n");
            foreach (var warning in snapshot.Warnings)
            {
                builder.Append("- ").Append(Escape(warning)).Append('\n');
            }
        }

        return builder.ToString();
    }

    private static string Describe(ExclusionReason reason) => reason switch
    {
        ExclusionReason.GitIgnore => "ignored by .gitignore",
        ExclusionReason.Vendored => "third-party code",
        ExclusionReason.Generated => "generated code",
        ExclusionReason.BuildOutput => "build output",
        ExclusionReason.LockFile => "lock file",
        ExclusionReason.Minified => "minified or bundled",
        ExclusionReason.Binary => "binary",
        ExclusionReason.TooLarge => "larger than the file size cap",
        ExclusionReason.RepositoryCapReached => "after the repository size cap",
        ExclusionReason.ExcludedByOptions => "excluded by options or the steering file",
        ExclusionReason.NotIncluded => "not matched by the include globs",
        _ => reason.ToString(),
    };

    /// <summary>Test projects are public by convention, yet nobody reads their API; the reference would drown in them.</summary>
    private static bool IsTestProject(ProjectFact project) =>
        project.Name.EndsWith(".Tests", StringComparison.OrdinalIgnoreCase) || project.Name.EndsWith(".Test", StringComparison.OrdinalIgnoreCase)
        || project.Name.EndsWith("-tests", StringComparison.OrdinalIgnoreCase) || project.Name.EndsWith("_tests", StringComparison.OrdinalIgnoreCase)
        || project.Path.Split('/').Any(segment => segment is "test" or "tests");

    /// <summary>Repository text shown as text: Markdown and HTML characters escaped, so a summary can never add a link or markup.</summary>
    internal static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '#' or '!' or '(' or ')')
            {
                builder.Append('\\');
            }

            builder.Append(c is '\r' or '\n' ? ' ' : c);
        }

        return builder.ToString();
    }

    private static string Code(string text)
    {
        var single = OneLine(text);
        var longest = 0;
        var run = 0;
        foreach (var c in single)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', longest + 1);
        var pad = single.StartsWith('`') || single.EndsWith('`') ? " " : string.Empty;
        return $"{fence}{pad}{single.Replace("|", "\\|", StringComparison.Ordinal)}{pad}{fence}";
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string DiagramText(string text) => OneLine(text).Replace("\"", "#quot;", StringComparison.Ordinal);

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;

    private static string Slug(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        if (slug.Length > 80)
        {
            slug = slug[..80].TrimEnd('-');
        }

        return slug.Length == 0 ? "project" : slug;
    }

    private static string UniqueKey(string key, HashSet<string> used)
    {
        var candidate = key;
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = $"{key}-{i.ToString(CultureInfo.InvariantCulture)}";
        }

        return candidate;
    }

    private sealed class FolderStats
    {
        public int Files { get; private set; }

        public long Tokens { get; private set; }

        public Dictionary<string, int> Languages { get; } = new(StringComparer.Ordinal);

        public void Add(SnapshotFile file)
        {
            Files++;
            Tokens += file.Tokens;
            if (SourceLanguages.Of(file.Path) is { } language)
            {
                Languages[language] = Languages.GetValueOrDefault(language) + 1;
            }
        }
    }
}
