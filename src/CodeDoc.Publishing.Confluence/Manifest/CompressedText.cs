using System.Buffers.Text;
using System.IO.Compression;
using System.Text;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Text kept in content properties in compressed form (gzip, then URL-safe base64 so it is a JSON string of ASCII characters):
/// generated text compresses well, and Confluence caps a property value at 32 KB. The URL-safe base64 alphabet, because
/// JSON writers escape the '+' of the standard one as six characters.
/// </summary>
internal static class CompressedText
{
    /// <summary>Compresses text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The URL-safe base64 of the gzip of the UTF-8 bytes.</returns>
    public static string Encode(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return Base64Url.EncodeToString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Decompresses text made by <see cref="Encode"/>.</summary>
    /// <param name="encoded">The encoded text.</param>
    /// <returns>The text, or <see langword="null"/> when the value is not such text (damaged, or changed by someone else).</returns>
    public static string? Decode(string encoded)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(Base64Url.DecodeFromChars(encoded)), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or DecoderFallbackException)
        {
            return null;
        }
    }
}
