using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Pipeline.Redaction;

/// <summary>
/// Replaces each secret found by <see cref="SecretDetectorCatalog"/> with <c>[REDACTED:&lt;rule-id&gt;]</c>.
/// A secret that spans lines (a private key block) becomes the placeholder on its first line followed by its
/// original line breaks, so its other lines are left empty and the text keeps its line count; whatever preceded
/// the secret on its first line and followed it on its last line stays. Lines are counted like
/// <see cref="TextReader.ReadLine"/>: <c>\r\n</c>, <c>\n</c> and <c>\r</c> each end one.
/// </summary>
internal sealed class SecretRedactor : ISecretRedactor
{
    private const string PlaceholderPrefix = "[REDACTED:";

    /// <inheritdoc />
    public RedactionResult Redact(string text, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return new RedactionResult(text, []);
        }

        var profile = FileProfile.For(path);
        var candidates = new List<SecretCandidate>();
        var detectors = SecretDetectorCatalog.Detectors;
        for (var i = 0; i < detectors.Count; i++)
        {
            detectors[i].Detect(text, profile, i, candidates);
        }

        return candidates.Count == 0 ? new RedactionResult(text, []) : Replace(text, Resolve(candidates));
    }

    /// <summary>
    /// Merges overlapping candidates into one span each: the union is redacted, under the rule that comes first in
    /// the catalog (then the longest match, then the earliest).
    /// </summary>
    private static List<SecretCandidate> Resolve(List<SecretCandidate> candidates)
    {
        candidates.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var resolved = new List<SecretCandidate>();
        var current = candidates[0];
        var best = current;
        for (var i = 1; i < candidates.Count; i++)
        {
            var next = candidates[i];
            if (next.Start < current.End)
            {
                current = current with { End = Math.Max(current.End, next.End) };
                if (next.Precedence < best.Precedence || (next.Precedence == best.Precedence && next.End - next.Start > best.End - best.Start))
                {
                    best = next;
                }

                continue;
            }

            resolved.Add(current with { Precedence = best.Precedence });
            current = best = next;
        }

        resolved.Add(current with { Precedence = best.Precedence });
        return resolved;
    }

    private static RedactionResult Replace(string text, List<SecretCandidate> spans)
    {
        var detectors = SecretDetectorCatalog.Detectors;
        var output = new StringBuilder(text.Length);
        var findings = new SecretFinding[spans.Count];
        var line = 1;
        var copied = 0;
        for (var i = 0; i < spans.Count; i++)
        {
            var span = spans[i];
            line += CountLineBreaks(text, copied, span.Start);
            output.Append(text.AsSpan(copied, span.Start - copied));

            var ruleId = detectors[span.Precedence].RuleId;
            findings[i] = new SecretFinding(ruleId, line);
            output.Append(PlaceholderPrefix).Append(ruleId).Append(']');

            var secret = text.AsSpan(span.Start, span.End - span.Start);
            line += CountLineBreaks(text, span.Start, span.End);
            AppendLineBreaks(output, secret);
            copied = span.End;
        }

        output.Append(text.AsSpan(copied));
        return new RedactionResult(output.ToString(), findings);
    }

    // Counts the lines ended in text[start..end); a "\r" at the end whose "\n" comes right after is left to the
    // next count, so a "\r\n" split between two counts is one line break.
    private static int CountLineBreaks(string text, int start, int end)
    {
        var span = text.AsSpan(start, end - start);
        var count = 0;
        for (var i = span.IndexOfAny('\r', '\n'); i >= 0; i = span.IndexOfAny('\r', '\n'))
        {
            if (span[i] == '\r' && (i + 1 < span.Length ? span[i + 1] == '\n' : end < text.Length && text[end] == '\n'))
            {
                i++;
                if (i == span.Length)
                {
                    break;
                }
            }

            count++;
            span = span[(i + 1)..];
        }

        return count;
    }

    private static void AppendLineBreaks(StringBuilder output, ReadOnlySpan<char> secret)
    {
        for (var i = secret.IndexOfAny('\r', '\n'); i >= 0; i = secret.IndexOfAny('\r', '\n'))
        {
            output.Append(secret[i]);
            secret = secret[(i + 1)..];
        }
    }
}
