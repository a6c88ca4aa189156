using System.Text.Json.Nodes;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Ai.Gemini.Tests;

public sealed class GeminiProviderTests : IAsyncLifetime
{
    private const string Model = "gemini-3.8-flash";
    private readonly List<ServiceProvider> _providers = [];
    private FakeAiServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Uri Endpoint => new(_server.BaseAddress, "v1beta/");

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
    public async Task Request_KeyInHeaderNeverInUrl_SystemInstructionAndMaxOutputTokensSent()
    {
        var provider = Gemini(o => { o.MaxOutputTokens = 12000; o.ThinkingLevel = "low"; });

        await provider.ChatClient.GetResponseAsync(
            [new(ChatRole.System, "You are a technical writer."), new(ChatRole.User, "Document this."), new(ChatRole.Assistant, "Which part?"), new(ChatRole.User, "All of it.")],
            cancellationToken: Token);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1beta/models/gemini-3.8-flash:generateContent", request.Path);
        Assert.Equal(FakeAiServer.DefaultKey, request.Header("x-goog-api-key"));
        Assert.DoesNotContain("key=", request.Query, StringComparison.Ordinal);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("You are a technical writer.", body["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(["user", "model", "user"], body["contents"]!.AsArray().Select(c => c!["role"]!.GetValue<string>()));
        Assert.Equal(12000, body["generationConfig"]!["maxOutputTokens"]!.GetValue<int>());
        Assert.Equal("low", body["generationConfig"]!["thinkingConfig"]!["thinkingLevel"]!.GetValue<string>());
        Assert.Null(body["generationConfig"]!["temperature"]);
    }

    [Fact]
    public async Task Request_TemperatureConfigured_Sent()
    {
        var provider = Gemini(o => o.Temperature = 0.2f);

        await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal(0.2f, Assert.Single(_server.ModelCalls)["generationConfig"]!["temperature"]!.GetValue<float>());
    }

    [Fact]
    public async Task Stream_UsageRepeatedInEveryEvent_CountedOnce()
    {
        var provider = Gemini();
        _server.Enqueue(new FakeReply { Text = "A streamed page in many small pieces.", ChunkSize = 3, InputTokens = 5000, CachedTokens = 4000, OutputTokens = 400, ReasoningTokens = 150 });

        var updates = await provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToListAsync(Token);
        var response = updates.ToChatResponse();

        Assert.True(updates.Count > 10);
        Assert.Single(updates, u => u.Contents.OfType<UsageContent>().Any());
        Assert.Equal("A streamed page in many small pieces.", response.Text);
        Assert.Equal(new AiUsage(5000, 4000, 0, 400, 150), provider.GetUsage(response));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task Response_MaxTokensFinish_ReportedAsLength()
    {
        var provider = Gemini();
        _server.Enqueue(new FakeReply { Text = "A page cut by the output limit", Finish = FakeFinish.Length });

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task Response_ThoughtParts_LeftOutOfTheText()
    {
        var provider = Gemini();
        const string Body = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Planning the page...","thought":true},{"text":"# Overview"}]},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":3,"thoughtsTokenCount":40,"totalTokenCount":143},"modelVersion":"gemini-3.8-flash"}
            """;
        _server.Faults.Respond("/v1beta/models/", 200, Body, method: "POST");

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal("# Overview", response.Text);
        Assert.Equal(new AiUsage(100, 0, 0, 43, 40), provider.GetUsage(response));
    }

    [Fact]
    public async Task Response_BlockedPrompt_ReportedAsContentFilter()
    {
        var provider = Gemini();
        _server.Faults.Respond("/v1beta/models/", 200, """{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":100,"totalTokenCount":100}}""", method: "POST");

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Empty(response.Text);
    }

    [Fact]
    public async Task Stream_EndsWithoutFinishReason_ThrowsUnavailable()
    {
        var provider = Gemini();
        _server.Enqueue(new FakeReply { Text = "A long answer cut short.", StopEarly = true });

        await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));
    }

    [Fact]
    public async Task Stream_ErrorEventAfter200_ThrowsUnavailableWithStatus()
    {
        var provider = Gemini();
        _server.Enqueue(new FakeReply { Text = "A long answer that breaks.", MidStreamError = true });

        var error = await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("overloaded", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Stream_CallerCancelsMidStream_OperationCanceledPassesThrough()
    {
        var provider = Gemini();
        _server.Enqueue(new FakeReply { Text = "A slow answer in many pieces.", ChunkDelay = TimeSpan.FromMinutes(5) });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: cancellation.Token))
            {
                await cancellation.CancelAsync();
            }
        });

        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }

    [Fact]
    public async Task Stream_ConnectionCutMidStream_ThrowsUnavailable()
    {
        var provider = Gemini(o => o.Http.MaxRetries = 0);
        _server.Enqueue(new FakeReply { Text = "An answer whose connection breaks off part of the way through.", ChunkSize = 4 });
        _server.Faults.CutAfter("/v1beta/models/", 600, method: "POST");

        await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MalformedJson_ThrowsProviderExceptionSayingItCouldNotBeRead(bool stream)
    {
        var provider = Gemini();
        _server.Enqueue(new FakeReply { Text = "Broken answer here.", Malformed = true });

        var error = await Assert.ThrowsAnyAsync<AiProviderException>(() => stream
            ? provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token)
            : provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BadKey_400ApiKeyInvalid_IsAuthenticationNotRetried(bool stream)
    {
        var provider = Gemini(o => o.ApiKey = "AIza-not-a-valid-key");

        var error = await Assert.ThrowsAsync<AiProviderAuthenticationException>(() => stream
            ? provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token)
            : provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("gemini", error.ProviderName);
        Assert.Equal(stream ? "GetStreamingResponse" : "GetResponse", error.OperationName);
        Assert.Equal(stream ? ":streamGenerateContent" : ":generateContent", error.RequestUri!.AbsolutePath[error.RequestUri.AbsolutePath.LastIndexOf(':')..]);
        Assert.Empty(error.RequestUri.Query);
        Assert.Single(_server.ModelCalls);
        Assert.DoesNotContain("AIza-not-a-valid-key", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DailyResourceExhausted_IsQuotaExceededNeverRetried(bool stream)
    {
        var provider = Gemini();
        _server.Faults.Respond("/v1beta/models/", 429, FakeGemini.DailyQuota, times: 5, method: "POST");

        var error = await Assert.ThrowsAsync<AiProviderQuotaExceededException>(() => stream
            ? provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token)
            : provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.False(error.IsTransient);
        Assert.Single(_server.ModelCalls);
    }

    [Fact]
    public async Task PerMinuteResourceExhausted_WaitsTheBodysRetryDelayAndAnswers()
    {
        var provider = Gemini();
        _server.Faults.Respond("/v1beta/models/", 429, FakeGemini.Error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted.", new JsonObject
        {
            ["@type"] = "type.googleapis.com/google.rpc.RetryInfo",
            ["retryDelay"] = "1s",
        }), method: "POST");

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal(new FakeReply().Text, response.Text);
        Assert.Equal(2, _server.ModelCalls.Count);
    }

    [Fact]
    public async Task PerMinuteResourceExhausted_RetryDelayOverTheCap_RateLimitedCarryingTheDelay()
    {
        var provider = Gemini(o => o.Http.MaxRetryAfter = TimeSpan.FromSeconds(10));
        _server.Faults.Respond("/v1beta/models/", 429, FakeGemini.RateLimited, method: "POST");

        var error = await Assert.ThrowsAsync<AiProviderRateLimitedException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Equal(TimeSpan.FromSeconds(37), error.RetryAfter);
        Assert.Single(_server.ModelCalls);
    }

    [Fact]
    public async Task Redirect_ToAnotherServer_NotFollowedSoTheKeyNeverGoesThere()
    {
        await using var elsewhere = await FakeAiServer.StartAsync();
        var provider = Gemini();
        var target = new Uri(elsewhere.BaseAddress, "v1beta/models/gemini-3.8-flash:generateContent");
        _server.Faults.Respond("/v1beta/models/", 307, headers: new Dictionary<string, string> { ["Location"] = target.ToString() }, method: "POST");

        var error = await Assert.ThrowsAnyAsync<AiProviderException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Contains("CodeDoc:Ai:gemini:Endpoint", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(elsewhere.Requests, r => r.Headers.Values.Any(v => v.Contains(FakeAiServer.DefaultKey, StringComparison.Ordinal)) || r.Query.Contains(FakeAiServer.DefaultKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Usage_CachedAndThoughtTokens_PricedFromThePriceData()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddGemini("gemini", o => { o.Endpoint = Endpoint; o.ApiKey = FakeAiServer.DefaultKey; o.Model = Model; });
        var serviceProvider = Track(services.BuildServiceProvider());
        var provider = serviceProvider.GetRequiredKeyedService<IAiProvider>("gemini");
        _server.Enqueue(new FakeReply { InputTokens = 1_000_000, CachedTokens = 600_000, OutputTokens = 200_000, ReasoningTokens = 50_000 });

        var usage = provider.GetUsage(await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));
        var price = serviceProvider.GetRequiredService<IModelPriceCatalog>().Find(provider.Metadata.Vendor, Model, new DateOnly(2026, 11, 23))!;

        Assert.Equal(new AiUsage(1_000_000, 600_000, 0, 200_000, 50_000), usage);

        // 400K uncached at $0.75, 600K cached at $0.075, 200K output (thoughts included) at $3.75 per million.
        Assert.Equal(1.095m, price.CostOf(usage));
    }

    [Theory]
    [InlineData("models/gemini-3.8-flash", null, "Model", "without 'models/'")]
    [InlineData(Model, "extreme", "ThinkingLevel", "minimal, low, medium or high")]
    public void Validation_InvalidOptions_FailWithFieldAndFix(string model, string? thinkingLevel, string field, string fix)
    {
        var services = new ServiceCollection();
        services.AddCodeDoc().AddGemini("gemini", o => { o.ApiKey = "k"; o.Model = model; o.ThinkingLevel = thinkingLevel; });
        var serviceProvider = Track(services.BuildServiceProvider());

        var error = Assert.Throws<OptionsValidationException>(() => serviceProvider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"CodeDoc:Ai:gemini:{field}", error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_KeyInEndpointQuery_FailsWithoutEchoingIt()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc().AddGemini("gemini", o => { o.Endpoint = new Uri("https://generativelanguage.googleapis.com/v1beta/?key=AIza-secret-in-url"); o.ApiKey = "k"; o.Model = Model; });
        var serviceProvider = Track(services.BuildServiceProvider());

        var error = Assert.Throws<OptionsValidationException>(() => serviceProvider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("CodeDoc:Ai:gemini:Endpoint", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AIza-secret-in-url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Factory_StoredSettings_BuildTheSameProvider()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddGemini("gemini", o => { o.Endpoint = Endpoint; o.ApiKey = FakeAiServer.DefaultKey; o.Model = Model; });
        var factory = Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProviderFactory>("gemini");

        var provider = factory.Create(new ProviderSettings("gemini", "stored", new Dictionary<string, string?>
        {
            ["Model"] = Model,
            ["ApiKey"] = FakeAiServer.DefaultKey,
            ["Endpoint"] = Endpoint.ToString(),
            ["ThinkingLevel"] = "high",
        }));
        var access = await provider.CheckAccessAsync(Token);
        var answer = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);
        (provider as IDisposable)?.Dispose();

        Assert.True(access.Succeeded, string.Join("; ", access.Problems.Select(p => p.Message)));
        Assert.Contains("input limit", access.Checks.Single(c => c.Name == "model").Message, StringComparison.Ordinal);
        Assert.Equal("high", Assert.Single(_server.ModelCalls)["generationConfig"]!["thinkingConfig"]!["thinkingLevel"]!.GetValue<string>());
        Assert.Equal(new FakeReply().Text, answer.Text);
    }

    private ServiceProvider Track(ServiceProvider provider)
    {
        _providers.Add(provider);
        return provider;
    }

    private IAiProvider Gemini(Action<GeminiOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddGemini("gemini", o =>
        {
            o.Endpoint = Endpoint;
            o.ApiKey = FakeAiServer.DefaultKey;
            o.Model = Model;
            o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            configure?.Invoke(o);
        });
        return Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>("gemini");
    }
}
