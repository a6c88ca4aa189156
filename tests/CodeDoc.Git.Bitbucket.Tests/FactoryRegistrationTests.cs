using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.Bitbucket.Tests;

public sealed class FactoryRegistrationTests
{
    [Fact]
    public void AddBitbucketFactory_WithoutAProvider_RegistersTheFactoryButNoProvider()
    {
        var collection = new ServiceCollection();
        collection.AddCodeDoc().AddBitbucketFactory().AddBitbucketFactory();
        using var services = collection.BuildServiceProvider();

        var kinds = services.GetServices<IGitProviderFactory>().Select(f => f.Kind).Where(k => k != "local" && k != "markdown").ToList();
        Assert.Equal(["bitbucket"], kinds);
        Assert.DoesNotContain(services.GetRequiredService<IProviderRegistry>().Registrations, r => r.Category == ProviderCategory.Git && r.Kind == "bitbucket");
        Assert.NotNull(services.GetKeyedService<IWebhookHandler>("bitbucket-cloud"));
        Assert.NotNull(services.GetKeyedService<IWebhookHandler>("bitbucket-dc"));
    }
}
