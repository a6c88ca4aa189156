using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace CodeDoc.Publishing.Confluence;

/// <summary>A team-notes section kept from a page people may have edited.</summary>
/// <param name="Id">The section id ("notes" for the panel titled "Team notes").</param>
/// <param name="Content">The panel body's nodes.</param>
internal sealed record KeptTeamNote(string Id, IReadOnlyList<XNode> Content)
{
    /// <summary>Gets a value indicating whether the body holds anything but white space.</summary>
    public bool HasContent => Content.Any(n => n is XElement || (n is XText text && !string.IsNullOrWhiteSpace(text.Value)));
}

/// <summary>
/// Storage format as an XML tree: parsing (with the <c>ac:</c>/<c>ri:</c> namespaces bound and HTML named entities
/// turned into characters), the one serialization CodeDoc sends and hashes, team-notes sections (panels titled
/// "Team notes" or "Team notes: id", whose bodies belong to people), and content hashes that leave those bodies out,
/// so editing a note never counts as editing the page.
/// </summary>
internal static partial class StorageDocument
{
    /// <summary>The namespace of <c>ac:</c> elements.</summary>
    public static readonly XNamespace Ac = "http://atlassian.com/content";

    /// <summary>The namespace of <c>ri:</c> elements.</summary>
    public static readonly XNamespace Ri = "http://atlassian.com/resource/identifier";

    /// <summary>The heading above kept notes whose section the new page no longer has.</summary>
    public const string KeptNotesHeading = "Team notes kept from earlier versions";

    private static readonly XNamespace At = "http://atlassian.com/template";
    private static readonly string RootStart = $"<root xmlns:ac=\"{Ac.NamespaceName}\" xmlns:ri=\"{Ri.NamespaceName}\" xmlns:at=\"{At.NamespaceName}\">";

    /// <summary>Parses storage format.</summary>
    /// <param name="storage">The XHTML fragment.</param>
    /// <returns>A root element holding the fragment's nodes.</returns>
    /// <exception cref="XmlException">The fragment is not well-formed.</exception>
    public static XElement Parse(string storage)
    {
        var text = RootStart + ReplaceNamedEntities(storage) + "</root>";
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        return XElement.Load(reader, LoadOptions.None);
    }

    /// <summary>Tries to parse storage format.</summary>
    /// <param name="storage">The XHTML fragment.</param>
    /// <returns>The root, or <see langword="null"/> when it is not well-formed.</returns>
    public static XElement? TryParse(string storage)
    {
        try
        {
            return Parse(storage);
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>Serializes a root's nodes back to a storage fragment, without namespace declarations.</summary>
    /// <param name="root">The root.</param>
    /// <returns>The fragment.</returns>
    public static string Serialize(XElement root)
    {
        var builder = new StringBuilder();
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment, Indent = false, NewLineHandling = NewLineHandling.None };
        using (var writer = XmlWriter.Create(builder, settings))
        {
            root.WriteTo(writer);
        }

        var text = builder.ToString();
        var start = text.IndexOf('>', StringComparison.Ordinal);
        if (text[start - 1] == '/')
        {
            return string.Empty;
        }

        return text[(start + 1)..^"</root>".Length];
    }

    /// <summary>Turns rendered storage into the exact text CodeDoc sends: parsed and serialized once, so hashes are stable.</summary>
    /// <param name="storage">The rendered fragment.</param>
    /// <returns>The canonical fragment.</returns>
    public static string Canonicalize(string storage) => Serialize(Parse(storage));

    /// <summary>Finds the team-notes panels of a document.</summary>
    /// <param name="root">The root.</param>
    /// <returns>Each panel's id and body element, in document order.</returns>
    public static IReadOnlyList<(string Id, XElement Body)> FindTeamNotes(XElement root) =>
        root.Descendants(Ac + "structured-macro")
            .Where(m => string.Equals((string?)m.Attribute(Ac + "name"), "panel", StringComparison.Ordinal))
            .Select(m => (Id: TeamNotesId(m), Body: m.Element(Ac + "rich-text-body")))
            .Where(p => p.Id is not null && p.Body is not null && !p.Body.Ancestors(Ac + "rich-text-body").Any(a => IsTeamNotesBody(a)))
            .Select(p => (p.Id!, p.Body!))
            .ToList();

    /// <summary>Extracts the team notes of a page as people left it.</summary>
    /// <param name="storage">The page's current storage format.</param>
    /// <returns>The notes, or an empty list when the page has none or cannot be parsed.</returns>
    public static IReadOnlyList<KeptTeamNote> ExtractTeamNotes(string? storage)
    {
        if (storage is null || TryParse(storage) is not { } root)
        {
            return [];
        }

        return FindTeamNotes(root).Select(n => new KeptTeamNote(n.Id, n.Body.Nodes().Select(Clone).ToList())).ToList();
    }

    /// <summary>
    /// Puts kept notes into a freshly rendered page: a panel with the same id gets the kept body; kept notes with content
    /// whose id the page does not have are appended under a heading, so no note is ever lost.
    /// </summary>
    /// <param name="root">The rendered page; changed in place.</param>
    /// <param name="kept">The notes of the page being replaced.</param>
    public static void MergeTeamNotes(XElement root, IReadOnlyList<KeptTeamNote> kept)
    {
        var remaining = kept.ToList();
        foreach (var (id, body) in FindTeamNotes(root))
        {
            var index = remaining.FindIndex(k => string.Equals(k.Id, id, StringComparison.Ordinal));
            if (index < 0)
            {
                continue;
            }

            body.ReplaceNodes(remaining[index].Content.Select(Clone));
            remaining.RemoveAt(index);
        }

        var orphans = remaining.Where(k => k.HasContent).ToList();
        if (orphans.Count == 0)
        {
            return;
        }

        root.Add(new XElement("h2", KeptNotesHeading));
        foreach (var note in orphans)
        {
            root.Add(new XElement(
                Ac + "structured-macro",
                new XAttribute(Ac + "name", "panel"),
                new XElement(Ac + "parameter", new XAttribute(Ac + "name", "title"), StorageRenderer.TeamNotesPanelTitle(note.Id)),
                new XElement(Ac + "rich-text-body", note.Content.Select(Clone))));
        }
    }

    /// <summary>Hashes a page as the manifest records it: SHA-256 of the canonical text with team-notes bodies left out.</summary>
    /// <param name="root">The page.</param>
    /// <returns>The lowercase hexadecimal hash.</returns>
    public static string ContentHash(XElement root)
    {
        var copy = new XElement(root);
        foreach (var (_, body) in FindTeamNotes(copy))
        {
            body.RemoveNodes();
        }

        return Sha256(Serialize(copy));
    }

    /// <summary>Hashes a page's storage as read from the site; text that does not parse is hashed as it is.</summary>
    /// <param name="storage">The storage format.</param>
    /// <returns>The lowercase hexadecimal hash.</returns>
    public static string ContentHash(string storage) => TryParse(storage) is { } root ? ContentHash(root) : Sha256(storage);

    /// <summary>Hashes text as UTF-8 with SHA-256.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The lowercase hexadecimal hash.</returns>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static bool IsTeamNotesBody(XElement body) =>
        body.Parent is { } macro && macro.Name == Ac + "structured-macro" &&
        string.Equals((string?)macro.Attribute(Ac + "name"), "panel", StringComparison.Ordinal) && TeamNotesId(macro) is not null;

    private static string? TeamNotesId(XElement macro)
    {
        var title = macro.Elements(Ac + "parameter")
            .FirstOrDefault(p => string.Equals((string?)p.Attribute(Ac + "name"), "title", StringComparison.Ordinal))?.Value.Trim();
        if (title is null || !title.StartsWith(StorageRenderer.TeamNotesTitle, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = title[StorageRenderer.TeamNotesTitle.Length..].Trim();
        if (rest.Length == 0)
        {
            return StorageRenderer.DefaultTeamNotesId;
        }

        return rest.StartsWith(':') && rest[1..].Trim() is { Length: > 0 } id ? id : null;
    }

    private static XNode Clone(XNode node) => node switch
    {
        XElement element => new XElement(element),
        XCData cdata => new XCData(cdata),
        XText text => new XText(text),
        XComment comment => new XComment(comment),
        XProcessingInstruction instruction => new XProcessingInstruction(instruction),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node.NodeType, "Storage format holds no such node."),
    };

    // Named entities outside CDATA sections become character references; CDATA text is taken literally.
    private static string ReplaceNamedEntities(string storage)
    {
        if (!storage.Contains('&', StringComparison.Ordinal))
        {
            return storage;
        }

        var builder = new StringBuilder(storage.Length);
        var position = 0;
        while (position < storage.Length)
        {
            var cdata = storage.IndexOf("<![CDATA[", position, StringComparison.Ordinal);
            var markupEnd = cdata < 0 ? storage.Length : cdata;
            builder.Append(NamedEntity().Replace(storage[position..markupEnd], ReplaceEntity));
            if (cdata < 0)
            {
                break;
            }

            var end = storage.IndexOf("]]>", cdata, StringComparison.Ordinal);
            var cdataEnd = end < 0 ? storage.Length : end + 3;
            builder.Append(storage, cdata, cdataEnd - cdata);
            position = cdataEnd;
        }

        return builder.ToString();
    }

    private static string ReplaceEntity(Match match)
    {
        var name = match.Groups[1].Value;
        if (name is "amp" or "lt" or "gt" or "quot" or "apos")
        {
            return match.Value;
        }

        var decoded = WebUtility.HtmlDecode(match.Value);
        if (string.Equals(decoded, match.Value, StringComparison.Ordinal))
        {
            // Not an entity HTML knows: left as it is, so the parser reports it.
            return match.Value;
        }

        var builder = new StringBuilder();
        foreach (var rune in decoded.EnumerateRunes())
        {
            builder.Append("&#").Append(rune.Value).Append(';');
        }

        return builder.ToString();
    }

    [GeneratedRegex("&([A-Za-z][A-Za-z0-9]{1,31});", RegexOptions.CultureInvariant)]
    private static partial Regex NamedEntity();
}
