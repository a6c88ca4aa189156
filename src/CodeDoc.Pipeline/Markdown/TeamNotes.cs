using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;

namespace CodeDoc.Pipeline;

/// <summary>A team-notes block kept from a file people may have edited.</summary>
/// <param name="Id">The block id.</param>
/// <param name="Body">The lines between the markers, with their line ends.</param>
internal sealed record TeamNote(string Id, string Body)
{
    /// <summary>Gets a value indicating whether the body holds anything but white space.</summary>
    public bool HasContent => !string.IsNullOrWhiteSpace(Body);
}

/// <summary>
/// Team-notes blocks: the lines between <c>&lt;!-- codedoc:team-notes id="X" --&gt;</c> and
/// <c>&lt;!-- /codedoc:team-notes --&gt;</c> belong to people. CodeDoc keeps their bodies across regeneration and leaves
/// them out of content hashes, so editing a note never counts as editing the page. Markers inside code blocks are
/// text, not markers (a page may well document this very syntax).
/// </summary>
internal static partial class TeamNotes
{
    /// <summary>The id of the block CodeDoc appends to every page when asked to.</summary>
    public const string DefaultId = "notes";

    /// <summary>The marker that closes a block.</summary>
    public const string EndMarker = "<!-- /codedoc:team-notes -->";

    /// <summary>The heading above blocks kept from an earlier version whose id the new page no longer has.</summary>
    public const string KeptNotesHeading = "## Team notes kept from earlier versions";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().Build();

    /// <summary>Makes the marker that opens a block.</summary>
    /// <param name="id">The block id.</param>
    /// <returns>The marker.</returns>
    public static string StartMarker(string id) => $"<!-- codedoc:team-notes id=\"{id}\" -->";

    /// <summary>Finds the blocks of a text whose line ends are <c>\n</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The blocks in order; an unclosed block runs to the end of the text.</returns>
    public static IReadOnlyList<Block> Find(string text)
    {
        var codeSpans = Markdown.Parse(text, Pipeline).Descendants<CodeBlock>().Select(c => (c.Span.Start, c.Span.End)).ToList();
        var blocks = new List<Block>();
        string? openId = null;
        var bodyStart = 0;
        for (var lineStart = 0; lineStart < text.Length;)
        {
            var newline = text.IndexOf('\n', lineStart);
            var lineEnd = newline < 0 ? text.Length : newline;
            var next = newline < 0 ? text.Length : newline + 1;
            var line = text.AsSpan(lineStart, lineEnd - lineStart).Trim();
            // A code block a person opened inside a block's body and never closed must not hide the end marker.
            if (line.StartsWith("<!--", StringComparison.Ordinal) &&
                !codeSpans.Any(s => lineStart >= s.Start && lineStart <= s.End && (openId is null || s.Start < bodyStart)))
            {
                if (openId is null && StartPattern().Match(line.ToString()) is { Success: true } start)
                {
                    openId = start.Groups[1].Value;
                    bodyStart = next;
                }
                else if (openId is not null && EndPattern().IsMatch(line))
                {
                    blocks.Add(new Block(openId, bodyStart, lineStart));
                    openId = null;
                }
            }

            lineStart = next;
        }

        if (openId is not null)
        {
            blocks.Add(new Block(openId, bodyStart, text.Length));
        }

        return blocks;
    }

    /// <summary>Extracts the blocks of a text people may have edited.</summary>
    /// <param name="text">The text, line ends <c>\n</c>.</param>
    /// <returns>The blocks with their bodies, in order.</returns>
    public static IReadOnlyList<TeamNote> Extract(string text) =>
        Find(text).Select(b => new TeamNote(b.Id, text[b.BodyStart..b.BodyEnd])).ToList();

    /// <summary>
    /// Puts kept notes into a freshly rendered page: a block with the same id gets the kept body; kept notes with
    /// content whose id the page does not have are appended at the end under a heading, so no note is ever lost.
    /// </summary>
    /// <param name="rendered">The rendered page, line ends <c>\n</c>, ending with one.</param>
    /// <param name="kept">The notes of the file being replaced.</param>
    /// <returns>The page with the notes in place.</returns>
    public static string Merge(string rendered, IReadOnlyList<TeamNote> kept)
    {
        if (kept.Count == 0)
        {
            return rendered;
        }

        var remaining = kept.ToList();
        var builder = new StringBuilder(rendered.Length + kept.Sum(k => k.Body.Length) + 100);
        var position = 0;
        foreach (var block in Find(rendered))
        {
            var index = remaining.FindIndex(k => string.Equals(k.Id, block.Id, StringComparison.Ordinal));
            if (index < 0)
            {
                continue;
            }

            builder.Append(rendered, position, block.BodyStart - position).Append(WithLineEnd(remaining[index].Body));
            position = block.BodyEnd;
            remaining.RemoveAt(index);
        }

        builder.Append(rendered, position, rendered.Length - position);
        var orphans = remaining.Where(k => k.HasContent).ToList();
        if (orphans.Count > 0)
        {
            builder.Append('\n').Append(KeptNotesHeading).Append("\n\n");
            foreach (var note in orphans)
            {
                builder.Append(StartMarker(note.Id)).Append('\n').Append(WithLineEnd(note.Body)).Append(EndMarker).Append("\n\n");
            }

            builder.Length--;
        }

        return builder.ToString();
    }

    /// <summary>Leaves the bodies of every block out of a text, keeping the markers.</summary>
    /// <param name="text">The text, line ends <c>\n</c>.</param>
    /// <returns>The text without block bodies.</returns>
    public static string WithoutBodies(string text)
    {
        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var block in Find(text))
        {
            builder.Append(text, position, block.BodyStart - position);
            position = block.BodyEnd;
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>Hashes a page as the manifest records it: SHA-256 of the UTF-8 text without team-notes bodies.</summary>
    /// <param name="text">The text, line ends <c>\n</c>.</param>
    /// <returns>The lowercase hexadecimal hash.</returns>
    public static string ContentHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(WithoutBodies(text))));

    private static string WithLineEnd(string body) => body.Length == 0 || body.EndsWith('\n') ? body : body + "\n";

    [GeneratedRegex("^<!--\\s*codedoc:team-notes\\s+id=\"([A-Za-z0-9._-]{1,100})\"\\s*-->$", RegexOptions.CultureInvariant)]
    private static partial Regex StartPattern();

    [GeneratedRegex("^<!--\\s*/codedoc:team-notes\\s*-->$", RegexOptions.CultureInvariant)]
    private static partial Regex EndPattern();

    /// <summary>Where a block's body is.</summary>
    /// <param name="Id">The block id.</param>
    /// <param name="BodyStart">The offset of the first character after the start marker's line.</param>
    /// <param name="BodyEnd">The offset of the end marker's line (or the end of the text for an unclosed block).</param>
    internal readonly record struct Block(string Id, int BodyStart, int BodyEnd);
}
