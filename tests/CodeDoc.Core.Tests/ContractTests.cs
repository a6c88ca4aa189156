using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Core.Tests;

public sealed class ContractTests
{
    [Fact]
    public void AiUsage_Add_SumsEveryCount()
    {
        var sum = new AiUsage(10, 4, 1, 5, 2) + new AiUsage(1, 1, 1, 1, 1);

        Assert.Equal(new AiUsage(11, 5, 2, 6, 3), sum);
        Assert.Equal(5, new AiUsage(10, 4, 1, 5, 2).UncachedInputTokens);
    }

    [Fact]
    public void AccessCheckResult_AnyFailedCheck_Fails()
    {
        var result = AccessCheckResult.From(new AccessCheckItem("token", true, "valid"), new AccessCheckItem("repo", false, "not visible"));

        Assert.False(result.Succeeded);
        Assert.Equal("repo", Assert.Single(result.Problems).Name);
        Assert.False(AccessCheckResult.From().Succeeded);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(5, 4)]
    public void LineRange_Invalid_Throws(int start, int end) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineRange(start, end));

    [Fact]
    public void LineRange_ToString_AnchorForm()
    {
        Assert.Equal("L3", new LineRange(3, 3).ToString());
        Assert.Equal("L3-L9", new LineRange(3, 9).ToString());
    }

    [Fact]
    public void WebhookDelivery_Headers_CaseInsensitiveAndRepeatsJoined()
    {
        var delivery = new WebhookDelivery([new("X-GitHub-Event", "push"), new("x-github-event", "ping")], "{}"u8.ToArray());

        Assert.Equal("push,ping", delivery.GetHeader("X-GITHUB-EVENT"));
        Assert.Null(delivery.GetHeader("missing"));
    }

    [Fact]
    public void AddGitProvider_SameNameTwice_ThrowsNamingIt()
    {
        var builder = new TestBuilder();
        builder.AddGitProvider("oss", "github", _ => null!);

        var error = Assert.Throws<CodeDocConfigurationException>(() => builder.AddGitProvider("OSS", "gitlab", _ => null!));

        Assert.Contains("'OSS'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGitProvider_TwoNames_KeyedServicesAndMarkers()
    {
        var builder = new TestBuilder();
        builder.AddDocPublisher("a", "markdown", _ => new NamedPublisher("a")).AddDocPublisher("b", "markdown", _ => new NamedPublisher("b"));

        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal("a", ((NamedPublisher)services.GetRequiredKeyedService<IDocPublisher>("a")).Name);
        Assert.Equal("b", ((NamedPublisher)services.GetRequiredKeyedService<IDocPublisher>("b")).Name);
        Assert.Equal(2, services.GetServices<ProviderRegistration>().Count(r => r.Category == ProviderCategory.Publisher));
    }

    [Fact]
    public void AddGitProviderFactory_RegisteredTwice_OneFactoryPerKind()
    {
        var builder = new TestBuilder();
        builder.AddGitProviderFactory<TestFactory>("test").AddGitProviderFactory<TestFactory>("test");

        using var services = builder.Services.BuildServiceProvider();

        Assert.Single(services.GetServices<IGitProviderFactory>());
        Assert.Same(services.GetRequiredKeyedService<IGitProviderFactory>("test"), services.GetServices<IGitProviderFactory>().Single());
    }

    private sealed class TestBuilder : ICodeDocBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();
    }

    private sealed class NamedPublisher(string name) : IDocPublisher
    {
        public string Name { get; } = name;

        public ProviderMetadata Metadata => new(Name, "markdown", Name, null);

        public Task<AccessCheckResult> CheckAccessAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<PublishResult> PublishAsync(DocumentSet documentSet, PublishOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<PublishManifest?> ReadManifestAsync(string documentSetId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    private sealed class TestFactory : IGitProviderFactory
    {
        public string Kind => "test";

        public IGitProvider Create(ProviderSettings settings) => throw new NotSupportedException();
    }
}
