using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CodeDoc.Pipeline.Tests.Markdown;

/// <summary>A temporary folder holding an output folder (<see cref="Output"/>) and room around it to see escapes.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "codedoc-md-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    /// <summary>Gets the temporary folder; the output folder is inside it.</summary>
    public string Root { get; }

    /// <summary>Gets the output folder (not created).</summary>
    public string Output => Path.Combine(Root, "out");

    /// <summary>Gets the full path of a file of the output folder.</summary>
    /// <param name="relativePath">The '/'-separated path.</param>
    /// <returns>The full path.</returns>
    public string File(string relativePath) => Path.Combine(Output, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Reads a file of the output folder.</summary>
    /// <param name="relativePath">The '/'-separated path.</param>
    /// <returns>The text.</returns>
    public string Read(string relativePath) => System.IO.File.ReadAllText(File(relativePath));

    /// <summary>Lists the files under the output folder, '/'-separated, sorted.</summary>
    /// <param name="includeCodeDoc">Whether to list the files in <c>.codedoc/</c>.</param>
    /// <returns>The relative paths.</returns>
    public List<string> Files(bool includeCodeDoc = false) => !Directory.Exists(Output)
        ? []
        : [.. Directory.EnumerateFiles(Output, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Output, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => includeCodeDoc || !f.StartsWith(".codedoc/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    /// <summary>Records every file and folder under the temporary folder with its content hash and write time.</summary>
    /// <returns>The snapshot.</returns>
    public SortedDictionary<string, string> Snapshot()
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Root, entry).Replace(Path.DirectorySeparatorChar, '/');
            var isFile = System.IO.File.Exists(entry);
            var hash = isFile ? Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(entry))) : "folder";
            var written = isFile ? System.IO.File.GetLastWriteTimeUtc(entry) : Directory.GetLastWriteTimeUtc(entry);
            snapshot[relative] = $"{hash} {written:O}";
        }

        return snapshot;
    }

    /// <summary>Sets the write time of every file and folder to a fixed past time, so any later write shows.</summary>
    public void AgeEverything()
    {
        var past = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        foreach (var entry in Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories).OrderByDescending(e => e.Length))
        {
            if (System.IO.File.Exists(entry))
            {
                System.IO.File.SetLastWriteTimeUtc(entry, past);
            }
            else
            {
                Directory.SetLastWriteTimeUtc(entry, past);
            }
        }

        Directory.SetLastWriteTimeUtc(Root, past);
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary>Builds publishers and sets for the Markdown folder tests.</summary>
internal static class MarkdownTest
{
    /// <summary>The fixed time every test publisher records.</summary>
    public static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>Creates a publisher for a folder.</summary>
    /// <param name="outputPath">The output folder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <param name="logger">The logger.</param>
    /// <returns>The publisher.</returns>
    public static MarkdownFolderPublisher Publisher(string outputPath, Action<MarkdownFolderOptions>? configure = null, ILogger<MarkdownFolderPublisher>? logger = null)
    {
        var options = new MarkdownFolderOptions { OutputPath = outputPath };
        configure?.Invoke(options);
        return new MarkdownFolderPublisher("test", options, new FakeTimeProvider(Now), logger ?? NullLogger<MarkdownFolderPublisher>.Instance);
    }

    /// <summary>Builds a one-level set of pages.</summary>
    /// <param name="pages">The pages.</param>
    /// <returns>The set.</returns>
    public static DocumentSet Set(params DocumentPage[] pages) => new()
    {
        Id = "example.test/acme/widgets@main",
        Title = "Widgets",
        Source = new DocumentSource("example.test/acme/widgets", "abc123", "main"),
        Pages = pages,
    };

    /// <summary>Builds a page.</summary>
    /// <param name="key">The key.</param>
    /// <param name="title">The title.</param>
    /// <param name="markdown">The body.</param>
    /// <param name="parentKey">The parent.</param>
    /// <param name="order">The order.</param>
    /// <returns>The page.</returns>
    public static DocumentPage Page(string key, string title, string markdown = "Text.", string? parentKey = null, int order = 0) =>
        new() { Key = key, Title = title, Markdown = markdown, ParentKey = parentKey, Order = order };

    /// <summary>Gets the outcome of one page.</summary>
    /// <param name="result">The result.</param>
    /// <param name="key">The page key.</param>
    /// <returns>The outcome.</returns>
    public static PageOutcome Outcome(this PublishResult result, string key) => Assert.Single(result.Pages, p => p.Key == key);
}

/// <summary>
/// Golden files under <c>Markdown/Golden/</c>: compared against the copy in the output directory; with the environment
/// variable <c>CODEDOC_UPDATE_GOLDEN=1</c> the source copy (found through the caller's file path) is rewritten instead.
/// </summary>
internal static class GoldenFile
{
    public static void AssertMatches(string actual, string name, [CallerFilePath] string callerFilePath = "")
    {
        var sourcePath = Path.Combine(Path.GetDirectoryName(callerFilePath)!, "Golden", name);
        if (Environment.GetEnvironmentVariable("CODEDOC_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(sourcePath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        var copied = Path.Combine(AppContext.BaseDirectory, "Markdown", "Golden", name);
        var path = File.Exists(copied) ? copied : sourcePath;
        Assert.True(File.Exists(path), $"The golden file {name} is missing: run the tests with CODEDOC_UPDATE_GOLDEN=1 to write it, then review and commit it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
