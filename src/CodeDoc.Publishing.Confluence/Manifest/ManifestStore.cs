using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CodeDoc.Core;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Keeps a set's manifest at the site, in content properties of the page the set is published under: the head
/// property <c>codedoc.set.&lt;hash of the set id&gt;</c> holds the whole manifest when it fits Confluence's 32 KB
/// property limit; a larger one is split into chunk properties written first under alternating slot names
/// (<c>...a1</c>, <c>...a2</c> then <c>...b1</c>, ...), and the head is switched to them last, so an interrupted write
/// never leaves a half-written manifest. The set's properties (<see cref="DocumentSet.Properties"/>) travel in the head;
/// when they do not fit there they are compressed and split into segment properties of the same slot (<c>...a.p1</c>, ...).
/// Each page also carries its own entry in the property <c>codedoc.page</c>.
/// </summary>
internal sealed class ManifestStore
{
    /// <summary>The key of the content property on each page that mirrors the page's manifest entry.</summary>
    public const string PagePropertyKey = "codedoc.page";

    /// <summary>
    /// The key of the content property on each page that holds the page Markdown CodeDoc published, compressed, for
    /// <see cref="IDocPublisher.ReadPageMarkdownAsync"/>.
    /// </summary>
    /// <remarks>
    /// Storage format is not turned back into Markdown: Confluence normalizes what it is sent, macros and links carry
    /// no reliable way back, and an almost-right reconstruction would make every reused page differ from what was
    /// published, so incremental runs would rewrite pages that did not change. The exact text costs one small property
    /// write per written page and one read per page read back. A property, not an
    /// attachment: attachments show up in the page's attachment list and macro galleries, need the v1 multipart API
    /// and a separate download. The text has a property of its own, not a place in <see cref="PagePropertyKey"/>,
    /// so long Markdown and long source-file lists do not compete for the same 32 KB.
    /// </remarks>
    public const string MarkdownPropertyKey = "codedoc.markdown";

    /// <summary>The most UTF-8 bytes CodeDoc puts into one property value (Confluence's limit is 32 KB).</summary>
    public const int MaxPropertyBytes = 30_000;

    /// <summary>The most segment properties the set's properties may take: about 1 MB compressed, far above a real outline.</summary>
    public const int MaxPropertySegments = 32;

    // Room left in a segment property for its JSON wrapping.
    private const int SegmentChars = MaxPropertyBytes - 64;

    private const int MaxConflictRetries = 3;

    private readonly IConfluenceSite _site;
    private readonly string _anchorId;
    private readonly string _setId;
    private readonly string _providerName;
    private SiteProperty? _head;
    private string _slot = "b";

    /// <summary>Initializes a new instance of the <see cref="ManifestStore"/> class.</summary>
    /// <param name="site">The site.</param>
    /// <param name="anchorId">The id of the page the set is published under.</param>
    /// <param name="setId">The documentation set's id.</param>
    /// <param name="providerName">The publisher's registration name, for errors.</param>
    public ManifestStore(IConfluenceSite site, string anchorId, string setId, string providerName)
    {
        _site = site;
        _anchorId = anchorId;
        _setId = setId;
        _providerName = providerName;
        HeadKey = HeadKeyOf(setId);
    }

    /// <summary>Gets the key of the head property.</summary>
    public string HeadKey { get; }

    /// <summary>Gets the key of the head property of a set.</summary>
    /// <param name="setId">The set id.</param>
    /// <returns>The key.</returns>
    public static string HeadKeyOf(string setId) => "codedoc.set." + StorageDocument.Sha256(setId)[..16];

    /// <summary>Tells whether a set's properties can be kept with its manifest.</summary>
    /// <param name="properties">The set's properties.</param>
    /// <returns>What is wrong, or <see langword="null"/> when they can be kept.</returns>
    public static string? CheckProperties(IReadOnlyDictionary<string, string> properties)
    {
        if (properties.Count == 0 || Size(properties) <= MaxPropertyBytes / 2)
        {
            return null;
        }

        var segments = Segments(properties).Count;
        return segments <= MaxPropertySegments
            ? null
            : $"The set's properties ({string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}) take {segments} content properties of " +
              $"{MaxPropertyBytes} bytes even compressed, more than the {MaxPropertySegments} CodeDoc keeps with a set in Confluence; nothing was written. " +
              "Document a smaller part of the repository per set (narrower paths), or publish to a Markdown folder, which has no such limit.";
    }

    /// <summary>Reads the manifest.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The manifest, or <see langword="null"/> when the set was never published under this page.</returns>
    public async Task<ManifestDocument?> ReadAsync(CancellationToken cancellationToken)
    {
        _head = await _site.GetPropertyAsync(_anchorId, HeadKey, cancellationToken).ConfigureAwait(false);
        if (_head is null)
        {
            return null;
        }

        var head = Deserialize<ManifestHead>(_head.Value, HeadKey);
        if (head.Schema != ManifestDocument.CurrentSchema)
        {
            throw new DocPublisherException(
                $"The manifest of '{_setId}' (property {HeadKey} of page {_anchorId}) has schema version {head.Schema}, which this version of CodeDoc " +
                "does not know. Publish with the CodeDoc version that wrote it, or a newer one.")
            {
                ProviderName = _providerName,
            };
        }

        if (!string.Equals(head.Set, _setId, StringComparison.Ordinal))
        {
            throw Corrupt(HeadKey, $"it belongs to the set '{head.Set}', whose id hashes to the same key", null);
        }

        _slot = head.Slot ?? "b";
        var pages = new List<ManifestEntry>(head.Pages);
        for (var chunk = 1; chunk <= head.Shards; chunk++)
        {
            var key = ChunkKey(_slot, chunk);
            var property = await _site.GetPropertyAsync(_anchorId, key, cancellationToken).ConfigureAwait(false)
                ?? throw Corrupt(key, "the property is missing", null);
            pages.AddRange(Deserialize<ManifestChunk>(property.Value, key).Pages);
        }

        if (pages.Any(p => p is null || string.IsNullOrEmpty(p.Key) || (!p.Pending && string.IsNullOrEmpty(p.Id))) ||
            pages.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count() != pages.Count)
        {
            throw Corrupt(HeadKey, "an entry has no key or id, or a key is listed twice", null);
        }

        return new ManifestDocument
        {
            Schema = head.Schema,
            Set = head.Set,
            Commit = head.Commit,
            Generator = head.Generator,
            PublishedAt = head.PublishedAt,
            Pages = pages,
            Properties = head.Properties ?? await ReadPropertySegmentsAsync(head.PropertySegments, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>Writes the manifest (the head last).</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public async Task WriteAsync(ManifestDocument manifest, CancellationToken cancellationToken)
    {
        var pages = manifest.Pages.Select(FitEntry).ToList();
        var whole = ToHead(manifest, pages, slot: null, shards: 0, manifest.Properties);
        if (Size(whole) <= MaxPropertyBytes)
        {
            _head = await UpsertAsync(_anchorId, HeadKey, JsonSerializer.SerializeToElement(whole, ConfluenceConnection.Json), _head, cancellationToken).ConfigureAwait(false);
            return;
        }

        var slot = _slot == "a" ? "b" : "a";
        var chunks = Chunk(pages);
        for (var i = 0; i < chunks.Count; i++)
        {
            var value = JsonSerializer.SerializeToElement(new ManifestChunk { Pages = chunks[i] }, ConfluenceConnection.Json);
            await UpsertAsync(_anchorId, ChunkKey(slot, i + 1), value, known: null, cancellationToken).ConfigureAwait(false);
        }

        var head = ToHead(manifest, [], slot, chunks.Count, manifest.Properties);
        if (Size(head) > MaxPropertyBytes)
        {
            var segments = Segments(manifest.Properties);
            for (var i = 0; i < segments.Count; i++)
            {
                var value = JsonSerializer.SerializeToElement(new PropertySegment { Data = segments[i] }, ConfluenceConnection.Json);
                await UpsertAsync(_anchorId, SegmentKey(slot, i + 1), value, known: null, cancellationToken).ConfigureAwait(false);
            }

            head = ToHead(manifest, [], slot, chunks.Count, properties: null) with { PropertySegments = segments.Count };
        }

        _head = await UpsertAsync(_anchorId, HeadKey, JsonSerializer.SerializeToElement(head, ConfluenceConnection.Json), _head, cancellationToken).ConfigureAwait(false);
        _slot = slot;
    }

    /// <summary>Writes a page's own copy of its entry, leaving source files out when they would not fit.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="entry">The entry.</param>
    /// <param name="generator">The generator version.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public async Task WritePageRecordAsync(string pageId, ManifestEntry entry, string? generator, CancellationToken cancellationToken)
    {
        var record = new PageRecord { Set = _setId, Generator = generator, Entry = entry };
        while (Size(record) > MaxPropertyBytes && record.Entry.Files.Count > 0)
        {
            var keep = record.Entry.Files.Count / 2;
            record = record with
            {
                Entry = record.Entry with { Files = record.Entry.Files.Take(keep).ToList() },
                FilesOmitted = record.FilesOmitted + (record.Entry.Files.Count - keep),
            };
        }

        await UpsertAsync(pageId, PagePropertyKey, JsonSerializer.SerializeToElement(record, ConfluenceConnection.Json), known: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a page's own copy of its entry.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when the page has none (or one CodeDoc cannot read).</returns>
    public async Task<PageRecord?> ReadPageRecordAsync(string pageId, CancellationToken cancellationToken)
    {
        var property = await _site.GetPropertyAsync(pageId, PagePropertyKey, cancellationToken).ConfigureAwait(false);
        if (property is null)
        {
            return null;
        }

        try
        {
            return property.Value.Deserialize<PageRecord>(ConfluenceConnection.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Keeps the Markdown a page was published from, when it fits into one content property compressed.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="pageKey">The page key.</param>
    /// <param name="contentHash">The hash of the storage the Markdown was rendered to (the entry's <see cref="ManifestEntry.Hash"/>).</param>
    /// <param name="markdown">The page Markdown.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it was kept; when not, reading the page back gives nothing and the page is regenerated.</returns>
    public async Task<bool> WritePageMarkdownAsync(string pageId, string pageKey, string contentHash, string markdown, CancellationToken cancellationToken)
    {
        var record = new MarkdownRecord { Set = _setId, Key = pageKey, Hash = contentHash, Markdown = CompressedText.Encode(markdown) };
        if (Size(record) > MaxPropertyBytes)
        {
            // A copy left by an earlier publish names an older hash, so it is never taken for this version of the page.
            return false;
        }

        await UpsertAsync(pageId, MarkdownPropertyKey, JsonSerializer.SerializeToElement(record, ConfluenceConnection.Json), known: null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads the Markdown a page was published from.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="pageKey">The page key.</param>
    /// <param name="contentHash">The hash of the storage CodeDoc last wrote to the page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The Markdown, or <see langword="null"/> when the page has no copy of that very version.</returns>
    public async Task<string?> ReadPageMarkdownAsync(string pageId, string pageKey, string contentHash, CancellationToken cancellationToken)
    {
        var property = await _site.GetPropertyAsync(pageId, MarkdownPropertyKey, cancellationToken).ConfigureAwait(false);
        if (property is null)
        {
            return null;
        }

        MarkdownRecord? record;
        try
        {
            record = property.Value.Deserialize<MarkdownRecord>(ConfluenceConnection.Json);
        }
        catch (JsonException)
        {
            return null;
        }

        return record is not null && string.Equals(record.Set, _setId, StringComparison.Ordinal) && string.Equals(record.Key, pageKey, StringComparison.Ordinal) &&
            string.Equals(record.Hash, contentHash, StringComparison.Ordinal)
            ? CompressedText.Decode(record.Markdown)
            : null;
    }

    private async Task<SiteProperty> UpsertAsync(string pageId, string key, JsonElement value, SiteProperty? known, CancellationToken cancellationToken)
    {
        var current = known ?? await _site.GetPropertyAsync(pageId, key, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return current is null
                    ? await _site.CreatePropertyAsync(pageId, key, value, cancellationToken).ConfigureAwait(false)
                    : await _site.UpdatePropertyAsync(pageId, current, value, cancellationToken).ConfigureAwait(false);
            }
            catch (DocPublisherException e) when (attempt < MaxConflictRetries && e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest)
            {
                // Someone (another publish, or Confluence's own property writes) got there first: read it again.
                var again = await _site.GetPropertyAsync(pageId, key, cancellationToken).ConfigureAwait(false);
                if (again is null && current is null)
                {
                    throw;
                }

                current = again;
            }
        }
    }

    private string ChunkKey(string slot, int chunk) => $"{HeadKey}.{slot}{chunk}";

    private string SegmentKey(string slot, int segment) => $"{HeadKey}.{slot}.p{segment}";

    private async Task<IReadOnlyDictionary<string, string>> ReadPropertySegmentsAsync(int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var encoded = new StringBuilder();
        for (var segment = 1; segment <= count; segment++)
        {
            var key = SegmentKey(_slot, segment);
            var property = await _site.GetPropertyAsync(_anchorId, key, cancellationToken).ConfigureAwait(false)
                ?? throw Corrupt(key, "the property is missing", null);
            encoded.Append(Deserialize<PropertySegment>(property.Value, key).Data);
        }

        var json = CompressedText.Decode(encoded.ToString()) ?? throw Corrupt(SegmentKey(_slot, 1), "the set's properties kept there cannot be decompressed", null);
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json, ConfluenceConnection.Json) ?? throw Corrupt(SegmentKey(_slot, 1), "the set's properties are empty", null);
        }
        catch (JsonException e)
        {
            throw Corrupt(SegmentKey(_slot, 1), $"the set's properties are not JSON CodeDoc can read ({e.Message})", e);
        }
    }

    private static List<string> Segments(IReadOnlyDictionary<string, string> properties)
    {
        var encoded = CompressedText.Encode(JsonSerializer.Serialize(properties, ConfluenceConnection.Json));
        return Enumerable.Range(0, (encoded.Length + SegmentChars - 1) / SegmentChars)
            .Select(i => encoded.Substring(i * SegmentChars, Math.Min(SegmentChars, encoded.Length - (i * SegmentChars))))
            .ToList();
    }

    private static ManifestHead ToHead(ManifestDocument manifest, IReadOnlyList<ManifestEntry> pages, string? slot, int shards, IReadOnlyDictionary<string, string>? properties) => new()
    {
        Schema = manifest.Schema,
        Set = manifest.Set,
        Commit = manifest.Commit,
        Generator = manifest.Generator,
        PublishedAt = manifest.PublishedAt,
        Slot = slot,
        Shards = shards,
        Pages = pages,
        Properties = properties is { Count: > 0 } ? properties : null,
    };

    private static ManifestEntry FitEntry(ManifestEntry entry) =>
        Size(entry) <= MaxPropertyBytes / 2 ? entry : entry with { Files = [] };

    private static List<List<ManifestEntry>> Chunk(List<ManifestEntry> pages)
    {
        var chunks = new List<List<ManifestEntry>>();
        var current = new List<ManifestEntry>();
        var size = 64;
        foreach (var page in pages)
        {
            var entrySize = Size(page) + 1;
            if (current.Count > 0 && size + entrySize > MaxPropertyBytes)
            {
                chunks.Add(current);
                current = [];
                size = 64;
            }

            current.Add(page);
            size += entrySize;
        }

        chunks.Add(current);
        return chunks;
    }

    private static int Size<T>(T value) => Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(value, ConfluenceConnection.Json));

    private T Deserialize<T>(JsonElement value, string key)
        where T : class
    {
        try
        {
            return value.Deserialize<T>(ConfluenceConnection.Json) ?? throw Corrupt(key, "it is empty", null);
        }
        catch (JsonException e)
        {
            throw Corrupt(key, $"it is not a manifest CodeDoc can read ({e.Message})", e);
        }
    }

    private DocPublisherException Corrupt(string key, string problem, Exception? inner) => new(
        $"The manifest of '{_setId}' kept in the content property {key} of page {_anchorId} cannot be used: {problem}. CodeDoc does not start " +
        "over on its own, because the pages it published would be orphaned. Restore the property from the page's history if you can; " +
        "otherwise delete the codedoc.set properties of that page and move the set's pages aside before publishing again.",
        inner)
    {
        ProviderName = _providerName,
    };

    /// <summary>The head property's value.</summary>
    private sealed record ManifestHead
    {
        public int Schema { get; init; } = ManifestDocument.CurrentSchema;

        public required string Set { get; init; }

        public string? Commit { get; init; }

        public string? Generator { get; init; }

        public DateTimeOffset PublishedAt { get; init; }

        public string? Slot { get; init; }

        public int Shards { get; init; }

        public IReadOnlyList<ManifestEntry> Pages { get; init; } = [];

        public IReadOnlyDictionary<string, string>? Properties { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public int PropertySegments { get; init; }
    }

    /// <summary>The value of a page's <see cref="MarkdownPropertyKey"/> property.</summary>
    private sealed record MarkdownRecord
    {
        public required string Set { get; init; }

        public required string Key { get; init; }

        public required string Hash { get; init; }

        public required string Markdown { get; init; }
    }

    /// <summary>A segment property's value: a piece of the set's compressed properties.</summary>
    private sealed record PropertySegment
    {
        public string Data { get; init; } = string.Empty;
    }

    /// <summary>A chunk property's value.</summary>
    private sealed record ManifestChunk
    {
        public IReadOnlyList<ManifestEntry> Pages { get; init; } = [];
    }
}
