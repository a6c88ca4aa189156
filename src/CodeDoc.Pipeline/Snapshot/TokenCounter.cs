using System.Collections.Concurrent;

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
/// Counts tokens with the o200k encoding (GPT-4o and later), giving the count of Microsoft.ML.Tokenizers'
/// <c>TiktokenTokenizer</c> for o200k_base. The vocabulary loads on the first count, not when the container is built.
/// </summary>
/// <remarks>
/// The text is split into the pieces of the encoding's pre-tokenization by <see cref="O200kPreTokenizer"/>, and each
/// piece is counted by <see cref="O200kVocabulary"/> (tiktoken's byte-pair merge over the package's ranks), with short
/// pieces cached in a lock-free dictionary because code repeats them. Both are several times faster than the library,
/// whose counts the tests compare against. Two details:
/// <list type="bullet">
/// <item>The special tokens <c>&lt;|endoftext|&gt;</c> and <c>&lt;|endofprompt|&gt;</c> count as one token each, as the
/// library counts them.</item>
/// <item>Byte-pair merging takes quadratic time in the length of a piece, and a run without a break (a megabyte of
/// one letter, of spaces, of '=') is one piece: a hostile file would take minutes. Pieces longer than
/// <see cref="MaxPieceLength"/> characters are counted in parts, which may differ from the exact count by about one
/// token per part. Ordinary text has no such pieces.</item>
/// </list>
/// </remarks>
internal sealed class TokenCounter : ITokenCounter
{
    /// <summary>The longest piece counted in one part.</summary>
    internal const int MaxPieceLength = 512;

    private const int MaxCachedPieceLength = 48;
    private const int CacheCapacity = 200_000;

    private static readonly string[] SpecialTokens = ["<|endoftext|>", "<|endofprompt|>"];

    private readonly Lazy<O200kVocabulary> _vocabulary = new(O200kVocabulary.Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly ConcurrentDictionary<string, int> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _cached;

    public TokenCounter()
    {
        _lookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <inheritdoc />
    public int CountTokens(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        var vocabulary = _vocabulary.Value;
        var total = 0;
        while (text.IndexOf("<|", StringComparison.Ordinal) is var open and >= 0 && FindSpecialToken(text, open) is var (at, length) && at >= 0)
        {
            total += CountOrdinary(vocabulary, text[..at]) + 1;
            text = text[(at + length)..];
        }

        return total + CountOrdinary(vocabulary, text);
    }

    private static (int At, int Length) FindSpecialToken(ReadOnlySpan<char> text, int from)
    {
        var best = (At: -1, Length: 0);
        foreach (var special in SpecialTokens)
        {
            var index = text[from..].IndexOf(special, StringComparison.Ordinal);
            if (index >= 0 && (best.At < 0 || from + index < best.At))
            {
                best = (from + index, special.Length);
            }
        }

        return best;
    }

    private int CountOrdinary(O200kVocabulary vocabulary, ReadOnlySpan<char> text)
    {
        var total = 0;
        for (var start = 0; start < text.Length;)
        {
            var end = O200kPreTokenizer.PieceEnd(text, start);
            total += CountPiece(vocabulary, text[start..end]);
            start = end;
        }

        return total;
    }

    private int CountPiece(O200kVocabulary vocabulary, ReadOnlySpan<char> piece)
    {
        if (piece.Length > MaxPieceLength)
        {
            var total = 0;
            while (!piece.IsEmpty)
            {
                var length = Math.Min(piece.Length, MaxPieceLength);
                if (length < piece.Length && char.IsHighSurrogate(piece[length - 1]))
                {
                    length--;
                }

                total += vocabulary.CountPiece(piece[..length]);
                piece = piece[length..];
            }

            return total;
        }

        if (piece.Length > MaxCachedPieceLength)
        {
            return vocabulary.CountPiece(piece);
        }

        if (_lookup.TryGetValue(piece, out var cached))
        {
            return cached;
        }

        var count = vocabulary.CountPiece(piece);
        if (Interlocked.Increment(ref _cached) > CacheCapacity)
        {
            // A crude bound on memory; the common pieces of code come back within a few files.
            _cache.Clear();
            Interlocked.Exchange(ref _cached, 0);
        }

        _lookup.TryAdd(piece, count);
        return count;
    }
}
