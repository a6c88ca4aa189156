using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Testing;

/// <summary>The kinds of invalid documentation sets <see cref="SampleDocumentSets.Invalid"/> builds.</summary>
public enum InvalidDocumentSetKind
{
    /// <summary>Two pages share a key.</summary>
    DuplicateKeys,

    /// <summary>A page names a parent that is not in the set.</summary>
    MissingParent,

    /// <summary>Pages are each other's parents.</summary>
    ParentCycle,
}

/// <summary>
/// Small documentation sets for publisher tests: a valid sample with nested pages, links between pages, a link with
/// an anchor, code that looks like links, and an attachment; helpers that derive changed sets from it; and invalid sets.
/// </summary>
public static class SampleDocumentSets
{
    /// <summary>The repository id of the sample sets.</summary>
    public const string RepositoryId = "example.test/acme/widgets";

    /// <summary>The branch of the sample sets.</summary>
    public const string Branch = "main";

    /// <summary>The commit the sample sets describe.</summary>
    public const string CommitSha = "3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a";

    /// <summary>Gets the id of the sample sets.</summary>
    public static string Id { get; } = DocumentSet.CreateId(RepositoryId, Branch);

    /// <summary>
    /// Builds the sample set: Overview, Getting started, Architecture (with the children Components and Data flow, and
    /// an SVG attachment) and API reference.
    /// </summary>
    /// <param name="id">The set id; <see cref="Id"/> by default.</param>
    /// <returns>The set.</returns>
    public static DocumentSet Basic(string? id = null) => new()
    {
        Id = id ?? Id,
        Title = "Widgets",
        Source = new DocumentSource(RepositoryId, CommitSha, Branch),
        Labels = ["codedoc", "widgets"],
        GeneratorVersion = "0.1.0-test",
        Pages =
        [
            Page("overview", "Overview", null, 0,
                """
                Widgets turns sprockets into widgets.

                Start with [Getting started](codedoc-page:getting-started), then read how the
                [public API](codedoc-page:components#public-api) fits together.
                """,
                "README.md"),
            Page("getting-started", "Getting started", null, 1,
                """
                Install the package:

                ```sh
                dotnet add package Widgets
                ```

                The link syntax `[text](codedoc-page:overview)` is only text inside code.
                See the [overview](codedoc-page:overview).
                """,
                "docs/install.md"),
            Page("architecture", "Architecture", null, 2,
                """
                ![How the parts fit](codedoc-attachment:overview.svg)

                The [components](codedoc-page:components) talk through the [data flow](codedoc-page:data-flow).
                """,
                "src/Widgets/Widget.cs",
                new PageAttachment("overview.svg", "image/svg+xml", Encoding.UTF8.GetBytes(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n"))),
            Page("components", "Components", "architecture", 0,
                """
                ## Public API

                `Widget.Create()` builds a widget; see the [architecture](codedoc-page:architecture).
                """,
                "src/Widgets/Widget.cs"),
            Page("data-flow", "Data flow", "architecture", 1,
                """
                Sprockets flow in, widgets flow out. Back to the [overview](codedoc-page:overview).
                """,
                "src/Widgets/Pipeline.cs"),
            Page("reference", "API reference", null, 3,
                """
                | Member | Purpose |
                |---|---|
                | `Widget.Create()` | Builds a widget ([details](codedoc-page:components)) |
                """,
                "src/Widgets/Widget.cs"),
        ],
    };

    /// <summary>Builds a copy of a set with one page's Markdown changed.</summary>
    /// <param name="documentSet">The set.</param>
    /// <param name="key">The page to change.</param>
    /// <param name="addedParagraph">The paragraph appended to the page.</param>
    /// <returns>The changed set.</returns>
    public static DocumentSet WithChangedPage(DocumentSet documentSet, string key, string addedParagraph = "This paragraph is new.")
    {
        ArgumentNullException.ThrowIfNull(documentSet);
        return documentSet with
        {
            Pages = [.. documentSet.Pages.Select(p => p.Key == key ? p with { Markdown = p.Markdown + "\n\n" + addedParagraph + "\n" } : p)],
        };
    }

    /// <summary>Builds a copy of a set with one page's title changed.</summary>
    /// <param name="documentSet">The set.</param>
    /// <param name="key">The page to retitle.</param>
    /// <param name="title">The new title.</param>
    /// <returns>The changed set.</returns>
    public static DocumentSet WithRetitledPage(DocumentSet documentSet, string key, string title)
    {
        ArgumentNullException.ThrowIfNull(documentSet);
        return documentSet with { Pages = [.. documentSet.Pages.Select(p => p.Key == key ? p with { Title = title } : p)] };
    }

    /// <summary>Builds a copy of a set without one page (which must have no children).</summary>
    /// <param name="documentSet">The set.</param>
    /// <param name="key">The page to leave out.</param>
    /// <returns>The changed set.</returns>
    public static DocumentSet WithoutPage(DocumentSet documentSet, string key)
    {
        ArgumentNullException.ThrowIfNull(documentSet);
        return documentSet with { Pages = [.. documentSet.Pages.Where(p => p.Key != key)] };
    }

    /// <summary>Builds a copy of a set with one more page.</summary>
    /// <param name="documentSet">The set.</param>
    /// <param name="page">The page to add.</param>
    /// <returns>The changed set.</returns>
    public static DocumentSet WithPage(DocumentSet documentSet, DocumentPage page)
    {
        ArgumentNullException.ThrowIfNull(documentSet);
        return documentSet with { Pages = [.. documentSet.Pages, page] };
    }

    /// <summary>Builds an invalid set (with the sample set's id) that publishers must reject before writing anything.</summary>
    /// <param name="kind">What is wrong with it.</param>
    /// <returns>The set.</returns>
    public static DocumentSet Invalid(InvalidDocumentSetKind kind)
    {
        var basic = Basic();
        return kind switch
        {
            InvalidDocumentSetKind.DuplicateKeys => WithPage(basic, Page("overview", "Second overview", null, 9, "Same key as another page.")),
            InvalidDocumentSetKind.MissingParent => WithPage(basic, Page("orphan", "Orphan", "no-such-page", 0, "Its parent is not in the set.")),
            InvalidDocumentSetKind.ParentCycle => basic with
            {
                Pages =
                [
                    .. basic.Pages,
                    Page("chicken", "Chicken", "egg", 0, "Comes from the egg."),
                    Page("egg", "Egg", "chicken", 0, "Comes from the chicken."),
                ],
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind of invalid set."),
        };
    }

    /// <summary>Builds a page with provenance at <see cref="CommitSha"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="title">The title.</param>
    /// <param name="parentKey">The parent's key.</param>
    /// <param name="order">The position among siblings.</param>
    /// <param name="markdown">The body.</param>
    /// <param name="sourceFile">The repository file it was written from, if any.</param>
    /// <param name="attachments">Its attachments.</param>
    /// <returns>The page.</returns>
    public static DocumentPage Page(
        string key, string title, string? parentKey, int order, string markdown, string? sourceFile = null, params PageAttachment[] attachments) => new()
    {
        Key = key,
        Title = title,
        ParentKey = parentKey,
        Order = order,
        Markdown = markdown,
        Attachments = attachments,
        Provenance = new PageProvenance(CommitSha, sourceFile is null ? [] : [sourceFile]),
    };
}
