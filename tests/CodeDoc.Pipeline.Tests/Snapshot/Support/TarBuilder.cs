using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>Writes tar streams header by header, including malformed ones.</summary>
public sealed class TarBuilder
{
    private readonly ArrayBufferWriter<byte> _stream = new();

    public TarBuilder File(string name, string content) => Entry(Encoding.UTF8.GetBytes(name), (byte)'0', Encoding.UTF8.GetBytes(content));

    public TarBuilder File(string name, byte[] content) => Entry(Encoding.UTF8.GetBytes(name), (byte)'0', content);

    public TarBuilder Directory(string name) => Entry(Encoding.UTF8.GetBytes(name.EndsWith('/') ? name : name + "/"), (byte)'5', []);

    public TarBuilder Link(string name, byte type, string target) =>
        Entry(Encoding.UTF8.GetBytes(name), type, [], Encoding.UTF8.GetBytes(target));

    public TarBuilder Pax(params (string Key, string Value)[] records) => Entry("PaxHeaders/x"u8.ToArray(), (byte)'x', PaxData(records));

    public TarBuilder GlobalPax(params (string Key, string Value)[] records) => Entry("pax_global_header"u8.ToArray(), (byte)'g', PaxData(records));

    public TarBuilder GnuLongName(string name) => Entry("././@LongLink"u8.ToArray(), (byte)'L', [.. Encoding.UTF8.GetBytes(name), 0]);

    /// <summary>Adds an entry; <paramref name="tamper"/> may change the header after the checksum was computed.</summary>
    public TarBuilder Entry(byte[] name, byte type, byte[] data, byte[]? link = null, long? declaredSize = null, Action<byte[]>? tamper = null, bool writeData = true)
    {
        var header = new byte[512];
        name.AsSpan(0, Math.Min(100, name.Length)).CopyTo(header);
        Octal(header, 100, 8, 420);
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        Octal(header, 124, 12, declaredSize ?? data.Length);
        Octal(header, 136, 12, 1_700_000_000);
        header[156] = type;
        link?.AsSpan(0, Math.Min(100, link.Length)).CopyTo(header.AsSpan(157));
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        "root"u8.CopyTo(header.AsSpan(265));
        "root"u8.CopyTo(header.AsSpan(297));
        WriteChecksum(header);
        tamper?.Invoke(header);
        _stream.Write(header);
        if (writeData)
        {
            _stream.Write(data);
            _stream.Write(new byte[(512 - (data.Length % 512)) % 512]);
        }

        return this;
    }

    public TarBuilder Raw(byte[] bytes)
    {
        _stream.Write(bytes);
        return this;
    }

    public byte[] Build(bool endMarker = true)
    {
        return endMarker ? [.. _stream.WrittenSpan, .. new byte[1024]] : _stream.WrittenSpan.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static void WriteChecksum(byte[] header)
    {
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }

        var text = Convert.ToString(sum, 8).PadLeft(6, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(header, 148);
        header[154] = 0;
        header[155] = (byte)' ';
    }

    private static byte[] PaxData((string Key, string Value)[] records)
    {
        var builder = new List<byte>();
        foreach (var (key, value) in records)
        {
            var body = Encoding.UTF8.GetByteCount($" {key}={value}\n");
            var length = body + 1;
            while (length != body + length.ToString(CultureInfo.InvariantCulture).Length)
            {
                length = body + length.ToString(CultureInfo.InvariantCulture).Length;
            }

            builder.AddRange(Encoding.UTF8.GetBytes($"{length} {key}={value}\n"));
        }

        return [.. builder];
    }

    private static void Octal(byte[] header, int offset, int length, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        header[offset + length - 1] = 0;
    }
}
