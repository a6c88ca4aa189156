using System.Buffers;

namespace CodeDoc.Pipeline;

/// <summary>
/// A strict, forward-only tar reader (POSIX ustar and pax, GNU long names, V7) over a non-seekable stream with one
/// pooled buffer. It exists because SharpZipLib's <c>TarInputStream</c> silently drops devices, FIFOs and other
/// special entries, and reads only one metadata header per entry: a <c>git archive</c> tar whose first path is long
/// (a pax header right after the pax global header) comes out as a bogus entry and a file with the wrong name.
/// </summary>
/// <remarks>
/// Every header's checksum is verified; metadata records (pax, GNU long names) are capped; an archive must end with
/// its end-of-archive block, so a download cut at an entry boundary is reported as truncated. Only regular files and
/// unknown types carry data, as in POSIX; the size field of links, directories and devices is ignored.
/// </remarks>
internal sealed class TarEntryReader : IArchiveEntrySource
{
    private const int BlockSize = 512;
    private const int BufferSize = 64 * 1024;
    private const int MaxMetadataBytes = 1024 * 1024;

    // A pax global header, a pax header and GNU long name and link records can precede one entry; a longer run is a flood.
    private const int MaxHeadersPerEntry = 8;

    private readonly Stream _stream;
    private readonly ArchiveGuard _guard;
    private readonly bool _readToEnd;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _position;
    private int _length;
    private long _remaining;
    private long _padding;
    private bool _finished;
    private bool _anyHeader;

    /// <summary>Initializes a new instance of the <see cref="TarEntryReader"/> class.</summary>
    /// <param name="stream">The tar byte stream (already decompressed); not disposed.</param>
    /// <param name="guard">The limits; every byte read from <paramref name="stream"/> counts as expanded.</param>
    /// <param name="readToEnd">Whether to read the stream to its end after the last entry (so a gzip trailer and its CRC are checked).</param>
    public TarEntryReader(Stream stream, ArchiveGuard guard, bool readToEnd)
    {
        _stream = stream;
        _guard = guard;
        _readToEnd = readToEnd;
    }

    /// <inheritdoc />
    public IReadOnlyList<byte[]> LateSymbolicLinks => [];

    /// <inheritdoc />
    public async ValueTask<ArchiveEntry?> NextAsync(CancellationToken cancellationToken)
    {
        if (_finished)
        {
            return null;
        }

        await SkipAsync(_remaining + _padding, cancellationToken).ConfigureAwait(false);
        _remaining = 0;
        _padding = 0;

        byte[]? longName = null;
        byte[]? longLink = null;
        PaxAttributes? pax = null;
        for (var headers = 1; ; headers++)
        {
            if (headers > MaxHeadersPerEntry)
            {
                throw _guard.Corrupt(FormattableString.Invariant($"more than {MaxHeadersPerEntry - 1} metadata headers precede one entry"));
            }

            if (!await EnsureAsync(BlockSize, cancellationToken).ConfigureAwait(false))
            {
                if (!_anyHeader && _length > _position)
                {
                    throw _guard.Corrupt($"the input is not a tar stream{FormatHint(_buffer.AsSpan(_position, _length - _position))}");
                }

                throw _length - _position > 0 || pax is not null || longName is not null || longLink is not null
                    ? _guard.Truncated("it ends inside a header")
                    : _guard.Truncated("it ends without the end-of-archive block");
            }

            var header = _buffer.AsMemory(_position, BlockSize);
            _position += BlockSize;
            if (!header.Span.ContainsAnyExcept((byte)0))
            {
                if (pax is not null || longName is not null || longLink is not null)
                {
                    throw _guard.Corrupt("a metadata header is followed by the end of the archive");
                }

                _finished = true;
                if (_readToEnd)
                {
                    await SkipAsync(long.MaxValue, cancellationToken).ConfigureAwait(false);
                }

                return null;
            }

            var entry = ParseHeader(header.Span);
            switch (entry.Type)
            {
                case (byte)'x':
                    pax = PaxAttributes.Parse(await ReadMetadataAsync(entry.Size, "pax header", cancellationToken).ConfigureAwait(false))
                        ?? throw _guard.Corrupt("a pax header is malformed");
                    continue;
                case (byte)'g':
                    // Global attributes (git archive writes the commit id here) change nothing we read.
                    await ReadMetadataAsync(entry.Size, "pax global header", cancellationToken).ConfigureAwait(false);
                    continue;
                case (byte)'L':
                    longName = TrimNul(await ReadMetadataAsync(entry.Size, "GNU long name", cancellationToken).ConfigureAwait(false));
                    continue;
                case (byte)'K':
                    longLink = TrimNul(await ReadMetadataAsync(entry.Size, "GNU long link name", cancellationToken).ConfigureAwait(false));
                    continue;
                case (byte)'V':
                    // A GNU volume label names the archive, not a file.
                    await ReadMetadataAsync(entry.Size, "GNU volume label", cancellationToken).ConfigureAwait(false);
                    continue;
            }

            var name = pax?.Path ?? longName ?? entry.Name;
            _guard.CountEntry(name);
            var size = pax?.Size ?? entry.Size;
            var link = pax?.LinkPath ?? longLink ?? entry.LinkName;
            var (kind, hasData, description) = Classify(entry.Type, name, pax?.IsSparse == true);
            if (hasData)
            {
                _guard.CheckDeclaredSize(size);
                _remaining = size;
                _padding = Padding(size);
            }

            return new ArchiveEntry(name, kind, kind == ArchiveEntryKind.File ? size : null, link, description);
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var wanted = (int)Math.Min(buffer.Length, _remaining);
        if (_position == _length)
        {
            if (wanted >= BufferSize)
            {
                // A large read goes straight into the caller's buffer, copying nothing twice.
                var direct = await _stream.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
                _guard.CountExpanded(direct);
                if (direct == 0)
                {
                    throw _guard.Truncated("it ends inside the entry's content");
                }

                _remaining -= direct;
                return direct;
            }

            if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw _guard.Truncated("it ends inside the entry's content");
            }
        }

        var count = Math.Min(wanted, _length - _position);
        _buffer.AsSpan(_position, count).CopyTo(buffer.Span);
        _position += count;
        _remaining -= count;
        return count;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private static long Padding(long size) => (BlockSize - (size % BlockSize)) % BlockSize;

    private static byte[] TrimNul(byte[] value)
    {
        var end = value.AsSpan().IndexOf((byte)0);
        return end < 0 ? value : value[..end];
    }

    private static (ArchiveEntryKind Kind, bool HasData, string? Description) Classify(byte type, byte[] name, bool sparse) => type switch
    {
        (byte)'0' or (byte)'7' or 0 when name.Length > 0 && name[^1] == '/' => (ArchiveEntryKind.Directory, false, null),
        (byte)'0' or (byte)'7' or 0 when sparse => (ArchiveEntryKind.Special, true, "sparse file (pax GNU.sparse)"),
        (byte)'0' or (byte)'7' or 0 => (ArchiveEntryKind.File, true, null),
        (byte)'1' => (ArchiveEntryKind.HardLink, false, null),
        (byte)'2' => (ArchiveEntryKind.SymbolicLink, false, null),
        (byte)'3' => (ArchiveEntryKind.Special, false, "character device"),
        (byte)'4' => (ArchiveEntryKind.Special, false, "block device"),
        (byte)'5' => (ArchiveEntryKind.Directory, false, null),
        (byte)'6' => (ArchiveEntryKind.Special, false, "FIFO (named pipe)"),
        (byte)'D' => (ArchiveEntryKind.Directory, true, null),
        (byte)'S' => (ArchiveEntryKind.Special, true, "GNU sparse file"),
        _ when type is >= 0x20 and < 0x7F => (ArchiveEntryKind.Special, true, $"tar entry of type '{(char)type}'"),
        _ => (ArchiveEntryKind.Special, true, FormattableString.Invariant($"tar entry of type 0x{type:X2}")),
    };

    // Numbers are octal ASCII (space or NUL padded) or GNU base-256 when the high bit is set.
    private static long? ParseNumber(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            if (field[0] == 0xFF)
            {
                return null;
            }

            long binary = field[0] & 0x7F;
            foreach (var b in field[1..])
            {
                if (binary > (long.MaxValue >> 8))
                {
                    return null;
                }

                binary = (binary << 8) | b;
            }

            return binary;
        }

        var i = 0;
        while (i < field.Length && field[i] is (byte)' ' or 0)
        {
            i++;
        }

        long value = 0;
        for (; i < field.Length && field[i] is not ((byte)' ' or 0); i++)
        {
            if (field[i] is < (byte)'0' or > (byte)'7' || value > (long.MaxValue >> 3))
            {
                return null;
            }

            value = (value * 8) + (field[i] - '0');
        }

        return field[i..].ContainsAnyExcept((byte)' ', (byte)0) ? null : value;
    }

    private static bool IsChecksumValid(ReadOnlySpan<byte> header, long stored)
    {
        long unsigned = 0;
        long signed = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        return stored == unsigned || stored == signed;
    }

    private static byte[] CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return (end < 0 ? field : field[..end]).ToArray();
    }

    private TarHeader ParseHeader(ReadOnlySpan<byte> header)
    {
        var checksum = ParseNumber(header.Slice(148, 8));
        if (checksum is null || !IsChecksumValid(header, checksum.Value))
        {
            throw _guard.Corrupt(_anyHeader ? "a header has a bad checksum" : $"the first header is not a tar header{FormatHint(header)}");
        }

        _anyHeader = true;
        var size = ParseNumber(header.Slice(124, 12)) ?? throw _guard.Corrupt("a header has an invalid size field");
        var name = CString(header[..100]);
        if (header.Slice(257, 6).SequenceEqual("ustar\0"u8) && header[345] != 0)
        {
            // POSIX ustar splits long paths into prefix and name; GNU's "ustar  " uses these bytes for other fields.
            var prefix = CString(header.Slice(345, 155));
            name = [.. prefix, (byte)'/', .. name];
        }

        return new TarHeader(header[156], size, name, CString(header.Slice(157, 100)));
    }

    private static string FormatHint(ReadOnlySpan<byte> header) =>
        header.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]) ? " (it looks like gzip: the format should be tar.gz)"
        : header.StartsWith("PK\u0003\u0004"u8) ? " (it looks like zip: the format should be zip)"
        : string.Empty;

    private async ValueTask<byte[]> ReadMetadataAsync(long size, string what, CancellationToken cancellationToken)
    {
        if (size > MaxMetadataBytes)
        {
            throw _guard.Corrupt(FormattableString.Invariant($"a {what} of {size} bytes is larger than any repository needs ({MaxMetadataBytes} allowed)"));
        }

        var value = new byte[size];
        var filled = 0;
        while (filled < value.Length)
        {
            if (_position == _length && await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw _guard.Truncated($"it ends inside a {what}");
            }

            var count = Math.Min(value.Length - filled, _length - _position);
            _buffer.AsSpan(_position, count).CopyTo(value.AsSpan(filled));
            _position += count;
            filled += count;
        }

        await SkipAsync(Padding(size), cancellationToken).ConfigureAwait(false);
        return value;
    }

    // Skips bytes; a skip of long.MaxValue reads to the end of the stream.
    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_position == _length && await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                if (count == long.MaxValue)
                {
                    return;
                }

                throw _guard.Truncated("it ends inside an entry's content");
            }

            var step = (int)Math.Min(count, _length - _position);
            _position += step;
            if (count != long.MaxValue)
            {
                count -= step;
            }
        }
    }

    private async ValueTask<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_length - _position < count)
        {
            if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        if (_position > 0)
        {
            _buffer.AsSpan(_position, _length - _position).CopyTo(_buffer);
            _length -= _position;
            _position = 0;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_length), cancellationToken).ConfigureAwait(false);
        _guard.CountExpanded(read);
        _length += read;
        return read;
    }

    private readonly record struct TarHeader(byte Type, long Size, byte[] Name, byte[] LinkName);

    private sealed class PaxAttributes
    {
        public byte[]? Path { get; private set; }

        public byte[]? LinkPath { get; private set; }

        public long? Size { get; private set; }

        public bool IsSparse { get; private set; }

        // Records are "<length> <key>=<value>\n", the length counting the whole record; null when malformed.
        public static PaxAttributes? Parse(ReadOnlySpan<byte> data)
        {
            var attributes = new PaxAttributes();
            while (!data.IsEmpty && data[0] != 0)
            {
                var space = data.IndexOf((byte)' ');
                if (space <= 0 || !long.TryParse(data[..space], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length) ||
                    length <= space + 1 || length > data.Length || data[(int)length - 1] != '\n')
                {
                    return null;
                }

                var record = data[(space + 1)..((int)length - 1)];
                var equals = record.IndexOf((byte)'=');
                if (equals <= 0)
                {
                    return null;
                }

                var key = record[..equals];
                var value = record[(equals + 1)..];
                if (key.SequenceEqual("path"u8))
                {
                    attributes.Path = value.ToArray();
                }
                else if (key.SequenceEqual("linkpath"u8))
                {
                    attributes.LinkPath = value.ToArray();
                }
                else if (key.SequenceEqual("size"u8))
                {
                    if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size))
                    {
                        return null;
                    }

                    attributes.Size = size;
                }
                else if (key.StartsWith("GNU.sparse."u8))
                {
                    attributes.IsSparse = true;
                }

                data = data[(int)length..];
            }

            return attributes;
        }
    }
}
