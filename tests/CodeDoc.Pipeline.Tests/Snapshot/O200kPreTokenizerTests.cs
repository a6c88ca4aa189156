using CsCheck;
using Microsoft.ML.Tokenizers;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>The hand-written scanner must give exactly the pieces of the library's o200k regex.</summary>
public sealed class O200kPreTokenizerTests
{
    private static readonly Lazy<Tokenizer> Library = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    // Characters where the regex's classes meet: every letter and number category, marks, the contraction letters in
    // both cases and the long s, apostrophes, line breaks and the rarer whitespace, '/', symbols, surrogates.
    private static readonly string Alphabet =
        "aZ09 \t\r\n'sStTrReEvVmMlLdD\u017F/._-=+(){}<>\"#!?,;:*&%$@\\|~^`" +
        "\u00E9\u00C9\u01C5\u02B0\u05D0\u4E2D\u0301\u0903\u20DD\u0663\u216B\u00BD\u00A0\u0085\u2028\u2029\u3000\u000B\u000C" +
        "\uD83D\uDE00\uD800";

    [Fact]
    public void PieceEnd_RandomText_SamePiecesAsLibraryRegex()
    {
        Gen.Char[Alphabet].Array[0, 40].Select(chars => new string(chars))
            .Sample(text => Assert.Equal(LibraryPieces(text), ScannerPieces(text)), iter: 20_000);
    }

    [Theory]
    [InlineData("Hello world's HTTPServer can't parse XMLHttpRequest ")]
    [InlineData("  indented\r\n\r\n  \tnext line  ")]
    [InlineData("x = a/b // comment\n/* block */\n")]
    [InlineData("12345 1.5e10 0x1F ½Ⅻ٣٣٣٣")]
    [InlineData("naïve café ÉCOLE ǅemal ʰa 中文字 עברית")]
    [InlineData("emoji 😀😀 ok")]
    [InlineData("'S 'RE 'Ll 've 'ſ 'x")]
    public void PieceEnd_Samples_SamePiecesAsLibraryRegex(string text) =>
        Assert.Equal(LibraryPieces(text), ScannerPieces(text));

    [Fact]
    public void PieceEnd_ThisRepositorysSources_SamePiecesAsLibraryRegex()
    {
        var root = FindRepositoryRoot();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories).Take(60))
        {
            // The library splits special tokens out first; text holding them is counted through the library.
            var text = File.ReadAllText(file).Replace("<|", "<", StringComparison.Ordinal);
            Assert.Equal(LibraryPieces(text), ScannerPieces(text));
        }
    }

    [Fact]
    public void CountTokens_SpecialTokenInText_CountedAsTheLibraryDoes()
    {
        const string text = "before <|endoftext|> after";

        Assert.Equal(Library.Value.CountTokens(text), new TokenCounter().CountTokens(text));
    }

    private static List<(int, int)> LibraryPieces(string text) => [.. Library.Value.PreTokenizer!.PreTokenize(text)];

    private static List<(int, int)> ScannerPieces(string text)
    {
        var pieces = new List<(int, int)>();
        for (var start = 0; start < text.Length;)
        {
            var end = O200kPreTokenizer.PieceEnd(text, start);
            Assert.True(end > start, $"no progress at {start}");
            pieces.Add((start, end - start));
            start = end;
        }

        return pieces;
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
