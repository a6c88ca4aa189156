using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline.Tests.Planning;

public sealed class ModelPriceCatalogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("codedoc-prices-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Constructor_BuiltInFile_HasVersionAndSourcedEntries()
    {
        var catalog = Create();

        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", catalog.Version);
        Assert.Contains(catalog.Prices, p => p.Vendor == "openai");
        Assert.Contains(catalog.Prices, p => p.Vendor == "anthropic");
        Assert.Contains(catalog.Prices, p => p.Vendor == "google");
        Assert.All(catalog.Prices, p => Assert.False(string.IsNullOrWhiteSpace(p.Source)));
        Assert.All(catalog.Prices.Where(p => p.Vendor != "ollama"), p => Assert.True(p.OutputPerMillion > 0, $"{p.ModelId} has no output price"));
    }

    [Fact]
    public void Find_KnownModel_ReturnsItsPrices()
    {
        var price = Create().Find("anthropic", "claude-opus-5-5", new DateOnly(2026, 11, 23));

        Assert.NotNull(price);
        Assert.Equal(4.00m, price.InputPerMillion);
        Assert.Equal(20.00m, price.OutputPerMillion);
    }

    [Fact]
    public void Find_PriceChangeScheduled_PicksEntryEffectiveOnThatDay()
    {
        var catalog = Create();

        Assert.Equal(2.00m, catalog.Find("google", "gemini-4-argon", new DateOnly(2026, 11, 30))!.InputPerMillion);
        Assert.Equal(4.00m, catalog.Find("google", "gemini-4-argon", new DateOnly(2026, 12, 1))!.InputPerMillion);
    }

    [Fact]
    public void Find_BeforeFirstEffectiveDate_ReturnsNull() =>
        Assert.Null(Create().Find("anthropic", "claude-fable-5-2", new DateOnly(2026, 11, 1)));

    [Fact]
    public void Find_DatedSnapshotId_UsesUndatedModel() =>
        Assert.Equal(1.00m, Create().Find("openai", "gpt-6.1-terra-2026-10-01", new DateOnly(2026, 11, 23))!.InputPerMillion);

    [Fact]
    public void Find_UnknownModel_ReturnsNullNotZero() =>
        Assert.Null(Create().Find(null, "made-up-model", new DateOnly(2026, 11, 23)));

    [Fact]
    public void Find_WrongVendor_ReturnsNull() =>
        Assert.Null(Create().Find("openai", "claude-opus-5-5", new DateOnly(2026, 11, 23)));

    [Fact]
    public void Find_LocalVendorAnyModel_IsFree()
    {
        var price = Create().Find("ollama", "qwen3-coder:30b", new DateOnly(2026, 11, 23));

        Assert.NotNull(price);
        Assert.Equal(0m, price.CostOf(new AiUsage(1_000_000, 0, 0, 1_000_000, 0)));
    }

    [Fact]
    public void Constructor_OverrideFile_ReplacesAndExtendsBuiltInEntries()
    {
        var file = Write("""
            { "version": "team-1", "models": [
              { "vendor": "anthropic", "model": "claude-opus-5-5", "input": 3.5, "output": 17, "effectiveFrom": "2026-10-07", "source": "negotiated" },
              { "vendor": "acme", "model": "acme-coder", "input": 1, "output": 2, "effectiveFrom": "2026-01-01", "source": "contract" }
            ] }
            """);

        var catalog = Create(file);

        Assert.EndsWith("+team-1", catalog.Version, StringComparison.Ordinal);
        Assert.Equal(3.5m, catalog.Find("anthropic", "claude-opus-5-5", new DateOnly(2026, 11, 23))!.InputPerMillion);
        Assert.Single(catalog.Prices, p => p.ModelId == "claude-opus-5-5");
        Assert.NotNull(catalog.Find("acme", "acme-coder", new DateOnly(2026, 11, 23)));
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{ "models": [] }""", "\"version\"")]
    [InlineData("""{ "version": "x", "models": [ { "vendor": "a", "model": "m", "output": 1, "effectiveFrom": "2026-01-01" } ] }""", "\"input\"")]
    [InlineData("""{ "version": "x", "models": [ { "vendor": "a", "model": "m", "input": -1, "output": 1, "effectiveFrom": "2026-01-01" } ] }""", "negative")]
    [InlineData("""{ "version": "x", "models": [ { "vendor": "a", "model": "m", "input": 1, "output": 1, "effectiveFrom": "01/02/2026" } ] }""", "yyyy-MM-dd")]
    public void Constructor_InvalidOverrideFile_ThrowsNamingTheFile(string json, string expected)
    {
        var file = Write(json);

        var error = Assert.Throws<CodeDocConfigurationException>(() => Create(file));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CostOf_CachedAndWrittenTokens_UseTheirPrices()
    {
        var price = new ModelPrice
        {
            Vendor = "v",
            ModelId = "m",
            InputPerMillion = 2m,
            CachedInputPerMillion = 0.2m,
            CacheWritePerMillion = 2.5m,
            OutputPerMillion = 10m,
            EffectiveFrom = new DateOnly(2026, 1, 1),
        };

        // 600k uncached x 2 + 300k cached x 0.2 + 100k written x 2.5 + 200k out x 10, per million.
        var cost = price.CostOf(new AiUsage(1_000_000, 300_000, 100_000, 200_000, 50_000));

        Assert.Equal(1.2m + 0.06m + 0.25m + 2m, cost);
    }

    [Fact]
    public void CostOf_MissingCachePrices_FallBackToInputPrice()
    {
        var price = new ModelPrice { Vendor = "v", ModelId = "m", InputPerMillion = 1m, OutputPerMillion = 1m, EffectiveFrom = new DateOnly(2026, 1, 1) };

        Assert.Equal(1m, price.CostOf(new AiUsage(1_000_000, 500_000, 500_000, 0, 0)));
    }

    [Fact]
    public void CostOf_PromptAboveThreshold_UsesLongPromptTierForWholeRequest()
    {
        var haiku = Create().Find("anthropic", "claude-haiku-5-5", new DateOnly(2026, 11, 23))!;

        var small = haiku.CostOf(new AiUsage(100_000, 0, 0, 10_000, 0));
        var large = haiku.CostOf(new AiUsage(100_001, 0, 0, 10_000, 0));

        Assert.Equal((100_000 * 0.10m + 10_000 * 0.50m) / 1_000_000m, small);
        Assert.Equal((100_001 * 0.50m + 10_000 * 2.50m) / 1_000_000m, large);
    }

    private static ModelPriceCatalog Create(string? priceFile = null)
    {
        var options = new CodeDocOptions { PriceFile = priceFile };
        return new ModelPriceCatalog(Options.Create(options));
    }

    private string Write(string json)
    {
        var path = Path.Combine(_directory, $"prices-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
