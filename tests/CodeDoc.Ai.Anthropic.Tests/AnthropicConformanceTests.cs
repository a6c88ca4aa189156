using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.Anthropic.Tests;

public sealed class AnthropicConformanceTests : AiProviderConformanceTests
{
    private FakeAiServer _server = null!;

    protected override string ProviderKind => "anthropic";

    protected override string Vendor => "anthropic";

    protected override string ModelId => "claude-sonnet-5-5";

    protected override string ValidKey => FakeAiServer.DefaultKey;

    protected override string InvalidOptionsField => "CodeDoc:Ai:conformance-a:Endpoint";

    protected override int ModelCallCount => _server.ModelCalls.Count;

    // Anthropic reports cache writes but no separate reasoning count (thinking is part of output_tokens).
    protected override AiUsage SampleUsage => new(1500, 1000, 300, 50, 0);

    protected override ICodeDocBuilder CreateBuilder(IServiceCollection services) => services.AddCodeDoc();

    protected override void AddProvider(ICodeDocBuilder builder, string name, string apiKey, string modelId) => builder.AddAnthropic(name, o =>
    {
        o.Endpoint = _server.BaseAddress;
        o.ApiKey = apiKey;
        o.Model = modelId;
        o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
    });

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddAnthropic(name, o => { o.Endpoint = new Uri("https://api.anthropic.com/v1/"); o.ApiKey = "k"; o.Model = "m"; });

    protected override void ScriptReply(string text, AiUsage usage) => _server.Enqueue(new FakeReply
    {
        Text = text,
        InputTokens = (int)usage.InputTokens,
        CachedTokens = (int)usage.CachedInputTokens,
        CacheWriteTokens = (int)usage.CacheWriteTokens,
        OutputTokens = (int)usage.OutputTokens,
    });

    protected override void ScriptFault(AiConformanceFault fault)
    {
        _ = fault switch
        {
            AiConformanceFault.RateLimitedForAnHour => _server.Faults.Respond("/v1/messages", 429, FakeAnthropic.RateLimited, new Dictionary<string, string> { ["retry-after"] = "3600" }),
            AiConformanceFault.QuotaExceeded => _server.Faults.Respond("/v1/messages", 402, FakeAnthropic.Billing),
            AiConformanceFault.OverloadedOnce => _server.Faults.Respond("/v1/messages", 529, FakeAnthropic.Overloaded),
            _ => _server.Faults.Respond("/v1/messages", 400, FakeAnthropic.ContextTooLong),
        };
    }

    protected override async ValueTask InitializeTargetAsync() => _server = await FakeAiServer.StartAsync();

    protected override async ValueTask DisposeTargetAsync() => await _server.DisposeAsync();
}
