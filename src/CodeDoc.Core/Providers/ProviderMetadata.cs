namespace CodeDoc.Core;

/// <summary>The kind of provider a registration is.</summary>
public enum ProviderCategory
{
    /// <summary>A source of repositories (<see cref="IGitProvider"/>).</summary>
    Git,

    /// <summary>A model vendor (<see cref="IAiProvider"/>).</summary>
    Ai,

    /// <summary>A documentation target (<see cref="IDocPublisher"/>).</summary>
    Publisher,
}

/// <summary>Describes one registered provider instance.</summary>
/// <param name="Name">The registration name (the key of the keyed service), e.g. <c>oss</c> or <c>local</c>.</param>
/// <param name="Kind">The provider kind, e.g. <c>local</c>, <c>github</c>, <c>markdown</c>, <c>openai</c>.</param>
/// <param name="DisplayName">A human-readable name for reports.</param>
/// <param name="Endpoint">The address the provider talks to, or <see langword="null"/> when it stays on this machine.</param>
public sealed record ProviderMetadata(string Name, string Kind, string DisplayName, Uri? Endpoint);

/// <summary>
/// A marker registered once per provider instance, so hosts can list what is configured without knowing the
/// provider packages. Registered by the <c>Add...</c> helpers in <see cref="CodeDocBuilderProviderExtensions"/>.
/// </summary>
/// <param name="Category">Which contract the provider implements.</param>
/// <param name="Name">The registration name; the provider is a keyed service under this key.</param>
/// <param name="Kind">The provider kind, e.g. <c>github</c>.</param>
public sealed record ProviderRegistration(ProviderCategory Category, string Name, string Kind);
