using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.Gemini.Tests;

/// <summary>Against Google's Gemini API, only when GEMINI_API_KEY is set; skipped otherwise.</summary>
public sealed class GeminiLiveTests
{
    [Fact]
    public async Task Gemini_Live_AccessAndOneStreamedAnswer()
    {
        var key = Environment.GetEnvironmentVariable("GEMINI_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            Assert.Skip("Set GEMINI_API_KEY to run this live test.");
        }

        var token = TestContext.Current.CancellationToken;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddGemini("live", o => { o.ApiKey = key; o.Model = Environment.GetEnvironmentVariable("GEMINI_MODEL") ?? "gemini-3.8-flash"; });
        await using var serviceProvider = services.BuildServiceProvider();
        var provider = serviceProvider.GetRequiredKeyedService<IAiProvider>("live");

        var access = await provider.CheckAccessAsync(token);
        var response = await provider.ChatClient.GetStreamingResponseAsync("Reply with the single word: ready", new ChatOptions { MaxOutputTokens = 200 }, token).ToChatResponseAsync(token);

        Assert.True(access.Succeeded, string.Join("; ", access.Problems.Select(p => p.Message)));
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(provider.GetUsage(response).InputTokens > 0);
    }
}
