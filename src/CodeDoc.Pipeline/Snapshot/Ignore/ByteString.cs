using System.Text;

namespace CodeDoc.Pipeline;

/// <summary>
/// Converts between text and "byte strings": strings with one char per UTF-8 byte (Latin-1 code points). Ignore
/// rules match byte strings so that '?' and '[...]' see bytes as git does, while dictionaries and spans still work.
/// An ASCII path is its own byte string, which is the common case and costs nothing.
/// </summary>
internal static class ByteString
{
    /// <summary>Converts a path to its byte string.</summary>
    /// <param name="text">The path.</param>
    /// <returns>The byte string; the same instance when the path is ASCII.</returns>
    public static string FromText(string text) =>
        Ascii.IsValid(text) ? text : Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>Converts raw bytes (e.g. a line of a <c>.gitignore</c> file) to a byte string.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The byte string.</returns>
    public static string FromBytes(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>Converts a byte string back to readable text for details and messages.</summary>
    /// <param name="byteString">The byte string.</param>
    /// <returns>The text, with invalid UTF-8 replaced.</returns>
    public static string ToText(string byteString) =>
        Ascii.IsValid(byteString) ? byteString : Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(byteString));
}
