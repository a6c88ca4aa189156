using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.Ollama.Tests;

/// <summary>The conformance suite against the fake Ollama, with the context window asked from the server.</summary>
public sealed class OllamaConformanceTests : AiProviderConformanceTests
{
    private const string ChatPath = "/api/chat";

    private FakeAiServer _server = null!;

    protected override string ProviderKind => "ollama";

    protected override string Vendor => "ollama";

    protected override string ModelId => "qwen3-coder";

    // A local Ollama needs no key; this one sits behind an authenticating proxy, so key handling is tested too.
    protected override string ValidKey => FakeAiServer.DefaultKey;

    protected override string InvalidOptionsField => "CodeDoc:Ai:conformance-a:Endpoint";

    protected override int ModelCallCount => _server.ModelCalls.Count;

    // Ollama reports no cache or reasoning counts.
    protected override AiUsage SampleUsage => new(1200, 0, 0, 50, 0);

    protected override ICodeDocBuilder CreateBuilder(IServiceCollection services) => services.AddCodeDoc();

    protected override void AddProvider(ICodeDocBuilder builder, string name, string apiKey, string modelId) => builder.AddOllama(name, o =>
    {
        o.Endpoint = _server.BaseAddress;
        o.ApiKey = apiKey;
        o.Model = modelId;
        o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
    });

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddOllama(name, o => { o.Endpoint = new Uri("http://gpu-box.example:11434/"); o.Model = "qwen3-coder"; });

    protected override void ScriptReply(string text, AiUsage usage) => _server.Enqueue(new FakeReply
    {
        Text = text,
        InputTokens = (int)usage.InputTokens,
        OutputTokens = (int)usage.OutputTokens,
    });

    protected override void ScriptFault(AiConformanceFault fault)
    {
        _ = fault switch
        {
            AiConformanceFault.RateLimitedForAnHour => _server.Faults.Respond(ChatPath, 429, FakeOllama.Error("too many requests"), new Dictionary<string, string> { ["Retry-After"] = "3600" }),

            // A local Ollama has no quota; a hosted one behind a billing gateway answers 402.
            AiConformanceFault.QuotaExceeded => _server.Faults.Respond(ChatPath, 402, FakeOllama.Error("usage limit reached for this account")),
            AiConformanceFault.OverloadedOnce => _server.Faults.Respond(ChatPath, 503, FakeOllama.Busy),
            _ => _server.Faults.Respond(ChatPath, 400, FakeOllama.ContextTooLong),
        };
    }

    protected override async ValueTask InitializeTargetAsync() => _server = await FakeAiServer.StartAsync();

    protected override async ValueTask DisposeTargetAsync() => await _server.DisposeAsync();
}
