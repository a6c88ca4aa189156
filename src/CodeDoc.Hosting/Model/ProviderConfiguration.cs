using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Hosting;

/// <summary>
/// A provider configured at run time and kept in the store: a Git host account, a model vendor or a publish target.
/// Plain settings are stored as they are; <see cref="Secrets"/> (keys, tokens, passwords) are encrypted at rest and
/// never printed.
/// </summary>
public sealed record ProviderConfiguration
{
    /// <summary>Gets the configuration's id: short, stable, chosen by the user (e.g. <c>github-oss</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets which contract the provider implements.</summary>
    public required ProviderCategory Category { get; init; }

    /// <summary>Gets the provider kind, as its factory names it (e.g. <c>github</c>, <c>anthropic</c>, <c>confluence</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>Gets a display name for reports; the id when empty.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Gets the plain option values by configuration key (e.g. <c>BaseAddress</c>, <c>Model</c>, <c>SpaceKey</c>).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Gets the secret option values by configuration key (e.g. <c>Token</c>, <c>ApiKey</c>). Encrypted at rest.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the settings a provider factory builds the provider from (plain and secret values together).</summary>
    /// <returns>The settings.</returns>
    public ProviderSettings ToProviderSettings()
    {
        var values = new Dictionary<string, string?>(Settings, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Secrets)
        {
            values[key] = value;
        }

        return new ProviderSettings(Kind, Id, values);
    }

    /// <summary>Prints the id, category, kind and keys only: never a value.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Always <see langword="true"/>.</returns>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id)
            .Append(", Category = ").Append(Category)
            .Append(", Kind = ").Append(Kind)
            .Append(", Settings = [").AppendJoin(", ", Settings.Keys.Order(StringComparer.Ordinal)).Append(']')
            .Append(", Secrets = [").AppendJoin(", ", Secrets.Keys.Order(StringComparer.Ordinal)).Append(']');
        return true;
    }
}
