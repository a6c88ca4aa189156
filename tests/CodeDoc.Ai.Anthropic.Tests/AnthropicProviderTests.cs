using System.Text.Json.Nodes;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Ai.Anthropic.Tests;

public sealed class AnthropicProviderTests : IAsyncLifetime
{
    private const string Model = "claude-sonnet-5-5";
    private readonly List<ServiceProvider> _providers = [];
    private FakeAiServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await FakeAiServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Request_AlwaysSendsMaxTokensKeyAndVersionWithoutSampling()
    {
        var provider = Anthropic(o => o.MaxOutputTokens = 16000);

        await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal(FakeAiServer.DefaultKey, request.Header("x-api-key"));
        Assert.Null(request.Header("Authorization"));
        Assert.NotNull(request.Header("anthropic-version"));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(16000, body["max_tokens"]!.GetValue<int>());
        Assert.Null(body["temperature"]);
        Assert.Null(body["top_p"]);
    }

    [Fact]
    public async Task PromptCaching_SystemPromptAndSharedContext_GetBreakpointsAndCallerMessagesStayUnchanged()
    {
        var provider = Anthropic();
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You are a technical writer."),
            new(ChatRole.User, "Repository context: src/app.cs ..."),
            new(ChatRole.User, "Write the overview page."),
        ];

        await provider.ChatClient.GetResponseAsync(messages, cancellationToken: Token);

        var body = Assert.Single(_server.ModelCalls);
        Assert.Equal("ephemeral", body["system"]![0]!["cache_control"]!["type"]!.GetValue<string>());
        var sent = body["messages"]!.AsArray();
        Assert.Contains("cache_control", sent[0]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("cache_control", sent[^1]!.ToJsonString(), StringComparison.Ordinal);
        Assert.All(messages, m => Assert.All(m.Contents, c => Assert.True(c.AdditionalProperties is null || c.AdditionalProperties.Count == 0)));
    }

    [Fact]
    public async Task PromptCaching_SystemPromptAsInstructions_GetsTheBreakpoint()
    {
        var provider = Anthropic();

        await provider.ChatClient.GetResponseAsync("Write the overview page.", new ChatOptions { Instructions = "You are a technical writer." }, Token);

        var system = Assert.Single(Assert.Single(_server.ModelCalls)["system"]!.AsArray());
        Assert.Equal("You are a technical writer.", system!["text"]!.GetValue<string>());
        Assert.Equal("ephemeral", system["cache_control"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task PromptCaching_OneHour_SendsTtl()
    {
        var provider = Anthropic(o => o.PromptCacheTtl = AnthropicCacheTtl.OneHour);

        await provider.ChatClient.GetResponseAsync([new(ChatRole.System, "System."), new(ChatRole.User, "Page.")], cancellationToken: Token);

        Assert.Equal("1h", Assert.Single(_server.ModelCalls)["system"]![0]!["cache_control"]!["ttl"]!.GetValue<string>());
    }

    [Fact]
    public async Task PromptCaching_Off_NoBreakpoints()
    {
        var provider = Anthropic(o => o.PromptCaching = false);

        await provider.ChatClient.GetResponseAsync([new(ChatRole.System, "System."), new(ChatRole.User, "Context."), new(ChatRole.User, "Page.")], cancellationToken: Token);

        Assert.DoesNotContain("cache_control", Assert.Single(_server.ModelCalls).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_OverloadedErrorEventAfter200_ThrowsUnavailable()
    {
        var provider = Anthropic();
        _server.Enqueue(new FakeReply { Text = "A long answer that breaks.", MidStreamError = true });

        var error = await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Stream_RateLimitErrorEventAfter200_IsARateLimitNotASpendingCap()
    {
        var provider = Anthropic();
        const string Events = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_x","type":"message","role":"assistant","model":"claude-sonnet-5-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}

            event: error
            data: {"type":"error","error":{"type":"rate_limit_error","message":"Number of concurrent connections has exceeded your rate limit."}}


            """;
        _server.Faults.Respond("/v1/messages", 200, Events.ReplaceLineEndings("\n"), contentType: "text/event-stream");

        var error = await Assert.ThrowsAsync<AiProviderRateLimitedException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Stream_EndsBeforeMessageStop_ThrowsUnavailable()
    {
        var provider = Anthropic();
        _server.Enqueue(new FakeReply { Text = "A long answer cut short.", StopEarly = true });

        await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MalformedJson_ThrowsProviderExceptionSayingItCouldNotBeRead(bool stream)
    {
        var provider = Anthropic();
        _server.Enqueue(new FakeReply { Text = "Broken answer here.", Malformed = true });

        var error = await Assert.ThrowsAnyAsync<AiProviderException>(() => stream
            ? provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token)
            : provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimitWithoutRetryAfter_IsASpendingCap_NotRetried()
    {
        var provider = Anthropic();
        _server.Faults.Respond("/v1/messages", 429, FakeAnthropic.Error("rate_limit_error", "You have reached your specified workspace API usage limits."));

        await Assert.ThrowsAsync<AiProviderQuotaExceededException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Single(_server.ModelCalls);
    }

    [Fact]
    public async Task RateLimitWithShortRetryAfter_RetriedAndAnswered()
    {
        var provider = Anthropic();
        _server.Faults.Respond("/v1/messages", 429, FakeAnthropic.RateLimited, new Dictionary<string, string> { ["retry-after"] = "1" });

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal(new FakeReply().Text, response.Text);
        Assert.Equal(2, _server.ModelCalls.Count);
    }

    [Fact]
    public async Task Redirect_ToAnotherServer_NotFollowedSoTheKeyNeverGoesThere()
    {
        await using var elsewhere = await FakeAiServer.StartAsync();
        var provider = Anthropic();
        _server.Faults.Respond("/v1/messages", 307, headers: new Dictionary<string, string> { ["Location"] = new Uri(elsewhere.BaseAddress, "v1/messages").ToString() });

        var error = await Assert.ThrowsAnyAsync<AiProviderException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Contains("CodeDoc:Ai:claude:Endpoint", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(elsewhere.Requests, r => r.Headers.Values.Any(v => v.Contains(FakeAiServer.DefaultKey, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Usage_CacheReadsAndWrites_PricedFromThePriceData()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddAnthropic("claude", o => { o.Endpoint = _server.BaseAddress; o.ApiKey = FakeAiServer.DefaultKey; o.Model = Model; });
        var serviceProvider = Track(services.BuildServiceProvider());
        var provider = serviceProvider.GetRequiredKeyedService<IAiProvider>("claude");
        _server.Enqueue(new FakeReply { InputTokens = 400_000, CachedTokens = 200_000, CacheWriteTokens = 100_000, OutputTokens = 100_000 });

        var usage = provider.GetUsage(await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));
        var price = serviceProvider.GetRequiredService<IModelPriceCatalog>().Find("anthropic", Model, new DateOnly(2026, 11, 23))!;

        Assert.Equal(new AiUsage(400_000, 200_000, 100_000, 100_000, 0), usage);

        // 100K uncached at $2, 200K cache reads at $0.10, 100K cache writes at $2.50, 100K output at $10 per million.
        Assert.Equal(1.47m, price.CostOf(usage));
    }

    [Fact]
    public void Validation_EndpointWithV1_FailsWithTheFix()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc().AddAnthropic("claude", o => { o.Endpoint = new Uri("https://api.anthropic.com/v1"); o.ApiKey = "k"; o.Model = Model; });
        var serviceProvider = Track(services.BuildServiceProvider());

        var error = Assert.Throws<OptionsValidationException>(() => serviceProvider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("CodeDoc:Ai:claude:Endpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("without it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Factory_StoredSettings_BuildTheSameProvider()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddAnthropic("claude", o => { o.Endpoint = _server.BaseAddress; o.ApiKey = FakeAiServer.DefaultKey; o.Model = Model; });
        var factory = Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProviderFactory>("anthropic");

        var provider = factory.Create(new ProviderSettings("anthropic", "stored", new Dictionary<string, string?>
        {
            ["Model"] = Model,
            ["ApiKey"] = FakeAiServer.DefaultKey,
            ["Endpoint"] = _server.BaseAddress.ToString(),
            ["PromptCacheTtl"] = "OneHour",
        }));
        var access = await provider.CheckAccessAsync(Token);
        (provider as IDisposable)?.Dispose();

        Assert.True(access.Succeeded, string.Join("; ", access.Problems.Select(p => p.Message)));
    }

    private ServiceProvider Track(ServiceProvider provider)
    {
        _providers.Add(provider);
        return provider;
    }

    private IAiProvider Anthropic(Action<AnthropicOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddAnthropic("claude", o =>
        {
            o.Endpoint = _server.BaseAddress;
            o.ApiKey = FakeAiServer.DefaultKey;
            o.Model = Model;
            o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            configure?.Invoke(o);
        });
        return Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>("claude");
    }
}
