namespace CodeDoc.Transport;

/// <summary>
/// A forward-only stream whose first bytes have been read ahead (to recognise a format or a wrapper folder before
/// handing the stream on) and are replayed before the rest. Owns the inner stream.
/// </summary>
internal sealed class PeekedStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _head;
    private int _headPosition;

    private PeekedStream(Stream inner, byte[] head)
    {
        _inner = inner;
        _head = head;
    }

    /// <summary>Gets the bytes read ahead (fewer than asked when the stream is shorter).</summary>
    public ReadOnlyMemory<byte> Head => _head;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Reads up to <paramref name="count"/> bytes ahead from a stream.</summary>
    /// <param name="inner">The stream; owned by the result.</param>
    /// <param name="count">How many bytes to read ahead.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stream, replaying the bytes read ahead first.</returns>
    public static async Task<PeekedStream> PeekAsync(Stream inner, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var head = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await inner.ReadAsync(head.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return new PeekedStream(inner, filled == count ? head : head[..filled]);
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (_headPosition < _head.Length)
        {
            var part = Math.Min(buffer.Length, _head.Length - _headPosition);
            _head.AsSpan(_headPosition, part).CopyTo(buffer);
            _headPosition += part;
            return part;
        }

        return _inner.Read(buffer);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_headPosition < _head.Length)
        {
            var part = Math.Min(buffer.Length, _head.Length - _headPosition);
            _head.AsMemory(_headPosition, part).CopyTo(buffer);
            _headPosition += part;
            return ValueTask.FromResult(part);
        }

        return _inner.ReadAsync(buffer, cancellationToken);
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
