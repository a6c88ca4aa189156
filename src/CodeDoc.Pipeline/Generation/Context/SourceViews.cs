using System.Globalization;
using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>How much of a file a prompt shows.</summary>
internal enum ViewKind
{
    /// <summary>Every line.</summary>
    Full,

    /// <summary>Declarations, signatures and comments; deeper lines (bodies) left out and marked.</summary>
    Outline,
}

/// <summary>A file as a prompt shows it.</summary>
/// <param name="Path">The file.</param>
/// <param name="Text">The text shown.</param>
/// <param name="Tokens">The tokens of <paramref name="Text"/>.</param>
/// <param name="Kind">How much of the file it shows.</param>
/// <param name="FirstLine">The first line shown (1-based); later than 1 for a piece of a file split across prompts.</param>
/// <param name="LastLine">The last line shown.</param>
internal sealed record FileView(string Path, string Text, int Tokens, ViewKind Kind, int FirstLine, int LastLine);

/// <summary>
/// The views of files prompts use. Summaries read every file once: small files and documentation in full, larger
/// code as an outline (lines up to the indentation depth of member declarations, with doc comments; bodies are left
/// out and each gap is marked), so a whole repository is read at well under its token count. Page excerpts number
/// their lines so the model can cite <c>path:start-end</c> that verification can check.
/// </summary>
internal static class SourceViews
{
    /// <summary>Files up to this many tokens are read in full.</summary>
    public const int FullReadTokens = 1_000;

    /// <summary>Documentation up to this many tokens is read in full.</summary>
    public const int FullReadDocumentationTokens = 6_000;

    /// <summary>The share of a file's tokens an outline aims for.</summary>
    public const double OutlineShare = 0.4;

    /// <summary>The mark of left-out lines.</summary>
    public const char Gap = '⋯';

    private static readonly string[] DataExtensions = [".json", ".yaml", ".yml", ".xml", ".csv", ".tsv", ".toml", ".ini", ".props", ".targets", ".resx", ".svg", ".sql", ".lock"];

    /// <summary>Tells how a summary reads a file of a given size, without its content (for forecasts).</summary>
    /// <param name="file">The file.</param>
    /// <returns>Whether it is read in full.</returns>
    public static bool ReadsInFull(SnapshotFile file) =>
        file.Tokens <= FullReadTokens || (RepositoryOutline.IsDocumentation(file.Path) && file.Tokens <= FullReadDocumentationTokens);

    /// <summary>The view a summary reads of a file.</summary>
    /// <param name="file">The file, with content.</param>
    /// <param name="tokens">The token counter.</param>
    /// <returns>The view.</returns>
    public static FileView ForSummary(SnapshotFile file, ITokenCounter tokens)
    {
        var content = ContentOf(file);
        var lines = SplitLines(content);
        if (ReadsInFull(file))
        {
            return new FileView(file.Path, content, file.Tokens, ViewKind.Full, 1, lines.Length);
        }

        var target = Math.Max(FullReadTokens, (int)(file.Tokens * OutlineShare));
        var text = IsData(file.Path) || RepositoryOutline.IsDocumentation(file.Path)
            ? Head(lines, target, tokens, numbered: false)
            : OutlineText(lines, target, tokens, numbered: false);
        return new FileView(file.Path, text, tokens.CountTokens(text), ViewKind.Outline, 1, lines.Length);
    }

    /// <summary>An excerpt for a page prompt: the file with numbered lines, in full when it fits, else its outline.</summary>
    /// <param name="file">The file, with content.</param>
    /// <param name="budget">The most tokens the excerpt may take.</param>
    /// <param name="tokens">The token counter.</param>
    /// <returns>The view, or <see langword="null"/> when not even the outline fits.</returns>
    public static FileView? Excerpt(SnapshotFile file, int budget, ITokenCounter tokens)
    {
        var lines = SplitLines(ContentOf(file));
        var full = Numbered(lines, 1, lines.Length);
        var fullTokens = tokens.CountTokens(full);
        if (fullTokens <= budget)
        {
            return new FileView(file.Path, full, fullTokens, ViewKind.Full, 1, lines.Length);
        }

        var outline = IsData(file.Path) || RepositoryOutline.IsDocumentation(file.Path)
            ? Head(lines, budget, tokens, numbered: true)
            : OutlineText(lines, budget, tokens, numbered: true);
        var outlineTokens = tokens.CountTokens(outline);
        return outlineTokens <= budget ? new FileView(file.Path, outline, outlineTokens, ViewKind.Outline, 1, lines.Length) : null;
    }

    /// <summary>Splits a view too large for one prompt into pieces of whole lines.</summary>
    /// <param name="view">The view.</param>
    /// <param name="maxTokens">The most tokens per piece.</param>
    /// <param name="tokens">The token counter.</param>
    /// <returns>The pieces in order.</returns>
    public static IReadOnlyList<FileView> Split(FileView view, int maxTokens, ITokenCounter tokens)
    {
        if (view.Tokens <= maxTokens)
        {
            return [view];
        }

        var lines = SplitLines(view.Text);
        var pieces = new List<FileView>();
        var builder = new StringBuilder();
        var pieceTokens = 0;
        var first = 1;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i] + "\n";
            var lineTokens = tokens.CountTokens(line);
            if (pieceTokens + lineTokens > maxTokens && builder.Length > 0)
            {
                pieces.Add(view with { Text = builder.ToString(), Tokens = pieceTokens, FirstLine = first, LastLine = i });
                builder.Clear();
                pieceTokens = 0;
                first = i + 1;
            }

            // A single line longer than a piece (minified text) is cut, never dropped.
            if (lineTokens > maxTokens)
            {
                var share = Math.Max(1, (int)((long)line.Length * maxTokens / lineTokens));
                for (var start = 0; start < line.Length; start += share)
                {
                    var part = line.Substring(start, Math.Min(share, line.Length - start));
                    pieces.Add(view with { Text = part, Tokens = tokens.CountTokens(part), FirstLine = i + 1, LastLine = i + 1 });
                }

                first = i + 2;
                continue;
            }

            builder.Append(line);
            pieceTokens += lineTokens;
        }

        if (builder.Length > 0)
        {
            pieces.Add(view with { Text = builder.ToString(), Tokens = pieceTokens, FirstLine = first, LastLine = lines.Length });
        }

        return pieces;
    }

    /// <summary>Numbers lines as <c>12| text</c>.</summary>
    /// <param name="lines">The file's lines.</param>
    /// <param name="first">The first line to include (1-based).</param>
    /// <param name="last">The last line to include.</param>
    /// <returns>The numbered text.</returns>
    public static string Numbered(IReadOnlyList<string> lines, int first, int last)
    {
        var builder = new StringBuilder();
        for (var n = first; n <= last && n <= lines.Count; n++)
        {
            AppendLine(builder, lines[n - 1], n, numbered: true);
        }

        return builder.ToString();
    }

    /// <summary>Splits text into lines (without line ends).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The lines; a final line end does not start another line.</returns>
    public static string[] SplitLines(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        return lines.Length > 1 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    /// <summary>The outline of a file: the deepest indentation level whose lines fit the target, gaps marked.</summary>
    /// <param name="lines">The lines.</param>
    /// <param name="targetTokens">The tokens to aim for.</param>
    /// <param name="tokens">The token counter.</param>
    /// <param name="numbered">Whether to number lines.</param>
    /// <returns>The outline text.</returns>
    public static string OutlineText(IReadOnlyList<string> lines, int targetTokens, ITokenCounter tokens, bool numbered)
    {
        var indents = lines.Select(Indentation).ToArray();
        var unit = indents.Where(i => i > 0).DefaultIfEmpty(4).Min();
        string? best = null;
        for (var depth = 3; depth >= 0; depth--)
        {
            var text = Render(lines, indents, depth * unit, numbered);
            best = text;
            if (tokens.CountTokens(text) <= targetTokens)
            {
                return text;
            }
        }

        // Even the top level is larger than the target (a flat file): its head, then a gap.
        return tokens.CountTokens(best!) <= targetTokens * 2 ? best! : Head(lines, targetTokens, tokens, numbered);
    }

    private static string Head(IReadOnlyList<string> lines, int targetTokens, ITokenCounter tokens, bool numbered)
    {
        var builder = new StringBuilder();
        var used = 0;
        var n = 0;
        for (; n < lines.Count; n++)
        {
            var cost = tokens.CountTokens(lines[n]) + (numbered ? 3 : 1);
            if (used + cost > targetTokens && n > 0)
            {
                break;
            }

            AppendLine(builder, lines[n], n + 1, numbered);
            used += cost;
        }

        if (n < lines.Count)
        {
            builder.Append(Gap).Append(string.Create(CultureInfo.InvariantCulture, $" (lines {n + 1}-{lines.Count} not shown)")).Append('\n');
        }

        return builder.ToString();
    }

    private static string Render(IReadOnlyList<string> lines, int[] indents, int maxIndent, bool numbered)
    {
        var builder = new StringBuilder();
        var inGap = false;
        var lastBlank = true;
        for (var i = 0; i < lines.Count; i++)
        {
            if (indents[i] < 0)
            {
                if (!inGap && !lastBlank)
                {
                    AppendLine(builder, lines[i], i + 1, numbered);
                    lastBlank = true;
                }

                continue;
            }

            if (indents[i] > maxIndent)
            {
                inGap = true;
                continue;
            }

            if (inGap)
            {
                builder.Append(' ', maxIndent + 4).Append(Gap).Append('\n');
                inGap = false;
            }

            AppendLine(builder, lines[i], i + 1, numbered);
            lastBlank = false;
        }

        if (inGap)
        {
            builder.Append(' ', maxIndent + 4).Append(Gap).Append('\n');
        }

        return builder.ToString();
    }

    private static void AppendLine(StringBuilder builder, string line, int number, bool numbered)
    {
        if (numbered)
        {
            builder.Append(number.ToString(CultureInfo.InvariantCulture)).Append("| ");
        }

        builder.Append(line).Append('\n');
    }

    // -1 for a blank line; tabs count four columns.
    private static int Indentation(string line)
    {
        var width = 0;
        foreach (var c in line)
        {
            if (c == ' ')
            {
                width++;
            }
            else if (c == '\t')
            {
                width += 4;
            }
            else
            {
                return width;
            }
        }

        return -1;
    }

    private static bool IsData(string path) => DataExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private static string ContentOf(SnapshotFile file) =>
        file.Content ?? throw new InvalidOperationException($"The snapshot was read without content, so '{file.Path}' cannot be shown to a model; set SnapshotOptions.RetainContent.");
}
