using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// The repository map behind every outline: modules (project folders, or top-level folders split where one dominates)
/// and the file classes presets select pages' sources by (README, documentation, configuration, deployment, tests).
/// </summary>
internal static class RepositoryOutline
{
    /// <summary>The most module pages one outline gets; smaller modules beyond it are merged by top-level folder.</summary>
    internal const int MaxModulePages = 40;

    private static readonly string[] ProjectManifestNames =
        ["package.json", "Cargo.toml", "go.mod", "pyproject.toml", "setup.py", "pom.xml", "build.gradle", "build.gradle.kts", "Gemfile", "composer.json", "mix.exs"];

    private static readonly string[] ProjectManifestExtensions = [".csproj", ".fsproj", ".vbproj", ".vcxproj"];

    private static readonly string[] ConfigurationPatterns =
        ["appsettings", ".env.example", ".env.sample", "config.json", "config.yaml", "config.yml", "settings.json", "settings.yaml", ".config", "options.cs"];

    private static readonly string[] DeploymentPatterns =
        ["dockerfile", "docker-compose", "compose.yaml", "compose.yml", ".github/workflows/", ".gitlab-ci.yml", "azure-pipelines", "jenkinsfile", "helm/", "charts/", "k8s/", "kubernetes/", ".bicep", ".tf", "procfile", "fly.toml", "vercel.json", "netlify.toml"];

    /// <summary>Groups files into modules: project folders when the repository has several, otherwise top-level folders.</summary>
    /// <param name="files">The included files.</param>
    /// <returns>Modules by display name, each with its files, largest first.</returns>
    public static IReadOnlyList<RepositoryModule> FindModules(IReadOnlyList<SnapshotFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var projectRoots = files
            .Select(f => f.Path)
            .Where(IsProjectManifest)
            .Select(DirectoryOf)
            .Where(d => d.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(d => d.Length)
            .ToList();

        // Keep the shallowest project folders; a project nested in another belongs to it.
        var roots = new List<string>();
        foreach (var candidate in projectRoots)
        {
            if (!roots.Any(r => candidate.StartsWith(r + "/", StringComparison.Ordinal)))
            {
                roots.Add(candidate);
            }
        }

        var useProjects = roots.Count >= 2;
        var groups = new Dictionary<string, List<SnapshotFile>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var directory = DirectoryOf(file.Path);

            // Root files feed the overview and getting-started pages; dot folders (.github, .vscode) the
            // configuration and deployment pages.
            if (directory.Length == 0 || directory.StartsWith('.'))
            {
                continue;
            }

            var module = (useProjects ? roots.FirstOrDefault(r => file.Path.StartsWith(r + "/", StringComparison.Ordinal)) : null)
                ?? TopFolder(file.Path);
            if (useProjects && IsTestFolder(module))
            {
                module = "tests";
            }

            Add(groups, module, file);
        }

        if (!useProjects)
        {
            SplitDominantFolders(groups);
        }

        var modules = groups
            .Select(g => new RepositoryModule(g.Key, g.Value))
            .OrderByDescending(m => m.Tokens)
            .ThenBy(m => m.Path, StringComparer.Ordinal)
            .ToList();

        if (modules.Count > MaxModulePages)
        {
            var kept = modules.Take(MaxModulePages - 1).ToList();
            var merged = modules.Skip(MaxModulePages - 1).SelectMany(m => m.Files).ToList();
            kept.Add(new RepositoryModule("(other folders)", merged));
            modules = kept;
        }

        return modules;
    }

    /// <summary>
    /// A folder holding most of the code (<c>src/</c>, <c>lib/</c>) says little as one page: split it into its
    /// subfolders, a few levels down, while one group still dominates. A chain of single subfolders
    /// (<c>plugins/python-build/</c>) is followed to where it branches.
    /// </summary>
    private static void SplitDominantFolders(Dictionary<string, List<SnapshotFile>> groups)
    {
        for (var depth = 0; depth < 6; depth++)
        {
            var total = groups.Values.Sum(g => g.Sum(f => (long)f.Tokens));
            var dominant = groups.FirstOrDefault(g => g.Value.Sum(f => (long)f.Tokens) * 2 > total);
            if (dominant.Key is null)
            {
                return;
            }

            var prefix = dominant.Key + "/";
            var children = dominant.Value
                .GroupBy(f => f.Path.IndexOf('/', prefix.Length) is var slash and > 0 ? f.Path[..slash] : dominant.Key, StringComparer.Ordinal)
                .ToList();
            var subfolders = children.Where(c => c.Key != dominant.Key).ToList();
            var tokens = dominant.Value.Sum(f => (long)f.Tokens);
            if (subfolders.Count == 0 || (subfolders.Count == 1 && subfolders[0].Sum(f => (long)f.Tokens) * 10 < tokens * 9))
            {
                return;
            }

            groups.Remove(dominant.Key);
            foreach (var child in children)
            {
                foreach (var file in child)
                {
                    Add(groups, child.Key, file);
                }
            }
        }
    }

    private static void Add(Dictionary<string, List<SnapshotFile>> groups, string module, SnapshotFile file)
    {
        if (!groups.TryGetValue(module, out var list))
        {
            groups[module] = list = [];
        }

        list.Add(file);
    }

    internal static string DirectoryOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path[..slash];
    }

    internal static string TopFolder(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : path[..slash];
    }

    internal static string Slug(string text)
    {
        var chars = text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var slug = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        if (slug.Length == 0)
        {
            slug = "other";
        }

        return slug.Length <= 80 ? slug : slug[..80].TrimEnd('-');
    }

    internal static string UniqueKey(string key, HashSet<string> used)
    {
        var candidate = key;
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = $"{key}-{i}";
        }

        return candidate;
    }

    private static bool IsProjectManifest(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        return ProjectManifestNames.Contains(name, StringComparer.Ordinal)
            || ProjectManifestExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    internal static bool IsTestPath(string path) =>
        path.Split('/')[..^1].Any(IsTestFolder);

    private static bool IsTestFolder(string folder)
    {
        var name = folder[(folder.LastIndexOf('/') + 1)..];
        return name.Equals("test", StringComparison.OrdinalIgnoreCase)
            || name.Equals("tests", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".Tests", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".Test", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("-tests", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("_test", StringComparison.OrdinalIgnoreCase);
    }

    internal static bool IsReadme(string path) =>
        path[(path.LastIndexOf('/') + 1)..].StartsWith("readme", StringComparison.OrdinalIgnoreCase);

    internal static bool IsDocumentation(string path) =>
        path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".rst", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".adoc", StringComparison.OrdinalIgnoreCase)
        || path[(path.LastIndexOf('/') + 1)..].StartsWith("license", StringComparison.OrdinalIgnoreCase);

    internal static bool IsConfiguration(string path) => Matches(path, ConfigurationPatterns);

    internal static bool IsDeployment(string path) => Matches(path, DeploymentPatterns);

    private static bool Matches(string path, string[] patterns) =>
        patterns.Any(p => path.Contains(p, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A group of files documented as one module page.</summary>
/// <param name="Path">The module's folder (or a group name).</param>
/// <param name="Files">Its files.</param>
internal sealed record RepositoryModule(string Path, IReadOnlyList<SnapshotFile> Files)
{
    public long Tokens { get; } = Files.Sum(f => (long)f.Tokens);
}
