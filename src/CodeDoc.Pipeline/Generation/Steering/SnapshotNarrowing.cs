using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// Narrows a snapshot after it was read: the steering file's include and exclude globs, the steering file itself,
/// and CodeDoc output folders inside the repository (documentation is not a source of more documentation). Every
/// file taken out is listed with its reason, like every other exclusion.
/// </summary>
internal static class SnapshotNarrowing
{
    /// <summary>Narrows a snapshot. A CodeDoc output folder at the root itself is left alone: it would be everything.</summary>
    /// <param name="snapshot">The snapshot as read.</param>
    /// <param name="steering">The steering file, if any.</param>
    /// <returns>The narrowed snapshot (the same instance when nothing is taken out).</returns>
    public static RepositorySnapshot Apply(RepositorySnapshot snapshot, SteeringFile? steering)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var include = steering is { Include.Count: > 0 } ? Rules("steering include", steering.Include) : null;
        var exclude = steering is { Exclude.Count: > 0 } ? Rules("steering exclude", steering.Exclude) : null;
        var outputFolders = snapshot.Files
            .Where(f => f.Path.EndsWith("/" + MarkdownManifestFile.RelativePath, StringComparison.Ordinal))
            .Select(f => f.Path[..^MarkdownManifestFile.RelativePath.Length])
            .ToList();

        var kept = new List<SnapshotFile>(snapshot.Files.Count);
        var excluded = new List<ExcludedPath>();
        foreach (var file in snapshot.Files)
        {
            var reason = Exclusion(file.Path, include, exclude, outputFolders);
            if (reason is null)
            {
                kept.Add(file);
            }
            else
            {
                excluded.Add(new ExcludedPath(file.Path, reason.Value.Reason, reason.Value.Detail) { Bytes = file.Bytes });
            }
        }

        if (excluded.Count == 0)
        {
            return snapshot;
        }

        return new RepositorySnapshot
        {
            CommitSha = snapshot.CommitSha,
            Files = kept,
            Excluded = [.. snapshot.Excluded.Concat(excluded).OrderBy(e => e.Path, StringComparer.Ordinal)],
            Warnings = snapshot.Warnings,
        };
    }

    /// <summary>Tells whether a path matches gitignore-style globs.</summary>
    /// <param name="globs">The compiled globs.</param>
    /// <param name="path">The path.</param>
    /// <returns>Whether it matches.</returns>
    public static bool Matches(IgnoreRules globs, string path) => globs.Evaluate(ByteString.FromText(path), isDirectory: false) is not null;

    /// <summary>Compiles globs (gitignore syntax, relative to the repository root).</summary>
    /// <param name="source">The name shown in details.</param>
    /// <param name="globs">The globs.</param>
    /// <returns>The rules.</returns>
    public static IgnoreRules Rules(string source, IEnumerable<string> globs)
    {
        var rules = new IgnoreRules();
        rules.Add(IgnoreList.FromLines(source, globs));
        return rules;
    }

    private static (ExclusionReason Reason, string Detail)? Exclusion(string path, IgnoreRules? include, IgnoreRules? exclude, List<string> outputFolders)
    {
        if (path == SteeringFile.RelativePath)
        {
            return (ExclusionReason.ExcludedByOptions, "the CodeDoc steering file (read as settings, not documented)");
        }

        if (outputFolders.FirstOrDefault(folder => path.StartsWith(folder, StringComparison.Ordinal)) is { } output)
        {
            return (ExclusionReason.ExcludedByOptions, $"a CodeDoc output folder ({output.TrimEnd('/')} holds {MarkdownManifestFile.RelativePath})");
        }

        if (include is not null && !Matches(include, path))
        {
            return (ExclusionReason.NotIncluded, $"matches none of the include globs of {SteeringFile.RelativePath}");
        }

        return exclude is not null && exclude.Evaluate(ByteString.FromText(path), isDirectory: false) is { } match
            ? (ExclusionReason.ExcludedByOptions, $"{SteeringFile.RelativePath} exclude glob {match.Pattern.Describe()}")
            : null;
    }
}
