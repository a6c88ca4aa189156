using System.Text.Json;
using System.Text.Json.Serialization;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>One page of an outline, with what generation needs beyond a <see cref="PlannedPage"/>.</summary>
internal sealed record OutlinePage
{
    /// <summary>Gets the page key.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the parent page's key.</summary>
    public string? ParentKey { get; init; }

    /// <summary>Gets the kind, e.g. <c>overview</c> or <c>module</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets what the page covers.</summary>
    public required string Purpose { get; init; }

    /// <summary>
    /// Gets how the page's sources are chosen: preset selectors (<c>readme</c>, <c>configuration</c>, <c>glob:X</c>)
    /// and paths (<c>path:src/app/</c> for a folder, <c>path:src/app/main.cs</c> for a file). Kept with the published
    /// set, they choose the sources again at the next commit, so new files land on the right page.
    /// </summary>
    public IReadOnlyList<string> Selectors { get; init; } = [];

    /// <summary>Gets the context kinds the page draws on (see <see cref="PageContextKinds"/>).</summary>
    public IReadOnlyList<string> Context { get; init; } = [];

    /// <summary>Gets the module the page documents, for per-module pages.</summary>
    public string? Module { get; init; }

    /// <summary>Gets the source files at the outline's commit (not stored; chosen again from the selectors).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> SourceFiles { get; init; } = [];

    /// <summary>Gets the tokens of the source files.</summary>
    [JsonIgnore]
    public long SourceTokens { get; init; }

    /// <summary>Converts the page for a plan.</summary>
    /// <returns>The planned page.</returns>
    public PlannedPage ToPlanned() => new(Key, Title, ParentKey, Kind, SourceFiles) { SourceTokens = SourceTokens, Purpose = Purpose };
}

/// <summary>The pages a run writes with a model, in outline order, and where the outline came from.</summary>
/// <param name="Preset">The preset's name.</param>
/// <param name="Pages">The pages.</param>
internal sealed record Outline(string Preset, IReadOnlyList<OutlinePage> Pages)
{
    /// <summary>The <see cref="DocumentSet.Properties"/> key the outline is kept under at the target.</summary>
    public const string PropertyKey = "codedoc.outline";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
    };

    /// <summary>Gets where the outline came from: <c>preset</c>, <c>model</c> or <c>steering</c>.</summary>
    public string Origin { get; init; } = "preset";

    /// <summary>Serializes the outline (without source file lists) for the set's properties.</summary>
    /// <returns>Compact JSON.</returns>
    public string Serialize() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads an outline kept at the target and chooses each page's sources in a snapshot.</summary>
    /// <param name="json">The JSON from <see cref="Serialize"/>.</param>
    /// <param name="snapshot">The snapshot to choose sources in.</param>
    /// <returns>The outline, or <see langword="null"/> when the JSON is not a usable outline.</returns>
    public static Outline? Deserialize(string json, RepositorySnapshot snapshot)
    {
        Outline? outline;
        try
        {
            outline = JsonSerializer.Deserialize<Outline>(json, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }

        if (outline is null || outline.Pages is null || outline.Pages.Any(p => p is null || !DocumentSetValidator.IsValidKey(p.Key)))
        {
            return null;
        }

        return outline with { Pages = [.. outline.Pages.Select(p => SourceSelection.WithSources(p, snapshot))] };
    }

    /// <summary>Finds a page.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The page, or <see langword="null"/>.</returns>
    public OutlinePage? Find(string key) => Pages.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.Ordinal));

    /// <summary>Gets the pages whose parent is a page.</summary>
    /// <param name="key">The parent's key.</param>
    /// <returns>The children in outline order.</returns>
    public IReadOnlyList<OutlinePage> ChildrenOf(string key) => [.. Pages.Where(p => string.Equals(p.ParentKey, key, StringComparison.Ordinal))];
}
