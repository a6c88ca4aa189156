using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CodeDoc.Pipeline;

/// <summary>
/// Fences repository text (code, READMEs, the steering file's notes, published pages) as data in prompts. Each block
/// has an id derived from its text, extended until the text holds no line that could close the block, so no
/// repository content can end its fence early and pose as instructions. The id is deterministic: the same text gives
/// the same prompt, which keeps vendors' prompt caches warm across runs.
/// </summary>
internal static class DataFence
{
    /// <summary>Wraps text as a data block.</summary>
    /// <param name="kind">What the block holds, e.g. <c>file</c>, <c>summary</c>, <c>notes</c>.</param>
    /// <param name="attributes">Attributes such as the path (values must not contain quotes or line ends).</param>
    /// <param name="text">The text.</param>
    /// <returns>The block, ending with a line end.</returns>
    public static string Wrap(string kind, IReadOnlyList<(string Name, string Value)> attributes, string text)
    {
        var id = IdFor(text);
        var builder = new StringBuilder(text.Length + 100);
        builder.Append("<<<").Append(kind);
        foreach (var (name, value) in attributes)
        {
            builder.Append(' ').Append(name).Append("=\"").Append(Clean(value)).Append('"');
        }

        builder.Append(" id=").Append(id).Append(">>>\n").Append(text);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            builder.Append('\n');
        }

        return builder.Append("<<<end ").Append(id).Append(">>>\n").ToString();
    }

    /// <summary>The id of a block: a short hash of its text, lengthened while the text contains the closing line.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The id.</returns>
    public static string IdFor(string text)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 3));
        for (var extra = 1; text.Contains("<<<end " + id, StringComparison.Ordinal); extra++)
        {
            id += extra.ToString(CultureInfo.InvariantCulture);
        }

        return id;
    }

    private static string Clean(string value) =>
        new(value.Select(c => c is '"' or '\n' or '\r' or '>' or '<' ? '_' : c).ToArray());
}
