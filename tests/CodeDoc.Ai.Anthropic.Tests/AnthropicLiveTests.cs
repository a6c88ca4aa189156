using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.Anthropic.Tests;

/// <summary>Against Anthropic's API, only when ANTHROPIC_API_KEY is set; skipped otherwise.</summary>
public sealed class AnthropicLiveTests
{
    [Fact]
    public async Task Anthropic_Live_AccessAndOneAnswer()
    {
        var key = Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            Assert.Skip("Set ANTHROPIC_API_KEY to run this live test.");
        }

        var token = TestContext.Current.CancellationToken;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCodeDoc().AddAnthropic("live", o => { o.ApiKey = key; o.Model = Environment.GetEnvironmentVariable("ANTHROPIC_MODEL") ?? "claude-sonnet-5-5"; });
        await using var serviceProvider = services.BuildServiceProvider();
        var provider = serviceProvider.GetRequiredKeyedService<IAiProvider>("live");

        var access = await provider.CheckAccessAsync(token);
        var response = await provider.ChatClient.GetResponseAsync("Reply with the single word: ready", new ChatOptions { MaxOutputTokens = 200 }, token);

        Assert.True(access.Succeeded, string.Join("; ", access.Problems.Select(p => p.Message)));
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(provider.GetUsage(response).InputTokens > 0);
    }
}
