using CodeDoc.Core;

namespace CodeDoc.Ai.Gemini;

/// <summary>Builds Gemini providers from settings at run time, through the same registration as <c>AddGemini</c>.</summary>
/// <param name="services">The application's services (logging, shared account limits, price data).</param>
internal sealed class GeminiProviderFactory(IServiceProvider services) : IAiProviderFactory
{
    public string Kind => GeminiProviders.Kind;

    public IAiProvider Create(ProviderSettings settings) => AiProviderRegistration.CreateFromSettings(settings, GeminiProviders.Spec, services);
}
