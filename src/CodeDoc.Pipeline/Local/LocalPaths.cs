using System.Text.RegularExpressions;

namespace CodeDoc.Pipeline;

/// <summary>Turns what a user typed into a local path, and decides whether a path lies under an allowed root.</summary>
internal static partial class LocalPaths
{
    // Links nest at most this deep before a path is treated as a loop (Linux's ELOOP limit).
    private const int MaxLinkDepth = 40;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// Parses a location as a local path. Served: <c>file://</c> URIs without a remote host, fully qualified paths
    /// (existing or not, so a missing one can be reported clearly), and relative paths that name an existing folder
    /// or start with <c>./</c> or <c>../</c>. A bare relative name that does not exist (such as <c>owner/repo</c>)
    /// and anything that looks like a URL of a host is left to the other providers.
    /// </summary>
    /// <param name="location">What the user typed.</param>
    /// <returns>The absolute, normalized path, or <see langword="null"/> when the location is not a local path.</returns>
    public static string? TryGetFullPath(string location)
    {
        var text = location.Trim();
        if (text.Length == 0 || text.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        if (text.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.IsFile && (uri.Host.Length == 0 || uri.IsLoopback)
                ? Normalize(uri.LocalPath)
                : null;
        }

        if (UrlLike().IsMatch(text) || ScpLike().IsMatch(text))
        {
            return null;
        }

        if (Path.IsPathFullyQualified(text))
        {
            return Normalize(text);
        }

        // Drive-relative ("C:src") and root-relative ("\src") Windows paths depend on hidden per-drive state.
        if (Path.IsPathRooted(text))
        {
            return null;
        }

        var full = Normalize(Path.GetFullPath(text));
        return IsExplicitlyRelative(text) || Directory.Exists(full) ? full : null;
    }

    /// <summary>Builds the stable repository id of a path, e.g. <c>local/home/me/src/app</c>.</summary>
    /// <param name="fullPath">The absolute, normalized path.</param>
    /// <returns>The id.</returns>
    public static string ToId(string fullPath) => "local/" + fullPath.Replace('\\', '/').TrimStart('/');

    /// <summary>Gets the name of the folder a path names, or the path itself for a root.</summary>
    /// <param name="fullPath">The absolute, normalized path.</param>
    /// <returns>The display name.</returns>
    public static string ToDisplayName(string fullPath)
    {
        var name = Path.GetFileName(fullPath);
        return name.Length == 0 ? fullPath : name;
    }

    /// <summary>
    /// Resolves every symbolic link in a path (like <c>realpath</c>), so a path and a root compare by where they
    /// really are. The part of the path that does not exist is kept as written.
    /// </summary>
    /// <param name="fullPath">An absolute path.</param>
    /// <returns>The path without links.</returns>
    public static string Canonicalize(string fullPath) => Canonicalize(Normalize(fullPath), depth: 0);

    /// <summary>Decides whether a path equals or lies below a root. Both must be canonical.</summary>
    /// <param name="canonicalPath">The path.</param>
    /// <param name="canonicalRoot">The root.</param>
    /// <returns><see langword="true"/> when the path is the root or inside it.</returns>
    public static bool IsUnder(string canonicalPath, string canonicalRoot)
    {
        if (string.Equals(canonicalPath, canonicalRoot, PathComparison))
        {
            return true;
        }

        var prefix = Path.EndsInDirectorySeparator(canonicalRoot) ? canonicalRoot : canonicalRoot + Path.DirectorySeparatorChar;
        return canonicalPath.StartsWith(prefix, PathComparison);
    }

    /// <summary>Gets a path relative to a folder with '/' separators; empty for the folder itself.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="path">A path inside it.</param>
    /// <returns>The relative path, or <see langword="null"/> when the path is not inside the folder.</returns>
    public static string? RelativeTo(string folder, string path)
    {
        if (!IsUnder(path, folder))
        {
            return null;
        }

        var relative = Path.GetRelativePath(folder, path);
        return relative == "." ? string.Empty : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static string Canonicalize(string fullPath, int depth)
    {
        var root = Path.GetPathRoot(fullPath) ?? string.Empty;
        var current = root;
        var parts = fullPath[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = new FileInfo(next);
            if (!info.Exists)
            {
                info = new DirectoryInfo(next);
                if (!info.Exists)
                {
                    // Nothing below a missing component can be a link: keep the rest as written.
                    return Normalize(Path.Combine([current, .. parts[i..]]));
                }
            }

            if (info.LinkTarget is { } target)
            {
                if (depth >= MaxLinkDepth)
                {
                    throw new IOException($"Too many levels of symbolic links at '{next}'.");
                }

                var resolved = Path.IsPathFullyQualified(target) ? target : Path.Combine(current, target);
                next = Canonicalize(Normalize(resolved), depth + 1);
            }

            current = next;
        }

        return Normalize(current);
    }

    private static bool IsExplicitlyRelative(string text) =>
        text is "." or ".." ||
        text.StartsWith("./", StringComparison.Ordinal) || text.StartsWith("../", StringComparison.Ordinal) ||
        (OperatingSystem.IsWindows() && (text.StartsWith(".\\", StringComparison.Ordinal) || text.StartsWith("..\\", StringComparison.Ordinal)));

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*://", RegexOptions.CultureInvariant)]
    private static partial Regex UrlLike();

    // git@github.com:owner/repo.git
    [GeneratedRegex(@"^[^/\\@\s]+@[^/\\:\s]+:", RegexOptions.CultureInvariant)]
    private static partial Regex ScpLike();
}
