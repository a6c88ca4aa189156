using System.Net.Http.Headers;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Hosting.Egress;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CodeDoc.Hosting.Tests.Egress;

public sealed class EgressAllowlistTests : IAsyncLifetime
{
    private const string Canary = "canary-egress-5d71c9";
    private const string Model = "qwen3-coder";
    private const string ClientName = "CodeDoc.openai-compatible.local";
    private FakeAiServer _provider = null!;
    private FakeAiServer _elsewhere = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _provider = await FakeAiServer.StartAsync();
        _elsewhere = await FakeAiServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _elsewhere.DisposeAsync();
    }

    [Fact]
    public async Task ProviderClient_RequestToAnotherAddress_RefusedBeforeAnyByteLeaves()
    {
        await using var host = Host();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

        var refused = await Assert.ThrowsAsync<CodeDocConfigurationException>(() => SendWithCanaryAsync(client, _elsewhere.BaseAddress));

        Assert.Equal(
            $"CodeDoc refused a request to 127.0.0.1:{_elsewhere.BaseAddress.Port}: it is not the address of a configured provider. " +
            "If the provider really lives there, add it to CodeDoc:Hosting:Egress:AllowedHosts.",
            refused.Message);
        Assert.Empty(_elsewhere.Requests);
        Assert.Contains($"127.0.0.1:{_elsewhere.BaseAddress.Port}", host.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, refused.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, refused.RequestUri!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, host.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisteredProvider_CallToItsOwnEndpoint_GoesThrough()
    {
        await using var host = Host();
        var provider = host.Services.GetRequiredKeyedService<IAiProvider>("local");

        var response = await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        Assert.NotEmpty(response.Text);
        Assert.Single(_provider.ModelCalls);
    }

    [Fact]
    public async Task SecondRegisteredProvider_CallToItsEndpoint_GoesThrough()
    {
        await using var host = Host(builder => builder.AddOpenAICompatible("other", o =>
        {
            o.Endpoint = new Uri(_elsewhere.BaseAddress, "v1/");
            o.Model = Model;
            o.ApiKey = FakeAiServer.DefaultKey;
        }));
        var other = host.Services.GetRequiredKeyedService<IAiProvider>("other");

        await other.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        Assert.Single(_elsewhere.ModelCalls);
        Assert.Empty(_provider.Requests);
    }

    [Fact]
    public async Task AllowedHosts_AbsoluteUrl_ExtendsTheList()
    {
        await using var host = Host(hosting: o => o.Egress.AllowedHosts.Add(_elsewhere.BaseAddress.ToString()));
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

        using var response = await SendWithCanaryAsync(client, _elsewhere.BaseAddress);

        Assert.Single(_elsewhere.Requests);
    }

    [Fact]
    public async Task AnyFactoryClient_NotAProviderAddress_Refused()
    {
        await using var host = Host();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        await Assert.ThrowsAsync<CodeDocConfigurationException>(() => client.GetAsync(new Uri(_elsewhere.BaseAddress, "v1/models/x"), Token));

        Assert.Empty(_elsewhere.Requests);
    }

    [Fact]
    public async Task EnforceOff_RequestGoesThroughAndStartWarns()
    {
        await using var host = Host(hosting: o => o.Egress.Enforce = false);
        foreach (var service in host.Services.GetServices<IHostedService>())
        {
            await service.StartAsync(Token);
        }

        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);
        using var response = await SendWithCanaryAsync(client, _elsewhere.BaseAddress);

        Assert.Single(_elsewhere.Requests);
        Assert.Contains("Warning", Assert.Single(host.Logs.Entries, e => e.Contains("[8102]", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredConfiguration_SavedAfterFirstRequest_AllowedAtOnce()
    {
        await using var host = Host();
        var allowlist = host.Services.GetRequiredService<EgressAllowlist>();
        Assert.False(await allowlist.IsAllowedAsync(_elsewhere.BaseAddress, Token));

        await host.Store.SaveAsync(StoredModel("stored-ai", _elsewhere.BaseAddress), Token);

        Assert.True(await allowlist.IsAllowedAsync(new Uri(_elsewhere.BaseAddress, "v1/chat/completions"), Token));
    }

    [Fact]
    public async Task FactoryBuiltProvider_WithPolicy_FencedLikeRegisteredOnes()
    {
        await using var host = Host();
        var policy = host.Services.GetRequiredService<EgressPolicy>();
        var factory = host.Services.GetServices<IAiProviderFactory>().Single(f => f.Kind == "openai-compatible");
        var unknown = factory.Create(policy.Apply(StoredModel("adhoc", _elsewhere.BaseAddress).ToProviderSettings()));

        var refused = await Assert.ThrowsAsync<CodeDocConfigurationException>(() => unknown.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token));

        Assert.Contains($"127.0.0.1:{_elsewhere.BaseAddress.Port}", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_elsewhere.Requests);

        // Once stored, the same configuration is a configured provider and its calls go through.
        var stored = StoredModel("stored-ai", _elsewhere.BaseAddress);
        await host.Store.SaveAsync(stored, Token);
        var built = factory.Create(policy.Apply(stored.ToProviderSettings()));
        await built.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);
        Assert.Single(_elsewhere.ModelCalls);
    }

    [Fact]
    public async Task FactoryBuiltProvider_WithoutPolicy_NotFenced()
    {
        // Shows why the worker must call Apply: a factory's private container is out of reach of the host's defaults.
        await using var host = Host();
        var factory = host.Services.GetServices<IAiProviderFactory>().Single(f => f.Kind == "openai-compatible");
        var unfenced = factory.Create(StoredModel("adhoc", _elsewhere.BaseAddress).ToProviderSettings());

        await unfenced.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        Assert.Single(_elsewhere.ModelCalls);
    }

    [Fact]
    public void AllowedHosts_UnreadableEntry_FailsValidationWithoutQuotingIt()
    {
        var options = new CodeDocHostingOptions();
        options.Egress.AllowedHosts.Add("idp.example.com");
        options.Egress.AllowedHosts.Add("https://user:" + Canary + "@idp.example.com/");

        var result = new EgressOptionsValidator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("AllowedHosts:1", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("idp.example.com", "https://idp.example.com:443")]
    [InlineData("idp.example.com:8443", "https://idp.example.com:8443")]
    [InlineData("http://127.0.0.1:5000/some/path", "http://127.0.0.1:5000")]
    [InlineData("HTTPS://IDP.Example.com", "https://idp.example.com:443")]
    public void TryParseAllowed_Entry_GivesOrigin(string entry, string expected)
    {
        Assert.True(EgressOrigins.TryParseAllowed(entry, out var origin));
        Assert.Equal(expected, origin);
    }

    private static ProviderConfiguration StoredModel(string id, Uri server) => new()
    {
        Id = id,
        Category = ProviderCategory.Ai,
        Kind = "openai-compatible",
        Settings = new Dictionary<string, string?> { ["Endpoint"] = new Uri(server, "v1/").ToString(), ["Model"] = Model },
        Secrets = new Dictionary<string, string> { ["ApiKey"] = FakeAiServer.DefaultKey },
    };

    private static async Task<HttpResponseMessage> SendWithCanaryAsync(HttpClient client, Uri server)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, $"v1/models/{Model}?key={Canary}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Canary);
        return await client.SendAsync(request, Token);
    }

    private EgressTestHost Host(Action<ICodeDocBuilder>? more = null, Action<CodeDocHostingOptions>? hosting = null) =>
        EgressTestHost.Build(
            builder =>
            {
                builder.AddOpenAICompatible("local", o =>
                {
                    o.Endpoint = new Uri(_provider.BaseAddress, "v1/");
                    o.Model = Model;
                    o.ApiKey = FakeAiServer.DefaultKey;
                });
                more?.Invoke(builder);
            },
            hosting);
}
