using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>Copies snapshot options, so a stage can adjust its own copy without touching the configured ones.</summary>
internal static class SnapshotOptionsCopy
{
    /// <summary>Copies options.</summary>
    /// <param name="source">The options.</param>
    /// <returns>An independent copy.</returns>
    public static SnapshotOptions Copy(SnapshotOptions source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var copy = new SnapshotOptions
        {
            MaxFileBytes = source.MaxFileBytes,
            MaxRepositoryBytes = source.MaxRepositoryBytes,
            MaxArchiveExpandedBytes = source.MaxArchiveExpandedBytes,
            MaxEntries = source.MaxEntries,
            MaxCompressionRatio = source.MaxCompressionRatio,
            UseGitIgnore = source.UseGitIgnore,
            UseBuiltInExclusions = source.UseBuiltInExclusions,
            RetainContent = source.RetainContent,
        };
        foreach (var glob in source.Include)
        {
            copy.Include.Add(glob);
        }

        foreach (var glob in source.Exclude)
        {
            copy.Exclude.Add(glob);
        }

        copy.RetainContentOf.UnionWith(source.RetainContentOf);
        return copy;
    }
}
