using System.Buffers;
using System.Text;
using System.Text.Unicode;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>An entry name after validation: either a safe relative path or the reason it is not one.</summary>
/// <param name="Path">The safe, normalized, '/'-separated path (empty for the tree's root); <see langword="null"/> when rejected.</param>
/// <param name="Display">How to show the name in a report (escaped when it is not valid text).</param>
/// <param name="Problem">Why the name was rejected.</param>
/// <param name="Detail">The detail for the report.</param>
internal readonly record struct EntryPath(string? Path, string Display, ExclusionReason? Problem, string? Detail)
{
    /// <summary>Gets a value indicating whether the name is a safe path.</summary>
    public bool IsValid => Path is not null;

    /// <summary>Validates a name given as raw bytes (tar and zip names).</summary>
    /// <param name="raw">The bytes.</param>
    /// <returns>The validated path.</returns>
    public static EntryPath FromBytes(ReadOnlySpan<byte> raw)
    {
        if (!Utf8.IsValid(raw))
        {
            return Invalid(Escape(raw), "the name is not valid UTF-8");
        }

        return FromText(Encoding.UTF8.GetString(raw));
    }

    /// <summary>Validates a name given as text (entry trees).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The validated path.</returns>
    public static EntryPath FromText(string name)
    {
        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                return Invalid(Escape(name), "the name holds control characters");
            }
        }

        if (HasLoneSurrogate(name))
        {
            return Invalid(Escape(name), "the name is not valid Unicode");
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return Rejected(name, "the name holds a backslash, which Windows reads as a separator");
        }

        if (name.StartsWith('/'))
        {
            return Rejected(name, "the path is absolute");
        }

        if (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':')
        {
            return Rejected(name, "the path starts with a drive letter");
        }

        return Normalize(name);
    }

    /// <summary>Shows a name in a report, escaping what is not printable text (<c>\xNN</c> for bytes, <c>\uNNNN</c> for control characters).</summary>
    /// <param name="raw">The raw name.</param>
    /// <returns>The escaped name.</returns>
    public static string Escape(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0 && !raw.Contains((byte)'\\'))
        {
            return Encoding.ASCII.GetString(raw);
        }

        var builder = new StringBuilder(raw.Length + 8);
        while (!raw.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(raw, out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                builder.Append(@"\x").Append(raw[0].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                raw = raw[1..];
                continue;
            }

            AppendEscaped(builder, rune);
            raw = raw[consumed..];
        }

        return builder.ToString();
    }

    /// <summary>Shows a name in a report, escaping control characters and lone surrogates.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The escaped name.</returns>
    public static string Escape(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (Rune.TryGetRuneAt(name, i, out var rune))
            {
                AppendEscaped(builder, rune);
                i += rune.Utf16SequenceLength - 1;
            }
            else
            {
                builder.Append(@"\u").Append(((int)name[i]).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static void AppendEscaped(StringBuilder builder, Rune rune)
    {
        if (Rune.IsControl(rune))
        {
            builder.Append(@"\u").Append(rune.Value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (rune.Value == '\\')
        {
            builder.Append(@"\\");
        }
        else
        {
            builder.Append(rune.ToString());
        }
    }

    private static bool HasLoneSurrogate(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(name[i]))
            {
                return true;
            }
        }

        return false;
    }

    // Drops empty and "." segments ("./src//a/" is "src/a"); any ".." segment is a traversal.
    private static EntryPath Normalize(string name)
    {
        var clean = true;
        foreach (var range in name.AsSpan().Split('/'))
        {
            var segment = name.AsSpan(range);
            if (segment is "..")
            {
                return Rejected(name, "the path climbs out of the tree with '..'");
            }

            clean &= !segment.IsEmpty && segment is not ".";
        }

        if (clean)
        {
            return new EntryPath(name, name, null, null);
        }

        var path = string.Join('/', name.Split('/').Where(s => s.Length > 0 && s != "."));
        return new EntryPath(path, path, null, null);
    }

    private static EntryPath Invalid(string display, string detail) =>
        new(null, display, ExclusionReason.InvalidName, detail);

    private static EntryPath Rejected(string name, string detail) =>
        new(null, name, ExclusionReason.UnsafePath, detail);
}
