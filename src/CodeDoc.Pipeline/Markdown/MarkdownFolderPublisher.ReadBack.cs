using System.Text;
using CodeDoc.Core;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CodeDoc.Pipeline;

/// <summary>Reading a published page back as the page Markdown it was rendered from, for incremental runs.</summary>
internal sealed partial class MarkdownFolderPublisher
{
    private static readonly MarkdownPipeline ReadBackPipeline = new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build();

    /// <inheritdoc />
    public async Task<string?> ReadPageMarkdownAsync(string documentSetId, string pageKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(documentSetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(pageKey);
        var manifest = await ReadManifestAsync(documentSetId, cancellationToken).ConfigureAwait(false);
        if (manifest?.Pages.FirstOrDefault(p => string.Equals(p.Key, pageKey, StringComparison.Ordinal)) is not { } page)
        {
            return null;
        }

        var bytes = await _folder.ReadAsync(page.TargetId, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : Unrender(MarkdownPageRenderer.Decode(bytes), page, manifest.Pages);
    }

    /// <summary>
    /// Undoes <see cref="MarkdownPageRenderer.RenderPage"/>: drops the header, the title heading it added and the
    /// team-notes section (kept by the publisher on its own), and turns links to other pages back into
    /// <see cref="DocumentLinks.PageScheme"/> links, so publishing the result again is a no-op.
    /// </summary>
    /// <param name="text">The page file's text.</param>
    /// <param name="page">The page's manifest entry.</param>
    /// <param name="pages">Every page of the manifest.</param>
    /// <returns>The page Markdown.</returns>
    internal static string Unrender(string text, PublishedPage page, IReadOnlyList<PublishedPage> pages)
    {
        var notes = text.LastIndexOf("\n\n## Team notes\n\n" + TeamNotes.StartMarker(TeamNotes.DefaultId), StringComparison.Ordinal);
        if (notes >= 0)
        {
            text = text[..notes];
        }

        var prefix = MarkdownPageRenderer.PageHeader + "\n\n";
        if (text.StartsWith(prefix, StringComparison.Ordinal))
        {
            text = text[prefix.Length..];
        }

        var title = "# " + MarkdownLinkRewriter.Escape(page.Title);
        if (text.StartsWith(title + "\n", StringComparison.Ordinal) || text == title)
        {
            text = text[Math.Min(text.Length, title.Length + 1)..].TrimStart('\n');
        }

        var byPath = pages.ToDictionary(p => p.TargetId, p => p.Key, StringComparer.Ordinal);
        var directory = OutputFolder.ParentOf(page.TargetId);
        var document = Markdown.Parse(text, ReadBackPipeline);
        var builder = new StringBuilder(text);
        foreach (var link in document.Descendants<LinkInline>().Where(l => l.Reference is null && l.Url is not null && !l.UrlSpan.IsEmpty).OrderByDescending(l => l.UrlSpan.Start))
        {
            var (target, anchor) = SplitAnchor(link.Url!);
            if (target.Contains(':', StringComparison.Ordinal) || target.Length == 0 || !byPath.TryGetValue(Combine(directory, target), out var key))
            {
                continue;
            }

            builder.Remove(link.UrlSpan.Start, link.UrlSpan.Length).Insert(link.UrlSpan.Start, DocumentLinks.ToPage(key, anchor));
        }

        return builder.ToString().TrimEnd() + "\n";
    }

    private static (string Target, string? Anchor) SplitAnchor(string url)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? (url, null) : (url[..hash], url[(hash + 1)..]);
    }

    private static string Combine(string directory, string relative)
    {
        var parts = directory.Length == 0 ? [] : directory.Split('/').ToList();
        foreach (var part in relative.Split('/'))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part is not ("." or ""))
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }
}
