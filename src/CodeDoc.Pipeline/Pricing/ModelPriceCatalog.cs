using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline;

/// <summary>
/// The price data: the versioned file embedded in this package, optionally extended or overridden by
/// <see cref="CodeDocOptions.PriceFile"/>. Entries with a model id of <c>*</c> price every model of their vendor
/// (local runtimes such as Ollama cost nothing per token).
/// </summary>
internal sealed partial class ModelPriceCatalog : IModelPriceCatalog
{
    private const string ResourceName = "CodeDoc.Pipeline.Pricing.models.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public ModelPriceCatalog(IOptions<CodeDocOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var stream = typeof(ModelPriceCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded price file {ResourceName} is missing from the package.");
        var builtIn = Parse(stream, "the built-in price file");
        var prices = builtIn.Prices.ToList();
        Version = builtIn.Version;

        if (options.Value.PriceFile is { } file)
        {
            using var overrideStream = File.OpenRead(file);
            var extra = Parse(overrideStream, $"the price file '{file}' (CodeDoc:PriceFile)");

            // An override entry replaces the built-in entry for the same vendor, model and date.
            prices.RemoveAll(p => extra.Prices.Any(e => SameEntry(e, p)));
            prices.AddRange(extra.Prices);
            Version = $"{builtIn.Version}+{extra.Version}";
        }

        Prices = prices;
    }

    public string Version { get; }

    public IReadOnlyList<ModelPrice> Prices { get; }

    public ModelPrice? Find(string? vendor, string modelId, DateOnly asOf)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return Latest(modelId, vendor, asOf)
            ?? Latest(DatedSuffix().Replace(modelId, string.Empty), vendor, asOf)
            ?? (vendor is null ? null : Latest("*", vendor, asOf));
    }

    internal static (string Version, IReadOnlyList<ModelPrice> Prices) Parse(Stream stream, string source)
    {
        PriceFile? file;
        try
        {
            file = JsonSerializer.Deserialize<PriceFile>(stream, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new CodeDocConfigurationException(
                $"{Capitalize(source)} is not valid JSON (line {ex.LineNumber + 1}): {ex.Message.Split(" Path:")[0]} Fix the file or remove the setting.", ex);
        }

        if (file is null || string.IsNullOrWhiteSpace(file.Version) || file.Models is null)
        {
            throw new CodeDocConfigurationException($"{Capitalize(source)} needs a \"version\" and a \"models\" array.");
        }

        var prices = new List<ModelPrice>(file.Models.Count);
        for (var i = 0; i < file.Models.Count; i++)
        {
            var entry = file.Models[i];
            var where = $"{source}, models[{i}]";
            if (string.IsNullOrWhiteSpace(entry.Vendor) || string.IsNullOrWhiteSpace(entry.Model))
            {
                throw new CodeDocConfigurationException($"In {where}: \"vendor\" and \"model\" are required.");
            }

            if (entry.Input is null || entry.Output is null || entry.EffectiveFrom is null)
            {
                throw new CodeDocConfigurationException(
                    $"In {where} ({entry.Vendor}/{entry.Model}): \"input\", \"output\" and \"effectiveFrom\" (yyyy-MM-dd) are required.");
            }

            decimal?[] amounts = [entry.Input, entry.Output, entry.CachedInput, entry.CacheWrite, entry.LongPrompt?.Input, entry.LongPrompt?.Output, entry.LongPrompt?.CachedInput, entry.LongPrompt?.CacheWrite];
            if (amounts.Any(a => a < 0) || entry.LongPrompt is { Threshold: <= 0 })
            {
                throw new CodeDocConfigurationException($"In {where} ({entry.Vendor}/{entry.Model}): prices and thresholds must not be negative.");
            }

            prices.Add(new ModelPrice
            {
                Vendor = entry.Vendor,
                ModelId = entry.Model,
                ContextWindowTokens = entry.ContextWindow,
                MaxOutputTokens = entry.MaxOutput,
                InputPerMillion = entry.Input.Value,
                CachedInputPerMillion = entry.CachedInput,
                CacheWritePerMillion = entry.CacheWrite,
                OutputPerMillion = entry.Output.Value,
                LongPromptThresholdTokens = entry.LongPrompt?.Threshold,
                LongPromptInputPerMillion = entry.LongPrompt?.Input,
                LongPromptOutputPerMillion = entry.LongPrompt?.Output,
                LongPromptCachedInputPerMillion = entry.LongPrompt?.CachedInput,
                LongPromptCacheWritePerMillion = entry.LongPrompt?.CacheWrite,
                EffectiveFrom = entry.EffectiveFrom.Value,
                Source = entry.Source,
            });
        }

        return (file.Version, prices);
    }

    private static bool SameEntry(ModelPrice a, ModelPrice b) =>
        string.Equals(a.Vendor, b.Vendor, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.ModelId, b.ModelId, StringComparison.OrdinalIgnoreCase) &&
        a.EffectiveFrom == b.EffectiveFrom;

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private ModelPrice? Latest(string modelId, string? vendor, DateOnly asOf) =>
        Prices
            .Where(p => string.Equals(p.ModelId, modelId, StringComparison.OrdinalIgnoreCase)
                && (vendor is null || string.Equals(p.Vendor, vendor, StringComparison.OrdinalIgnoreCase))
                && p.EffectiveFrom <= asOf)
            .MaxBy(p => p.EffectiveFrom);

    // Vendors return dated snapshot ids (gpt-6.1-terra-2026-10-01); they share the undated model's prices.
    [GeneratedRegex(@"-\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatedSuffix();

    private sealed class PriceFile
    {
        public string? Version { get; set; }

        public List<PriceEntry>? Models { get; set; }
    }

    private sealed class PriceEntry
    {
        public string? Vendor { get; set; }

        public string? Model { get; set; }

        public int? ContextWindow { get; set; }

        public int? MaxOutput { get; set; }

        public decimal? Input { get; set; }

        public decimal? CachedInput { get; set; }

        public decimal? CacheWrite { get; set; }

        public decimal? Output { get; set; }

        public LongPromptEntry? LongPrompt { get; set; }

        [JsonConverter(typeof(DateOnlyConverter))]
        public DateOnly? EffectiveFrom { get; set; }

        public string? Source { get; set; }
    }

    private sealed class LongPromptEntry
    {
        public long? Threshold { get; set; }

        public decimal? Input { get; set; }

        public decimal? Output { get; set; }

        public decimal? CachedInput { get; set; }

        public decimal? CacheWrite { get; set; }
    }

    private sealed class DateOnlyConverter : JsonConverter<DateOnly?>
    {
        public override DateOnly? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
                ? date
                : throw new JsonException($"'{reader.GetString()}' is not a date in the form yyyy-MM-dd.");

        public override void Write(Utf8JsonWriter writer, DateOnly? value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }
}
