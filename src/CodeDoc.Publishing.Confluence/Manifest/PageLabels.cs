using System.Globalization;
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

    /// <summary>
    /// Normalizes one label: compatibility forms folded (full-width letters become ASCII), lower case, letters, digits,
    /// combining marks, '-' and '_' kept, every other run of characters (spaces, '/', '.', ':' and the rest) one '-',
    /// at most 255 characters. A repository id such as <c>github.com/Org/My Repo</c> becomes <c>github-com-org-my-repo</c>.
    /// </summary>
    /// <param name="label">The label as given.</param>
    /// <returns>The label Confluence accepts; empty when nothing is left.</returns>
    public static string Normalize(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return string.Empty;
        }

        // Decomposed first, so letters the invariant culture does not lower as one character ('İ') lower as letter + mark.
        // A lone surrogate (which cannot be normalized) reads as U+FFFD and is dropped below like any symbol.
        var folded = string.Concat(label.EnumerateRunes().Select(r => r.ToString())).Normalize(NormalizationForm.FormKD);

        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                builder.Append(c);
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                // A mark belongs to the letter before it; on its own it is dropped.
                if (builder.Length > 0 && builder[^1] != '-')
                {
                    builder.Append(c);
                }
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var text = builder.ToString().Normalize(NormalizationForm.FormKC).Trim('-');
        return text.Length <= MaxLength ? text : text[..MaxLength].TrimEnd('-');
    }
}
