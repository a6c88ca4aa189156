namespace CodeDoc.Core;

/// <summary>
/// One model's list prices in USD per million tokens, from a versioned price file. Missing cache prices fall back
/// to the input price, so a cost is never understated.
/// </summary>
public sealed record ModelPrice
{
    /// <summary>Gets the vendor, e.g. <c>openai</c>.</summary>
    public required string Vendor { get; init; }

    /// <summary>Gets the model id as the vendor names it.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the model's context window in tokens, when known.</summary>
    public int? ContextWindowTokens { get; init; }

    /// <summary>Gets the model's maximum output tokens, when known.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Gets the price of a million uncached input tokens.</summary>
    public required decimal InputPerMillion { get; init; }

    /// <summary>Gets the price of a million cached input tokens (cache reads).</summary>
    public decimal? CachedInputPerMillion { get; init; }

    /// <summary>Gets the price of a million tokens written to the prompt cache.</summary>
    public decimal? CacheWritePerMillion { get; init; }

    /// <summary>Gets the price of a million output tokens (reasoning included).</summary>
    public required decimal OutputPerMillion { get; init; }

    /// <summary>Gets the prompt length above which the long-prompt prices apply to the whole request.</summary>
    public long? LongPromptThresholdTokens { get; init; }

    /// <summary>Gets the input price above the threshold.</summary>
    public decimal? LongPromptInputPerMillion { get; init; }

    /// <summary>Gets the output price above the threshold.</summary>
    public decimal? LongPromptOutputPerMillion { get; init; }

    /// <summary>Gets the cached-input price above the threshold.</summary>
    public decimal? LongPromptCachedInputPerMillion { get; init; }

    /// <summary>Gets the cache-write price above the threshold.</summary>
    public decimal? LongPromptCacheWritePerMillion { get; init; }

    /// <summary>Gets the first day these prices apply.</summary>
    public required DateOnly EffectiveFrom { get; init; }

    /// <summary>Gets where the prices come from.</summary>
    public string? Source { get; init; }

    /// <summary>Computes the cost of one request's usage.</summary>
    /// <param name="usage">The usage of a single request (the long-prompt tier is decided per request).</param>
    /// <returns>The cost in USD.</returns>
    public decimal CostOf(AiUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var longPrompt = LongPromptThresholdTokens is { } threshold && usage.InputTokens > threshold;
        var input = longPrompt ? LongPromptInputPerMillion ?? InputPerMillion : InputPerMillion;
        var output = longPrompt ? LongPromptOutputPerMillion ?? OutputPerMillion : OutputPerMillion;
        var cached = (longPrompt ? LongPromptCachedInputPerMillion : null) ?? CachedInputPerMillion ?? input;
        var cacheWrite = (longPrompt ? LongPromptCacheWritePerMillion : null) ?? CacheWritePerMillion ?? input;
        return ((usage.UncachedInputTokens * input)
            + (usage.CachedInputTokens * cached)
            + (usage.CacheWriteTokens * cacheWrite)
            + (usage.OutputTokens * output)) / 1_000_000m;
    }
}

/// <summary>The price data CodeDoc uses for forecasts and ledgers.</summary>
public interface IModelPriceCatalog
{
    /// <summary>Gets the version of the price data, e.g. <c>2026-11-23</c>.</summary>
    string Version { get; }

    /// <summary>Gets every price entry, all effective dates included.</summary>
    IReadOnlyList<ModelPrice> Prices { get; }

    /// <summary>Finds the prices in effect for a model on a day.</summary>
    /// <param name="vendor">The vendor, or <see langword="null"/> to match any vendor.</param>
    /// <param name="modelId">The model id.</param>
    /// <param name="asOf">The day; the latest entry effective on or before it wins.</param>
    /// <returns>The prices, or <see langword="null"/> when the model is unknown (its cost is then "unknown", never zero).</returns>
    ModelPrice? Find(string? vendor, string modelId, DateOnly asOf);
}

/// <summary>A range of USD amounts.</summary>
/// <param name="Low">The low end.</param>
/// <param name="High">The high end.</param>
public sealed record CostRange(decimal Low, decimal High);
