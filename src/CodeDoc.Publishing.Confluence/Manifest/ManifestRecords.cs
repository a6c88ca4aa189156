using System.Text.Json.Serialization;
using CodeDoc.Core;

namespace CodeDoc.Publishing.Confluence;

/// <summary>An attachment as CodeDoc last uploaded it.</summary>
internal sealed record AttachmentRecord
{
    /// <summary>Gets the file name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the SHA-256 of the bytes (for a rendered diagram, of the image).</summary>
    public required string Hash { get; init; }
}

/// <summary>
/// One page of a set as the manifest at the site records it. Besides the pages of the outline, the manifest holds the
/// set's archive page (key <see cref="ArchiveKey"/>) and proposed-update pages (keys starting with
/// <see cref="ProposalPrefix"/>); page keys cannot start with '#', so they never collide.
/// </summary>
internal sealed record ManifestEntry
{
    /// <summary>The key of the page that holds the set's archived pages.</summary>
    public const string ArchiveKey = "#archive";

    /// <summary>The key prefix of proposed-update pages: the prefix and the key of the page they propose an update for.</summary>
    public const string ProposalPrefix = "#proposal:";

    /// <summary>Gets the page key.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the title as published (or, while pending, as it is about to be).</summary>
    public required string Title { get; init; }

    /// <summary>Gets the parent page's key; <see langword="null"/> for a page right under the set's parent page.</summary>
    public string? ParentKey { get; init; }

    /// <summary>Gets the page id; <see langword="null"/> while the page is pending.</summary>
    public string? Id { get; init; }

    /// <summary>Gets the hash of the storage CodeDoc sent, team-notes bodies left out.</summary>
    public required string Hash { get; init; }

    /// <summary>Gets the hash of the storage as Confluence stored it right after CodeDoc's write (Confluence normalizes what it is sent).</summary>
    public string? SiteHash { get; init; }

    /// <summary>
    /// Gets a fingerprint of everything the storage with <see cref="Hash"/> was rendered from (the Markdown, the titles of
    /// the set, the options, the renderer's build), so a later publish with the same inputs knows the hash without
    /// rendering the page again.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Inputs { get; init; }

    /// <summary>Gets the page version after CodeDoc's last write.</summary>
    public int? Version { get; init; }

    /// <summary>Gets the commit the page describes.</summary>
    public string? Commit { get; init; }

    /// <summary>Gets the repository files the page was written from.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Gets the attachments CodeDoc uploaded.</summary>
    public IReadOnlyList<AttachmentRecord> Attachments { get; init; } = [];

    /// <summary>Gets the labels CodeDoc added.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>
    /// Gets a value indicating whether the page is about to be created: written before the create, so a publish
    /// interrupted between the create and the manifest's update finds the page again instead of creating a twin.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Pending { get; init; }

    /// <summary>Gets a value indicating whether the page left the outline and was moved under the archive page.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Archived { get; init; }

    /// <summary>Gets a value indicating whether this is a page of the outline (not the archive page or a proposal).</summary>
    [JsonIgnore]
    public bool IsOutlinePage => !Key.StartsWith('#');

    /// <summary>Converts the entry to the Core manifest's form.</summary>
    /// <returns>The published page.</returns>
    public PublishedPage ToPublishedPage() => new()
    {
        Key = Key,
        Title = Title,
        ParentKey = ParentKey,
        TargetId = Id!,
        ContentHash = Hash,
        Version = Version,
        SourceCommit = Commit,
        SourceFiles = Files,
        Attachments = Attachments.Select(a => a.Name).ToList(),
    };
}

/// <summary>The manifest of a set as the site keeps it.</summary>
internal sealed record ManifestDocument
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int CurrentSchema = 1;

    /// <summary>Gets the schema version.</summary>
    public int Schema { get; init; } = CurrentSchema;

    /// <summary>Gets the documentation set's id.</summary>
    public required string Set { get; init; }

    /// <summary>Gets the commit last published.</summary>
    public string? Commit { get; init; }

    /// <summary>Gets the generator version that published it.</summary>
    public string? Generator { get; init; }

    /// <summary>Gets when it was published.</summary>
    public DateTimeOffset PublishedAt { get; init; }

    /// <summary>Gets the entries.</summary>
    public IReadOnlyList<ManifestEntry> Pages { get; init; } = [];

    /// <summary>Gets the set's <see cref="DocumentSet.Properties"/> as last published.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Converts the manifest to the Core form: the live pages of the outline.</summary>
    /// <returns>The manifest.</returns>
    public PublishManifest ToPublishManifest() => new()
    {
        DocumentSetId = Set,
        SourceCommit = Commit,
        GeneratorVersion = Generator,
        PublishedAt = PublishedAt,
        Pages = Pages.Where(p => p.IsOutlinePage && !p.Pending && !p.Archived && p.Id is not null).Select(p => p.ToPublishedPage()).ToList(),
        Properties = Properties,
    };
}

/// <summary>The copy of a page's manifest entry kept in the page's own content property.</summary>
internal sealed record PageRecord
{
    /// <summary>Gets the documentation set's id.</summary>
    public required string Set { get; init; }

    /// <summary>Gets the generator version that wrote the page.</summary>
    public string? Generator { get; init; }

    /// <summary>Gets the entry.</summary>
    public required ManifestEntry Entry { get; init; }

    /// <summary>Gets how many source files were left out so the property stays within Confluence's size limit.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int FilesOmitted { get; init; }
}
