using System.Text.Json.Nodes;
using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Ai.OpenAI.Tests;

public sealed class OpenAIProviderTests : IAsyncLifetime
{
    private const string Model = "gpt-6.1-terra";
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
    public async Task Responses_Request_SendsMaxOutputTokensKeyAndStoreFalseWithoutTemperature()
    {
        var provider = OpenAI(o => { o.Organization = "org-1"; o.Project = "proj-1"; });

        await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/responses", request.Path);
        Assert.Equal($"Bearer {FakeAiServer.DefaultKey}", request.Header("Authorization"));
        Assert.Equal("org-1", request.Header("OpenAI-Organization"));
        Assert.Equal("proj-1", request.Header("OpenAI-Project"));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(8192, body["max_output_tokens"]!.GetValue<int>());
        Assert.False(body["store"]!.GetValue<bool>());
        Assert.Null(body["temperature"]);
        Assert.Equal(Model, body["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChatCompletions_ConfiguredTemperatureAndMaxTokens_Sent()
    {
        var provider = OpenAI(o => { o.Api = OpenAIApi.ChatCompletions; o.Temperature = 0.2f; o.MaxOutputTokens = 12000; });

        await provider.ChatClient.GetStreamingResponseAsync("Document this.", cancellationToken: Token).ToChatResponseAsync(Token);

        var body = Assert.Single(_server.ModelCalls);
        Assert.Equal(12000, body["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(0.2, body["temperature"]!.GetValue<double>(), 3);
        Assert.True(body["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(OpenAIApi.Responses)]
    [InlineData(OpenAIApi.ChatCompletions)]
    public async Task GetResponse_CutByOutputLimit_ReportsLengthFinish(OpenAIApi api)
    {
        var provider = OpenAI(o => o.Api = api);
        _server.Enqueue(new FakeReply { Text = "# Partial", Finish = FakeFinish.Length });

        var response = await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task Azure_ApiKey_SentAsApiKeyHeaderToDeployment()
    {
        var provider = Azure(o => o.ApiKey = FakeAiServer.DefaultKey);

        await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/openai/v1/chat/completions", request.Path);
        Assert.Equal(FakeAiServer.DefaultKey, request.Header("api-key"));
        Assert.Null(request.Header("Authorization"));
        Assert.Equal(Model, JsonNode.Parse(request.Body)!["model"]!.GetValue<string>());
        Assert.Equal("openai", provider.Metadata.Vendor);
    }

    [Fact]
    public async Task Azure_TokenProvider_AskedPerRequestAndSentAsBearer()
    {
        var calls = 0;
        var provider = Azure(o => o.TokenProvider = _ =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult(FakeAiServer.DefaultKey);
        });

        await provider.ChatClient.GetResponseAsync("One.", cancellationToken: Token);
        await provider.ChatClient.GetResponseAsync("Two.", cancellationToken: Token);

        Assert.Equal(2, calls);
        Assert.All(_server.Requests, r => Assert.Equal($"Bearer {FakeAiServer.DefaultKey}", r.Header("Authorization")));
        Assert.All(_server.Requests, r => Assert.Null(r.Header("api-key")));
    }

    [Fact]
    public async Task Compatible_WithoutKey_SendsNoAuthorization()
    {
        _server.ValidKey = null;
        var provider = Compatible(o => o.ApiKey = null);

        await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        Assert.Null(Assert.Single(_server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Compatible_UsageRepeatedInEveryChunk_CountedOnce()
    {
        var provider = Compatible(o => o.StreamUsageIsCumulative = true);
        _server.Enqueue(new FakeReply { Text = "Several small pieces of text.", InputTokens = 10, OutputTokens = 7, RepeatUsage = true });

        var response = await provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token);

        Assert.Equal(new AiUsage(10, 0, 0, 7, 0), provider.GetUsage(response));
    }

    [Theory]
    [InlineData(OpenAIApi.Responses)]
    [InlineData(OpenAIApi.ChatCompletions)]
    public async Task Stream_EndsBeforeTheEndEvent_ThrowsUnavailableNotPartialAnswer(OpenAIApi api)
    {
        var provider = OpenAI(o => o.Api = api);
        _server.Enqueue(new FakeReply { Text = "A long answer cut short.", StopEarly = true });

        await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));
    }

    [Theory]
    [InlineData(OpenAIApi.Responses)]
    [InlineData(OpenAIApi.ChatCompletions)]
    public async Task Stream_ErrorEventAfterStart_ThrowsProviderException(OpenAIApi api)
    {
        var provider = OpenAI(o => o.Api = api);
        _server.Enqueue(new FakeReply { Text = "A long answer that fails.", MidStreamError = true });

        await Assert.ThrowsAnyAsync<AiProviderException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));
    }

    [Theory]
    [InlineData(OpenAIApi.Responses, false)]
    [InlineData(OpenAIApi.Responses, true)]
    [InlineData(OpenAIApi.ChatCompletions, false)]
    [InlineData(OpenAIApi.ChatCompletions, true)]
    public async Task MalformedJson_ThrowsProviderExceptionSayingItCouldNotBeRead(OpenAIApi api, bool stream)
    {
        var provider = OpenAI(o => o.Api = api);
        _server.Enqueue(new FakeReply { Text = "Broken answer here.", Malformed = true });

        var error = await Assert.ThrowsAnyAsync<AiProviderException>(() => stream
            ? provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token)
            : provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_ConnectionResetMidStream_ThrowsUnavailable()
    {
        var provider = OpenAI();
        _server.Enqueue(new FakeReply { Text = new string('x', 400), ChunkSize = 10, ChunkDelay = TimeSpan.FromMilliseconds(20) });
        _server.Faults.CutAfter("/v1/responses", 3000);

        var error = await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task ConnectionResetBeforeAnswer_RetriedAndAnswered()
    {
        var provider = OpenAI();
        _server.Faults.Reset("/v1/responses");

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal(new FakeReply().Text, response.Text);
        Assert.Equal(2, _server.ModelCalls.Count);
    }

    [Fact]
    public async Task SlowFirstByte_AttemptTimesOut_RetriedAndAnswered()
    {
        var provider = OpenAI(o => o.Http.AttemptTimeout = TimeSpan.FromMilliseconds(500));
        _server.Faults.Delay("/v1/responses", TimeSpan.FromSeconds(20));

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal(new FakeReply().Text, response.Text);
        Assert.Equal(2, _server.ModelCalls.Count);
    }

    [Fact]
    public async Task Cancellation_DuringSlowCall_ThrowsOperationCanceledUnchanged()
    {
        var provider = OpenAI();
        _server.Faults.Delay("/v1/responses", TimeSpan.FromSeconds(60));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: cancellation.Token));

        Assert.IsNotAssignableFrom<AiProviderException>(error);
        Assert.Single(_server.ModelCalls);
    }

    [Theory]
    [InlineData(429, "1")]
    [InlineData(500, null)]
    [InlineData(529, null)]
    public async Task TransientFailureOnce_RetriedAndAnswered(int status, string? retryAfter)
    {
        var provider = OpenAI();
        _server.Faults.Respond("/v1/responses", status, status == 429 ? FakeOpenAI.RateLimited : FakeOpenAI.ServerError,
            retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter });

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal(new FakeReply().Text, response.Text);
        Assert.Equal(2, _server.ModelCalls.Count);
    }

    [Fact]
    public async Task ServerErrorsOutlastRetries_ThrowsUnavailableAfterEveryRetry()
    {
        var provider = OpenAI(o => o.Http.MaxRetries = 2);
        _server.Faults.Respond("/v1/responses", 503, FakeOpenAI.ServerError, times: 5);

        var error = await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(3, _server.ModelCalls.Count);
    }

    [Fact]
    public async Task ErrorBodyEchoingTheKey_KeyScrubbedAndSdkExceptionDropped()
    {
        var provider = OpenAI();
        _server.Faults.Respond("/v1/responses", 401, FakeOpenAI.Error($"Incorrect API key provided: {FakeAiServer.DefaultKey}.", "invalid_request_error", "invalid_api_key"));

        var error = await Assert.ThrowsAsync<AiProviderAuthenticationException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.DoesNotContain(FakeAiServer.DefaultKey, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided: ***", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        Assert.Equal("docs", error.ProviderName);
        Assert.Equal(new Uri(_server.BaseAddress, "v1/responses"), error.RequestUri);
    }

    [Fact]
    public async Task RateLimits_TwoInstancesWithTheSameKey_ShareTheAccountLimit()
    {
        var services = Services();
        services.AddCodeDoc()
            .AddOpenAI("first", o => Configure(o, o2 => o2.RequestsPerMinute = 1))
            .AddOpenAI("second", o => Configure(o, o2 => o2.RequestsPerMinute = 1));
        var serviceProvider = Track(services.BuildServiceProvider());
        var first = serviceProvider.GetRequiredKeyedService<IAiProvider>("first");
        var second = serviceProvider.GetRequiredKeyedService<IAiProvider>("second");
        await first.ChatClient.GetResponseAsync("One.", cancellationToken: Token);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(Token);
        waiting.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.ChatClient.GetResponseAsync("Two.", cancellationToken: waiting.Token));

        Assert.Single(_server.ModelCalls);
    }

    [Fact]
    public async Task RateLimits_TwoInstancesWithDifferentKeys_DoNotShare()
    {
        _server.ValidKey = null;
        var services = Services();
        services.AddCodeDoc()
            .AddOpenAI("first", o => Configure(o, o2 => { o2.RequestsPerMinute = 1; o2.ApiKey = "key-one"; }))
            .AddOpenAI("second", o => Configure(o, o2 => { o2.RequestsPerMinute = 1; o2.ApiKey = "key-two"; }));
        var serviceProvider = Track(services.BuildServiceProvider());

        await serviceProvider.GetRequiredKeyedService<IAiProvider>("first").ChatClient.GetResponseAsync("One.", cancellationToken: Token);
        await serviceProvider.GetRequiredKeyedService<IAiProvider>("second").ChatClient.GetResponseAsync("Two.", cancellationToken: Token);

        Assert.Equal(2, _server.ModelCalls.Count);
    }

    [Fact]
    public async Task Usage_KnownModel_PricedFromThePriceData()
    {
        var services = Services();
        services.AddCodeDoc().AddOpenAI("docs", o => Configure(o, null));
        var serviceProvider = Track(services.BuildServiceProvider());
        var provider = serviceProvider.GetRequiredKeyedService<IAiProvider>("docs");
        _server.Enqueue(new FakeReply { InputTokens = 200_000, CachedTokens = 100_000, OutputTokens = 100_000 });

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);
        var price = serviceProvider.GetRequiredService<IModelPriceCatalog>().Find(provider.Metadata.Vendor, provider.Metadata.ModelId, new DateOnly(2026, 11, 23));

        Assert.NotNull(price);
        // 100K uncached at $1, 100K cached at $0.10, 100K output at $5 per million.
        Assert.Equal(0.61m, price.CostOf(provider.GetUsage(response)));
        Assert.Equal(1_050_000, provider.Metadata.ContextWindowTokens);
    }

    [Fact]
    public async Task Configuration_SectionBound_BuildsWorkingProvider()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodeDoc:Ai:docs:Model"] = Model,
            ["CodeDoc:Ai:docs:ApiKey"] = FakeAiServer.DefaultKey,
            ["CodeDoc:Ai:docs:Endpoint"] = new Uri(_server.BaseAddress, "v1/").ToString(),
            ["CodeDoc:Ai:docs:Api"] = "ChatCompletions",
            ["CodeDoc:Ai:docs:Http:MaxRetries"] = "1",
        }).Build();
        var services = Services();
        services.AddCodeDoc().AddOpenAI("docs", configuration.GetSection("CodeDoc:Ai:docs"));
        var provider = Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>("docs");

        var result = await provider.CheckAccessAsync(Token);
        await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.True(result.Succeeded);
        Assert.Equal("/v1/chat/completions", _server.Requests[^1].Path);
    }

    [Fact]
    public async Task Factory_StoredSettings_BuildTheSameProvider()
    {
        var services = Services();
        services.AddCodeDoc().AddOpenAI("docs", o => Configure(o, null));
        var serviceProvider = Track(services.BuildServiceProvider());
        var factory = serviceProvider.GetRequiredKeyedService<IAiProviderFactory>("openai");

        var provider = factory.Create(new ProviderSettings("openai", "stored", new Dictionary<string, string?>
        {
            ["Model"] = Model,
            ["ApiKey"] = FakeAiServer.DefaultKey,
            ["Endpoint"] = new Uri(_server.BaseAddress, "v1/").ToString(),
        }));
        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);
        (provider as IDisposable)?.Dispose();

        Assert.Equal("stored", provider.Metadata.Name);
        Assert.Equal(new FakeReply().Text, response.Text);
    }

    [Fact]
    public void Factory_InvalidSettings_ThrowsConfigurationErrorNamingTheField()
    {
        var services = Services();
        services.AddCodeDoc().AddAzureOpenAI("azure", o => { o.Endpoint = new Uri(_server.BaseAddress, "openai/v1/"); o.Deployment = Model; o.ApiKey = "k"; });
        var factory = Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProviderFactory>("azure-openai");

        var error = Assert.Throws<CodeDocConfigurationException>(() => factory.Create(new ProviderSettings("azure-openai", "stored", new Dictionary<string, string?>
        {
            ["Endpoint"] = "https://res.openai.azure.com/openai/v1/",
            ["ApiKey"] = "k",
        })));

        Assert.Contains("Deployment is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://api.example.com/v1/", "use https://")]
    [InlineData("https://user:pw@api.example.com/v1/", "credentials in the URL")]
    public void Validation_BadEndpoint_FailsNamingFieldAndFix(string endpoint, string fix)
    {
        var services = Services();
        services.AddCodeDoc().AddOpenAI("docs", o => { o.Endpoint = new Uri(endpoint); o.ApiKey = "k"; o.Model = Model; });
        var serviceProvider = Track(services.BuildServiceProvider());

        var error = Assert.Throws<OptionsValidationException>(() => serviceProvider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("CodeDoc:Ai:docs:Endpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_MissingKeyAndBadLimits_ListsEveryProblem()
    {
        var services = Services();
        services.AddCodeDoc().AddOpenAI("docs", o => { o.Model = Model; o.MaxOutputTokens = 0; o.Temperature = 3; o.RequestsPerMinute = 0; });
        var serviceProvider = Track(services.BuildServiceProvider());

        var error = Assert.Throws<OptionsValidationException>(() => serviceProvider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("CodeDoc:Ai:docs:ApiKey is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("CodeDoc:Ai:docs:MaxOutputTokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("CodeDoc:Ai:docs:Temperature", error.Message, StringComparison.Ordinal);
        Assert.Contains("CodeDoc:Ai:docs:RequestsPerMinute", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_AzureEndpointWithoutV1_FailsNamingTheShape()
    {
        var services = Services();
        services.AddCodeDoc().AddAzureOpenAI("azure", o => { o.Endpoint = new Uri("https://res.openai.azure.com/"); o.Deployment = "d"; o.ApiKey = "k"; });
        var serviceProvider = Track(services.BuildServiceProvider());

        var error = Assert.Throws<OptionsValidationException>(() => serviceProvider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("/openai/v1/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_PrivateCaTrusted_Works()
    {
        await using var tls = await FakeAiServer.StartAsync(new FakeServerOptions { Https = true });
        var services = Services();
        services.AddCodeDoc().AddOpenAI("docs", o =>
        {
            o.Endpoint = new Uri(tls.BaseAddress, "v1/");
            o.ApiKey = FakeAiServer.DefaultKey;
            o.Model = Model;
            o.Http.TrustedCaCertificateFiles.Add(tls.Http.CaCertificatePath!);
        });
        var provider = Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>("docs");

        var result = await provider.CheckAccessAsync(Token);

        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => p.Message)));
    }

    [Fact]
    public async Task CheckAccess_Unreachable_FailsOnEndpoint()
    {
        var port = _server.BaseAddress.Port;
        await _server.DisposeAsync();
        var provider = OpenAI(o => o.Http.MaxRetries = 0);

        var result = await provider.CheckAccessAsync(Token);
        _server = await FakeAiServer.StartAsync();

        var problem = Assert.Single(result.Problems);
        Assert.Equal("endpoint", problem.Name);
        Assert.Contains($"127.0.0.1:{port}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_QuotaExhausted_FailsOnQuotaWithTheFix()
    {
        var provider = Compatible();
        _server.Faults.Respond("/v1/chat/completions", 429, FakeOpenAI.QuotaExceeded);

        var result = await provider.CheckAccessAsync(Token);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("quota", problem.Name);
        Assert.Contains("add credits", problem.Message, StringComparison.Ordinal);
    }

    private static ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        return services;
    }

    private ServiceProvider Track(ServiceProvider provider)
    {
        _providers.Add(provider);
        return provider;
    }

    private void Configure(OpenAIOptions options, Action<OpenAIOptions>? more)
    {
        options.Endpoint = new Uri(_server.BaseAddress, "v1/");
        options.ApiKey = FakeAiServer.DefaultKey;
        options.Model = Model;
        options.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        more?.Invoke(options);
    }

    private IAiProvider OpenAI(Action<OpenAIOptions>? configure = null)
    {
        var services = Services();
        services.AddCodeDoc().AddOpenAI("docs", o => Configure(o, configure));
        return Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>("docs");
    }

    private IAiProvider Azure(Action<AzureOpenAIOptions> configure)
    {
        var services = Services();
        services.AddCodeDoc().AddAzureOpenAI("azure", o =>
        {
            o.Endpoint = new Uri(_server.BaseAddress, "openai/v1/");
            o.Deployment = Model;
            o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            configure(o);
        });
        return Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>("azure");
    }

    private IAiProvider Compatible(Action<OpenAICompatibleOptions>? configure = null)
    {
        var services = Services();
        services.AddCodeDoc().AddOpenAICompatible("local", o =>
        {
            o.Endpoint = new Uri(_server.BaseAddress, "v1/");
            o.ApiKey = FakeAiServer.DefaultKey;
            o.Model = Model;
            o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            configure?.Invoke(o);
        });
        return Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>("local");
    }
}
