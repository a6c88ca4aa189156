using CodeDoc.Ai.OpenAI;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.OpenAI.Tests;

/// <summary>The conformance suite against the fake, for one OpenAI kind and API; faults in OpenAI's own format.</summary>
public abstract class OpenAIFamilyConformanceTests : AiProviderConformanceTests
{
    protected FakeAiServer Server { get; private set; } = null!;

    protected override string ModelId => "gpt-6.1-terra";

    protected override string ValidKey => FakeAiServer.DefaultKey;

    protected override int ModelCallCount => Server.ModelCalls.Count;

    protected abstract string ModelPath { get; }

    protected override ICodeDocBuilder CreateBuilder(IServiceCollection services) => services.AddCodeDoc();

    protected override void ScriptReply(string text, AiUsage usage) => Server.Enqueue(new FakeReply
    {
        Text = text,
        InputTokens = (int)usage.InputTokens,
        CachedTokens = (int)usage.CachedInputTokens,
        CacheWriteTokens = (int)usage.CacheWriteTokens,
        OutputTokens = (int)usage.OutputTokens,
        ReasoningTokens = (int)usage.ReasoningTokens,
    });

    protected override void ScriptFault(AiConformanceFault fault)
    {
        _ = fault switch
        {
            AiConformanceFault.RateLimitedForAnHour => Server.Faults.Respond(ModelPath, 429, FakeOpenAI.RateLimited, new Dictionary<string, string> { ["Retry-After"] = "3600" }),
            AiConformanceFault.QuotaExceeded => Server.Faults.Respond(ModelPath, 429, FakeOpenAI.QuotaExceeded),
            AiConformanceFault.OverloadedOnce => Server.Faults.Respond(ModelPath, 503, FakeOpenAI.ServerError),
            _ => Server.Faults.Respond(ModelPath, 400, FakeOpenAI.ContextTooLong),
        };
    }

    protected override async ValueTask InitializeTargetAsync() => Server = await FakeAiServer.StartAsync();

    protected override async ValueTask DisposeTargetAsync() => await Server.DisposeAsync();

    protected static void Fast(CodeDocHttpOptions http) => http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
}

public sealed class OpenAIResponsesConformanceTests : OpenAIFamilyConformanceTests
{
    protected override string ProviderKind => "openai";

    protected override string Vendor => "openai";

    protected override string InvalidOptionsField => "CodeDoc:Ai:conformance-a:Endpoint";

    protected override string ModelPath => "/v1/responses";

    protected override AiUsage SampleUsage => new(1200, 1000, 100, 50, 20);

    protected override void AddProvider(ICodeDocBuilder builder, string name, string apiKey, string modelId) => builder.AddOpenAI(name, o =>
    {
        o.Endpoint = new Uri(Server.BaseAddress, "v1/");
        o.ApiKey = apiKey;
        o.Model = modelId;
        Fast(o.Http);
    });

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddOpenAI(name, o => { o.Endpoint = new Uri("http://api.example.com/v1/"); o.ApiKey = "k"; o.Model = "m"; });
}

public sealed class OpenAIChatCompletionsConformanceTests : OpenAIFamilyConformanceTests
{
    protected override string ProviderKind => "openai";

    protected override string Vendor => "openai";

    protected override string InvalidOptionsField => "CodeDoc:Ai:conformance-a:Model";

    protected override string ModelPath => "/v1/chat/completions";

    protected override AiUsage SampleUsage => new(1200, 1000, 100, 50, 20);

    protected override void AddProvider(ICodeDocBuilder builder, string name, string apiKey, string modelId) => builder.AddOpenAI(name, o =>
    {
        o.Endpoint = new Uri(Server.BaseAddress, "v1/");
        o.ApiKey = apiKey;
        o.Model = modelId;
        o.Api = OpenAIApi.ChatCompletions;
        Fast(o.Http);
    });

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddOpenAI(name, o => o.ApiKey = "k");
}

public sealed class AzureOpenAIConformanceTests : OpenAIFamilyConformanceTests
{
    protected override string ProviderKind => "azure-openai";

    protected override string Vendor => "openai";

    protected override string InvalidOptionsField => "CodeDoc:Ai:conformance-a:Deployment";

    protected override string ModelPath => "/openai/v1/chat/completions";

    protected override int ModelCallCount => Server.ModelCalls.Count(c => c["max_completion_tokens"]?.GetValue<int>() != 16);

    protected override void AddProvider(ICodeDocBuilder builder, string name, string apiKey, string modelId) => builder.AddAzureOpenAI(name, o =>
    {
        o.Endpoint = new Uri(Server.BaseAddress, "openai/v1/");
        o.Deployment = modelId;
        o.ApiKey = apiKey;
        Fast(o.Http);
    });

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddAzureOpenAI(name, o => { o.Endpoint = new Uri("https://res.openai.azure.com/openai/v1/"); o.ApiKey = "k"; });
}

public sealed class OpenAICompatibleConformanceTests : OpenAIFamilyConformanceTests
{
    protected override string ProviderKind => "openai-compatible";

    protected override string Vendor => "openai-compatible";

    protected override string InvalidOptionsField => "CodeDoc:Ai:conformance-a:Endpoint";

    protected override string ModelPath => "/v1/chat/completions";

    protected override int ModelCallCount => Server.ModelCalls.Count(c => c["max_completion_tokens"]?.GetValue<int>() != 16);

    protected override void AddProvider(ICodeDocBuilder builder, string name, string apiKey, string modelId) => builder.AddOpenAICompatible(name, o =>
    {
        o.Endpoint = new Uri(Server.BaseAddress, "v1/");
        o.ApiKey = apiKey;
        o.Model = modelId;
        Fast(o.Http);
    });

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddOpenAICompatible(name, o => { o.Endpoint = new Uri("http://gpu-box.example:8000/v1/"); o.Model = "m"; });
}
