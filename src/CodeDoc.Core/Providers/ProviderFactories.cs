using System.Text;

namespace CodeDoc.Core;

/// <summary>
/// The settings of a provider configured at run time (a stored job configuration, CLI flags). Values use the same
/// keys as the provider's options in configuration (e.g. <c>BaseAddress</c>, <c>Token</c>, <c>Http:Proxy</c>), so a
/// settings record and an <c>Add...</c> call bound to configuration produce the same provider.
/// </summary>
public sealed record ProviderSettings
{
    /// <summary>Initializes a new instance of the <see cref="ProviderSettings"/> class.</summary>
    /// <param name="kind">The provider kind, e.g. <c>github</c>.</param>
    /// <param name="name">The name the provider reports.</param>
    /// <param name="values">The option values by configuration key.</param>
    public ProviderSettings(string kind, string name, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);
        Kind = kind;
        Name = name;
        Values = values;
    }

    /// <summary>Gets the provider kind.</summary>
    public string Kind { get; }

    /// <summary>Gets the provider name.</summary>
    public string Name { get; }

    /// <summary>Gets the option values by configuration key. May hold secrets; never printed.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; }

    /// <summary>
    /// Gets handlers the factory adds to the provider's HTTP client after the ones of its options, outermost first: the
    /// run-time counterpart of <see cref="CodeDocHttpOptions.OutboundHandlers"/>, which settings values cannot carry.
    /// A host uses it to put its egress rules on providers it builds from stored configurations.
    /// </summary>
    public IReadOnlyList<Func<IServiceProvider, DelegatingHandler>> OutboundHandlers { get; init; } = [];

    /// <summary>Prints the kind, the name and the keys only, never the values (they may be secrets).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Always <see langword="true"/>.</returns>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Kind = ").Append(Kind)
            .Append(", Name = ").Append(Name)
            .Append(", Keys = [").AppendJoin(", ", Values.Keys.Order(StringComparer.Ordinal)).Append(']');
        return true;
    }
}

/// <summary>Builds Git providers of one kind from settings at run time.</summary>
public interface IGitProviderFactory
{
    /// <summary>Gets the kind this factory builds, e.g. <c>github</c>.</summary>
    string Kind { get; }

    /// <summary>Builds a provider, validating the settings exactly as start-up validation does.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="CodeDocConfigurationException">The settings are invalid; the message names the field and the fix.</exception>
    IGitProvider Create(ProviderSettings settings);
}

/// <summary>Builds AI providers of one kind from settings at run time.</summary>
public interface IAiProviderFactory
{
    /// <summary>Gets the kind this factory builds, e.g. <c>openai</c>.</summary>
    string Kind { get; }

    /// <summary>Builds a provider, validating the settings exactly as start-up validation does.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="CodeDocConfigurationException">The settings are invalid; the message names the field and the fix.</exception>
    IAiProvider Create(ProviderSettings settings);
}

/// <summary>Builds publishers of one kind from settings at run time.</summary>
public interface IDocPublisherFactory
{
    /// <summary>Gets the kind this factory builds, e.g. <c>markdown</c>.</summary>
    string Kind { get; }

    /// <summary>Builds a publisher, validating the settings exactly as start-up validation does.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The publisher.</returns>
    /// <exception cref="CodeDocConfigurationException">The settings are invalid; the message names the field and the fix.</exception>
    IDocPublisher Create(ProviderSettings settings);
}

/// <summary>Finds registered providers by registration name or by kind.</summary>
public interface IProviderRegistry
{
    /// <summary>Gets every registered provider instance.</summary>
    IReadOnlyList<ProviderRegistration> Registrations { get; }

    /// <summary>Gets a Git provider by registration name, or by kind when exactly one registration has that kind.</summary>
    /// <param name="nameOrKind">The name or kind.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="CodeDocConfigurationException">None or several match; the message lists the registrations.</exception>
    IGitProvider GetGitProvider(string nameOrKind);

    /// <summary>Gets an AI provider by registration name or kind; <see langword="null"/> picks the only (or first) one.</summary>
    /// <param name="nameOrKind">The name or kind.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="CodeDocConfigurationException">None match; the message says how to configure one.</exception>
    IAiProvider GetAiProvider(string? nameOrKind = null);

    /// <summary>Gets a publisher by registration name or kind; <see langword="null"/> picks the default one.</summary>
    /// <param name="nameOrKind">The name or kind.</param>
    /// <returns>The publisher.</returns>
    /// <exception cref="CodeDocConfigurationException">None or several match; the message lists the registrations.</exception>
    IDocPublisher GetPublisher(string? nameOrKind = null);
}
