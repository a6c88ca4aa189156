using System.Globalization;
using System.Text;

namespace CodeDoc.Pipeline;

/// <summary>
/// File names of pages: lowercase ASCII letters, digits and single hyphens, so they are the same on every file
/// system, need no escaping in links and cannot form a path ('.', '/' and '\' never appear).
/// </summary>
internal static class PageSlugs
{
    /// <summary>The longest slug made from a title, before a "-2"-style suffix.</summary>
    public const int MaxLength = 80;

    // Windows opens a device instead of a file for these names, whatever the extension.
    private static readonly HashSet<string> DeviceNames = new(StringComparer.Ordinal)
    {
        "con", "prn", "aux", "nul",
        "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
        "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    };

    /// <summary>Makes the slug of a page: from its title, or from its key when the title has no letters or digits in ASCII.</summary>
    /// <param name="title">The page title.</param>
    /// <param name="key">The page key (the fallback).</param>
    /// <returns>The slug.</returns>
    public static string For(string title, string key)
    {
        var slug = Slugify(title);
        if (slug.Length == 0)
        {
            slug = Slugify(key);
        }

        return DeviceNames.Contains(slug) ? slug + "-page" : slug;
    }

    /// <summary>Tells whether a file stem is the slug itself or the slug with a numeric suffix ("-2", "-3", ...).</summary>
    /// <param name="stem">The file name without <c>.md</c>.</param>
    /// <param name="slug">The slug.</param>
    /// <returns>Whether the stem belongs to the slug.</returns>
    public static bool IsNameFor(string stem, string slug)
    {
        if (string.Equals(stem, slug, StringComparison.Ordinal))
        {
            return true;
        }

        if (stem.Length < slug.Length + 2 || !stem.StartsWith(slug, StringComparison.Ordinal) || stem[slug.Length] != '-')
        {
            return false;
        }

        var suffix = stem.AsSpan(slug.Length + 1);
        return suffix[0] != '0' && int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 2;
    }

    /// <summary>Makes the n-th name of a slug: the slug itself for 1, then "slug-2", "slug-3", ...</summary>
    /// <param name="slug">The slug.</param>
    /// <param name="number">The 1-based number.</param>
    /// <returns>The name.</returns>
    public static string Numbered(string slug, int number) =>
        number == 1 ? slug : string.Create(CultureInfo.InvariantCulture, $"{slug}-{number}");

    private static string Slugify(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingHyphen = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var ascii = Transliterate(char.ToLowerInvariant(c));
            if (ascii is null)
            {
                pendingHyphen = builder.Length > 0;
                continue;
            }

            if (pendingHyphen)
            {
                builder.Append('-');
                pendingHyphen = false;
            }

            builder.Append(ascii);
        }

        var slug = builder.ToString();
        if (slug.Length <= MaxLength)
        {
            return slug;
        }

        // Cut a long title at a word boundary, so the slug does not end in half a word.
        var cut = slug[..MaxLength];
        if (slug[MaxLength] != '-' && cut.LastIndexOf('-') is var lastHyphen and > MaxLength / 2)
        {
            cut = cut[..lastHyphen];
        }

        return cut.TrimEnd('-');
    }

    private static string? Transliterate(char c) => c switch
    {
        >= 'a' and <= 'z' or >= '0' and <= '9' => c.ToString(),
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' or 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        _ => null,
    };
}
