using CodeDoc.Ai.OpenAI;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Hosting.Egress;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Tests.Egress;

public sealed class InsecureHttpTests : IAsyncLifetime
{
    private const string CanaryKey = "canary-insecure-key-38e0a4";
    private const string Model = "qwen3-coder";
    private static readonly Uri RemoteHttp = new("http://codedoc-remote.example/v1/");
    private FakeAiServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeAiServer.StartAsync();
        _server.ValidKey = CanaryKey;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("http://codedoc-remote.example/", false, false)]
    [InlineData("http://codedoc-remote.example/", true, true)]
    [InlineData("http://127.0.0.1:8080/", false, true)]
    [InlineData("https://codedoc-remote.example/", false, true)]
    [InlineData("ftp://codedoc-remote.example/", true, false)]
    public void EndpointRules_AllowInsecureHttp_OnlyOpensPlainHttpToRemoteHosts(string endpoint, bool allowInsecureHttp, bool valid)
    {
        var problem = EndpointRules.Validate(new Uri(endpoint), "CodeDoc:Ai:x:Endpoint", required: true, allowInsecureHttp);

        Assert.Equal(valid, problem is null);
    }

    [Fact]
    public void EndpointRules_OldOverload_StillRefusesRemoteHttpAndNamesTheOptIn()
    {
        var problem = EndpointRules.Validate(RemoteHttp, "CodeDoc:Ai:x:Endpoint");

        Assert.Contains("Http:AllowInsecureHttp", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteredProvider_RemoteHttpWithoutOptIn_RefusedAtStart()
    {
        await using var host = EgressTestHost.Build(builder => builder.AddOpenAICompatible("remote", o => Remote(o, optIn: false)));

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("uses http:// to a remote host", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteredProvider_RemoteHttpWithOptIn_AcceptedAndWarnedOnceWithoutKeyOrPath()
    {
        await using var host = EgressTestHost.Build(builder => builder.AddOpenAICompatible("remote", o => Remote(o, optIn: true)));
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        var provider = host.Services.GetRequiredKeyedService<IAiProvider>("remote");

        // The fake stands in as a proxy, so the plain-HTTP request to the remote name stays on this machine.
        await provider.ChatClient.GetResponseAsync("One.", cancellationToken: Token);
        await provider.ChatClient.GetResponseAsync("Two.", cancellationToken: Token);

        Assert.Equal(2, _server.ModelCalls.Count);
        var warning = Assert.Single(host.Logs.Entries, e => e.Contains("[1901]", StringComparison.Ordinal));
        Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
        Assert.Contains("http://codedoc-remote.example", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("chat/completions", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryKey, host.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredConfiguration_RemoteHttpWithoutHostOptIn_RefusedByTheFactory()
    {
        await using var host = HostWithFactories();
        var settings = host.Services.GetRequiredService<EgressPolicy>().Apply(StoredRemote().ToProviderSettings());

        var refused = Assert.Throws<CodeDocConfigurationException>(() => Factory(host).Create(settings));

        Assert.Contains("Http:AllowInsecureHttp", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryKey, refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredConfiguration_RemoteHttpWithHostOptIn_AcceptedAndWarnedWithoutKey()
    {
        await using var host = HostWithFactories(o => o.Egress.AllowInsecureHttp = true);
        foreach (var service in host.Services.GetServices<IHostedService>())
        {
            await service.StartAsync(Token);
        }

        var stored = StoredRemote();
        await host.Store.SaveAsync(stored, Token);
        var policy = host.Services.GetRequiredService<EgressPolicy>();

        var provider = Factory(host).Create(policy.Apply(stored.ToProviderSettings()));
        policy.Apply(stored.ToProviderSettings());
        await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        Assert.Single(_server.ModelCalls);
        Assert.Single(host.Logs.Entries, e => e.Contains("[8103]", StringComparison.Ordinal));
        var warning = Assert.Single(host.Logs.Entries, e => e.Contains("[8104]", StringComparison.Ordinal));
        Assert.Contains("stored-remote", warning, StringComparison.Ordinal);
        Assert.Contains("http://codedoc-remote.example:80", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryKey, host.Logs.Text, StringComparison.Ordinal);
    }

    // Registering a provider of the kind is what registers its factory.
    private EgressTestHost HostWithFactories(Action<CodeDocHostingOptions>? hosting = null) => EgressTestHost.Build(
        builder => builder.AddOpenAICompatible("local", o =>
        {
            o.Endpoint = new Uri(_server.BaseAddress, "v1/");
            o.Model = Model;
            o.ApiKey = CanaryKey;
        }),
        hosting);

    private static IAiProviderFactory Factory(EgressTestHost host) =>
        host.Services.GetServices<IAiProviderFactory>().Single(f => f.Kind == "openai-compatible");

    private ProviderConfiguration StoredRemote() => new()
    {
        Id = "stored-remote",
        Category = ProviderCategory.Ai,
        Kind = "openai-compatible",
        Settings = new Dictionary<string, string?>
        {
            ["Endpoint"] = RemoteHttp.ToString(),
            ["Model"] = Model,
            ["Http:Proxy"] = _server.BaseAddress.ToString(),
        },
        Secrets = new Dictionary<string, string> { ["ApiKey"] = CanaryKey },
    };

    private void Remote(OpenAICompatibleOptions options, bool optIn)
    {
        options.Endpoint = RemoteHttp;
        options.Model = Model;
        options.ApiKey = CanaryKey;
        options.Http.Proxy = _server.BaseAddress;
        options.Http.AllowInsecureHttp = optIn;
    }
}
