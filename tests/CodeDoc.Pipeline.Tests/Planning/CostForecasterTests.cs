using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline.Tests.Planning;

public sealed class CostForecasterTests
{
    private static readonly ModelPrice Price = new()
    {
        Vendor = "anthropic",
        ModelId = "m",
        ContextWindowTokens = 200_000,
        MaxOutputTokens = 64_000,
        InputPerMillion = 2m,
        CachedInputPerMillion = 0.2m,
        OutputPerMillion = 10m,
        EffectiveFrom = new DateOnly(2026, 1, 1),
    };

    [Fact]
    public void Forecast_KnownPrice_LowIsBelowHighAndBothPositive()
    {
        var forecast = Forecast(Snapshot(("src/a/A.cs", 40_000), ("src/b/B.cs", 10_000), ("README.md", 500)), Price);

        Assert.NotNull(forecast.Cost);
        Assert.True(forecast.Cost.Low > 0);
        Assert.True(forecast.Cost.Low < forecast.Cost.High);
        Assert.True(forecast.InputTokens.Low <= forecast.InputTokens.High);
        Assert.True(forecast.OutputTokens.Low < forecast.OutputTokens.High);
        Assert.NotEmpty(forecast.Assumptions);
    }

    [Fact]
    public void Forecast_NoPrice_CostIsUnknownNotZero()
    {
        var forecast = Forecast(Snapshot(("a.cs", 100)), price: null);

        Assert.Null(forecast.Cost);
        Assert.True(forecast.InputTokens.Low > 0);
    }

    [Fact]
    public void Forecast_EveryIncludedFileIsReadAtLeastOnce()
    {
        var snapshot = Snapshot(("src/a/A.cs", 250_000), ("src/b/B.cs", 30_000), ("x.md", 10));

        var forecast = Forecast(snapshot, Price);

        // Large files are read as outlines, so the floor is each file's view, not its full size.
        var summarize = forecast.Stages.Single(s => s.Stage == CostForecaster.SummaryStage);
        Assert.True(summarize.InputTokens.Low >= snapshot.Files.Sum(f => CostForecaster.EstimateSummaryView(f).Low));
        Assert.True(summarize.Requests >= 3);
    }

    [Fact]
    public void Forecast_SmallMaxOutput_CapsPageOutput()
    {
        var tight = Price with { MaxOutputTokens = 1_000 };

        var forecast = Forecast(Snapshot(("src/a/A.cs", 1_000)), tight);

        var write = forecast.Stages.Single(s => s.Stage == "write pages");
        Assert.Equal(write.Requests * 1_000L, write.OutputTokens.High);
    }

    [Fact]
    public void Forecast_MoreCode_CostsMore()
    {
        var small = Forecast(Snapshot(("src/a/A.cs", 10_000)), Price);
        var large = Forecast(Snapshot(("src/a/A.cs", 1_000_000)), Price);

        Assert.True(large.Cost!.Low > small.Cost!.Low);
        Assert.True(large.Cost.High > small.Cost.High);
    }

    private static CostForecast Forecast(RepositorySnapshot snapshot, ModelPrice? price)
    {
        var modules = RepositoryOutline.FindModules(snapshot.Files);
        var preset = Presets.Get("wiki");
        var outline = PresetOutline.Build(preset, snapshot, modules, steering: null, maxPages: 100);
        var counter = new TokenCounter();
        var input = new ForecastInput
        {
            Scopes = SummaryScopes.For(snapshot, modules),
            Outline = outline,
            Preset = preset,
            Limits = GenerationLimits.For(price?.ContextWindowTokens, price?.MaxOutputTokens),
            Sizes = PromptSizes.Measure(counter),
            SummaryViewTokens = CostForecaster.EstimateSummaryView,
            AsksForOutline = DocumentationPlanner.AsksModelForOutline(outline),
        };
        var model = price is null ? ((string, string)?)null : (price.Vendor, price.ModelId);
        return CostForecaster.Forecast(input, model, price, "test");
    }

    internal static PresetCatalog Presets { get; } = new(Options.Create(new CodeDocOptions()));

    internal static RepositorySnapshot Snapshot(params (string Path, int Tokens)[] files) => new()
    {
        CommitSha = "abc",
        Files = files.Select(f => new SnapshotFile(f.Path, f.Tokens * 4L, f.Tokens / 10, f.Tokens)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList(),
        Excluded = [],
    };
}
