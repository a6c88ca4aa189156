using CodeDoc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>Builds snapshot readers over the real components, with a fake redactor.</summary>
public static class SnapshotTestHost
{
    public const string Sha = "0123456789abcdef0123456789abcdef01234567";

    /// <summary>One tokenizer for all tests: loading the vocabulary is the slow part.</summary>
    internal static TokenCounter Tokens { get; } = new();

    internal static SnapshotReader CreateReader(ISecretRedactor? redactor = null, SnapshotOptions? defaults = null, TimeProvider? time = null)
    {
        var options = new CodeDocOptions();
        if (defaults is not null)
        {
            Copy(defaults, options.Snapshot);
        }

        return new SnapshotReader(
            redactor ?? new FakeSecretRedactor(),
            Tokens,
            Options.Create(options),
            time ?? TimeProvider.System,
            NullLogger<SnapshotReader>.Instance);
    }

    public static Task<RepositorySnapshot> ReadArchiveAsync(
        byte[] archive,
        ArchiveFormat format,
        bool hasTopLevelFolder = false,
        SnapshotOptions? options = null,
        ISecretRedactor? redactor = null,
        IProgress<RunProgress>? progress = null) =>
        ReadArchiveAsync(new NonSeekableStream(archive), format, hasTopLevelFolder, options, redactor, progress);

    public static async Task<RepositorySnapshot> ReadArchiveAsync(
        Stream archive,
        ArchiveFormat format,
        bool hasTopLevelFolder = false,
        SnapshotOptions? options = null,
        ISecretRedactor? redactor = null,
        IProgress<RunProgress>? progress = null)
    {
        await using var tree = new ArchiveRepositoryTree(Sha, archive, format, hasTopLevelFolder);
        return await CreateReader(redactor).ReadAsync(tree, options ?? new SnapshotOptions(), progress, TestContext.Current.CancellationToken);
    }

    public static Task<RepositorySnapshot> ReadTarAsync(byte[] tar, SnapshotOptions? options = null, bool hasTopLevelFolder = false) =>
        ReadArchiveAsync(tar, ArchiveFormat.Tar, hasTopLevelFolder, options);

    public static ExcludedPath Excluded(this RepositorySnapshot snapshot, string path) =>
        snapshot.Excluded.Single(e => e.Path == path);

    public static SnapshotFile File(this RepositorySnapshot snapshot, string path) =>
        snapshot.Files.Single(f => f.Path == path);

    public static string[] Paths(this RepositorySnapshot snapshot) => [.. snapshot.Files.Select(f => f.Path)];

    private static void Copy(SnapshotOptions from, SnapshotOptions to)
    {
        to.MaxFileBytes = from.MaxFileBytes;
        to.MaxRepositoryBytes = from.MaxRepositoryBytes;
        to.MaxArchiveExpandedBytes = from.MaxArchiveExpandedBytes;
        to.MaxEntries = from.MaxEntries;
        to.MaxCompressionRatio = from.MaxCompressionRatio;
        to.UseGitIgnore = from.UseGitIgnore;
        to.UseBuiltInExclusions = from.UseBuiltInExclusions;
        to.RetainContent = from.RetainContent;
        foreach (var glob in from.Include)
        {
            to.Include.Add(glob);
        }

        foreach (var glob in from.Exclude)
        {
            to.Exclude.Add(glob);
        }
    }
}
