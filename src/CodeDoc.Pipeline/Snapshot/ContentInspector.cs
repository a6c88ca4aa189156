using System.Buffers;
using System.Text;
using System.Text.Unicode;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>How the bytes of a text file are decoded.</summary>
internal enum TextEncodingKind
{
    /// <summary>UTF-8 without a byte order mark.</summary>
    Utf8,

    /// <summary>UTF-8 after a byte order mark.</summary>
    Utf8WithBom,

    /// <summary>UTF-16 little endian after a byte order mark.</summary>
    Utf16LittleEndian,

    /// <summary>UTF-16 big endian after a byte order mark.</summary>
    Utf16BigEndian,

    /// <summary>Latin-1: the fallback for text that is not valid UTF-8 (every byte is a character).</summary>
    Latin1,
}

/// <summary>The verdict on a file's bytes: an exclusion, or how to decode the text.</summary>
/// <param name="Exclusion">Why the file is left out, or <see langword="null"/> for text to read.</param>
/// <param name="Detail">The detail of the exclusion.</param>
/// <param name="Encoding">How to decode the text.</param>
internal readonly record struct ContentVerdict(ExclusionReason? Exclusion, string? Detail, TextEncodingKind Encoding);

/// <summary>Decides from a file's bytes whether it is text worth reading, and decodes it. Cheap, vectorized checks only.</summary>
internal static class ContentInspector
{
    /// <summary>How much of a file the binary check looks at, as git does.</summary>
    public const int SniffLength = 8 * 1024;

    private const int MinifiedMinimumBytes = 4 * 1024;
    private const int MinifiedAverageLineLength = 1000;
    private const int MinifiedMaximumOrdinaryLines = 50;
    private const int GeneratedMarkerWindow = 1024;
    private const int LfsPointerMaximumBytes = 1024;

    // Control bytes that do not occur in text. Tab, line feed, vertical tab, form feed, carriage return, backspace
    // and escape (ANSI colours in logs) do.
    private static readonly SearchValues<byte> BinaryControls = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 127]);

    private static readonly SearchValues<char> BinaryControlChars = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001C\u001D\u001E\u001F\u007F");

    /// <summary>Inspects a whole file.</summary>
    /// <param name="content">The bytes.</param>
    /// <param name="useBuiltInLists">Whether the generated-marker and minified checks apply.</param>
    /// <returns>The verdict.</returns>
    public static ContentVerdict Inspect(ReadOnlySpan<byte> content, bool useBuiltInLists)
    {
        if (IsLfsPointer(content))
        {
            return Excluded(ExclusionReason.LfsPointer, "Git LFS pointer: the content lives in LFS storage, not in the repository");
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || content.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            var encoding = content[0] == 0xFF ? TextEncodingKind.Utf16LittleEndian : TextEncodingKind.Utf16BigEndian;
            return InspectUtf16(content, encoding);
        }

        var hasBom = content.StartsWith("\uFEFF"u8);
        var body = hasBom ? content[3..] : content;
        var sample = body[..Math.Min(body.Length, SniffLength)];
        if (sample.Contains((byte)0))
        {
            return Excluded(ExclusionReason.Binary, "binary content: NUL bytes in the first 8 KiB");
        }

        if (sample.ContainsAny(BinaryControls) && CountControls(sample) * 100 / sample.Length is var share && share > 10)
        {
            return Excluded(ExclusionReason.Binary, FormattableString.Invariant($"binary content: {share}% control bytes in the first 8 KiB"));
        }

        var kind = TextEncodingKind.Utf8WithBom;
        if (!hasBom)
        {
            if (Utf8.IsValid(body))
            {
                kind = TextEncodingKind.Utf8;
            }
            else if (body.Contains((byte)0))
            {
                return Excluded(ExclusionReason.Binary, "binary content: not UTF-8 and holds NUL bytes");
            }
            else
            {
                kind = TextEncodingKind.Latin1;
            }
        }

        if (useBuiltInLists)
        {
            if (FindGeneratedMarker(body) is { } marker)
            {
                return Excluded(ExclusionReason.Generated, $"generated code: marked '{marker}'");
            }

            if (AverageLineLengthIfMinified(body) is { } average)
            {
                return Excluded(ExclusionReason.Minified, FormattableString.Invariant(
                    $"minified or bundled code: average line length {average} > {MinifiedAverageLineLength} characters"));
            }
        }

        return new ContentVerdict(null, null, kind);
    }

    /// <summary>Decodes a file's bytes.</summary>
    /// <param name="content">The bytes.</param>
    /// <param name="encoding">The encoding <see cref="Inspect"/> chose.</param>
    /// <returns>The text.</returns>
    public static string Decode(ReadOnlySpan<byte> content, TextEncodingKind encoding) => encoding switch
    {
        TextEncodingKind.Utf8 => Encoding.UTF8.GetString(content),
        TextEncodingKind.Utf8WithBom => Encoding.UTF8.GetString(content[3..]),
        TextEncodingKind.Utf16LittleEndian => Encoding.Unicode.GetString(content[2..]),
        TextEncodingKind.Utf16BigEndian => Encoding.BigEndianUnicode.GetString(content[2..]),
        _ => Encoding.Latin1.GetString(content),
    };

    /// <summary>Counts lines: every line feed ends one, and a last line without one counts too.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of lines.</returns>
    public static int CountLines(ReadOnlySpan<char> text) =>
        text.IsEmpty ? 0 : text.Count('\n') + (text[^1] == '\n' ? 0 : 1);

    private static bool IsLfsPointer(ReadOnlySpan<byte> content)
    {
        if (content.Length >= LfsPointerMaximumBytes)
        {
            return false;
        }

        ReadOnlySpan<byte> rest;
        if (content.StartsWith("version https://git-lfs.github.com/spec/v1"u8))
        {
            rest = content["version https://git-lfs.github.com/spec/v1"u8.Length..];
        }
        else if (content.StartsWith("version https://hawser.github.com/spec/v1"u8))
        {
            rest = content["version https://hawser.github.com/spec/v1"u8.Length..];
        }
        else
        {
            return false;
        }

        return !rest.IsEmpty && rest[0] is (byte)'\n' or (byte)'\r';
    }

    private static ContentVerdict InspectUtf16(ReadOnlySpan<byte> content, TextEncodingKind encoding)
    {
        var sampleBytes = content[2..Math.Min(content.Length, SniffLength + 2)];
        var sample = (encoding == TextEncodingKind.Utf16LittleEndian ? Encoding.Unicode : Encoding.BigEndianUnicode).GetString(sampleBytes);
        if (sample.Contains('\0', StringComparison.Ordinal))
        {
            return Excluded(ExclusionReason.Binary, "binary content: NUL characters in the first 8 KiB");
        }

        var controls = 0;
        foreach (var c in sample)
        {
            controls += BinaryControlChars.Contains(c) ? 1 : 0;
        }

        return sample.Length > 0 && controls * 100 / sample.Length > 10
            ? Excluded(ExclusionReason.Binary, "binary content: control characters in the first 8 KiB")
            : new ContentVerdict(null, null, encoding);
    }

    private static int CountControls(ReadOnlySpan<byte> sample)
    {
        var controls = 0;
        while (sample.IndexOfAny(BinaryControls) is var index && index >= 0)
        {
            controls++;
            sample = sample[(index + 1)..];
        }

        return controls;
    }

    // Go's "// Code generated ... DO NOT EDIT." convention (also written with '#') and .NET's <auto-generated> header.
    private static string? FindGeneratedMarker(ReadOnlySpan<byte> body)
    {
        var head = body[..Math.Min(body.Length, GeneratedMarkerWindow)];
        foreach (var range in head.Split((byte)'\n'))
        {
            var line = head[range].TrimStart((byte)' ');
            if ((line.StartsWith("// Code generated "u8) || line.StartsWith("# Code generated "u8)) && line.IndexOf("DO NOT EDIT"u8) >= 0)
            {
                return "Code generated ... DO NOT EDIT";
            }

            if (line.StartsWith("//"u8) && line.IndexOf("<auto-generated"u8) >= 0)
            {
                return "<auto-generated>";
            }
        }

        return null;
    }

    // Minified or bundled: long lines on average, and few ordinary lines (a hand-written file that embeds one long
    // blob keeps its many ordinary lines and is read).
    private static int? AverageLineLengthIfMinified(ReadOnlySpan<byte> body)
    {
        if (body.Length < MinifiedMinimumBytes)
        {
            return null;
        }

        var lines = body.Count((byte)'\n') + (body[^1] == '\n' ? 0 : 1);
        var average = body.Length / lines;
        if (average <= MinifiedAverageLineLength)
        {
            return null;
        }

        var ordinary = 0;
        var rest = body;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var length = end < 0 ? rest.Length : end;
            if (length <= MinifiedAverageLineLength && ++ordinary >= MinifiedMaximumOrdinaryLines)
            {
                return null;
            }

            rest = end < 0 ? [] : rest[(end + 1)..];
        }

        return average;
    }

    private static ContentVerdict Excluded(ExclusionReason reason, string detail) => new(reason, detail, TextEncodingKind.Utf8);
}
