using System.Globalization;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// Forecasts the model usage of a full hierarchical documentation run as a range, before any spend: every included
/// file is read once into module summaries (leaves first, in chunks that fit the model), an outline is asked for,
/// then each page is written from its summaries (low) plus source excerpts (high), and up to a quarter of the pages
/// may be regenerated after verification (high). The assumptions are returned with the numbers.
/// </summary>
internal static class CostForecaster
{
    /// <summary>Tokens of instructions, fencing and page context sent with every request.</summary>
    internal const int InstructionTokens = 1_200;

    /// <summary>Chunk budget when the model is unknown.</summary>
    internal const int DefaultChunkTokens = 64_000;

    internal static readonly TokenRange SummaryOutputPerChunk = new(300, 1_000);
    internal static readonly TokenRange OutlineOutput = new(800, 2_500);
    internal static readonly TokenRange PageOutput = new(1_200, 4_000);
    internal const int PathTokens = 12;
    internal const double RegeneratedShareHigh = 0.25;

    /// <summary>Forecasts a run.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="modules">The modules summarized leaves-first.</param>
    /// <param name="pages">The planned pages.</param>
    /// <param name="model">The model's metadata, when one is configured.</param>
    /// <param name="price">The model's prices, when known.</param>
    /// <param name="priceVersion">The price data version.</param>
    /// <returns>The forecast.</returns>
    public static CostForecast Forecast(
        RepositorySnapshot snapshot,
        IReadOnlyList<RepositoryModule> modules,
        IReadOnlyList<PlannedPage> pages,
        (string Vendor, string ModelId, int? ContextWindow, int? MaxOutput)? model,
        ModelPrice? price,
        string? priceVersion)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(modules);
        ArgumentNullException.ThrowIfNull(pages);

        var contextWindow = model?.ContextWindow ?? price?.ContextWindowTokens;
        var chunk = contextWindow is { } window ? Math.Clamp(window / 2, 8_000, 100_000) : DefaultChunkTokens;
        var maxOutput = model?.MaxOutput ?? price?.MaxOutputTokens;
        var pageOutput = maxOutput is { } cap ? new TokenRange(Math.Min(PageOutput.Low, cap), Math.Min(PageOutput.High, cap)) : PageOutput;

        // Stage 1: summarize every included file once, module by module, in chunks that fit.
        var rootTokens = snapshot.Files.Where(f => !f.Path.Contains('/', StringComparison.Ordinal)).Sum(f => (long)f.Tokens);
        var summaryChunks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            summaryChunks[module.Path] = (int)Math.Max(1, Ceiling(module.Tokens, chunk));
        }

        var rootChunks = rootTokens > 0 ? (int)Ceiling(rootTokens, chunk) : 0;
        var summaryRequests = summaryChunks.Values.Sum() + rootChunks;
        var summaryInput = snapshot.TotalTokens + ((long)summaryRequests * InstructionTokens);
        var summaries = new StageForecast(
            "summarize files into module summaries",
            summaryRequests,
            new TokenRange(summaryInput, summaryInput),
            Times(SummaryOutputPerChunk, summaryRequests));

        TokenRange SummariesOf(int chunks) => Times(SummaryOutputPerChunk, chunks);
        var allSummaries = summaries.OutputTokens;

        // Stage 2: one outline request over the repository map and the summaries.
        var mapTokens = (long)snapshot.Files.Count * PathTokens;
        var outline = new StageForecast(
            "plan the outline",
            1,
            new TokenRange(InstructionTokens + mapTokens + allSummaries.Low, InstructionTokens + mapTokens + allSummaries.High),
            OutlineOutput);

        // Stage 3: one request per page: summaries (low) plus source excerpts up to a chunk (high).
        var pageInput = new TokenRange(0, 0);
        foreach (var page in pages)
        {
            var context = page.Kind switch
            {
                "module" => SummariesOf(summaryChunks.GetValueOrDefault(page.Title, 1)),
                "architecture" or "data-flow" or "modules" => allSummaries,
                _ => new TokenRange(0, 0),
            };
            var excerpts = Math.Min(page.SourceTokens, chunk);
            pageInput += new TokenRange(
                InstructionTokens + mapTokens + context.Low + (page.Kind == "module" ? 0 : excerpts / 4),
                InstructionTokens + mapTokens + context.High + excerpts);
        }

        var write = new StageForecast("write pages", pages.Count, pageInput, Times(pageOutput, pages.Count));

        // Stage 4: verification may send some pages back for regeneration.
        var regenerated = (int)Math.Ceiling(pages.Count * RegeneratedShareHigh);
        var share = pages.Count == 0 ? 0 : (double)regenerated / pages.Count;
        var repair = new StageForecast(
            "regenerate pages that fail verification",
            regenerated,
            new TokenRange(0, (long)(write.InputTokens.High * share)),
            new TokenRange(0, (long)(write.OutputTokens.High * share)));

        IReadOnlyList<StageForecast> stages = [summaries, outline, write, repair];
        return new CostForecast
        {
            Stages = stages,
            Vendor = model?.Vendor ?? price?.Vendor,
            ModelId = model?.ModelId ?? price?.ModelId,
            Cost = price is null ? null : new CostRange(Price(stages, price, low: true), Price(stages, price, low: false)),
            PriceVersion = price is null ? null : priceVersion,
            Assumptions =
            [
                string.Create(CultureInfo.InvariantCulture, $"every included file is read once, in chunks of up to {chunk:N0} tokens ({(contextWindow is null ? "default for an unknown model" : "half the model's context window, capped at 100,000")})"),
                string.Create(CultureInfo.InvariantCulture, $"{InstructionTokens:N0} tokens of instructions per request; {SummaryOutputPerChunk.Low}-{SummaryOutputPerChunk.High} tokens per summary; {pageOutput.Low:N0}-{pageOutput.High:N0} tokens per page"),
                "low: pages written from summaries, instructions served from the vendor's prompt cache, no page regenerated",
                string.Create(CultureInfo.InvariantCulture, $"high: pages also read up to a chunk of their sources, no prompt caching, {RegeneratedShareHigh:P0} of pages regenerated after verification"),
            ],
        };
    }

    private static long Ceiling(long value, long divisor) => (value + divisor - 1) / divisor;

    private static TokenRange Times(TokenRange range, long count) => new(range.Low * count, range.High * count);

    private static decimal Price(IReadOnlyList<StageForecast> stages, ModelPrice price, bool low)
    {
        decimal total = 0;
        foreach (var stage in stages.Where(s => s.Requests > 0))
        {
            var input = low ? stage.InputTokens.Low : stage.InputTokens.High;
            var output = low ? stage.OutputTokens.Low : stage.OutputTokens.High;
            if (input == 0 && output == 0)
            {
                continue;
            }

            // Price one average request, so long-prompt tiers apply per request as vendors bill them.
            var perRequestInput = input / stage.Requests;
            var cached = low && stage.Requests > 1 && price.CachedInputPerMillion is not null ? Math.Min(InstructionTokens, perRequestInput) : 0;
            var usage = new AiUsage(perRequestInput, cached, 0, output / stage.Requests, 0);
            total += price.CostOf(usage) * stage.Requests;
        }

        return decimal.Round(total, 4);
    }
}
