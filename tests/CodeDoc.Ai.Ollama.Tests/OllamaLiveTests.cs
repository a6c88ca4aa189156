using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.Ollama.Tests;

/// <summary>Against a real Ollama, only when OLLAMA_BASE_URL is set (and OLLAMA_MODEL names a pulled model); skipped otherwise.</summary>
public sealed class OllamaLiveTests
{
    [Fact]
    public async Task Ollama_Live_AccessAndOneAnswer()
    {
        var endpoint = Environment.GetEnvironmentVariable("OLLAMA_BASE_URL");
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            Assert.Skip("Set OLLAMA_BASE_URL (and OLLAMA_MODEL) to run this live test.");
        }

        var model = Environment.GetEnvironmentVariable("OLLAMA_MODEL") ?? "qwen3-coder";
        var token = TestContext.Current.CancellationToken;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddOllama("live", o =>
        {
            o.Endpoint = new Uri(endpoint);
            o.Model = model;
            o.ContextWindowTokens = 8192;
            o.MaxOutputTokens = 256;
        });
        await using var serviceProvider = services.BuildServiceProvider();
        var provider = serviceProvider.GetRequiredKeyedService<IAiProvider>("live");

        var access = await provider.CheckAccessAsync(token);
        var response = await provider.ChatClient.GetResponseAsync("Reply with the single word: ready", cancellationToken: token);

        Assert.True(access.Succeeded, string.Join("; ", access.Problems.Select(p => p.Message)));
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(provider.GetUsage(response).InputTokens > 0);
    }
}
