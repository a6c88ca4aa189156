using CodeDoc.Core;

namespace CodeDoc.Ai.Anthropic;

/// <summary>Builds Anthropic providers from settings at run time, through the same registration as <c>AddAnthropic</c>.</summary>
/// <param name="services">The application's services (logging, shared account limits, price data).</param>
internal sealed class AnthropicProviderFactory(IServiceProvider services) : IAiProviderFactory
{
    public string Kind => AnthropicProviders.Kind;

    public IAiProvider Create(ProviderSettings settings) => AiProviderRegistration.CreateFromSettings(settings, AnthropicProviders.Spec, services);
}
