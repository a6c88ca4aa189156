using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.Anthropic.Tests;

public sealed class FactoryRegistrationTests
{
    [Fact]
    public void AddAnthropicFactory_WithoutAProvider_RegistersTheFactoryButNoProvider()
    {
        var collection = new ServiceCollection();
        collection.AddCodeDoc().AddAnthropicFactory().AddAnthropicFactory();
        using var services = collection.BuildServiceProvider();

        var kinds = services.GetServices<IAiProviderFactory>().Select(f => f.Kind).Where(k => k != "local" && k != "markdown").ToList();
        Assert.Equal(["anthropic"], kinds);
        Assert.DoesNotContain(services.GetRequiredService<IProviderRegistry>().Registrations, r => r.Category == ProviderCategory.Ai && r.Kind == "anthropic");
    }
}
