using System.Buffers;
using System.IO.Compression;
using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace CodeDoc.Pipeline;

/// <summary>
/// The o200k byte-pair ranks from the Microsoft.ML.Tokenizers.Data.O200kBase package, in a compact table, and
/// tiktoken's byte-pair merge over it.
/// </summary>
/// <remarks>
/// Counting is the hot path of every snapshot. The library's tokenizer keeps three dictionaries of the vocabulary
/// (about 40 MB of managed objects) and sends every uncached piece through a locked LRU cache; this table holds the
/// same 200,000 ranks in about 4 MB and counts an uncached piece several times faster. Property tests compare every
/// count with the library's.
/// </remarks>
internal sealed class O200kVocabulary
{
    private const string DataAssembly = "Microsoft.ML.Tokenizers.Data.O200kBase";
    private const string ResourceName = "o200k_base.tiktoken.deflate";
    private const int NotFound = -1;

    private readonly byte[] _bytes;
    private readonly int[] _offsets;
    private readonly int[] _slots;
    private readonly int _mask;

    private O200kVocabulary(byte[] bytes, int[] offsets, int count)
    {
        _bytes = bytes;
        _offsets = offsets;
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)count * 2);
        _mask = capacity - 1;
        _slots = new int[capacity];
        Array.Fill(_slots, NotFound);
        for (var rank = 0; rank < count; rank++)
        {
            var slot = (int)Hash(Token(rank)) & _mask;
            while (_slots[slot] != NotFound)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = rank;
        }
    }

    /// <summary>Gets the number of ranks.</summary>
    public int Count => _offsets.Length - 1;

    /// <summary>Loads the ranks from the data package.</summary>
    /// <returns>The vocabulary.</returns>
    public static O200kVocabulary Load()
    {
        var assembly = Assembly.Load(DataAssembly);
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(ResourceName, StringComparison.Ordinal));
        using var resource = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The o200k vocabulary is missing from {DataAssembly}.");
        using var inflated = new DeflateStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated, Encoding.ASCII);

        // A "Capacity: N" header, then one base64 token per line in rank order ("<token> <rank>" in plain tiktoken files).
        var bytes = new List<byte>(4 * 1024 * 1024);
        var offsets = new List<int>(200_064) { 0 };
        Span<byte> decoded = stackalloc byte[256];
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var token = space < 0 ? line.AsSpan() : line.AsSpan(0, space);
            var expected = offsets.Count - 1;
            var rankMatches = space < 0 || (int.TryParse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture, out var rank) && rank == expected);
            if (!rankMatches || !Convert.TryFromBase64Chars(token, decoded, out var written) || written == 0)
            {
                throw new InvalidDataException($"The o200k vocabulary in {DataAssembly} is not in the expected format (line for rank {expected}).");
            }

            bytes.AddRange(decoded[..written]);
            offsets.Add(bytes.Count);
        }

        return new O200kVocabulary([.. bytes], [.. offsets], offsets.Count - 1);
    }

    /// <summary>Counts the tokens of one pre-tokenized piece.</summary>
    /// <param name="piece">The piece, as UTF-16.</param>
    /// <returns>The number of o200k tokens.</returns>
    public int CountPiece(ReadOnlySpan<char> piece)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(piece.Length);
        byte[]? rented = null;
        Span<byte> buffer = maxBytes <= 1024 ? stackalloc byte[maxBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            return CountBytes(buffer[..EncodeUtf8(piece, buffer)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Encodes UTF-16 as UTF-8, writing a lone surrogate as its own three-byte sequence (WTF-8) as the library does,
    /// rather than as U+FFFD: the counts must match for any text, hostile text included.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="destination">At least three bytes per character.</param>
    /// <returns>The bytes written.</returns>
    internal static int EncodeUtf8(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (System.Text.Unicode.Utf8.FromUtf16(text, destination, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
        {
            return written;
        }

        written = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                written += new Rune(c, text[++i]).EncodeToUtf8(destination[written..]);
            }
            else if (char.IsSurrogate(c))
            {
                destination[written++] = (byte)(0xE0 | (c >> 12));
                destination[written++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                destination[written++] = (byte)(0x80 | (c & 0x3F));
            }
            else
            {
                written += new Rune(c).EncodeToUtf8(destination[written..]);
            }
        }

        return written;
    }

    /// <summary>Counts the tokens of a piece's UTF-8 bytes with tiktoken's byte-pair merge.</summary>
    /// <param name="piece">The bytes.</param>
    /// <returns>The number of tokens.</returns>
    internal int CountBytes(ReadOnlySpan<byte> piece)
    {
        if (piece.Length <= 1 || Rank(piece) != NotFound)
        {
            return piece.Length == 0 ? 0 : 1;
        }

        // parts[i] = (start of the i-th part, rank of merging it with the next one); merged left to right by lowest rank.
        var count = piece.Length + 1;
        int[]? rented = null;
        Span<int> starts = count <= 256 ? stackalloc int[count] : (rented = ArrayPool<int>.Shared.Rent(count * 2)).AsSpan(0, count);
        Span<int> ranks = count <= 256 ? stackalloc int[count] : rented!.AsSpan(count, count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                starts[i] = i;
                ranks[i] = i < piece.Length - 1 ? RankOrMax(piece.Slice(i, 2)) : int.MaxValue;
            }

            while (true)
            {
                var best = int.MaxValue;
                var at = -1;
                for (var i = 0; i < count - 1; i++)
                {
                    if (ranks[i] < best)
                    {
                        best = ranks[i];
                        at = i;
                    }
                }

                if (at < 0)
                {
                    return count - 1;
                }

                if (at > 0)
                {
                    ranks[at - 1] = MergedRank(piece, starts, count, at - 1);
                }

                ranks[at] = MergedRank(piece, starts, count, at);
                starts[(at + 2)..count].CopyTo(starts[(at + 1)..]);
                ranks[(at + 2)..count].CopyTo(ranks[(at + 1)..]);
                count--;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The rank of a byte sequence, or -1 when it is not a token.</summary>
    /// <param name="token">The bytes.</param>
    /// <returns>The rank.</returns>
    internal int Rank(ReadOnlySpan<byte> token)
    {
        for (var slot = (int)Hash(token) & _mask; ; slot = (slot + 1) & _mask)
        {
            var rank = _slots[slot];
            if (rank == NotFound || Token(rank).SequenceEqual(token))
            {
                return rank;
            }
        }
    }

    // The rank of merging parts i and i+1 into one, computed before part i+1 is removed.
    private int MergedRank(ReadOnlySpan<byte> piece, Span<int> starts, int count, int i) =>
        i + 3 < count ? RankOrMax(piece[starts[i]..starts[i + 3]]) : int.MaxValue;

    private int RankOrMax(ReadOnlySpan<byte> token) => Rank(token) is var rank and >= 0 ? rank : int.MaxValue;

    /// <summary>The bytes of a token.</summary>
    /// <param name="rank">The rank.</param>
    /// <returns>The bytes.</returns>
    internal ReadOnlySpan<byte> Token(int rank) => _bytes.AsSpan(_offsets[rank], _offsets[rank + 1] - _offsets[rank]);

    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        // FNV-1a over 8-byte words: tokens are short, and the table only needs a good spread.
        ulong hash = 14695981039346656037;
        while (bytes.Length >= 8)
        {
            hash = (hash ^ MemoryMarshal.Read<ulong>(bytes)) * 1099511628211;
            bytes = bytes[8..];
        }

        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211;
        }

        return (uint)(hash ^ (hash >> 32));
    }
}
