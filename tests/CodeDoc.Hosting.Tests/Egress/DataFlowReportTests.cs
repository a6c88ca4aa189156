using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Hosting.Egress;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Hosting.Tests.Egress;

public sealed class DataFlowReportTests : IAsyncLifetime
{
    private const string Canary = "canary-flow-0b6e21";
    private FakeAiServer _server = null!;
    private string _folder = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeAiServer.StartAsync();
        _folder = Directory.CreateTempSubdirectory("codedoc-egress-").FullName;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task DescribeAsync_RegisteredAndStoredProviders_NamesEachHostAndItsData()
    {
        await using var host = await BuildAsync();

        var flows = await host.Services.GetRequiredService<IHostingDataFlowReport>().DescribeAsync(Token);

        var model = Assert.Single(flows, f => f.Destination.Contains("registered 'local-model'", StringComparison.Ordinal));
        Assert.Equal($"127.0.0.1:{_server.BaseAddress.Port}", model.Endpoint);
        Assert.Contains("redacted source excerpts", model.Data, StringComparison.Ordinal);
        Assert.False(model.LeavesMachine);

        var vendor = Assert.Single(flows, f => f.Destination.Contains("stored configuration 'vendor'", StringComparison.Ordinal));
        Assert.StartsWith("Model vendor", vendor.Destination, StringComparison.Ordinal);
        Assert.Equal("models.example.com", vendor.Endpoint);
        Assert.Contains("prompts", vendor.Data, StringComparison.Ordinal);
        Assert.True(vendor.LeavesMachine);

        // No address is stored for github.com: the factory's default endpoint is what the report names.
        var git = Assert.Single(flows, f => f.Destination.Contains("stored configuration 'github-oss'", StringComparison.Ordinal));
        Assert.StartsWith("Git host", git.Destination, StringComparison.Ordinal);
        Assert.Equal("api.github.com", git.Endpoint);
        Assert.Contains("access token and read requests", git.Data, StringComparison.Ordinal);
        Assert.Contains("receives nothing of the code", git.Data, StringComparison.Ordinal);
        Assert.True(git.LeavesMachine);

        var folder = Assert.Single(flows, f => f.Destination.Contains("stored configuration 'docs-folder'", StringComparison.Ordinal));
        Assert.StartsWith("Publisher", folder.Destination, StringComparison.Ordinal);
        Assert.Equal("this machine", folder.Endpoint);
        Assert.Contains("stays on this machine", folder.Data, StringComparison.Ordinal);
        Assert.False(folder.LeavesMachine);

        var webhook = Assert.Single(flows, f => f.Destination == "Notification webhook");
        Assert.Equal("hooks.example.com", webhook.Endpoint);
        Assert.Contains("run metadata only", webhook.Data, StringComparison.Ordinal);

        Assert.All(flows, f => Assert.DoesNotContain(Canary, f.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(Canary, host.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allowlist_StoredConfigurations_AllowTheReportedHostsAndNothingElse()
    {
        await using var host = await BuildAsync();
        var allowlist = host.Services.GetRequiredService<EgressAllowlist>();

        var origins = await allowlist.OriginsAsync(Token);

        Assert.Contains("https://api.github.com:443", origins);
        Assert.Contains("https://models.example.com:443", origins);
        Assert.Contains("https://hooks.example.com:443", origins);
        Assert.Contains($"http://127.0.0.1:{_server.BaseAddress.Port}", origins);
        Assert.False(await allowlist.IsAllowedAsync(new Uri("https://evil.example/"), Token));
    }

    [Fact]
    public async Task Allowlist_ConfigurationDeleted_NotAllowedAfterTheListExpires()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await BuildAsync(time);
        var allowlist = host.Services.GetRequiredService<EgressAllowlist>();
        var vendor = new Uri("https://models.example.com/v1/chat/completions");
        Assert.True(await allowlist.IsAllowedAsync(vendor, Token));

        await host.Store.DeleteAsync("vendor", Token);
        time.Advance(EgressAllowlist.Lifetime);

        Assert.False(await allowlist.IsAllowedAsync(vendor, Token));
    }

    private async Task<EgressTestHost> BuildAsync(TimeProvider? time = null)
    {
        var host = EgressTestHost.Build(
            builder =>
            {
                if (time is not null)
                {
                    builder.Services.AddSingleton(time);
                }

                builder.AddOpenAICompatible("local-model", o =>
                {
                    o.Endpoint = new Uri(_server.BaseAddress, "v1/");
                    o.Model = "qwen3-coder";
                    o.ApiKey = FakeAiServer.DefaultKey;
                });
                builder.AddGitHub("github-registered", o => o.Token = Canary);
                builder.AddMarkdownFolder("folder-registered", o => o.OutputPath = Path.Combine(_folder, "registered"));
            },
            o => o.Notifications.WebhookUrl = new Uri($"https://hooks.example.com/codedoc?token={Canary}"));
        await host.Store.SaveAsync(
            new ProviderConfiguration
            {
                Id = "vendor",
                Category = ProviderCategory.Ai,
                Kind = "openai-compatible",
                Settings = new Dictionary<string, string?> { ["Endpoint"] = "https://models.example.com/v1/", ["Model"] = "m" },
                Secrets = new Dictionary<string, string> { ["ApiKey"] = Canary },
            },
            Token);
        await host.Store.SaveAsync(
            new ProviderConfiguration
            {
                Id = "github-oss",
                Category = ProviderCategory.Git,
                Kind = "github",
                Secrets = new Dictionary<string, string> { ["Token"] = Canary },
            },
            Token);
        await host.Store.SaveAsync(
            new ProviderConfiguration
            {
                Id = "docs-folder",
                Category = ProviderCategory.Publisher,
                Kind = "markdown",
                Settings = new Dictionary<string, string?> { ["OutputPath"] = Path.Combine(_folder, "stored") },
            },
            Token);
        return host;
    }
}
