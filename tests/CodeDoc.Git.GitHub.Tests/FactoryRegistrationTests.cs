using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitHub.Tests;

public sealed class FactoryRegistrationTests
{
    [Fact]
    public void AddGitHubFactory_WithoutAProvider_RegistersTheFactoryButNoProvider()
    {
        var collection = new ServiceCollection();
        collection.AddCodeDoc().AddGitHubFactory().AddGitHubFactory();
        using var services = collection.BuildServiceProvider();

        var kinds = services.GetServices<IGitProviderFactory>().Select(f => f.Kind).Where(k => k != "local" && k != "markdown").ToList();
        Assert.Equal(["github"], kinds);
        Assert.DoesNotContain(services.GetRequiredService<IProviderRegistry>().Registrations, r => r.Category == ProviderCategory.Git && r.Kind == "github");
        Assert.NotNull(services.GetKeyedService<IWebhookHandler>("github"));
    }
}
