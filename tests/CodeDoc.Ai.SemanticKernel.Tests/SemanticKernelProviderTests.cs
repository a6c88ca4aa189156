using System.Net;
using System.Text.Json.Nodes;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace CodeDoc.Ai.SemanticKernel.Tests;

public sealed class SemanticKernelProviderTests : IAsyncLifetime
{
    private const string Model = "gpt-6.1-terra";
    private const string ChatPath = "/v1/chat/completions";
    private readonly List<IDisposable> _owned = [];
    private FakeAiServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Uri Endpoint => new(_server.BaseAddress, "v1/");

    public async ValueTask InitializeAsync() => _server = await FakeAiServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Request_ThroughTheConnector_CarriesCodeDocDefaultsAndTheConnectorsKey()
    {
        var provider = Registered(o => o.Temperature = 0.2f);

        await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(ChatPath, request.Path);
        Assert.Equal($"Bearer {FakeAiServer.DefaultKey}", request.Header("Authorization"));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(8192, (body["max_completion_tokens"] ?? body["max_tokens"])!.GetValue<int>());
        Assert.Equal(0.2, body["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(Model, body["model"]!.GetValue<string>());
    }

    [Fact]
    public void Metadata_ModelFromTheServiceAndWindowFromThePriceData()
    {
        var provider = Registered();

        Assert.Equal(Model, provider.Metadata.ModelId);
        Assert.Equal("openai", provider.Metadata.Vendor);
        Assert.Equal(1_050_000, provider.Metadata.ContextWindowTokens);
        Assert.Equal(Endpoint, provider.Metadata.Endpoint);
    }

    [Fact]
    public async Task Retries_CodeDocsPipelineRetriesAndTheConnectorDoesNot()
    {
        var provider = Registered(o => o.Http.MaxRetries = 1);
        _server.Faults.Respond(ChatPath, 503, FakeOpenAI.ServerError, times: 5);

        var error = await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(2, _server.ModelCalls.Count);
    }

    [Fact]
    public async Task Stream_EndsBeforeTheLastChunk_ThrowsUnavailableNotPartialAnswer()
    {
        var provider = Registered();
        _server.Enqueue(new FakeReply { Text = "A long answer cut short.", StopEarly = true });

        await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));
    }

    [Fact]
    public async Task Response_CutByOutputLimit_ReportsLengthFinish()
    {
        var provider = Registered();
        _server.Enqueue(new FakeReply { Text = "# Partial", Finish = FakeFinish.Length });

        var response = await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task ChatCompletionService_Registered_Answers()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddSemanticKernel("svc", (_, http) => new OpenAIChatCompletionService(Model, Endpoint, FakeAiServer.DefaultKey, httpClient: http), o => o.Vendor = "openai");
        var serviceProvider = Own(services.BuildServiceProvider());
        var provider = serviceProvider.GetRequiredKeyedService<IAiProvider>("svc");
        _server.Enqueue(new FakeReply { Text = "From the service.", InputTokens = 30, OutputTokens = 4 });

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal("From the service.", response.Text);
        Assert.Equal(new AiUsage(30, 0, 0, 4, 0), provider.GetUsage(response));
    }

    [Fact]
    public async Task ServiceId_PicksThatServiceOfTheKernel()
    {
        var provider = Registered(o => o.ServiceId = "docs", kernel: http => Kernel.CreateBuilder()
            .AddOpenAIChatCompletion("gpt-other", Endpoint, FakeAiServer.DefaultKey, serviceId: "chat", httpClient: http)
            .AddOpenAIChatCompletion(Model, Endpoint, FakeAiServer.DefaultKey, serviceId: "docs", httpClient: http)
            .Build());

        await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal(Model, _server.ModelCalls.Single()["model"]!.GetValue<string>());
    }

    [Fact]
    public void Kernel_WithoutChatService_ThrowsConfigurationErrorSayingWhatToAdd()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc().AddSemanticKernel("empty", (_, _) => Kernel.CreateBuilder().Build());
        var serviceProvider = Own(services.BuildServiceProvider());

        var error = Assert.Throws<CodeDocConfigurationException>(() => serviceProvider.GetRequiredKeyedService<IAiProvider>("empty"));

        Assert.Contains("holds no chat service", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsAiProvider_ConnectorsOwnHttpClient_ErrorsMappedFromTheConnectorsException()
    {
        using var http = new HttpClient();
        var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion(Model, Endpoint, "codedoc-rejected-key", httpClient: http).Build();
        var provider = kernel.AsAiProvider("adapted", new SemanticKernelOptions { Vendor = "openai" });
        _owned.Add((IDisposable)provider);

        var error = await Assert.ThrowsAsync<AiProviderAuthenticationException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));
        var check = await provider.CheckAccessAsync(Token);

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("adapted", error.ProviderName);
        Assert.Contains(check.Problems, p => p.Name == "credentials");
    }

    [Fact]
    public async Task AsAiProvider_ChatCompletionService_AnswersWithUsage()
    {
        using var http = new HttpClient();
        var service = new OpenAIChatCompletionService(Model, Endpoint, FakeAiServer.DefaultKey, httpClient: http);
        using var provider = (IDisposable)service.AsAiProvider("adapted", new SemanticKernelOptions { Vendor = "openai", MaxOutputTokens = 500 });
        _server.Enqueue(new FakeReply { Text = "Adapted.", InputTokens = 40, CachedTokens = 10, OutputTokens = 6 });

        var response = await ((IAiProvider)provider).ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token);

        Assert.Equal("Adapted.", response.Text);
        Assert.Equal(new AiUsage(40, 10, 0, 6, 0), ((IAiProvider)provider).GetUsage(response));
        var body = _server.ModelCalls.Single();
        Assert.Equal(500, (body["max_completion_tokens"] ?? body["max_tokens"])!.GetValue<int>());
    }

    [Fact]
    public void AsAiProvider_InvalidOptions_ThrowsNamingTheField()
    {
        var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion(Model, Endpoint, FakeAiServer.DefaultKey).Build();

        var error = Assert.Throws<CodeDocConfigurationException>(() => kernel.AsAiProvider("adapted", new SemanticKernelOptions { Vendor = " ", RequestsPerMinute = 0 }));

        Assert.Contains("Vendor is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequestsPerMinute is 0", error.Message, StringComparison.Ordinal);
    }

    private IAiProvider Registered(Action<SemanticKernelOptions>? configure = null, Func<HttpClient, Kernel>? kernel = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddSemanticKernel(
            "sk",
            (_, http) => kernel?.Invoke(http) ?? Kernel.CreateBuilder().AddOpenAIChatCompletion(Model, Endpoint, FakeAiServer.DefaultKey, httpClient: http).Build(),
            o =>
            {
                o.Vendor = "openai";
                o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
                configure?.Invoke(o);
            });
        return Own(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>("sk");
    }

    private ServiceProvider Own(ServiceProvider provider)
    {
        _owned.Add(provider);
        return provider;
    }
}
