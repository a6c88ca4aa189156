using CodeDoc.Ai;
using CodeDoc.Core;

namespace CodeDoc.Ai.Ollama;

/// <summary>Builds Ollama providers from settings at run time, through the same registration as <c>AddOllama</c>.</summary>
/// <param name="services">The application's services (logging, shared account limits, price data).</param>
internal sealed class OllamaProviderFactory(IServiceProvider services) : IAiProviderFactory
{
    public string Kind => OllamaProvider.Kind;

    public IAiProvider Create(ProviderSettings settings) => AiProviderRegistration.CreateFromSettings(settings, OllamaProvider.Spec, services);
}
