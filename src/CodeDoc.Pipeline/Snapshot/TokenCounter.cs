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
internal sealed class TokenCounter : ITokenCounter
{
    private readonly Lazy<Tokenizer> _tokenizer = new(
        static () => TiktokenTokenizer.CreateForEncoding("o200k_base"),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <inheritdoc />
    public int CountTokens(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : _tokenizer.Value.CountTokens(text);
}
