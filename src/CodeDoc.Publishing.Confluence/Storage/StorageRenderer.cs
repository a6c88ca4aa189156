using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CodeDoc.Core;
using Markdig;
using Markdig.Extensions.Alerts;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Extensions.Tables;
using Markdig.Extensions.TaskLists;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CodeDoc.Publishing.Confluence;

/// <summary>What the storage renderer needs to know about a page and its set.</summary>
internal sealed record StorageRenderRequest
{
    /// <summary>Gets the page's Markdown.</summary>
    public required string Markdown { get; init; }

    /// <summary>Gets the page's title as published (a leading level-1 heading equal to it is dropped: Confluence shows the title).</summary>
    public required string Title { get; init; }

    /// <summary>Gets the key of the space, for links to other pages.</summary>
    public required string SpaceKey { get; init; }

    /// <summary>Gets a value indicating whether the site is Cloud (code macro languages differ).</summary>
    public required bool Cloud { get; init; }

    /// <summary>Gets the title a page of the set is published under, by key; <see langword="null"/> for unknown keys.</summary>
    public required Func<string, string?> PageTitle { get; init; }

    /// <summary>Gets the file names of the page's attachments.</summary>
    public IReadOnlyCollection<string> Attachments { get; init; } = [];

    /// <summary>Gets the attachment name of a Mermaid diagram's rendered image by source, or <see langword="null"/> when not rendered.</summary>
    public Func<string, string?>? MermaidImage { get; init; }

    /// <summary>Gets the name of the site's Mermaid macro, when it has one.</summary>
    public string? MermaidMacroName { get; init; }

    /// <summary>Gets how many headings make a page long enough for a table of contents; 0 for never.</summary>
    public int TableOfContentsMinHeadings { get; init; }

    /// <summary>Gets a value indicating whether to end the page with an empty "Team notes" panel when it has none.</summary>
    public bool AddTeamNotesSection { get; init; }
}

/// <summary>A page rendered to storage format.</summary>
/// <param name="Body">The storage-format XHTML (well-formed for every input).</param>
/// <param name="UnresolvedLinks">Link targets that were not found and were left as text.</param>
internal sealed record StorageRenderResult(string Body, IReadOnlyList<string> UnresolvedLinks);

/// <summary>
/// Renders the Markdown the generator writes into Confluence storage format by walking Markdig's syntax tree:
/// headings with anchors, paragraphs, emphasis, lists (nested, ordered, task lists), tables, block quotes, code
/// blocks as the code macro, links between pages of the set as page links, external links, images, GitHub alerts as
/// info / tip / note / warning macros, Mermaid diagrams, team-notes sections as panels, and a table of contents on long
/// pages. Raw HTML is never passed through: it is shown as text (comments are dropped).
/// </summary>
internal static partial class StorageRenderer
{
    /// <summary>The panel title of the default team-notes section; other sections are titled "Team notes: id".</summary>
    public const string TeamNotesTitle = "Team notes";

    /// <summary>The id of the team-notes section added to every page when asked to.</summary>
    public const string DefaultTeamNotesId = "notes";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseTaskLists()
        .UseAlertBlocks()
        .UseEmphasisExtras(Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Strikethrough)
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .UseAutoLinks()
        .Build();

    /// <summary>Gets the panel title of a team-notes section.</summary>
    /// <param name="id">The section id.</param>
    /// <returns>The title.</returns>
    public static string TeamNotesPanelTitle(string id) =>
        string.Equals(id, DefaultTeamNotesId, StringComparison.Ordinal) ? TeamNotesTitle : $"{TeamNotesTitle}: {id}";

    /// <summary>Lists the sources of the Mermaid diagrams of a page, in order.</summary>
    /// <param name="markdown">The page's Markdown.</param>
    /// <returns>The diagram sources.</returns>
    public static IReadOnlyList<string> MermaidSources(string markdown) =>
        Markdown.Parse(Normalize(markdown), Pipeline).Descendants<FencedCodeBlock>()
            .Where(IsMermaid)
            .Select(CodeText)
            .ToList();

    /// <summary>Renders a page.</summary>
    /// <param name="request">The page and its context.</param>
    /// <returns>The storage format and the unresolved links.</returns>
    public static StorageRenderResult Render(StorageRenderRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var document = Markdown.Parse(Normalize(request.Markdown), Pipeline);
        var writer = new Writer(request);
        return writer.Write(document);
    }

    private static string Normalize(string markdown) => StorageText.WithoutInvalidXmlChars(markdown.TrimStart('\uFEFF').ReplaceLineEndings("\n"));

    private static bool IsMermaid(FencedCodeBlock block) => string.Equals(FirstWord(block.Info), "mermaid", StringComparison.OrdinalIgnoreCase);

    private static string? FirstWord(string? info) => info?.Trim().Split(' ', '\t', '{', ',')[0] is { Length: > 0 } word ? word : null;

    private static string CodeText(LeafBlock block) => block.Lines.ToString().TrimEnd('\n');

    [GeneratedRegex("^<!--\\s*codedoc:team-notes\\s+id=\"([A-Za-z0-9._-]{1,100})\"\\s*-->\\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TeamNotesStart();

    [GeneratedRegex("^<!--\\s*/codedoc:team-notes\\s*-->\\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TeamNotesEnd();

    [GeneratedRegex("^<br\\s*/?>$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LineBreakTag();

    /// <summary>One rendering: the output and what it found along the way.</summary>
    private sealed class Writer(StorageRenderRequest request)
    {
        private readonly StringBuilder _out = new();
        private readonly List<string> _unresolved = [];
        private readonly HashSet<string> _teamNoteIds = new(StringComparer.Ordinal);
        private int _taskId;

        public StorageRenderResult Write(MarkdownDocument document)
        {
            var blocks = document.ToList();
            if (blocks.Count > 0 && blocks[0] is HeadingBlock { Level: 1 } first &&
                string.Equals(PlainText(first.Inline).Trim(), request.Title.Trim(), StringComparison.Ordinal))
            {
                blocks.RemoveAt(0);
            }

            var headings = blocks.SelectMany(b => b is HeadingBlock h ? [h] : b.Descendants<HeadingBlock>()).Count();
            if (request.TableOfContentsMinHeadings > 0 && headings >= request.TableOfContentsMinHeadings)
            {
                _out.Append("<ac:structured-macro ac:name=\"toc\"><ac:parameter ac:name=\"maxLevel\">3</ac:parameter></ac:structured-macro>");
            }

            string? openNotes = null;
            foreach (var block in blocks)
            {
                if (block is HtmlBlock html && html.Lines.ToString().Trim() is var markup)
                {
                    if (openNotes is null && TeamNotesStart().Match(markup) is { Success: true } start)
                    {
                        openNotes = start.Groups[1].Value;
                        OpenTeamNotes(openNotes);
                        continue;
                    }

                    if (openNotes is not null && TeamNotesEnd().IsMatch(markup))
                    {
                        CloseTeamNotes();
                        openNotes = null;
                        continue;
                    }
                }

                WriteBlock(block, tight: false);
            }

            if (openNotes is not null)
            {
                CloseTeamNotes();
            }

            if (request.AddTeamNotesSection && !_teamNoteIds.Contains(DefaultTeamNotesId))
            {
                OpenTeamNotes(DefaultTeamNotesId);
                CloseTeamNotes();
            }

            return new StorageRenderResult(_out.ToString(), _unresolved.Distinct(StringComparer.Ordinal).ToList());
        }

        private void OpenTeamNotes(string id)
        {
            _teamNoteIds.Add(id);
            _out.Append("<ac:structured-macro ac:name=\"panel\"><ac:parameter ac:name=\"title\">")
                .AppendEscaped(TeamNotesPanelTitle(id))
                .Append("</ac:parameter><ac:rich-text-body>");
        }

        private void CloseTeamNotes() => _out.Append("</ac:rich-text-body></ac:structured-macro>");

        private void WriteBlocks(ContainerBlock container, bool tight)
        {
            foreach (var block in container)
            {
                WriteBlock(block, tight);
            }
        }

        private void WriteBlock(Block block, bool tight)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    WriteHeading(heading);
                    break;
                case ParagraphBlock paragraph when tight:
                    WriteInlines(paragraph.Inline);
                    break;
                case ParagraphBlock paragraph:
                    _out.Append("<p>");
                    WriteInlines(paragraph.Inline);
                    _out.Append("</p>");
                    break;
                case ThematicBreakBlock:
                    _out.Append("<hr/>");
                    break;
                case FencedCodeBlock fenced when IsMermaid(fenced):
                    WriteMermaid(CodeText(fenced));
                    break;
                case FencedCodeBlock fenced:
                    WriteCode(CodeLanguages.Map(FirstWord(fenced.Info), request.Cloud), CodeText(fenced), title: null);
                    break;
                case CodeBlock code:
                    WriteCode(CodeLanguages.Fallback, CodeText(code), title: null);
                    break;
                case AlertBlock alert:
                    WriteAlert(alert);
                    break;
                case QuoteBlock quote:
                    _out.Append("<blockquote>");
                    WriteBlocks(quote, tight: false);
                    _out.Append("</blockquote>");
                    break;
                case ListBlock list:
                    WriteList(list);
                    break;
                case Table table:
                    WriteTable(table);
                    break;
                case HtmlBlock html:
                    WriteHtmlBlock(html);
                    break;
                case LinkReferenceDefinitionGroup or LinkReferenceDefinition or BlankLineBlock:
                    break;
                case ContainerBlock container:
                    WriteBlocks(container, tight);
                    break;
                case LeafBlock leaf:
                    _out.Append("<p>").AppendEscaped(leaf.Lines.ToString()).Append("</p>");
                    break;
            }
        }

        private void WriteHeading(HeadingBlock heading)
        {
            var level = Math.Clamp(heading.Level, 1, 6).ToString(CultureInfo.InvariantCulture);
            _out.Append("<h").Append(level).Append('>');
            if (heading.GetAttributes().Id is { Length: > 0 } anchor)
            {
                _out.Append("<ac:structured-macro ac:name=\"anchor\"><ac:parameter ac:name=\"\">").AppendEscaped(anchor).Append("</ac:parameter></ac:structured-macro>");
            }

            WriteInlines(heading.Inline);
            _out.Append("</h").Append(level).Append('>');
        }

        private void WriteCode(string language, string code, string? title)
        {
            _out.Append("<ac:structured-macro ac:name=\"code\">");
            if (title is not null)
            {
                _out.Append("<ac:parameter ac:name=\"title\">").AppendEscaped(title).Append("</ac:parameter>");
            }

            _out.Append("<ac:parameter ac:name=\"language\">").AppendEscaped(language).Append("</ac:parameter><ac:plain-text-body>")
                .AppendCData(code)
                .Append("</ac:plain-text-body></ac:structured-macro>");
        }

        private void WriteMermaid(string source)
        {
            if (request.MermaidImage?.Invoke(source) is { } image)
            {
                _out.Append("<p><ac:image ac:alt=\"Diagram\"><ri:attachment ri:filename=\"").AppendEscaped(image).Append("\"/></ac:image></p>")
                    .Append("<ac:structured-macro ac:name=\"expand\"><ac:parameter ac:name=\"title\">Diagram source</ac:parameter><ac:rich-text-body>");
                WriteCode(CodeLanguages.Fallback, source, title: null);
                _out.Append("</ac:rich-text-body></ac:structured-macro>");
            }
            else if (request.MermaidMacroName is { Length: > 0 } macro)
            {
                _out.Append("<ac:structured-macro ac:name=\"").AppendEscaped(macro).Append("\"><ac:plain-text-body>")
                    .AppendCData(source)
                    .Append("</ac:plain-text-body></ac:structured-macro>");
            }
            else
            {
                WriteCode(CodeLanguages.Fallback, source, "Mermaid diagram");
            }
        }

        private void WriteAlert(AlertBlock alert)
        {
            var macro = alert.Kind.ToString().ToUpperInvariant() switch
            {
                "TIP" => "tip",
                "IMPORTANT" or "WARNING" => "note",
                "CAUTION" => "warning",
                _ => "info",
            };
            _out.Append("<ac:structured-macro ac:name=\"").Append(macro).Append("\"><ac:rich-text-body>");
            WriteBlocks(alert, tight: false);
            _out.Append("</ac:rich-text-body></ac:structured-macro>");
        }

        private void WriteList(ListBlock list)
        {
            var items = list.OfType<ListItemBlock>().ToList();
            if (items.Count > 0 && items.All(i => TaskOf(i) is not null))
            {
                WriteTaskList(items);
                return;
            }

            var tight = !list.IsLoose;
            if (list.IsOrdered)
            {
                _out.Append("<ol");
                if (int.TryParse(list.OrderedStart, NumberStyles.None, CultureInfo.InvariantCulture, out var start) && start != 1)
                {
                    _out.Append(" start=\"").Append(start.ToString(CultureInfo.InvariantCulture)).Append('"');
                }

                _out.Append('>');
            }
            else
            {
                _out.Append("<ul>");
            }

            foreach (var item in items)
            {
                _out.Append("<li>");
                WriteBlocks(item, tight);
                _out.Append("</li>");
            }

            _out.Append(list.IsOrdered ? "</ol>" : "</ul>");
        }

        private void WriteTaskList(List<ListItemBlock> items)
        {
            _out.Append("<ac:task-list>");
            foreach (var item in items)
            {
                var task = TaskOf(item)!;
                _taskId++;
                _out.Append("<ac:task><ac:task-id>").Append(_taskId.ToString(CultureInfo.InvariantCulture)).Append("</ac:task-id><ac:task-status>")
                    .Append(task.Checked ? "complete" : "incomplete")
                    .Append("</ac:task-status><ac:task-body>");
                var first = true;
                foreach (var block in item)
                {
                    if (first && block is ParagraphBlock paragraph)
                    {
                        // The checkbox is the task's status, not part of its text.
                        for (var inline = paragraph.Inline?.FirstChild?.NextSibling; inline is not null; inline = inline.NextSibling)
                        {
                            if (inline.PreviousSibling is TaskList && inline is LiteralInline literal)
                            {
                                _out.AppendEscaped(literal.Content.AsSpan().TrimStart());
                                continue;
                            }

                            WriteInline(inline);
                        }
                    }
                    else
                    {
                        WriteBlock(block, tight: false);
                    }

                    first = false;
                }

                _out.Append("</ac:task-body></ac:task>");
            }

            _out.Append("</ac:task-list>");
        }

        private static TaskList? TaskOf(ListItemBlock item) =>
            item.Count > 0 && item[0] is ParagraphBlock { Inline.FirstChild: TaskList task } ? task : null;

        private void WriteTable(Table table)
        {
            _out.Append("<table><tbody>");
            foreach (var row in table.OfType<TableRow>())
            {
                _out.Append("<tr>");
                foreach (var cell in row.OfType<TableCell>())
                {
                    var tag = row.IsHeader ? "th" : "td";
                    _out.Append('<').Append(tag).Append('>');
                    WriteBlocks(cell, tight: true);
                    _out.Append("</").Append(tag).Append('>');
                }

                _out.Append("</tr>");
            }

            _out.Append("</tbody></table>");
        }

        private void WriteHtmlBlock(HtmlBlock html)
        {
            if (html.Type == HtmlBlockType.Comment)
            {
                return;
            }

            _out.Append("<p>").AppendEscaped(html.Lines.ToString().TrimEnd('\n')).Append("</p>");
        }

        private void WriteInlines(ContainerInline? container)
        {
            for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
            {
                WriteInline(inline);
            }
        }

        private void WriteInline(Inline inline)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    _out.AppendEscaped(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    _out.Append("<code>").AppendEscaped(code.Content).Append("</code>");
                    break;
                case LineBreakInline lineBreak:
                    _out.Append(lineBreak.IsHard ? "<br/>" : " ");
                    break;
                case EmphasisInline emphasis:
                    var tag = emphasis.DelimiterChar == '~' ? "del" : emphasis.DelimiterCount >= 2 ? "strong" : "em";
                    _out.Append('<').Append(tag).Append('>');
                    WriteInlines(emphasis);
                    _out.Append("</").Append(tag).Append('>');
                    break;
                case LinkInline { IsImage: true } image:
                    WriteImage(image);
                    break;
                case LinkInline link:
                    WriteLink(link);
                    break;
                case AutolinkInline autolink:
                    var url = autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url;
                    WriteExternalLink(url, () => _out.AppendEscaped(autolink.Url));
                    break;
                case HtmlEntityInline entity:
                    _out.AppendEscaped(entity.Transcoded.AsSpan());
                    break;
                case HtmlInline html when LineBreakTag().IsMatch(html.Tag):
                    _out.Append("<br/>");
                    break;
                case HtmlInline html when html.Tag.StartsWith("<!--", StringComparison.Ordinal):
                    break;
                case HtmlInline html:
                    _out.AppendEscaped(html.Tag);
                    break;
                case TaskList task:
                    _out.Append(task.Checked ? "\u2611 " : "\u2610 ");
                    break;
                case ContainerInline container:
                    WriteInlines(container);
                    break;
            }
        }

        private void WriteLink(LinkInline link)
        {
            var url = link.Url ?? string.Empty;
            var text = PlainText(link);
            if (url.StartsWith(DocumentLinks.PageScheme, StringComparison.Ordinal))
            {
                var target = url[DocumentLinks.PageScheme.Length..];
                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var key = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                if (request.PageTitle(key) is not { } title)
                {
                    Unresolved(url, link);
                    return;
                }

                _out.Append("<ac:link");
                if (anchor is { Length: > 0 })
                {
                    _out.Append(" ac:anchor=\"").AppendEscaped(anchor).Append('"');
                }

                _out.Append('>');
                if (!string.Equals(title, request.Title, StringComparison.Ordinal) || anchor is not { Length: > 0 })
                {
                    _out.Append("<ri:page ri:content-title=\"").AppendEscaped(title).Append("\" ri:space-key=\"").AppendEscaped(request.SpaceKey).Append("\"/>");
                }

                AppendLinkBody(text.Length > 0 ? text : title);
                _out.Append("</ac:link>");
            }
            else if (url.StartsWith(DocumentLinks.AttachmentScheme, StringComparison.Ordinal))
            {
                if (FindAttachment(url[DocumentLinks.AttachmentScheme.Length..]) is not { } file)
                {
                    Unresolved(url, link);
                    return;
                }

                _out.Append("<ac:link><ri:attachment ri:filename=\"").AppendEscaped(file).Append("\"/>");
                AppendLinkBody(text.Length > 0 ? text : file);
                _out.Append("</ac:link>");
            }
            else if (url.StartsWith('#') && url.Length > 1)
            {
                _out.Append("<ac:link ac:anchor=\"").AppendEscaped(url.AsSpan(1)).Append("\">");
                AppendLinkBody(text.Length > 0 ? text : url[1..]);
                _out.Append("</ac:link>");
            }
            else if (IsExternal(url))
            {
                WriteExternalLink(url, () => WriteInlines(link));
            }
            else
            {
                Unresolved(url, link);
            }
        }

        private void WriteExternalLink(string url, Action writeText)
        {
            _out.Append("<a href=\"").AppendEscaped(url).Append("\">");
            writeText();
            _out.Append("</a>");
        }

        private void AppendLinkBody(string text) =>
            _out.Append("<ac:plain-text-link-body>").AppendCData(text).Append("</ac:plain-text-link-body>");

        private void Unresolved(string url, LinkInline link)
        {
            _unresolved.Add(url);
            WriteInlines(link);
        }

        private void WriteImage(LinkInline image)
        {
            var url = image.Url ?? string.Empty;
            var alt = PlainText(image);
            if (url.StartsWith(DocumentLinks.AttachmentScheme, StringComparison.Ordinal) && FindAttachment(url[DocumentLinks.AttachmentScheme.Length..]) is { } file)
            {
                _out.Append("<ac:image ac:alt=\"").AppendEscaped(alt).Append("\"><ri:attachment ri:filename=\"").AppendEscaped(file).Append("\"/></ac:image>");
            }
            else if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                _out.Append("<ac:image ac:alt=\"").AppendEscaped(alt).Append("\"><ri:url ri:value=\"").AppendEscaped(url).Append("\"/></ac:image>");
            }
            else
            {
                _unresolved.Add(url);
                _out.AppendEscaped(alt);
            }
        }

        private string? FindAttachment(string name) =>
            request.Attachments.FirstOrDefault(a => string.Equals(a, name, StringComparison.Ordinal)) ??
            request.Attachments.FirstOrDefault(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));

        private static bool IsExternal(string url) =>
            Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto" or "ftp" or "ftps";
    }

    private static string PlainText(ContainerInline? container)
    {
        var builder = new StringBuilder();
        AppendPlainText(builder, container);
        return builder.ToString();
    }

    private static void AppendPlainText(StringBuilder builder, ContainerInline? container)
    {
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    builder.Append(code.Content);
                    break;
                case LineBreakInline:
                    builder.Append(' ');
                    break;
                case AutolinkInline autolink:
                    builder.Append(autolink.Url);
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.AsSpan());
                    break;
                case ContainerInline inner:
                    AppendPlainText(builder, inner);
                    break;
            }
        }
    }
}
