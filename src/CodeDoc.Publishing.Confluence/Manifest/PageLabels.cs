using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// The labels of a page: <c>codedoc</c>, the set's labels (the repository, the preset) and the page's own, made into
/// what Confluence accepts (lowercase, no spaces, none of <c>: ; , . ? &amp; [ ] ( ) # ^ * @ !</c>).
/// </summary>
internal static class PageLabels
{
    /// <summary>The label every published page carries.</summary>
    public const string CodeDoc = "codedoc";

    private const int MaxLength = 255;

    /// <summary>Builds the normalized, distinct labels of a page.</summary>
    /// <param name="documentSet">The set.</param>
    /// <param name="page">The page, or <see langword="null"/> for the set's own pages (archive, proposals).</param>
    /// <returns>The labels, sorted.</returns>
    public static IReadOnlyList<string> For(DocumentSet documentSet, DocumentPage? page) =>
        new[] { CodeDoc }.Concat(documentSet.Labels ?? []).Concat(page?.Labels ?? [])
            .Select(Normalize)
            .Where(l => l.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Normalizes one label.</summary>
    /// <param name="label">The label as given.</param>
    /// <returns>The label Confluence accepts; empty when nothing is left.</returns>
    public static string Normalize(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(label.Length);
        foreach (var c in label.Trim().ToLowerInvariant())
        {
            var keep = char.IsLetterOrDigit(c) || c is '-' or '_';
            if (keep)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var text = builder.ToString().Trim('-');
        return text.Length <= MaxLength ? text : text[..MaxLength].TrimEnd('-');
    }
}
