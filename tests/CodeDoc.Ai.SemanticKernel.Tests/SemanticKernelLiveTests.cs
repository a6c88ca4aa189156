using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace CodeDoc.Ai.SemanticKernel.Tests;

/// <summary>SK's OpenAI connector against OpenAI itself, only when OPENAI_API_KEY is set; skipped otherwise.</summary>
public sealed class SemanticKernelLiveTests
{
    [Fact]
    public async Task OpenAIConnector_Live_AccessAndOneAnswer()
    {
        var key = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            Assert.Skip("Set OPENAI_API_KEY to run this live test.");
        }

        var model = Environment.GetEnvironmentVariable("OPENAI_MODEL") ?? "gpt-6.1-terra";
        var token = TestContext.Current.CancellationToken;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddSemanticKernel("live", (_, http) => Kernel.CreateBuilder().AddOpenAIChatCompletion(model, key, httpClient: http).Build(), o => o.Vendor = "openai");
        await using var serviceProvider = services.BuildServiceProvider();
        var provider = serviceProvider.GetRequiredKeyedService<IAiProvider>("live");

        var access = await provider.CheckAccessAsync(token);
        var response = await provider.ChatClient.GetResponseAsync("Reply with the single word: ready", new ChatOptions { MaxOutputTokens = 200 }, token);

        Assert.True(access.Succeeded, string.Join("; ", access.Problems.Select(p => p.Message)));
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(provider.GetUsage(response).InputTokens > 0);
    }
}
