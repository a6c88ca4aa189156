using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// The manifest of a Markdown folder, <c>.codedoc/manifest.json</c>: a <see cref="PublishManifest"/> as camelCase,
/// indented JSON. It is the master copy of what CodeDoc wrote into the folder, so a manifest that cannot be read is an
/// error to fix, never a reason to start over (which would orphan every file it lists).
/// </summary>
internal static partial class MarkdownManifestFile
{
    /// <summary>The manifest's path relative to the output folder.</summary>
    public const string RelativePath = ".codedoc/manifest.json";

    /// <summary>The publish lock's path relative to the output folder.</summary>
    public const string LockRelativePath = ".codedoc/publish.lock";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NewLine = "\n",
        RespectNullableAnnotations = true,
    };

    /// <summary>Serializes a manifest (pages in the order given, which callers keep in outline order).</summary>
    /// <param name="manifest">The manifest.</param>
    /// <returns>UTF-8 JSON ending with a newline.</returns>
    public static byte[] Serialize(PublishManifest manifest) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest, JsonOptions) + "\n");

    /// <summary>Parses and checks a manifest.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="fullPath">The file's full path, for messages.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="DocPublisherException">The manifest is not valid JSON or not a consistent manifest.</exception>
    public static PublishManifest Parse(byte[] bytes, string fullPath)
    {
        PublishManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PublishManifest>(bytes, JsonOptions);
        }
        catch (JsonException e)
        {
            throw Corrupt(fullPath, $"it is not a valid manifest ({e.Message})", e);
        }

        if (manifest is null)
        {
            throw Corrupt(fullPath, "it holds no manifest", null);
        }

        if (manifest.SchemaVersion != 1)
        {
            throw new DocPublisherException(
                $"The manifest '{fullPath}' has schema version {manifest.SchemaVersion}, which this version of CodeDoc does not know. " +
                "Publish with the CodeDoc version that wrote it, or a newer one.");
        }

        if (Problem(manifest) is { } problem)
        {
            throw Corrupt(fullPath, problem, null);
        }

        return manifest;
    }

    /// <summary>Tells whether a string is a page path CodeDoc can have written (lowercase slugs, '/' separators, <c>.md</c>).</summary>
    /// <param name="path">The candidate.</param>
    /// <returns>Whether it is such a path.</returns>
    public static bool IsPagePath(string? path) => path is { Length: <= 1000 } && PagePathPattern().IsMatch(path);

    private static string? Problem(PublishManifest manifest)
    {
        if (string.IsNullOrWhiteSpace(manifest.DocumentSetId))
        {
            return "it names no documentation set";
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var page in manifest.Pages)
        {
            if (page is null)
            {
                return "its page list holds an empty entry";
            }

            if (!DocumentSetValidator.IsValidKey(page.Key) || !keys.Add(page.Key))
            {
                return $"the page key '{page.Key}' is invalid or listed twice";
            }

            if (!IsPagePath(page.TargetId) || !paths.Add(page.TargetId))
            {
                return $"page '{page.Key}' has the path '{page.TargetId}', which is not a page path CodeDoc writes or is listed twice";
            }

            if (!HashPattern().IsMatch(page.ContentHash))
            {
                return $"page '{page.Key}' has a content hash that is not a SHA-256 in hexadecimal";
            }

            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (page.Attachments.Any(a => a is null || !AttachmentPattern().IsMatch(a) || !names.Add(a)))
            {
                return $"page '{page.Key}' lists an attachment name that is invalid or listed twice";
            }
        }

        return null;
    }

    private static DocPublisherException Corrupt(string fullPath, string problem, Exception? inner) => new(
        $"The manifest '{fullPath}' cannot be used: {problem}. CodeDoc does not start over on its own, because the files it wrote " +
        "would then be orphaned. Restore the file from version control or a backup; if it is lost for good, move the folder's " +
        "content aside and publish into the empty folder.",
        inner);

    [GeneratedRegex("^(?:[a-z0-9][a-z0-9-]*/)*[a-z0-9][a-z0-9-]*\\.md$", RegexOptions.CultureInvariant)]
    private static partial Regex PagePathPattern();

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex HashPattern();

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$", RegexOptions.CultureInvariant)]
    private static partial Regex AttachmentPattern();
}
