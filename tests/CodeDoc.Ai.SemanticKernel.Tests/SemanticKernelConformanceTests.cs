using System.Text.Json.Nodes;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace CodeDoc.Ai.SemanticKernel.Tests;

/// <summary>The conformance suite for a kernel with SK's OpenAI connector on CodeDoc's HTTP client, against the fake OpenAI.</summary>
public sealed class SemanticKernelConformanceTests : AiProviderConformanceTests
{
    private const string ChatPath = "/v1/chat/completions";

    private FakeAiServer _server = null!;

    protected override string ProviderKind => "semantic-kernel";

    protected override string Vendor => "openai";

    protected override string ModelId => "gpt-6.1-terra";

    protected override string ValidKey => FakeAiServer.DefaultKey;

    protected override string InvalidOptionsField => "CodeDoc:Ai:conformance-a:MaxOutputTokens";

    // The access check is a chat request of 16 output tokens; only the others count as model calls.
    protected override int ModelCallCount => _server.ModelCalls.Count(c => !IsProbe(c));

    // SK's connector reads usage from Chat Completions, which reports no cache writes.
    protected override AiUsage SampleUsage => new(1200, 1000, 0, 50, 20);

    protected override ICodeDocBuilder CreateBuilder(IServiceCollection services) => services.AddCodeDoc();

    protected override void AddProvider(ICodeDocBuilder builder, string name, string apiKey, string modelId) => builder.AddSemanticKernel(
        name,
        (_, http) => Kernel.CreateBuilder().AddOpenAIChatCompletion(modelId, new Uri(_server.BaseAddress, "v1/"), apiKey, httpClient: http).Build(),
        o =>
        {
            o.Vendor = "openai";
            o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        });

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) => builder.AddSemanticKernel(
        name,
        (_, http) => Kernel.CreateBuilder().AddOpenAIChatCompletion(ModelId, new Uri(_server.BaseAddress, "v1/"), ValidKey, httpClient: http).Build(),
        o => o.MaxOutputTokens = 0);

    protected override void ScriptReply(string text, AiUsage usage) => _server.Enqueue(new FakeReply
    {
        Text = text,
        InputTokens = (int)usage.InputTokens,
        CachedTokens = (int)usage.CachedInputTokens,
        OutputTokens = (int)usage.OutputTokens,
        ReasoningTokens = (int)usage.ReasoningTokens,
    });

    protected override void ScriptFault(AiConformanceFault fault)
    {
        _ = fault switch
        {
            AiConformanceFault.RateLimitedForAnHour => _server.Faults.Respond(ChatPath, 429, FakeOpenAI.RateLimited, new Dictionary<string, string> { ["Retry-After"] = "3600" }),
            AiConformanceFault.QuotaExceeded => _server.Faults.Respond(ChatPath, 429, FakeOpenAI.QuotaExceeded),
            AiConformanceFault.OverloadedOnce => _server.Faults.Respond(ChatPath, 503, FakeOpenAI.ServerError),
            _ => _server.Faults.Respond(ChatPath, 400, FakeOpenAI.ContextTooLong),
        };
    }

    protected override async ValueTask InitializeTargetAsync() => _server = await FakeAiServer.StartAsync();

    protected override async ValueTask DisposeTargetAsync() => await _server.DisposeAsync();

    internal static bool IsProbe(JsonNode call) => (call["max_completion_tokens"] ?? call["max_tokens"])?.GetValue<int>() == 16;
}
