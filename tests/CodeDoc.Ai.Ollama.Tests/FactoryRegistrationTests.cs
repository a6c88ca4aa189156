using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.Ollama.Tests;

public sealed class FactoryRegistrationTests
{
    [Fact]
    public void AddOllamaFactory_WithoutAProvider_RegistersTheFactoryButNoProvider()
    {
        var collection = new ServiceCollection();
        collection.AddCodeDoc().AddOllamaFactory().AddOllamaFactory();
        using var services = collection.BuildServiceProvider();

        var kinds = services.GetServices<IAiProviderFactory>().Select(f => f.Kind).Where(k => k != "local" && k != "markdown").ToList();
        Assert.Equal(["ollama"], kinds);
        Assert.DoesNotContain(services.GetRequiredService<IProviderRegistry>().Registrations, r => r.Category == ProviderCategory.Ai && r.Kind == "ollama");
    }
}
