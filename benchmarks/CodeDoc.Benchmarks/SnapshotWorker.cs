using System.Diagnostics;
using System.Text.Json;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Benchmarks;

internal sealed record WorkerReport(long StartupMilliseconds, long SnapshotMilliseconds, int FilesIncluded, long FilesSeen, long Bytes, long Tokens);

/// <summary>One measured snapshot in its own process: start-up, then a full read of the tree.</summary>
internal static class SnapshotWorker
{
    public const string Verb = "--worker";

    public static async Task<int> RunAsync(string[] args)
    {
        var path = args[0];
        var useGit = args.Contains("--git");
        var everything = args.Contains("--all");
        var startup = Stopwatch.StartNew();
        var collection = new ServiceCollection();
        // repomix's defaults: files up to 50 MB, no whole-repository cap; so both tools read the same bytes.
        collection.AddCodeDoc(o =>
        {
            o.Snapshot.MaxFileBytes = 50L * 1024 * 1024;
            o.Snapshot.MaxRepositoryBytes = o.Snapshot.MaxArchiveExpandedBytes;
            o.Snapshot.UseBuiltInExclusions = !everything;
        }).AddLocalRepositories("bench", o => o.PreferGit = useGit);
        await using var services = collection.BuildServiceProvider();
        var git = services.GetRequiredKeyedService<IGitProvider>("bench");
        var reader = services.GetRequiredService<ISnapshotReader>();
        if (!git.TryParseRepository(path, out var repository))
        {
            await Console.Error.WriteLineAsync($"Not a local path: {path}").ConfigureAwait(false);
            return 2;
        }

        var commit = await git.ResolveRefAsync(repository, null).ConfigureAwait(false);

        // Read a one-file tree first so the tokenizer's data and the reader's code are loaded before the timed read.
        await using (var warm = new EntryRepositoryTree("warm-up", WarmUpEntries))
        {
            await reader.ReadAsync(warm).ConfigureAwait(false);
        }

        startup.Stop();
        var watch = Stopwatch.StartNew();
        await using var tree = await git.OpenTreeAsync(repository, commit.CommitSha).ConfigureAwait(false);
        var snapshot = await reader.ReadAsync(tree).ConfigureAwait(false);
        watch.Stop();

        Console.WriteLine(JsonSerializer.Serialize(new WorkerReport(
            startup.ElapsedMilliseconds, watch.ElapsedMilliseconds, snapshot.Files.Count, snapshot.FilesSeen, snapshot.TotalBytes, snapshot.TotalTokens)));
        return 0;
    }

    private static async IAsyncEnumerable<RepositoryEntry> WarmUpEntries(Func<string, bool> shouldEnterDirectory, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        var text = "public static class WarmUp { }\n"u8.ToArray();
        yield return new RepositoryEntry("WarmUp.cs", RepositoryEntryKind.File, text.Length, _ => ValueTask.FromResult<Stream>(new MemoryStream(text)));
    }
}
