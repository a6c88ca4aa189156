using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.OpenAI.Tests;

public sealed class FactoryRegistrationTests
{
    [Fact]
    public void AddOpenAIFactories_WithoutAProvider_RegistersTheFactoryButNoProvider()
    {
        var collection = new ServiceCollection();
        collection.AddCodeDoc().AddOpenAIFactories().AddOpenAIFactories();
        using var services = collection.BuildServiceProvider();

        var kinds = services.GetServices<IAiProviderFactory>().Select(f => f.Kind).Where(k => k != "local" && k != "markdown").ToList();
        Assert.Equal(["openai", "azure-openai", "openai-compatible"], kinds);
        Assert.DoesNotContain(services.GetRequiredService<IProviderRegistry>().Registrations, r => r.Category == ProviderCategory.Ai && r.Kind == "openai");
    }
}
