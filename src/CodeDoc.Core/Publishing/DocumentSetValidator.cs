using System.Text.RegularExpressions;

namespace CodeDoc.Core;

/// <summary>Checks that a <see cref="DocumentSet"/> is a well-formed page tree before anything is published.</summary>
public static partial class DocumentSetValidator
{
    /// <summary>The longest page key allowed.</summary>
    public const int MaxKeyLength = 100;

    /// <summary>The longest page title allowed (Confluence's limit).</summary>
    public const int MaxTitleLength = 255;

    /// <summary>Lists every problem of a set; empty when it is valid.</summary>
    /// <param name="documentSet">The set.</param>
    /// <returns>One message per problem, naming the page and the fix.</returns>
    public static IReadOnlyList<string> Validate(DocumentSet documentSet)
    {
        ArgumentNullException.ThrowIfNull(documentSet);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(documentSet.Id))
        {
            problems.Add("The documentation set has no Id; build one with DocumentSet.CreateId(repositoryId, branch).");
        }

        if (string.IsNullOrWhiteSpace(documentSet.Title))
        {
            problems.Add("The documentation set has no Title.");
        }

        if (documentSet.Pages is null || documentSet.Pages.Count == 0)
        {
            problems.Add("The documentation set has no pages.");
            return problems;
        }

        var byKey = new Dictionary<string, DocumentPage>(StringComparer.Ordinal);
        foreach (var page in documentSet.Pages)
        {
            if (page is null)
            {
                problems.Add("The page list contains a null entry.");
                continue;
            }

            if (!IsValidKey(page.Key))
            {
                problems.Add($"Page key '{page.Key}' is invalid: use 1-{MaxKeyLength} lowercase letters, digits, '-', '_' or '.', starting with a letter or digit.");
            }
            else if (!byKey.TryAdd(page.Key, page))
            {
                problems.Add($"Page key '{page.Key}' is used by more than one page; keys must be unique.");
            }

            if (string.IsNullOrWhiteSpace(page.Title))
            {
                problems.Add($"Page '{page.Key}' has no title.");
            }
            else if (page.Title.Length > MaxTitleLength || page.Title.Any(char.IsControl))
            {
                problems.Add($"Page '{page.Key}' has a title longer than {MaxTitleLength} characters or with control characters.");
            }

            if (page.Markdown is null)
            {
                problems.Add($"Page '{page.Key}' has no Markdown (use an empty string for an empty page).");
            }

            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var attachment in page.Attachments ?? [])
            {
                if (!IsValidAttachmentName(attachment.FileName))
                {
                    problems.Add($"Page '{page.Key}' has an attachment named '{attachment.FileName}': use letters, digits, '.', '-' and '_' only, with no leading dot.");
                }
                else if (!names.Add(attachment.FileName))
                {
                    problems.Add($"Page '{page.Key}' has two attachments named '{attachment.FileName}'.");
                }
            }
        }

        foreach (var page in byKey.Values)
        {
            if (page.ParentKey is null)
            {
                continue;
            }

            if (!byKey.ContainsKey(page.ParentKey))
            {
                problems.Add($"Page '{page.Key}' names parent '{page.ParentKey}', which is not in the set.");
                continue;
            }

            // Walk up; a walk longer than the page count means a cycle.
            var seen = new HashSet<string>(StringComparer.Ordinal) { page.Key };
            for (var current = page.ParentKey; current is not null && byKey.TryGetValue(current, out var parent); current = parent.ParentKey)
            {
                if (!seen.Add(current))
                {
                    problems.Add($"Page '{page.Key}' is part of a parent cycle; every chain of parents must end at a top-level page.");
                    break;
                }
            }
        }

        return problems;
    }

    /// <summary>Throws when a set is not valid.</summary>
    /// <param name="documentSet">The set.</param>
    /// <exception cref="InvalidDocumentSetException">The set has problems; the message lists them.</exception>
    public static void ThrowIfInvalid(DocumentSet documentSet)
    {
        var problems = Validate(documentSet);
        if (problems.Count > 0)
        {
            throw new InvalidDocumentSetException(problems);
        }
    }

    /// <summary>Tells whether a string is a valid page key.</summary>
    /// <param name="key">The candidate.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool IsValidKey(string? key) => key is { Length: > 0 and <= MaxKeyLength } && KeyPattern().IsMatch(key);

    private static bool IsValidAttachmentName(string? name) =>
        name is { Length: > 0 and <= 200 } && AttachmentPattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex AttachmentPattern();
}
