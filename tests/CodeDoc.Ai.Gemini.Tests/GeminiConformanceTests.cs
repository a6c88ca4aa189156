using System.Text.Json.Nodes;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.Gemini.Tests;

public sealed class GeminiConformanceTests : AiProviderConformanceTests
{
    private const string ModelCalls = "/v1beta/models/";
    private FakeAiServer _server = null!;

    protected override string ProviderKind => "gemini";

    protected override string Vendor => "google";

    protected override string ModelId => "gemini-3.8-flash";

    protected override string ValidKey => FakeAiServer.DefaultKey;

    protected override string InvalidOptionsField => "CodeDoc:Ai:conformance-a:Endpoint";

    protected override int ModelCallCount => _server.ModelCalls.Count;

    protected override ICodeDocBuilder CreateBuilder(IServiceCollection services) => services.AddCodeDoc();

    protected override void AddProvider(ICodeDocBuilder builder, string name, string apiKey, string modelId) => builder.AddGemini(name, o =>
    {
        o.Endpoint = new Uri(_server.BaseAddress, "v1beta/");
        o.ApiKey = apiKey;
        o.Model = modelId;
        o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
    });

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddGemini(name, o => { o.Endpoint = new Uri("http://generativelanguage.example.com/v1beta/"); o.ApiKey = "k"; o.Model = "m"; });

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
        // Google sends the wait in the body (RetryInfo), not as a Retry-After header.
        var anHour = FakeGemini.Error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", new JsonObject
        {
            ["@type"] = "type.googleapis.com/google.rpc.RetryInfo",
            ["retryDelay"] = "3600s",
        });
        _ = fault switch
        {
            AiConformanceFault.RateLimitedForAnHour => _server.Faults.Respond(ModelCalls, 429, anHour, method: "POST"),
            AiConformanceFault.QuotaExceeded => _server.Faults.Respond(ModelCalls, 429, FakeGemini.DailyQuota, method: "POST"),
            AiConformanceFault.OverloadedOnce => _server.Faults.Respond(ModelCalls, 503, FakeGemini.Overloaded, method: "POST"),
            _ => _server.Faults.Respond(ModelCalls, 400, FakeGemini.ContextTooLong, method: "POST"),
        };
    }

    protected override async ValueTask InitializeTargetAsync() => _server = await FakeAiServer.StartAsync();

    protected override async ValueTask DisposeTargetAsync() => await _server.DisposeAsync();
}
