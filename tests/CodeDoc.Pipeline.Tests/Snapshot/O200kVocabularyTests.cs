using System.Text;
using CsCheck;
using Microsoft.ML.Tokenizers;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>The compact rank table and byte-pair merge must count exactly as Microsoft.ML.Tokenizers does.</summary>
public sealed class O200kVocabularyTests
{
    private static readonly Lazy<Tokenizer> Library = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private static readonly Lazy<O200kVocabulary> Vocabulary = new(O200kVocabulary.Load);

    private static readonly string Alphabet =
        "aeiouxyzAEZqQ09 \t\r\n'sStT/._-=+(){}<>\"#!?,;:*&%$@\\|~^`" +
        "\u00E9\u00C9\u00FC\u01C5\u02B0\u05D0\u4E2D\u6587\u3042\u0301\u0663\u00BD\u00A0\u2028\u0436\u0416" +
        "\uD83D\uDE00\uD800";

    [Fact]
    public void Load_DataPackage_HasEveryMergeableRank() =>
        Assert.Equal(199_998, Vocabulary.Value.Count);

    [Fact]
    public void Rank_EveryToken_FindsItsOwnRank()
    {
        var vocabulary = Vocabulary.Value;
        for (var rank = 0; rank < vocabulary.Count; rank++)
        {
            Assert.Equal(rank, vocabulary.Rank(vocabulary.Token(rank)));
        }
    }

    [Fact]
    public void Token_DecodedByLibrary_SameText()
    {
        var vocabulary = Vocabulary.Value;
        foreach (var rank in new[] { 0, 1, 100, 5_000, 50_000, 150_000, vocabulary.Count - 1 })
        {
            var bytes = vocabulary.Token(rank).ToArray();
            if (Encoding.UTF8.GetString(bytes) is var text && Encoding.UTF8.GetByteCount(text) == bytes.Length)
            {
                Assert.Equal(text, Library.Value.Decode([rank]));
            }
        }
    }

    [Fact]
    public void Rank_NotAToken_MinusOne() =>
        Assert.Equal(-1, Vocabulary.Value.Rank("definitely-not-a-single-token-xyz"u8));

    [Fact]
    public void CountPiece_RandomPieces_SameCountAsLibrary()
    {
        Gen.Char[Alphabet].Array[1, 30].Select(chars => new string(chars))
            .Sample(piece => Assert.Equal(
                Library.Value.CountTokens(piece, considerPreTokenization: false),
                Vocabulary.Value.CountPiece(piece)), iter: 20_000);
    }

    [Fact]
    public void CountTokens_RandomText_SameCountAsLibrary()
    {
        var counter = new TokenCounter();
        Gen.Char[Alphabet].Array[0, 200].Select(chars => new string(chars))
            .Sample(text => Assert.Equal(Library.Value.CountTokens(text), counter.CountTokens(text)), iter: 5_000);
    }

    [Fact]
    public void CountTokens_SpecialTokensAmongText_SameCountAsLibrary()
    {
        // A fresh library instance: its cache is keyed by text, so once a special token's text has been counted as a
        // plain piece (as the piece tests do), that instance counts the special token as 7 plain tokens afterwards.
        var library = TiktokenTokenizer.CreateForEncoding("o200k_base");
        var counter = new TokenCounter();
        string[] parts = ["<|endoftext|>", "<|endofprompt|>", "<|", "|>", "<|endof", " word", "\n", "x"];
        Gen.Int[0, parts.Length - 1].Array[0, 12]
            .Select(picks => string.Concat(picks.Select(i => parts[i])))
            .Sample(text => Assert.True(library.CountTokens(text) == counter.CountTokens(text), $"[{text}] library {library.CountTokens(text)}, ours {counter.CountTokens(text)}"), iter: 2_000);
    }

    [Fact]
    public void CountTokens_ThisRepositorysFiles_SameCountAsLibrary()
    {
        var library = TiktokenTokenizer.CreateForEncoding("o200k_base");
        var counter = new TokenCounter();
        var root = FindRepositoryRoot();
        var files = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Take(150)
            .ToList();

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file, Encoding.UTF8);
            Assert.True(library.CountTokens(text) == counter.CountTokens(text), $"{file}: library {library.CountTokens(text)}, ours {counter.CountTokens(text)}");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CodeDoc.Libraries.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found above the test output.");
    }
}
