using System.Globalization;

namespace CodeDoc.Pipeline;

/// <summary>Options of generation runs. Bound from <c>CodeDoc:Generation</c>.</summary>
public sealed class GenerationOptions
{
    /// <summary>The most pages any outline may have, whatever a preset or steering file asks for.</summary>
    public const int MaxPagesLimit = 200;

    /// <summary>Gets or sets the documentation preset used when neither the run nor the steering file names one.</summary>
    public string Preset { get; set; } = "wiki";

    /// <summary>Gets the paths of JSON files holding extra presets (same shape as the built-in ones); a preset there wins over a built-in one of the same name.</summary>
    public IList<string> PresetFiles { get; } = [];

    /// <summary>Gets or sets the most model requests in flight at once (the vendor package applies its own rate limits on top).</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// Gets or sets the share of the names a page presents as code that must exist in the code for the page to pass
    /// verification; below it the page is written again once, then published with a visible warning.
    /// </summary>
    public double TruthfulnessThreshold { get; set; } = 0.8;

    /// <summary>Gets or sets the most pages a run writes (steering files may lower it, never raise it above <see cref="MaxPagesLimit"/>).</summary>
    public int MaxPages { get; set; } = 100;

    /// <summary>Gets or sets the default cost budget of a run in USD; <see langword="null"/> for none.</summary>
    public decimal? MaxCost { get; set; }

    /// <summary>Gets or sets the default token budget of a run (input plus output); <see langword="null"/> for none.</summary>
    public long? MaxTokens { get; set; }

    /// <summary>Gets or sets the forecast cost above which hosts ask for confirmation (the console asks unless given <c>--yes</c>).</summary>
    public decimal ConfirmAboveCost { get; set; } = 1m;

    /// <summary>Lists problems with these options.</summary>
    /// <param name="prefix">The configuration path, e.g. <c>CodeDoc:Generation</c>.</param>
    /// <returns>One message per problem.</returns>
    public IEnumerable<string> Validate(string prefix)
    {
        if (string.IsNullOrWhiteSpace(Preset))
        {
            yield return $"{prefix}:Preset must name a preset (e.g. wiki, overview, api, onboarding).";
        }

        foreach (var file in PresetFiles.Where(f => !File.Exists(f)))
        {
            yield return $"{prefix}:PresetFiles names '{file}', which does not exist: give the path of a preset file or remove it.";
        }

        if (MaxConcurrency is < 1 or > 64)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{prefix}:MaxConcurrency must be between 1 and 64 (it is {MaxConcurrency}).");
        }

        if (TruthfulnessThreshold is < 0 or > 1 || double.IsNaN(TruthfulnessThreshold))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{prefix}:TruthfulnessThreshold must be between 0 and 1 (it is {TruthfulnessThreshold}).");
        }

        if (MaxPages is < 1 or > MaxPagesLimit)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{prefix}:MaxPages must be between 1 and {MaxPagesLimit} (it is {MaxPages}).");
        }

        if (MaxCost is <= 0 || MaxTokens is <= 0 || ConfirmAboveCost < 0)
        {
            yield return $"{prefix}: MaxCost and MaxTokens must be positive when set, and ConfirmAboveCost not negative.";
        }
    }
}
