using System.Collections.Concurrent;
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
/// first count, not when the container is built.
/// </summary>
/// <remarks>
/// The text is split with the tokenizer's own pre-tokenizer and each piece is counted on its own, which gives the
/// tokenizer's count. Two things differ from calling it on the whole text:
/// <list type="bullet">
/// <item>Short pieces are cached in a lock-free dictionary; the tokenizer's own cache takes a lock per piece, which
/// serializes the parallel snapshot workers.</item>
/// <item>Byte-pair encoding takes quadratic time in the length of a piece, and a run without a break (a megabyte of
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

    private readonly Lazy<Tokenizer> _tokenizer = new(
        static () => TiktokenTokenizer.CreateForEncoding("o200k_base"),
        LazyThreadSafetyMode.ExecutionAndPublication);

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

        var tokenizer = _tokenizer.Value;
        if (tokenizer.PreTokenizer is not { } preTokenizer)
        {
            return tokenizer.CountTokens(text);
        }

        var total = 0;
        foreach (var (offset, length) in preTokenizer.PreTokenize(text))
        {
            total += CountPiece(tokenizer, text.Slice(offset, length));
        }

        return total;
    }

    private int CountPiece(Tokenizer tokenizer, ReadOnlySpan<char> piece)
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

                total += tokenizer.CountTokens(piece[..length], considerPreTokenization: false);
                piece = piece[length..];
            }

            return total;
        }

        if (piece.Length > MaxCachedPieceLength)
        {
            return tokenizer.CountTokens(piece, considerPreTokenization: false);
        }

        if (_lookup.TryGetValue(piece, out var cached))
        {
            return cached;
        }

        var count = tokenizer.CountTokens(piece, considerPreTokenization: false);
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
