using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Publishing.Confluence.Tests;

public sealed class FactoryRegistrationTests
{
    [Fact]
    public void AddConfluenceFactory_WithoutAProvider_RegistersTheFactoryButNoProvider()
    {
        var collection = new ServiceCollection();
        collection.AddCodeDoc().AddConfluenceFactory().AddConfluenceFactory();
        using var services = collection.BuildServiceProvider();

        var kinds = services.GetServices<IDocPublisherFactory>().Select(f => f.Kind).Where(k => k != "local" && k != "markdown").ToList();
        Assert.Equal(["confluence"], kinds);
        Assert.DoesNotContain(services.GetRequiredService<IProviderRegistry>().Registrations, r => r.Category == ProviderCategory.Publisher && r.Kind == "confluence");
    }
}
