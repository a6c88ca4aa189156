namespace CodeDoc.Pipeline;

/// <summary>What the Markdown folder publisher does with a page that left the outline.</summary>
public enum RemovedPagesMode
{
    /// <summary>Delete the page's file and attachments (pages a person edited are kept and reported).</summary>
    Delete,

    /// <summary>Move the page's file and attachments under <c>_archived/</c> in the output folder.</summary>
    Archive,
}

/// <summary>
/// Options of a Markdown folder publisher (<c>CodeDoc:Markdown</c> for the default one): the folder that receives a
/// documentation set as <c>.md</c> files, with an index and a manifest in <c>.codedoc/manifest.json</c>.
/// </summary>
public sealed class MarkdownFolderOptions
{
    /// <summary>The output folder of the default publisher when none is configured, relative to the current directory.</summary>
    public const string DefaultOutputPath = "codedoc-docs";

    /// <summary>The default name of the index file at the root of the folder.</summary>
    public const string DefaultIndexFileName = "index.md";

    /// <summary>
    /// Gets or sets the output folder (required). A relative path resolves against the current directory when the
    /// publisher is created. One folder holds one documentation set.
    /// </summary>
    public string? OutputPath { get; set; }

    /// <summary>Gets or sets what happens to pages that left the outline; <see cref="RemovedPagesMode.Delete"/> by default.</summary>
    public RemovedPagesMode RemovedPages { get; set; } = RemovedPagesMode.Delete;

    /// <summary>
    /// Gets or sets a value indicating whether every page ends with an empty team-notes block (<c>id="notes"</c>) under
    /// a "Team notes" heading, so people know where to write notes that survive regeneration. On by default.
    /// </summary>
    public bool AddTeamNotesSection { get; set; } = true;

    /// <summary>Gets or sets the name of the index file at the root of the folder; <c>index.md</c> by default.</summary>
    public string IndexFileName { get; set; } = DefaultIndexFileName;
}
