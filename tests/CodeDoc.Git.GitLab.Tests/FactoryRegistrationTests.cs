using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitLab.Tests;

public sealed class FactoryRegistrationTests
{
    [Fact]
    public void AddGitLabFactory_WithoutAProvider_RegistersTheFactoryButNoProvider()
    {
        var collection = new ServiceCollection();
        collection.AddCodeDoc().AddGitLabFactory().AddGitLabFactory();
        using var services = collection.BuildServiceProvider();

        var kinds = services.GetServices<IGitProviderFactory>().Select(f => f.Kind).Where(k => k != "local" && k != "markdown").ToList();
        Assert.Equal(["gitlab"], kinds);
        Assert.DoesNotContain(services.GetRequiredService<IProviderRegistry>().Registrations, r => r.Category == ProviderCategory.Git && r.Kind == "gitlab");
        Assert.NotNull(services.GetKeyedService<IWebhookHandler>("gitlab"));
    }
}
