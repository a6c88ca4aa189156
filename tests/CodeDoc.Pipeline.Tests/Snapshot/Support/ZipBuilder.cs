using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ICSharpCode.SharpZipLib.Checksum;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>Writes zip streams entry by entry, with sizes, flags and attributes that may lie.</summary>
public sealed class ZipBuilder
{
    private readonly ArrayBufferWriter<byte> _stream = new();
    private readonly List<(byte[] Name, uint Crc, long Compressed, long Size, int Method, int Flags, long Offset, ushort MadeBy, uint Attributes)> _central = [];

    public ZipBuilder File(string name, string content, bool deflate = true) => Entry(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(content), deflate);

    public ZipBuilder Symlink(string name, string target) =>
        Entry(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(target), deflate: false, madeBy: 0x0317, attributes: 0xA1FFu << 16);

    /// <summary>Adds an entry; sizes default to the truth.</summary>
    public ZipBuilder Entry(
        byte[] name,
        byte[] content,
        bool deflate = true,
        long? declaredSize = null,
        bool descriptor = false,
        int? flags = null,
        int? method = null,
        uint? crc = null,
        ushort madeBy = 0x0314,
        uint attributes = 0x81A4u << 16)
    {
        var data = deflate ? Deflate(content) : content;
        var realCrc = crc ?? Crc(content);
        var entryFlags = (flags ?? 0) | (descriptor ? 8 : 0) | 0x800;
        var entryMethod = method ?? (deflate ? 8 : 0);
        var offset = _stream.WrittenCount;
        Span<byte> header = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 20);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)entryFlags);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], (ushort)entryMethod);
        if (!descriptor)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[14..], realCrc);
            BinaryPrimitives.WriteUInt32LittleEndian(header[18..], (uint)data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[22..], (uint)(declaredSize ?? content.Length));
        }

        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)name.Length);
        _stream.Write(header);
        _stream.Write(name);
        _stream.Write(data);
        if (descriptor)
        {
            Span<byte> trailer = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, 0x08074b50);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], realCrc);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[8..], (uint)data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[12..], (uint)(declaredSize ?? content.Length));
            _stream.Write(trailer);
        }

        _central.Add((name, realCrc, data.Length, declaredSize ?? content.Length, entryMethod, entryFlags, offset, madeBy, attributes));
        return this;
    }

    public byte[] Build(bool centralDirectory = true)
    {
        using var output = new MemoryStream();
        output.Write(_stream.WrittenSpan);
        if (!centralDirectory)
        {
            return output.ToArray();
        }

        var start = output.Position;
        foreach (var entry in _central)
        {
            var header = new byte[46];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), entry.MadeBy);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)entry.Flags);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), (ushort)entry.Method);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), entry.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)entry.Compressed);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)entry.Size);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), (ushort)entry.Name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(38), entry.Attributes);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(42), (uint)entry.Offset);
            output.Write(header);
            output.Write(entry.Name);
        }

        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)_central.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)_central.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)(output.Position - start));
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), (uint)start);
        output.Write(end);
        return output.ToArray();
    }

    public static byte[] Deflate(byte[] content)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(content);
        }

        return output.ToArray();
    }

    private static uint Crc(byte[] content)
    {
        var crc = new Crc32();
        crc.Update(content);
        return (uint)crc.Value;
    }
}
