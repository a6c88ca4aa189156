using System.Text;
using System.Text.RegularExpressions;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// What CodeDoc writes next to content so it can recognise its own work later: the version message of every page
/// version it writes starts with <c>[codedoc:&lt;first 16 hex digits of the content hash&gt;]</c> (leading, because
/// Confluence truncates long messages), and attachment comments hold <c>codedoc:sha256:&lt;hash&gt;</c>. A version whose
/// message carries the tag was written by CodeDoc, whatever the manifest says: that is how a publish interrupted
/// between a page write and the manifest's update is told apart from an edit by a person.
/// </summary>
internal static partial class PublishMarks
{
    private const int TagLength = 16;

    /// <summary>Builds the version message of a page write.</summary>
    /// <param name="contentHash">The content hash.</param>
    /// <param name="generatorVersion">The generator version, if known.</param>
    /// <param name="commit">The commit the page describes, if known.</param>
    /// <returns>The message.</returns>
    public static string VersionMessage(string contentHash, string? generatorVersion, string? commit)
    {
        var builder = new StringBuilder().Append("[codedoc:").Append(contentHash.AsSpan(0, TagLength)).Append("] Published by CodeDoc");
        if (generatorVersion is { Length: > 0 })
        {
            builder.Append(' ').Append(generatorVersion);
        }

        if (commit is { Length: > 0 })
        {
            builder.Append(" from ").Append(commit.AsSpan(0, Math.Min(12, commit.Length)));
        }

        return builder.ToString();
    }

    /// <summary>Reads the content-hash prefix from a version message CodeDoc wrote.</summary>
    /// <param name="message">The version message.</param>
    /// <returns>The prefix, or <see langword="null"/> when the version was not written by CodeDoc.</returns>
    public static string? HashPrefix(string? message) =>
        message is not null && Tag().Match(message) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>Tells whether a content hash is the one a tag names.</summary>
    /// <param name="contentHash">The full hash.</param>
    /// <param name="prefix">The tag's prefix.</param>
    /// <returns>Whether they match.</returns>
    public static bool Matches(string contentHash, string prefix) => contentHash.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>Builds the comment of an attachment CodeDoc uploads.</summary>
    /// <param name="contentHash">The SHA-256 of the bytes.</param>
    /// <returns>The comment.</returns>
    public static string AttachmentComment(string contentHash) => "codedoc:sha256:" + contentHash;

    [GeneratedRegex("^\\[codedoc:([0-9a-f]{16})\\]", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();
}
