using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.Zip;

namespace CodeDoc.Pipeline;

/// <summary>
/// Reads a zip forward only with SharpZipLib's <see cref="ZipInputStream"/> (never <c>ZipArchive</c>, which buffers a
/// non-seekable stream whole). After the last local entry it reads the central directory too: only there does a zip
/// say which entries are symbolic links, and reading it to the end detects a truncated download.
/// </summary>
/// <remarks>
/// SharpZipLib reads synchronously; the raw stream is read on the calling thread. An entry's data is checked against
/// its declared size as it is read, and entries whose end can only be found by inflating them (data descriptor) are
/// drained through the guard, so a bomb hidden in a skipped entry is still caught.
/// </remarks>
internal sealed class ZipEntrySource : IArchiveEntrySource
{
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint Zip64EndOfCentralDirectorySignature = 0x06064b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint DigitalSignatureSignature = 0x05054b50;
    private const int CentralHeaderFixedLength = 42;
    private const int UnixHost = 3;
    private const int SymbolicLinkMode = 0xA000;

    private readonly ForwardZipInputStream _zip;
    private readonly ArchiveGuard _guard;
    private readonly List<byte[]> _symbolicLinks = [];
    private ZipEntry? _entry;
    private long _entryRead;
    private long? _declared;
    private bool _hasDescriptor;
    private int _localEntries;

    /// <summary>Initializes a new instance of the <see cref="ZipEntrySource"/> class.</summary>
    /// <param name="raw">The raw zip stream; not disposed.</param>
    /// <param name="guard">The limits.</param>
    public ZipEntrySource(Stream raw, ArchiveGuard guard)
    {
        // Latin-1 hands the name bytes through unchanged, whatever the UTF-8 flag says; names are validated later.
        _zip = new ForwardZipInputStream(raw, StringCodec.FromEncoding(Encoding.Latin1).WithForcedLegacyEncoding()) { IsStreamOwner = false };
        _guard = guard;
    }

    /// <inheritdoc />
    public IReadOnlyList<byte[]> LateSymbolicLinks => _symbolicLinks;

    /// <inheritdoc />
    public async ValueTask<ArchiveEntry?> NextAsync(CancellationToken cancellationToken)
    {
        if (_entry is not null && _hasDescriptor)
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var entry = Wrap(() => _zip.GetNextEntry());
        _entry = entry;
        if (entry is null)
        {
            if (_localEntries > 0)
            {
                Wrap(ReadCentralDirectory);
            }

            return null;
        }

        _localEntries++;
        var name = Encoding.Latin1.GetBytes(entry.Name);
        _guard.CountEntry(name);
        if (entry.IsCrypted)
        {
            throw _guard.Corrupt("the entry is encrypted, which a repository archive never is");
        }

        _hasDescriptor = entry.HasFlag(GeneralBitFlags.Descriptor);
        if (!_zip.CanDecompressEntry)
        {
            throw _guard.Corrupt(entry.CompressionMethod == CompressionMethod.Stored
                ? "a stored entry has a data descriptor, so its end cannot be found reading forward"
                : FormattableString.Invariant($"the entry uses compression method {(int)entry.CompressionMethod}; only stored and deflated entries can be read (git archive --format=zip writes those)"));
        }

        _entryRead = 0;
        _declared = !_hasDescriptor && entry.Size >= 0 ? entry.Size : null;
        if (_declared is { } declared)
        {
            _guard.CheckDeclaredSize(declared);
        }

        return entry.IsDirectory
            ? new ArchiveEntry(name, ArchiveEntryKind.Directory, null)
            : new ArchiveEntry(name, ArchiveEntryKind.File, _declared);
    }

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_entry is null || buffer.IsEmpty)
        {
            return ValueTask.FromResult(0);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!MemoryMarshal.TryGetArray<byte>(buffer, out var segment))
        {
            throw new ArgumentException("The buffer must be backed by an array.", nameof(buffer));
        }

        var read = Wrap(() => _zip.Read(segment.Array!, segment.Offset, segment.Count));
        _entryRead += read;
        _guard.CountExpanded(read);
        if (_entryRead > _declared)
        {
            throw _guard.Corrupt(FormattableString.Invariant($"the entry holds more data than the {_declared} bytes its header declares"));
        }

        return ValueTask.FromResult(read);
    }

    /// <inheritdoc />
    public void Dispose() => _zip.Dispose();

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    // Reads the central directory and the records after it to the end-of-central-directory record, so a download cut
    // anywhere is noticed; collects the entries a Unix host marked as symbolic links.
    private void ReadCentralDirectory()
    {
        var signature = _zip.EndSignature ?? CentralHeaderSignature;
        if (signature == EndOfCentralDirectorySignature)
        {
            throw _guard.Corrupt("the archive has entries but no central directory");
        }

        var header = new byte[CentralHeaderFixedLength];
        var records = 0;
        while (signature == CentralHeaderSignature)
        {
            if (++records > _localEntries)
            {
                throw _guard.Corrupt("the central directory lists more entries than the archive holds");
            }

            _zip.ReadRaw(header);
            var madeBy = BinaryPrimitives.ReadUInt16LittleEndian(header);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(24));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(26));
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
            var attributes = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(34));
            var name = new byte[nameLength];
            _zip.ReadRaw(name);
            _zip.SkipRaw(extraLength + commentLength);
            if (madeBy >> 8 == UnixHost && ((attributes >> 16) & 0xF000) == SymbolicLinkMode)
            {
                _symbolicLinks.Add(name);
            }

            signature = _zip.ReadUInt32();
        }

        while (signature != EndOfCentralDirectorySignature)
        {
            switch (signature)
            {
                case Zip64EndOfCentralDirectorySignature:
                    _zip.SkipRaw(checked((long)_zip.ReadUInt64()));
                    break;
                case Zip64LocatorSignature:
                    _zip.SkipRaw(16);
                    break;
                case DigitalSignatureSignature:
                    _zip.SkipRaw(_zip.ReadUInt16());
                    break;
                default:
                    throw _guard.Corrupt(FormattableString.Invariant($"an unexpected record (signature 0x{signature:X8}) follows the central directory"));
            }

            signature = _zip.ReadUInt32();
        }

        var end = new byte[18];
        _zip.ReadRaw(end);
        _zip.SkipRaw(BinaryPrimitives.ReadUInt16LittleEndian(end.AsSpan(16)));
    }

    private T Wrap<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is SharpZipBaseException or EndOfStreamException)
        {
            throw ex.Message.Contains("EOF", StringComparison.OrdinalIgnoreCase) || ex is EndOfStreamException
                ? _guard.Truncated($"the zip data ends early ({ex.Message})")
                : _guard.Corrupt(ex.Message, ex);
        }
    }

    private void Wrap(Action read) => Wrap(() =>
    {
        read();
        return 0;
    });

    /// <summary>Exposes the bytes SharpZipLib has buffered after the last local entry, so the central directory can be read.</summary>
    private sealed class ForwardZipInputStream(Stream baseInputStream, StringCodec stringCodec) : ZipInputStream(baseInputStream, stringCodec)
    {
        /// <summary>Gets the signature that ended the local entries, when it is still in the buffer.</summary>
        public uint? EndSignature
        {
            get
            {
                var position = inputBuffer.RawLength - inputBuffer.Available;
                return position >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(inputBuffer.RawData.AsSpan(position - 4)) : null;
            }
        }

        /// <summary>Reads raw bytes after the local entries.</summary>
        /// <param name="buffer">Filled completely.</param>
        /// <exception cref="EndOfStreamException">The stream ended first.</exception>
        public void ReadRaw(byte[] buffer)
        {
            if (buffer.Length > 0 && inputBuffer.ReadRawBuffer(buffer, 0, buffer.Length) != buffer.Length)
            {
                throw new EndOfStreamException("The zip data ends inside its central directory.");
            }
        }

        public ushort ReadUInt16()
        {
            var bytes = new byte[2];
            ReadRaw(bytes);
            return BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        }

        public uint ReadUInt32()
        {
            var bytes = new byte[4];
            ReadRaw(bytes);
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        }

        public ulong ReadUInt64()
        {
            var bytes = new byte[8];
            ReadRaw(bytes);
            return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }

        /// <summary>Skips raw bytes, reading them (the stream cannot seek).</summary>
        /// <param name="count">The bytes to skip.</param>
        public void SkipRaw(long count)
        {
            var scratch = new byte[(int)Math.Min(count, 64 * 1024)];
            while (count > 0)
            {
                var step = (int)Math.Min(count, scratch.Length);
                if (inputBuffer.ReadRawBuffer(scratch, 0, step) != step)
                {
                    throw new EndOfStreamException("The zip data ends inside its central directory.");
                }

                count -= step;
            }
        }
    }
}
