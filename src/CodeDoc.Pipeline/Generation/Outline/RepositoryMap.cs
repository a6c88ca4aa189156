using System.Globalization;
using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>The repository map the outline request carries: folders with their files and tokens, and the projects.</summary>
internal static class RepositoryMap
{
    /// <summary>The most folder lines a map has; deeper folders are folded into their parents.</summary>
    public const int MaxLines = 300;

    /// <summary>Describes the folders of a snapshot, shallow first, up to <see cref="MaxLines"/> lines.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="projects">Project lines (name, manifest, kind) from the code's facts, if known.</param>
    /// <returns>The map text.</returns>
    public static string Describe(RepositorySnapshot snapshot, IReadOnlyList<string> projects)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var folders = new Dictionary<string, (int Files, long Tokens)>(StringComparer.Ordinal);
        foreach (var file in snapshot.Files)
        {
            for (var folder = RepositoryOutline.DirectoryOf(file.Path); ; folder = RepositoryOutline.DirectoryOf(folder))
            {
                var (files, tokens) = folders.GetValueOrDefault(folder);
                folders[folder] = (files + 1, tokens + file.Tokens);
                if (folder.Length == 0)
                {
                    break;
                }
            }
        }

        var depthLimit = 1;
        while (depthLimit < 12 && folders.Keys.Count(f => Depth(f) <= depthLimit + 1) <= MaxLines)
        {
            depthLimit++;
        }

        var builder = new StringBuilder();
        foreach (var (folder, (files, tokens)) in folders.Where(f => Depth(f.Key) <= depthLimit).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            builder.Append(folder.Length == 0 ? "./" : folder + "/")
                .Append(CultureInfo.InvariantCulture, $" ({files} files, {tokens:N0} tokens)\n");
        }

        var rootFiles = snapshot.Files.Where(f => !f.Path.Contains('/', StringComparison.Ordinal)).Select(f => f.Path).ToList();
        if (rootFiles.Count > 0)
        {
            builder.Append("Files at the root: ").Append(string.Join(", ", rootFiles.Take(60))).Append('\n');
        }

        if (projects.Count > 0)
        {
            builder.Append("Projects:\n");
            foreach (var project in projects)
            {
                builder.Append("- ").Append(project).Append('\n');
            }
        }

        return builder.ToString();
    }

    private static int Depth(string folder) => folder.Length == 0 ? 0 : folder.Count(c => c == '/') + 1;
}
