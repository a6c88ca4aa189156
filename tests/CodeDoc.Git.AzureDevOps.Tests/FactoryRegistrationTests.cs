using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.AzureDevOps.Tests;

public sealed class FactoryRegistrationTests
{
    [Fact]
    public void AddAzureDevOpsFactory_WithoutAProvider_RegistersTheFactoryButNoProvider()
    {
        var collection = new ServiceCollection();
        collection.AddCodeDoc().AddAzureDevOpsFactory().AddAzureDevOpsFactory();
        using var services = collection.BuildServiceProvider();

        var kinds = services.GetServices<IGitProviderFactory>().Select(f => f.Kind).Where(k => k != "local" && k != "markdown").ToList();
        Assert.Equal(["azure-devops"], kinds);
        Assert.DoesNotContain(services.GetRequiredService<IProviderRegistry>().Registrations, r => r.Category == ProviderCategory.Git && r.Kind == "azure-devops");
        Assert.NotNull(services.GetKeyedService<IWebhookHandler>("azure-devops"));
    }
}
