using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.FakeServers;

/// <summary>
/// Lists the files of any <see cref="RepositoryTree"/> (archive or entries) through the pipeline's hardened snapshot
/// reader, so Git host tests can check what a provider handed over exactly as a run would read it.
/// </summary>
public static class TreeListing
{
    /// <summary>Lists every file path in the tree, included or not (no built-in or .gitignore filtering).</summary>
    /// <param name="tree">The tree.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file paths, ordered.</returns>
    public static async Task<IReadOnlyList<string>> ListFilesAsync(RepositoryTree tree, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var snapshot = await ReadAsync(tree, cancellationToken).ConfigureAwait(false);
        return [.. snapshot.Files.Select(f => f.Path).Concat(snapshot.Excluded.Where(e => !e.IsDirectory).Select(e => e.Path)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Reads a tree with the pipeline's snapshot reader, filters off, keeping file content.</summary>
    /// <param name="tree">The tree.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot.</returns>
    public static async Task<RepositorySnapshot> ReadAsync(RepositoryTree tree, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var services = new ServiceCollection();
        services.AddCodeDoc();
        await using var provider = services.BuildServiceProvider();
        var options = new SnapshotOptions { UseGitIgnore = false, UseBuiltInExclusions = false, RetainContent = true };
        return await provider.GetRequiredService<ISnapshotReader>().ReadAsync(tree, options, progress: null, cancellationToken).ConfigureAwait(false);
    }
}
