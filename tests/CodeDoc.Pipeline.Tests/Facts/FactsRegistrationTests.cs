using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Pipeline.Tests.Facts;

public sealed class FactsRegistrationTests
{
    [Fact]
    public void AddCodeDoc_Always_RegistersTheFactsAndVerificationComponentsOnce()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc();
        services.AddCodeDoc();

        using var provider = services.BuildServiceProvider();

        Assert.IsType<SymbolIndexBuilder>(provider.GetRequiredService<ISymbolIndexBuilder>());
        Assert.IsType<MermaidValidator>(provider.GetRequiredService<IMermaidValidator>());
        Assert.Single(services, d => d.ServiceType == typeof(ISymbolIndexBuilder));
        Assert.Single(services, d => d.ServiceType == typeof(IMermaidValidator));
    }
}
