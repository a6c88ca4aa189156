using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Hosting.Egress;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Hosting.Tests.Egress;

/// <summary>The policy reaches the Git factories through the shared settings reader, not only the AI registration path.</summary>
public sealed class FactoryFenceTests : IAsyncLifetime
{
    private const string Canary = "canary-git-token-6a0f52";
    private FakeAiServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await FakeAiServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GitHubFactory_SettingsThroughPolicy_RefusedUntilStored()
    {
        await using var host = EgressTestHost.Build(builder => builder.AddGitHub("registered", o => o.Token = Canary));
        var policy = host.Services.GetRequiredService<EgressPolicy>();
        var factory = host.Services.GetServices<IGitProviderFactory>().Single(f => f.Kind == "github");
        var configuration = new ProviderConfiguration
        {
            Id = "ghe",
            Category = ProviderCategory.Git,
            Kind = "github",
            Settings = new Dictionary<string, string?> { ["BaseAddress"] = _server.BaseAddress.ToString(), ["Http:MaxRetries"] = "0" },
            Secrets = new Dictionary<string, string> { ["Token"] = Canary },
        };
        var location = new Uri(_server.BaseAddress, "acme/api").ToString();

        var unstored = factory.Create(policy.Apply(configuration.ToProviderSettings()));
        Assert.True(unstored.TryParseRepository(location, out var repository));
        var refused = await Assert.ThrowsAnyAsync<CodeDocException>(() => unstored.GetRepositoryAsync(repository, Token));

        Assert.Contains("CodeDoc refused a request to 127.0.0.1:", Messages(refused), StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
        Assert.DoesNotContain(Canary, refused.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, host.Logs.Text, StringComparison.Ordinal);

        await host.Store.SaveAsync(configuration, Token);
        var stored = factory.Create(policy.Apply(configuration.ToProviderSettings()));
        Assert.True(stored.TryParseRepository(location, out repository));

        // The fake is no GitHub: the call fails on its answer, but the request was let through.
        await Assert.ThrowsAnyAsync<CodeDocException>(() => stored.GetRepositoryAsync(repository, Token));
        Assert.NotEmpty(_server.Requests);
    }

    private static string Messages(Exception exception) =>
        exception.InnerException is null ? exception.Message : exception.Message + " | " + Messages(exception.InnerException);
}
