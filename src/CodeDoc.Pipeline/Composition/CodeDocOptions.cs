using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>Options of the CodeDoc engine. Bound from the section passed to <c>AddCodeDoc</c> (usually <c>CodeDoc</c>).</summary>
public sealed class CodeDocOptions
{
    /// <summary>The configuration section name conventionally used.</summary>
    public const string SectionName = "CodeDoc";

    /// <summary>Gets the snapshot stage's limits and filters (<c>CodeDoc:Snapshot</c>).</summary>
    public SnapshotOptions Snapshot { get; } = new();

    /// <summary>Gets the generation options (<c>CodeDoc:Generation</c>): preset, concurrency, rate limits, budgets, verification threshold.</summary>
    public GenerationOptions Generation { get; } = new();

    /// <summary>
    /// Gets or sets the path of a price file to use on top of the built-in one (same JSON shape); its entries win
    /// over built-in entries for the same vendor, model and effective date.
    /// </summary>
    public string? PriceFile { get; set; }

    /// <summary>Gets or sets the publisher used when none is named; <see langword="null"/> means the Markdown folder.</summary>
    public string? DefaultPublisher { get; set; }
}
