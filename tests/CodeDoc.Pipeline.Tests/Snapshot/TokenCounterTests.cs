using Microsoft.ML.Tokenizers;

namespace CodeDoc.Pipeline.Tests.Snapshot;

public sealed class TokenCounterTests
{
    private static readonly Tokenizer Reference = TiktokenTokenizer.CreateForEncoding("o200k_base");

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("namespace Sample;\n\npublic static class App\n{\n    public const int Answer = 42;\n}\n")]
    [InlineData("日本語のテキストと English mixed, with émojis 🎉 and\ttabs.")]
    [InlineData("special <|endoftext|> tokens <|endofprompt|> count as one")]
    public void CountTokens_OrdinaryText_EqualsTheTokenizer(string text)
    {
        Assert.Equal(Reference.CountTokens(text), SnapshotTestHost.Tokens.CountTokens(text));
    }

    [Fact]
    public void CountTokens_LongOrdinaryFile_EqualsTheTokenizer()
    {
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"    var item{i} = Compute(\"value {i}\", {i * 7});\n"));

        Assert.Equal(Reference.CountTokens(text), SnapshotTestHost.Tokens.CountTokens(text));
    }

    [Fact]
    public void CountTokens_LongRunWithoutWhitespace_StaysWithinATokenPerPiece()
    {
        var text = "start " + new string('a', 6000) + " end";
        var pieces = (6000 / TokenCounter.MaxPieceLength) + 1;

        var counted = SnapshotTestHost.Tokens.CountTokens(text);

        Assert.InRange(counted, Reference.CountTokens(text) - pieces, Reference.CountTokens(text) + pieces);
    }

    [Theory]
    [InlineData('A')]
    [InlineData(' ')]
    [InlineData('=')]
    [InlineData('\n')]
    public void CountTokens_LongRunOfOneCharacter_IsCountedInParts(char repeated)
    {
        // Counted whole, 200,000 equal characters take about 25 seconds: byte-pair encoding is quadratic per piece.
        var text = new string(repeated, 200_000);

        Assert.InRange(SnapshotTestHost.Tokens.CountTokens(text), 1, 200_000);
    }

    [Fact]
    public void CountTokens_RunOfSurrogatePairs_NeverSplitsAPair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 2000));

        Assert.InRange(SnapshotTestHost.Tokens.CountTokens(text), 1000, 8000);
    }
}
