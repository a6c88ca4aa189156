using CodeDoc.Ai;
using CodeDoc.Core;

namespace CodeDoc.Ai.OpenAI;

/// <summary>Builds OpenAI providers from settings at run time, through the same registration as <c>AddOpenAI</c>.</summary>
/// <param name="services">The application's services (logging, shared account limits, price data).</param>
internal sealed class OpenAIProviderFactory(IServiceProvider services) : IAiProviderFactory
{
    public string Kind => OpenAIProviders.OpenAIKind;

    public IAiProvider Create(ProviderSettings settings) => AiProviderRegistration.CreateFromSettings(settings, OpenAIProviders.OpenAI, services);
}

/// <summary>Builds Azure OpenAI providers from settings at run time, through the same registration as <c>AddAzureOpenAI</c>.</summary>
/// <param name="services">The application's services.</param>
internal sealed class AzureOpenAIProviderFactory(IServiceProvider services) : IAiProviderFactory
{
    public string Kind => OpenAIProviders.AzureKind;

    public IAiProvider Create(ProviderSettings settings) => AiProviderRegistration.CreateFromSettings(settings, OpenAIProviders.Azure, services);
}

/// <summary>Builds OpenAI-compatible providers from settings at run time, through the same registration as <c>AddOpenAICompatible</c>.</summary>
/// <param name="services">The application's services.</param>
internal sealed class OpenAICompatibleProviderFactory(IServiceProvider services) : IAiProviderFactory
{
    public string Kind => OpenAIProviders.CompatibleKind;

    public IAiProvider Create(ProviderSettings settings) => AiProviderRegistration.CreateFromSettings(settings, OpenAIProviders.Compatible, services);
}
