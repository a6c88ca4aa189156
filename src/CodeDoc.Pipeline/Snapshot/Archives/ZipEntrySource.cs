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
        _guard.CountEntry();
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

        var name = Encoding.Latin1.GetBytes(entry.Name);
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

    private void ReadCentralDirectory()
    {
        if (_zip.EndSignature is { } signature && signature != CentralHeaderSignature)
        {
            if (signature == EndOfCentralDirectorySignature)
            {
                throw _guard.Corrupt("the archive has entries but no central directory");
            }

            throw _guard.Corrupt(FormattableString.Invariant($"an unexpected record (signature 0x{signature:X8}) follows the last entry"));
        }

        var header = new byte[CentralHeaderFixedLength];
        var signatureBytes = new byte[4];
        var records = 0;
        while (true)
        {
            if (++records > _guard.Entries + 1 || records > int.MaxValue - 1)
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
            _zip.ReadRaw(new byte[extraLength + commentLength]);
            if (madeBy >> 8 == UnixHost && ((attributes >> 16) & 0xF000) == SymbolicLinkMode)
            {
                _symbolicLinks.Add(name);
            }

            _zip.ReadRaw(signatureBytes);
            if (BinaryPrimitives.ReadUInt32LittleEndian(signatureBytes) != CentralHeaderSignature)
            {
                return;
            }
        }
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
        /// <param name="buffer">Filled completely, or a <see cref="ZipException"/> at the end of the stream.</param>
        public void ReadRaw(byte[] buffer)
        {
            if (buffer.Length > 0)
            {
                inputBuffer.ReadRawBuffer(buffer, 0, buffer.Length);
            }
        }
    }
}
