namespace CodeDoc.Core;

/// <summary>Where a documentation set's content came from.</summary>
/// <param name="RepositoryId">The repository's stable id (<see cref="RepositoryReference.Id"/>).</param>
/// <param name="CommitSha">The commit the pages describe.</param>
/// <param name="Branch">The branch (or tag) documented, when there is one.</param>
public sealed record DocumentSource(string RepositoryId, string CommitSha, string? Branch);

/// <summary>Where one page's content came from.</summary>
/// <param name="CommitSha">The commit the page describes.</param>
/// <param name="SourceFiles">The repository files the page was written from; incremental runs regenerate the page when one changes.</param>
public sealed record PageProvenance(string CommitSha, IReadOnlyList<string> SourceFiles);

/// <summary>A file attached to a page: an image, a rendered diagram.</summary>
/// <param name="FileName">The file name, unique within the page (letters, digits, '.', '-', '_').</param>
/// <param name="MediaType">The media type, e.g. <c>image/png</c>.</param>
/// <param name="Content">The bytes.</param>
public sealed record PageAttachment(string FileName, string MediaType, ReadOnlyMemory<byte> Content);

/// <summary>One page of a documentation set, in Markdown.</summary>
public sealed record DocumentPage
{
    /// <summary>
    /// Gets the page's stable key: lowercase letters, digits, '-', '_' and '.', starting with a letter or digit, at most
    /// 100 characters. Identity at the target follows the key, never the title.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>Gets the page title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the key of the parent page, or <see langword="null"/> for a top-level page.</summary>
    public string? ParentKey { get; init; }

    /// <summary>
    /// Gets the page body in Markdown. Links to other pages of the set use <see cref="DocumentLinks.PageScheme"/>
    /// and links to attachments <see cref="DocumentLinks.AttachmentScheme"/>; publishers rewrite them.
    /// </summary>
    public required string Markdown { get; init; }

    /// <summary>Gets the position among siblings (lower first; ties keep list order).</summary>
    public int Order { get; init; }

    /// <summary>Gets labels for this page in addition to the set's labels.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Gets files attached to the page.</summary>
    public IReadOnlyList<PageAttachment> Attachments { get; init; } = [];

    /// <summary>Gets where the content came from.</summary>
    public PageProvenance? Provenance { get; init; }
}

/// <summary>
/// A whole documentation set: a tree of pages documenting one repository at one branch and commit. Identified by
/// <see cref="Id"/> (repository + branch), so sets for different branches never overwrite each other.
/// </summary>
public sealed record DocumentSet
{
    /// <summary>Gets the set's id; see <see cref="CreateId"/>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the title of the set (the repository's name, usually).</summary>
    public required string Title { get; init; }

    /// <summary>Gets where the content came from.</summary>
    public required DocumentSource Source { get; init; }

    /// <summary>Gets the pages in outline order.</summary>
    public required IReadOnlyList<DocumentPage> Pages { get; init; }

    /// <summary>Gets labels applied to every page (e.g. <c>codedoc</c>, the repository, the preset).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Gets the generator version recorded in the manifest.</summary>
    public string? GeneratorVersion { get; init; }

    /// <summary>
    /// Gets small generator data kept with the set at the target and returned in <see cref="PublishManifest.Properties"/>
    /// (the outline and preset an incremental run continues from); never source code.
    /// </summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Builds the id of a documentation set from the repository id and branch.</summary>
    /// <param name="repositoryId">The repository's stable id.</param>
    /// <param name="branch">The branch or tag; <see langword="null"/> for sources without one.</param>
    /// <returns>The id, e.g. <c>github.com/org/repo@main</c>.</returns>
    public static string CreateId(string repositoryId, string? branch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryId);
        return string.IsNullOrEmpty(branch) ? repositoryId : $"{repositoryId}@{branch}";
    }
}

/// <summary>The link conventions of page Markdown inside a <see cref="DocumentSet"/>.</summary>
public static class DocumentLinks
{
    /// <summary>The scheme of links to another page of the set: <c>codedoc-page:KEY</c> or <c>codedoc-page:KEY#anchor</c>.</summary>
    public const string PageScheme = "codedoc-page:";

    /// <summary>The scheme of links to an attachment of the same page: <c>codedoc-attachment:FILE</c>.</summary>
    public const string AttachmentScheme = "codedoc-attachment:";

    /// <summary>Builds a link to another page.</summary>
    /// <param name="pageKey">The page key.</param>
    /// <param name="anchor">An optional heading anchor.</param>
    /// <returns>The link target.</returns>
    public static string ToPage(string pageKey, string? anchor = null) =>
        anchor is null ? PageScheme + pageKey : $"{PageScheme}{pageKey}#{anchor}";

    /// <summary>Builds a link to an attachment of the same page.</summary>
    /// <param name="fileName">The attachment's file name.</param>
    /// <returns>The link target.</returns>
    public static string ToAttachment(string fileName) => AttachmentScheme + fileName;
}
