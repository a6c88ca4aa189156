using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Ai.Ollama.Tests;

public sealed class OllamaProviderTests : IAsyncLifetime
{
    private const string Model = "qwen3-coder";
    private readonly List<ServiceProvider> _providers = [];
    private readonly CapturingLoggerProvider _logs = new();
    private FakeAiServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeAiServer.StartAsync();
        _server.ValidKey = null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Request_WindowNotConfigured_AsksShowOnceAndSendsItsContextLengthAsNumCtx()
    {
        _server.OllamaContextLength = 65536;
        var provider = Ollama(o => o.MaxOutputTokens = 3000);

        await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);
        await provider.ChatClient.GetStreamingResponseAsync("And this.", cancellationToken: Token).ToChatResponseAsync(Token);

        Assert.Single(_server.Requests, r => r.Path == "/api/show");
        Assert.Equal(2, _server.ModelCalls.Count);
        Assert.All(_server.ModelCalls, call =>
        {
            Assert.Equal(65536, call["options"]!["num_ctx"]!.GetValue<int>());
            Assert.Equal(3000, call["options"]!["num_predict"]!.GetValue<int>());
            Assert.Equal(Model, call["model"]!.GetValue<string>());
        });
        Assert.Null(_server.Requests[^1].Header("Authorization"));
        Assert.Equal(65536, provider.Metadata.ContextWindowTokens);
    }

    [Fact]
    public async Task Request_WindowConfigured_SentWithoutAskingTheServer()
    {
        var provider = Ollama(o => { o.ContextWindowTokens = 16384; o.Temperature = 0.3f; });

        await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/api/chat", request.Path);
        var options = JsonNode.Parse(request.Body)!["options"]!;
        Assert.Equal(16384, options["num_ctx"]!.GetValue<int>());
        Assert.Equal(0.3, options["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(16384, provider.Metadata.ContextWindowTokens);
    }

    [Fact]
    public async Task CheckAccess_WindowNotConfigured_MetadataLearnsTheModelsWindow()
    {
        _server.OllamaContextLength = 262144;
        var provider = Ollama();
        var before = provider.Metadata.ContextWindowTokens;

        var result = await provider.CheckAccessAsync(Token);

        Assert.True(result.Succeeded);
        Assert.Equal(OllamaContextWindow.Fallback, before);
        Assert.Equal(262144, provider.Metadata.ContextWindowTokens);
        Assert.Contains("num_ctx 262,144", result.Checks.Single(c => c.Name == "model").Message, StringComparison.Ordinal);
        Assert.Empty(_server.ModelCalls);
    }

    [Fact]
    public async Task Show_WithoutContextLength_ThrowsNamingTheOption()
    {
        _server.Faults.Respond("/api/show", 200, """{"modelfile":"FROM x","details":{"family":"qwen3"},"model_info":{"general.architecture":"qwen3"}}""");
        var provider = Ollama();

        var error = await Assert.ThrowsAnyAsync<AiProviderException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Contains("ContextWindowTokens", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.ModelCalls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Response_PromptHalvedByOllama_ThrowsContextTooLongAndLogsWarning(bool streaming)
    {
        var provider = Ollama(o => { o.ContextWindowTokens = 4096; o.MaxOutputTokens = 512; });

        // About 3,000 tokens sent; Ollama's answer to an overflow keeps half the window (num_ctx / 2 + 2).
        _server.Enqueue(new FakeReply { InputTokens = 2050, OutputTokens = 40 });
        var prompt = new string('x', 12_000);

        var error = await Assert.ThrowsAsync<AiProviderContextTooLongException>(() => Call(provider, prompt, streaming));

        Assert.Equal(4096, error.ContextWindowTokens);
        Assert.Contains("cut the beginning of the prompt", error.Message, StringComparison.Ordinal);
        Assert.Contains("CodeDoc:Ai:local:ContextWindowTokens", error.Message, StringComparison.Ordinal);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Ollama cut the prompt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Response_FarFewerPromptTokensThanSent_ThrowsContextTooLong()
    {
        var provider = Ollama(o => { o.ContextWindowTokens = 65536; o.MaxOutputTokens = 512; });
        _server.Enqueue(new FakeReply { InputTokens = 900, OutputTokens = 40 });

        await Assert.ThrowsAsync<AiProviderContextTooLongException>(() => provider.ChatClient.GetResponseAsync(new string('x', 12_000), cancellationToken: Token));
    }

    [Fact]
    public async Task Response_PromptAndAnswerOutgrewTheWindow_ThrowsContextTooLong()
    {
        var provider = Ollama(o => { o.ContextWindowTokens = 4096; o.MaxOutputTokens = 1024; });
        _server.Enqueue(new FakeReply { InputTokens = 3500, OutputTokens = 700 });

        var error = await Assert.ThrowsAsync<AiProviderContextTooLongException>(() => provider.ChatClient.GetResponseAsync(new string('x', 10_000), cancellationToken: Token));

        Assert.Contains("outgrew num_ctx 4,096", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3000)]
    [InlineData(3900)]
    public async Task Response_WholePromptEvaluated_ReturnedWithUsage(int evaluated)
    {
        var provider = Ollama(o => { o.ContextWindowTokens = 8192; o.MaxOutputTokens = 1024; });
        _server.Enqueue(new FakeReply { Text = "A complete page.", InputTokens = evaluated, OutputTokens = 40 });

        var response = await provider.ChatClient.GetResponseAsync(new string('x', 12_000), cancellationToken: Token);

        Assert.Equal("A complete page.", response.Text);
        Assert.Equal(new AiUsage(evaluated, 0, 0, 40, 0), provider.GetUsage(response));
    }

    [Fact]
    public async Task Request_PromptCannotFit_RefusedBeforeSending()
    {
        var provider = Ollama(o => { o.ContextWindowTokens = 4096; o.MaxOutputTokens = 1024; });

        var error = await Assert.ThrowsAsync<AiProviderContextTooLongException>(() => provider.ChatClient.GetResponseAsync(new string('x', 16_000), cancellationToken: Token));

        Assert.Equal(4000, error.PromptTokens);
        Assert.Equal(3072, error.ContextWindowTokens);
        Assert.Contains("did not send it", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.ModelCalls);
    }

    [Fact]
    public async Task Response_CutByOutputLimit_ReportsLengthFinish()
    {
        var provider = Ollama();
        _server.Enqueue(new FakeReply { Text = "# Partial", Finish = FakeFinish.Length });

        var response = await provider.ChatClient.GetResponseAsync("Document this.", cancellationToken: Token);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task ModelNotPulled_ThrowsNotFoundSayingHowToPullIt()
    {
        var provider = Ollama(o => o.Model = "llama9:70b");

        var error = await Assert.ThrowsAsync<AiProviderNotFoundException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));

        Assert.Contains("ollama pull llama9:70b", error.Message, StringComparison.Ordinal);
        Assert.Contains("CodeDoc:Ai:local:Model", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("local", error.ProviderName);
    }

    [Fact]
    public async Task ServerNotRunning_ThrowsUnavailableSayingToStartOllama()
    {
        var endpoint = new Uri($"http://127.0.0.1:{FreePort()}/");
        var provider = Ollama(o => { o.Endpoint = endpoint; o.Http.MaxRetries = 0; });

        var error = await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token));
        var check = await provider.CheckAccessAsync(Token);

        Assert.Contains("ollama serve", error.Message, StringComparison.Ordinal);
        Assert.Contains($"ollama pull {Model}", error.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint.Authority, error.Message, StringComparison.Ordinal);
        var problem = Assert.Single(check.Problems);
        Assert.Equal("endpoint", problem.Name);
        Assert.Contains("ollama serve", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_ErrorLineAfterStart_ThrowsUnavailable()
    {
        var provider = Ollama();
        _server.Enqueue(new FakeReply { Text = "A long answer that fails.", MidStreamError = true });

        var error = await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));

        Assert.Contains("Ollama stopped with an error while answering (an error was encountered while running the model: unexpected EOF)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_EndsBeforeDone_ThrowsUnavailableNotPartialAnswer()
    {
        var provider = Ollama();
        _server.Enqueue(new FakeReply { Text = "A long answer cut short.", StopEarly = true });

        await Assert.ThrowsAsync<AiProviderUnavailableException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: Token).ToChatResponseAsync(Token));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MalformedJson_ThrowsProviderExceptionSayingItCouldNotBeRead(bool streaming)
    {
        var provider = Ollama(o => o.ContextWindowTokens = 16384);
        _server.Enqueue(new FakeReply { Text = "Broken answer here.", Malformed = true });

        var error = await Assert.ThrowsAnyAsync<AiProviderException>(() => Call(provider, "Hello", streaming));

        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_ConnectionResetMidStream_ThrowsUnavailable()
    {
        var provider = Ollama(o => o.ContextWindowTokens = 16384);
        _server.Enqueue(new FakeReply { Text = new string('x', 400), ChunkSize = 10, ChunkDelay = TimeSpan.FromMilliseconds(20) });
        _server.Faults.CutAfter("/api/chat", 1500);

        var error = await Assert.ThrowsAsync<AiProviderUnavailableException>(() => Call(provider, "Hello", streaming: true));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task ConnectionResetBeforeAnswer_RetriedAndAnswered()
    {
        var provider = Ollama(o => o.ContextWindowTokens = 16384);
        _server.Faults.Reset("/api/chat");

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal(new FakeReply().Text, response.Text);
        Assert.Equal(2, _server.ModelCalls.Count);
    }

    [Fact]
    public async Task SlowFirstByte_AttemptTimesOut_RetriedAndAnswered()
    {
        var provider = Ollama(o => { o.ContextWindowTokens = 16384; o.Http.AttemptTimeout = TimeSpan.FromMilliseconds(500); });
        _server.Faults.Delay("/api/chat", TimeSpan.FromSeconds(20));

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.Equal(new FakeReply().Text, response.Text);
    }

    [Fact]
    public async Task Cancellation_DuringSlowCall_ThrowsOperationCanceledUnchanged()
    {
        var provider = Ollama(o => o.ContextWindowTokens = 16384);
        _server.Faults.Delay("/api/chat", TimeSpan.FromSeconds(60));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: cancellation.Token));

        Assert.IsNotAssignableFrom<AiProviderException>(error);
    }

    [Fact]
    public async Task Usage_LocalModel_CostsNothing()
    {
        var services = Services();
        services.AddCodeDoc().AddOllama("local", o => Configure(o, null));
        var serviceProvider = Track(services.BuildServiceProvider());
        var provider = serviceProvider.GetRequiredKeyedService<IAiProvider>("local");
        _server.Enqueue(new FakeReply { InputTokens = 5000, OutputTokens = 800 });

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);
        var price = serviceProvider.GetRequiredService<IModelPriceCatalog>().Find(provider.Metadata.Vendor, provider.Metadata.ModelId, new DateOnly(2026, 11, 23));

        Assert.NotNull(price);
        Assert.Equal(0m, price.CostOf(provider.GetUsage(response)));
    }

    [Fact]
    public async Task Configuration_SectionBound_BuildsWorkingProvider()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodeDoc:Ai:local:Model"] = Model,
            ["CodeDoc:Ai:local:Endpoint"] = _server.BaseAddress.ToString(),
            ["CodeDoc:Ai:local:ContextWindowTokens"] = "20000",
        }).Build();
        var services = Services();
        services.AddCodeDoc().AddOllama("local", configuration.GetSection("CodeDoc:Ai:local"));
        var provider = Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>("local");

        var result = await provider.CheckAccessAsync(Token);
        await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);

        Assert.True(result.Succeeded);
        Assert.Equal(20000, _server.ModelCalls.Single()["options"]!["num_ctx"]!.GetValue<int>());
    }

    [Fact]
    public async Task Factory_StoredSettings_BuildTheSameProvider()
    {
        var services = Services();
        services.AddCodeDoc().AddOllama("local", o => Configure(o, null));
        var factory = Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProviderFactory>("ollama");

        var provider = factory.Create(new ProviderSettings("ollama", "stored", new Dictionary<string, string?>
        {
            ["Model"] = Model,
            ["Endpoint"] = _server.BaseAddress.ToString(),
        }));
        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: Token);
        (provider as IDisposable)?.Dispose();

        Assert.Equal("stored", provider.Metadata.Name);
        Assert.Equal(new FakeReply().Text, response.Text);
        Assert.Equal(131072, _server.ModelCalls.Single()["options"]!["num_ctx"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("http://gpu-box.example:11434/", "CodeDoc:Ai:local:Endpoint", "use https://")]
    [InlineData("http://localhost:11434/", "CodeDoc:Ai:local:Model", "is required")]
    public void Validation_BadOptions_FailNamingFieldAndFix(string endpoint, string field, string fix)
    {
        var services = Services();
        services.AddCodeDoc().AddOllama("local", o =>
        {
            o.Endpoint = new Uri(endpoint);
            o.Model = field.EndsWith("Model", StringComparison.Ordinal) ? null : Model;
        });
        var serviceProvider = Track(services.BuildServiceProvider());

        var error = Assert.Throws<OptionsValidationException>(() => serviceProvider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_OutputNotSmallerThanWindow_Fails()
    {
        var services = Services();
        services.AddCodeDoc().AddOllama("local", o => { o.Model = Model; o.ContextWindowTokens = 4096; o.MaxOutputTokens = 4096; });
        var serviceProvider = Track(services.BuildServiceProvider());

        var error = Assert.Throws<OptionsValidationException>(() => serviceProvider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("CodeDoc:Ai:local:MaxOutputTokens (4096) must be smaller than CodeDoc:Ai:local:ContextWindowTokens (4096)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOllama_WithoutOptions_BindsTheConventionalSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodeDoc:Ai:ollama:Model"] = "qwen3-coder:30b",
        }).Build();
        var services = Services();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddCodeDoc().AddOllama();
        var provider = Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>("ollama");

        Assert.Equal("qwen3-coder:30b", provider.Metadata.ModelId);
        Assert.Equal(new Uri("http://localhost:11434/"), provider.Metadata.Endpoint);
        Assert.Equal("Ollama AI provider 'ollama' (model qwen3-coder:30b at http://localhost:11434/)", provider.ToString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<ChatResponse> Call(IAiProvider provider, string prompt, bool streaming) => streaming
        ? provider.ChatClient.GetStreamingResponseAsync(prompt, cancellationToken: Token).ToChatResponseAsync(Token)
        : provider.ChatClient.GetResponseAsync(prompt, cancellationToken: Token);

    private ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        return services;
    }

    private ServiceProvider Track(ServiceProvider provider)
    {
        _providers.Add(provider);
        return provider;
    }

    private void Configure(OllamaOptions options, Action<OllamaOptions>? more)
    {
        options.Endpoint = _server.BaseAddress;
        options.Model = Model;
        options.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        more?.Invoke(options);
    }

    private IAiProvider Ollama(Action<OllamaOptions>? configure = null)
    {
        var services = Services();
        services.AddCodeDoc().AddOllama("local", o => Configure(o, configure));
        return Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>("local");
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(this);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
