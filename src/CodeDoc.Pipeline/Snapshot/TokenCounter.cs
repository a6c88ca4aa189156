using System.Buffers;
using Microsoft.ML.Tokenizers;

namespace CodeDoc.Pipeline;

/// <summary>Counts model tokens of text. Thread-safe; one instance is shared by the snapshot stage and the planner.</summary>
internal interface ITokenCounter
{
    /// <summary>Counts the o200k tokens of a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of tokens.</returns>
    int CountTokens(ReadOnlySpan<char> text);
}

/// <summary>
/// Counts tokens with the o200k encoding (GPT-4o and later) from Microsoft.ML.Tokenizers. The vocabulary loads on the
/// first count, not when the container is built; the tokenizer's cache is internally synchronized.
/// </summary>
/// <remarks>
/// Byte-pair encoding takes quadratic time in the length of one pre-token, and a run of characters without
/// whitespace (80,000 equal letters, a long line of '=') is one pre-token: a hostile 1 MiB file would take minutes.
/// Such runs are therefore counted in pieces of <see cref="MaxRunLength"/> characters. Ordinary text has no such
/// runs and is counted exactly; a split run may differ from the exact count by about one token per piece.
/// </remarks>
internal sealed class TokenCounter : ITokenCounter
{
    /// <summary>The longest run of non-whitespace characters counted in one piece.</summary>
    internal const int MaxRunLength = 512;

    private static readonly SearchValues<char> Whitespace = SearchValues.Create(" \t\r\n\f\v");

    private readonly Lazy<Tokenizer> _tokenizer = new(
        static () => TiktokenTokenizer.CreateForEncoding("o200k_base"),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <inheritdoc />
    public int CountTokens(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        var tokenizer = _tokenizer.Value;
        if (text.Length <= MaxRunLength)
        {
            return tokenizer.CountTokens(text);
        }

        var total = 0;
        var start = 0;
        var position = 0;
        while (position < text.Length)
        {
            var next = text[position..].IndexOfAny(Whitespace);
            var runEnd = next < 0 ? text.Length : position + next;
            while (runEnd - position > MaxRunLength)
            {
                var cut = position + MaxRunLength;
                if (char.IsLowSurrogate(text[cut]))
                {
                    cut--;
                }

                total += tokenizer.CountTokens(text[start..cut]);
                start = cut;
                position = cut;
            }

            position = runEnd + 1;
        }

        return total + tokenizer.CountTokens(text[start..]);
    }
}
