using System.Globalization;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>What a forecast is computed from: the same outline, scopes, limits and prompt sizes the generator uses.</summary>
internal sealed record ForecastInput
{
    /// <summary>Gets the summary scopes.</summary>
    public required IReadOnlyList<SummaryScope> Scopes { get; init; }

    /// <summary>Gets the outline.</summary>
    public required Outline Outline { get; init; }

    /// <summary>Gets the preset.</summary>
    public required DocumentationPreset Preset { get; init; }

    /// <summary>Gets the request sizes.</summary>
    public required GenerationLimits Limits { get; init; }

    /// <summary>Gets the measured fixed prompt sizes.</summary>
    public required PromptSizes Sizes { get; init; }

    /// <summary>Gets the tokens a summary reads of a file: exact when the content is at hand, a range before.</summary>
    public required Func<SnapshotFile, TokenRange> SummaryViewTokens { get; init; }

    /// <summary>Gets the tokens of the page list every page prompt carries.</summary>
    public int PageListTokens { get; init; }

    /// <summary>Gets the tokens of the repository map the outline request carries.</summary>
    public int MapTokens { get; init; }

    /// <summary>Gets the tokens of the steering file's notes.</summary>
    public int NotesTokens { get; init; }

    /// <summary>Gets a value indicating whether the outline is asked of the model.</summary>
    public bool AsksForOutline { get; init; }

    /// <summary>Gets the keys of the pages written from scratch; <see langword="null"/> for every page of the outline.</summary>
    public IReadOnlySet<string>? Generate { get; init; }

    /// <summary>Gets the input tokens of each update request, by page key (known exactly: published text and diffs).</summary>
    public IReadOnlyDictionary<string, long> Updates { get; init; } = new Dictionary<string, long>();
}

/// <summary>
/// Forecasts the model usage of a run as a range, before any spend, by walking the same work the generator does:
/// summaries of the scopes the pages need (every file once: small files and documentation in full, larger code as
/// outlines; parts that fit a request, combined), the outline request, one request per page (instructions, page
/// list, context, source excerpts within their room), updates of published pages, and up to a quarter of the
/// written pages regenerated after verification. The assumptions are returned with the numbers.
/// </summary>
internal static class CostForecaster
{
    /// <summary>The share of written pages the high end assumes are regenerated after verification.</summary>
    internal const double RegeneratedShareHigh = 0.25;

    internal static readonly TokenRange SummaryOutput = new(250, 900);
    internal static readonly TokenRange AbstractTokens = new(60, 150);
    internal static readonly TokenRange UpdateOutput = new(20, 800);
    internal const int OutlineLinePerPage = 40;

    /// <summary>The summary stage's name.</summary>
    public const string SummaryStage = "summarize files into module summaries";

    /// <summary>The outline stage's name.</summary>
    public const string OutlineStage = "plan the outline";

    /// <summary>The page stage's name.</summary>
    public const string WriteStage = "write pages";

    /// <summary>The update stage's name.</summary>
    public const string UpdateStage = "update pages from the changes";

    /// <summary>The regeneration stage's name.</summary>
    public const string RepairStage = "regenerate pages that fail verification";

    /// <summary>Estimates how many tokens a summary reads of a file from its size alone (before the content is read).</summary>
    /// <param name="file">The file.</param>
    /// <returns>The range.</returns>
    public static TokenRange EstimateSummaryView(SnapshotFile file) =>
        SourceViews.ReadsInFull(file)
            ? new TokenRange(file.Tokens, file.Tokens)
            : new TokenRange(Math.Max(SourceViews.FullReadTokens / 2, (long)(file.Tokens * 0.2)), Math.Max(SourceViews.FullReadTokens, (long)(file.Tokens * SourceViews.OutlineShare * 1.25)));

    /// <summary>Forecasts a run.</summary>
    /// <param name="input">What the run would do.</param>
    /// <param name="model">The model's vendor and id, when one is configured.</param>
    /// <param name="price">The model's prices, when known.</param>
    /// <param name="priceVersion">The price data version.</param>
    /// <returns>The forecast.</returns>
    public static CostForecast Forecast(ForecastInput input, (string Vendor, string ModelId)? model, ModelPrice? price, string? priceVersion)
    {
        ArgumentNullException.ThrowIfNull(input);
        var limits = input.Limits;
        var pagesToWrite = input.Outline.Pages.Where(p => input.Generate is null || input.Generate.Contains(p.Key)).ToList();
        var scopes = NeededScopes(input, pagesToWrite);

        // Stage 1: summaries of the scopes the written pages (and the outline) draw on.
        var summaryRequests = 0;
        var summaryInput = new TokenRange(0, 0);
        var summaryOutput = new TokenRange(0, 0);
        var summaryOf = new Dictionary<string, TokenRange>(StringComparer.Ordinal);
        foreach (var scope in scopes)
        {
            var sizes = new List<TokenRange>();
            foreach (var file in scope.Files)
            {
                var view = input.SummaryViewTokens(file);
                var pieces = Math.Max(1, (int)Ceiling(view.High, limits.Chunk));
                for (var i = 0; i < pieces; i++)
                {
                    sizes.Add(new TokenRange((view.Low / pieces) + input.Sizes.Fence, (view.High / pieces) + input.Sizes.Fence));
                }
            }

            var parts = SummaryScopes.Pack([.. sizes.Select(s => s.High)], limits.Chunk);
            summaryRequests += parts.Count;
            summaryInput += sizes.Aggregate(new TokenRange(0, 0), (sum, s) => sum + s) + Times(input.Sizes.Summarize, parts.Count);
            summaryOutput += Times(SummaryOutput, parts.Count);
            var summary = SummaryOutput;
            if (parts.Count > 1)
            {
                summaryRequests++;
                summaryInput += Times(SummaryOutput, parts.Count) + Times(input.Sizes.Combine + input.Sizes.Fence, 1) + Times(input.Sizes.Fence, parts.Count);
                summary = new TokenRange(350, limits.CombineOutputTokens);
                summaryOutput += summary;
            }

            summaryOf[scope.Id] = summary;
        }

        var stages = new List<StageForecast>();
        if (summaryRequests > 0)
        {
            stages.Add(new StageForecast(SummaryStage, summaryRequests, summaryInput, summaryOutput));
        }

        // Stage 2: the outline, from the draft, the repository map and each module summary's first paragraph.
        if (input.AsksForOutline && pagesToWrite.Count > 0)
        {
            var fixedPart = input.Sizes.Outline + input.MapTokens + input.NotesTokens + ((long)input.Outline.Pages.Count * OutlineLinePerPage);
            stages.Add(new StageForecast(
                OutlineStage,
                1,
                Times(fixedPart, 1) + Times(AbstractTokens + Times(input.Sizes.Fence, 1), input.Scopes.Count),
                new TokenRange(800, limits.OutlineOutputTokens)));
        }

        // Stage 3: one request per written page.
        var pageOutput = limits.PageOutputTokens(input.Preset.PageWords);
        var writeInput = new TokenRange(0, 0);
        foreach (var page in pagesToWrite)
        {
            var context = ContextTokens(page, input, summaryOf);
            var fixedPart = input.Sizes.WritePage + input.PageListTokens + input.NotesTokens;
            var excerpts = limits.ExcerptBudget(page.SourceTokens, fixedPart + context.High, pageOutput);
            writeInput += Times(fixedPart, 1) + context + new TokenRange((long)(excerpts * 0.7), excerpts);
        }

        var write = new StageForecast(WriteStage, pagesToWrite.Count, writeInput, Times(new TokenRange((long)(input.Preset.PageWords * 1.3), pageOutput), pagesToWrite.Count));
        if (pagesToWrite.Count > 0)
        {
            stages.Add(write);
        }

        // Stage 4: updates of published pages from their text and the diffs.
        if (input.Updates.Count > 0)
        {
            var updateInput = input.Updates.Values.Sum();
            stages.Add(new StageForecast(UpdateStage, input.Updates.Count, new TokenRange(updateInput, updateInput), Times(UpdateOutput, input.Updates.Count)));
        }

        // Stage 5: verification may send some written pages back once.
        if (pagesToWrite.Count > 0)
        {
            var regenerated = (int)Math.Ceiling(pagesToWrite.Count * RegeneratedShareHigh);
            var share = (double)regenerated / pagesToWrite.Count;
            stages.Add(new StageForecast(
                RepairStage,
                regenerated,
                new TokenRange(0, (long)(write.InputTokens.High * share)),
                new TokenRange(0, (long)(write.OutputTokens.High * share))));
        }

        return new CostForecast
        {
            Stages = stages,
            Vendor = model?.Vendor ?? price?.Vendor,
            ModelId = model?.ModelId ?? price?.ModelId,
            Cost = price is null ? null : new CostRange(Price(stages, price, input.Sizes.System, low: true), Price(stages, price, input.Sizes.System, low: false)),
            PriceVersion = price is null ? null : priceVersion,
            Assumptions =
            [
                limits.Describe(),
                string.Create(CultureInfo.InvariantCulture, $"summaries read each file once: files up to {SourceViews.FullReadTokens:N0} tokens and documentation up to {SourceViews.FullReadDocumentationTokens:N0} in full, larger files as outlines (declarations and comments, about {SourceViews.OutlineShare:P0} of their tokens)"),
                string.Create(CultureInfo.InvariantCulture, $"pages get their summaries and source excerpts of up to {GenerationLimits.ExcerptShare:P0} of their sources' tokens (at least {GenerationLimits.MinExcerptTokens:N0}); {input.Preset.PageWords * 1.3:N0}-{pageOutput:N0} tokens per page"),
                "low: summaries and pages at the short end, excerpts not filling their room, instructions served from the vendor's prompt cache, no page regenerated",
                string.Create(CultureInfo.InvariantCulture, $"high: outputs at their limits, excerpts filling their room, no prompt caching, {RegeneratedShareHigh:P0} of written pages regenerated after verification"),
            ],
        };
    }

    /// <summary>The scopes whose summaries a run needs: every scope when the outline is asked for, else those its written pages draw on.</summary>
    /// <param name="input">The forecast input.</param>
    /// <param name="pagesToWrite">The pages written from scratch.</param>
    /// <returns>The scopes.</returns>
    public static IReadOnlyList<SummaryScope> NeededScopes(ForecastInput input, IReadOnlyList<OutlinePage> pagesToWrite)
    {
        if (pagesToWrite.Count == 0)
        {
            return [];
        }

        if (input.AsksForOutline)
        {
            return input.Scopes;
        }

        var needed = pagesToWrite.SelectMany(p => SummaryScopes.For(p, input.Scopes)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        return [.. input.Scopes.Where(s => needed.Contains(s.Id))];
    }

    private static TokenRange ContextTokens(OutlinePage page, ForecastInput input, Dictionary<string, TokenRange> summaryOf)
    {
        var total = new TokenRange(0, 0);
        var fence = Times(input.Sizes.Fence, 1);
        if (page.Context.Contains(PageContextKinds.Modules))
        {
            foreach (var scope in input.Scopes)
            {
                total += summaryOf.GetValueOrDefault(scope.Id, SummaryOutput) + fence;
            }
        }
        else if (page.Context.Contains(PageContextKinds.Repository))
        {
            foreach (var scope in input.Scopes)
            {
                total += (scope.Id == SummaryScopes.RootId ? summaryOf.GetValueOrDefault(scope.Id, SummaryOutput) : AbstractTokens) + fence;
            }
        }
        else if (page.Context.Contains(PageContextKinds.Module))
        {
            foreach (var scope in SummaryScopes.For(page, input.Scopes))
            {
                total += summaryOf.GetValueOrDefault(scope.Id, SummaryOutput) + fence;
            }
        }

        if (page.Context.Contains(PageContextKinds.Children))
        {
            total += Times(AbstractTokens + fence, input.Outline.ChildrenOf(page.Key).Count);
        }

        return total;
    }

    private static long Ceiling(long value, long divisor) => (value + divisor - 1) / divisor;

    private static TokenRange Times(TokenRange range, long count) => new(range.Low * count, range.High * count);

    private static TokenRange Times(long value, long count) => new(value * count, value * count);

    private static decimal Price(IReadOnlyList<StageForecast> stages, ModelPrice price, int systemTokens, bool low)
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

            // Price one average request, so long-prompt tiers apply per request as vendors bill them; the low end
            // assumes the system prompt is read from the vendor's prompt cache after the first request.
            var perRequestInput = input / stage.Requests;
            var cached = low && stage.Requests > 1 && price.CachedInputPerMillion is not null ? Math.Min(systemTokens, perRequestInput) : 0;
            var usage = new AiUsage(perRequestInput, cached, 0, output / stage.Requests, 0);
            total += price.CostOf(usage) * stage.Requests;
        }

        return decimal.Round(total, 4);
    }
}
