using System.Diagnostics.CodeAnalysis;
using System.Text;
using CodeDoc.Core;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CodeDoc.Pipeline;

/// <summary>The result of rewriting a page's links.</summary>
/// <param name="Markdown">The page Markdown with its links rewritten.</param>
/// <param name="UnresolvedLinks">The <c>codedoc-page:</c> and <c>codedoc-attachment:</c> targets that were not found, each once.</param>
/// <param name="StartsWithTitle">Whether the Markdown starts with a level-1 heading of its own.</param>
/// <param name="UnclosedFence">
/// The fence that closes a code block left open at the end of the Markdown, or <see langword="null"/>: without it,
/// whatever follows the page body (the team-notes section) would become part of that code block.
/// </param>
internal sealed record LinkRewriteResult(string Markdown, IReadOnlyList<string> UnresolvedLinks, bool StartsWithTitle, string? UnclosedFence);

/// <summary>
/// Rewrites <see cref="DocumentLinks"/> links in page Markdown into relative links between files. Links are found in
/// the Markdig syntax tree, whose exact source spans let the rest of the text stay byte for byte as written; code
/// blocks and code spans hold no links in the tree, so they are never touched. A link whose target is unknown is
/// turned into its plain text.
/// </summary>
internal static class MarkdownLinkRewriter
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build();

    /// <summary>Rewrites the links of one page.</summary>
    /// <param name="markdown">The Markdown, line ends <c>\n</c>.</param>
    /// <param name="resolvePage">Gives the relative URL and title of a page key, or <see langword="null"/> when unknown.</param>
    /// <param name="resolveAttachment">Gives the relative URL of an attachment of this page, or <see langword="null"/> when unknown.</param>
    /// <returns>The rewritten Markdown and what could not be resolved.</returns>
    public static LinkRewriteResult Rewrite(
        string markdown, Func<string, (string Url, string Title)?> resolvePage, Func<string, string?> resolveAttachment)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var edits = new SortedDictionary<int, Edit>();
        var unresolved = new List<string>();
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case LinkReferenceDefinition definition when IsCodeDocUrl(definition.Url):
                    if (Resolve(definition.Url, resolvePage, resolveAttachment) is { } definitionTarget)
                    {
                        AddEdit(edits, definition.UrlSpan, definitionTarget.Url);
                    }
                    else
                    {
                        // The links that use it become plain text below; the definition itself would only dangle.
                        AddEdit(edits, definition.Span, string.Empty);
                        Remember(unresolved, definition.Url);
                    }

                    break;

                case LinkInline link when IsCodeDocUrl(link.Url):
                    var linkTarget = Resolve(link.Url, resolvePage, resolveAttachment);
                    if (linkTarget is null)
                    {
                        Unwrap(edits, link);
                        Remember(unresolved, link.Url);
                    }
                    else if (link.Reference is null)
                    {
                        AddEdit(edits, link.UrlSpan, linkTarget.Value.Url);
                    }

                    break;

                case AutolinkInline autolink when IsCodeDocUrl(autolink.Url):
                    var autolinkTarget = Resolve(autolink.Url, resolvePage, resolveAttachment);
                    if (autolinkTarget is null)
                    {
                        AddEdit(edits, autolink.Span, Escape(TargetName(autolink.Url)));
                        Remember(unresolved, autolink.Url);
                    }
                    else
                    {
                        AddEdit(edits, autolink.Span, $"[{Escape(autolinkTarget.Value.Text)}]({autolinkTarget.Value.Url})");
                    }

                    break;
            }
        }

        var builder = new StringBuilder(markdown);
        foreach (var edit in edits.Values.Reverse())
        {
            builder.Remove(edit.Start, edit.Length).Insert(edit.Start, edit.Replacement);
        }

        var startsWithTitle = document.Count > 0 && document[0] is HeadingBlock { Level: 1 };
        var unclosedFence = document.Count > 0 && document[^1] is FencedCodeBlock { ClosingFencedCharCount: 0 } open
            ? new string(open.FencedChar, open.OpeningFencedCharCount)
            : null;
        return new LinkRewriteResult(builder.ToString(), unresolved, startsWithTitle, unclosedFence);
    }

    /// <summary>Makes the relative URL from one file of the folder to another.</summary>
    /// <param name="fromFile">The linking file, relative to the folder.</param>
    /// <param name="toFile">The linked file, relative to the folder.</param>
    /// <returns>The relative URL, '/'-separated.</returns>
    public static string RelativeUrl(string fromFile, string toFile)
    {
        var from = fromFile.Split('/')[..^1];
        var to = toFile.Split('/');
        var common = 0;
        while (common < from.Length && common < to.Length - 1 && string.Equals(from[common], to[common], StringComparison.Ordinal))
        {
            common++;
        }

        var parts = Enumerable.Repeat("..", from.Length - common).Concat(to[common..]);
        return string.Join('/', parts);
    }

    /// <summary>Escapes text so it reads literally inside Markdown (link text, headings, list items).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The escaped text.</returns>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#' or '!' or '|' or '&' or '~')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool IsCodeDocUrl([NotNullWhen(true)] string? url) =>
        url is not null &&
        (url.StartsWith(DocumentLinks.PageScheme, StringComparison.OrdinalIgnoreCase) ||
         url.StartsWith(DocumentLinks.AttachmentScheme, StringComparison.OrdinalIgnoreCase));

    private static (string Url, string Text)? Resolve(
        string url, Func<string, (string Url, string Title)?> resolvePage, Func<string, string?> resolveAttachment)
    {
        if (url.StartsWith(DocumentLinks.AttachmentScheme, StringComparison.OrdinalIgnoreCase))
        {
            var fileName = url[DocumentLinks.AttachmentScheme.Length..];
            return resolveAttachment(fileName) is { } attachmentUrl ? (attachmentUrl, fileName) : null;
        }

        var target = url[DocumentLinks.PageScheme.Length..];
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var key = hash < 0 ? target : target[..hash];
        if (resolvePage(key) is not { } page)
        {
            return null;
        }

        return hash < 0 ? (page.Url, page.Title) : ($"{page.Url}#{EncodeFragment(target[(hash + 1)..])}", page.Title);
    }

    private static string TargetName(string url) =>
        url.StartsWith(DocumentLinks.AttachmentScheme, StringComparison.OrdinalIgnoreCase)
            ? url[DocumentLinks.AttachmentScheme.Length..]
            : url[DocumentLinks.PageScheme.Length..];

    // A fragment goes into a link destination: keep what is safe there and percent-encode the rest (spaces,
    // parentheses, brackets, non-ASCII), leaving existing %XX escapes as they are.
    private static string EncodeFragment(string fragment)
    {
        var builder = new StringBuilder(fragment.Length);
        foreach (var b in Encoding.UTF8.GetBytes(fragment))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || "-._~%!$&'*+,;=:@/?".Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    // Plain text of a link: drop its delimiters and destination, keep the label as written (so edits inside the
    // label, such as a rewritten image, still apply).
    private static void Unwrap(SortedDictionary<int, Edit> edits, LinkInline link)
    {
        if (link.FirstChild is { Span.IsEmpty: false } first && link.LastChild is { Span.IsEmpty: false } last &&
            first.Span.Start > link.Span.Start && last.Span.End < link.Span.End)
        {
            AddEdit(edits, new SourceSpan(link.Span.Start, first.Span.Start - 1), string.Empty);
            AddEdit(edits, new SourceSpan(last.Span.End + 1, link.Span.End), string.Empty);
        }
        else
        {
            AddEdit(edits, link.Span, string.Empty);
        }
    }

    private static void AddEdit(SortedDictionary<int, Edit> edits, SourceSpan span, string replacement)
    {
        // Links that share a reference definition share its span: one edit is enough.
        if (span.Length > 0)
        {
            edits.TryAdd(span.Start, new Edit(span.Start, span.Length, replacement));
        }
    }

    private static void Remember(List<string> unresolved, string url)
    {
        if (!unresolved.Contains(url, StringComparer.Ordinal))
        {
            unresolved.Add(url);
        }
    }

    private readonly record struct Edit(int Start, int Length, string Replacement);
}
