using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// The content of one file of an entry tree, opened only when first read (excluded files are never opened) and
/// checked against the size the source declared.
/// </summary>
internal sealed class EntryStreamContent : IEntryContent, IAsyncDisposable
{
    private readonly RepositoryEntry _entry;
    private readonly ArchiveGuard _guard;
    private Stream? _stream;
    private long _read;

    public EntryStreamContent(RepositoryEntry entry, ArchiveGuard guard)
    {
        _entry = entry;
        _guard = guard;
    }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        _stream ??= await _entry.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        var read = await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _read += read;
        _guard.CountExpanded(read);
        if (_read > _entry.Size)
        {
            throw new SnapshotException(FormattableString.Invariant(
                $"'{_guard.CurrentEntry}' holds more than the {_entry.Size} bytes its source declared: it changed while being read, or the source reports wrong sizes. Read the tree again."));
        }

        return read;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _stream?.DisposeAsync() ?? ValueTask.CompletedTask;
}
