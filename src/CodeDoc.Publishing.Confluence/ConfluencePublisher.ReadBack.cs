using CodeDoc.Core;

namespace CodeDoc.Publishing.Confluence;

/// <summary>Reading a published page back as the page Markdown it was published from, for incremental runs.</summary>
internal sealed partial class ConfluencePublisher
{
    /// <inheritdoc />
    /// <remarks>
    /// The Markdown is the copy kept in the page's <see cref="ManifestStore.MarkdownPropertyKey"/> property when
    /// CodeDoc wrote the page (see there why a copy and not a conversion of storage format). It is returned only while
    /// the page still holds what CodeDoc wrote: a version a person made gives <see langword="null"/>, unless it only
    /// changed team notes, which the publisher keeps on its own.
    /// </remarks>
    public async Task<string?> ReadPageMarkdownAsync(string documentSetId, string pageKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(documentSetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(pageKey);
        cancellationToken.ThrowIfCancellationRequested();
        var target = await OpenTargetAsync(cancellationToken).ConfigureAwait(false);
        var store = new ManifestStore(target.Site, target.AnchorId, documentSetId, Metadata.Name);
        var manifest = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (manifest?.Pages.FirstOrDefault(p => string.Equals(p.Key, pageKey, StringComparison.Ordinal)) is not { IsOutlinePage: true, Pending: false, Archived: false, Id: { } id } entry)
        {
            return null;
        }

        var current = await target.Site.GetPageAsync(id, withBody: false, cancellationToken).ConfigureAwait(false);
        if (current is not { IsLive: true } || !await HoldsCodeDocsVersionAsync(target.Site, entry, current, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return await store.ReadPageMarkdownAsync(id, pageKey, entry.Hash, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> HoldsCodeDocsVersionAsync(IConfluenceSite site, ManifestEntry entry, SitePage current, CancellationToken cancellationToken)
    {
        if (current.Version == entry.Version)
        {
            return true;
        }

        // A later version CodeDoc wrote holds what its tag names; one it did not write may have changed only team notes.
        if (PublishMarks.HashPrefix(current.VersionMessage) is { } tag)
        {
            return PublishMarks.Matches(entry.Hash, tag);
        }

        var body = (await site.GetPageAsync(current.Id, withBody: true, cancellationToken).ConfigureAwait(false))?.Body ?? string.Empty;
        var hash = StorageDocument.ContentHash(body);
        return string.Equals(hash, entry.Hash, StringComparison.Ordinal) || string.Equals(hash, entry.SiteHash, StringComparison.Ordinal);
    }
}
