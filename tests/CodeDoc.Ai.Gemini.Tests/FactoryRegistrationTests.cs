using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.Gemini.Tests;

public sealed class FactoryRegistrationTests
{
    [Fact]
    public void AddGeminiFactory_WithoutAProvider_RegistersTheFactoryButNoProvider()
    {
        var collection = new ServiceCollection();
        collection.AddCodeDoc().AddGeminiFactory().AddGeminiFactory();
        using var services = collection.BuildServiceProvider();

        var kinds = services.GetServices<IAiProviderFactory>().Select(f => f.Kind).Where(k => k != "local" && k != "markdown").ToList();
        Assert.Equal(["gemini"], kinds);
        Assert.DoesNotContain(services.GetRequiredService<IProviderRegistry>().Registrations, r => r.Category == ProviderCategory.Ai && r.Kind == "gemini");
    }
}
