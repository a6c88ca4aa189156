using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Ai.OpenAI.Tests;

/// <summary>Against the real services, only when their variables are set; skipped otherwise.</summary>
public sealed class OpenAILiveTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenAI_Live_AccessAndOneAnswer()
    {
        var key = Require("OPENAI_API_KEY");
        var model = Environment.GetEnvironmentVariable("OPENAI_MODEL") ?? "gpt-6.1-terra";
        await RunAsync(builder => builder.AddOpenAI("live", o => { o.ApiKey = key; o.Model = model; }));
    }

    [Fact]
    public async Task AzureOpenAI_Live_AccessAndOneAnswer()
    {
        var endpoint = Require("AZURE_OPENAI_ENDPOINT");
        var key = Require("AZURE_OPENAI_API_KEY");
        var deployment = Require("AZURE_OPENAI_DEPLOYMENT");
        await RunAsync(builder => builder.AddAzureOpenAI("live", o => { o.Endpoint = new Uri(endpoint); o.ApiKey = key; o.Deployment = deployment; }));
    }

    [Fact]
    public async Task OpenAICompatible_Live_AccessAndOneAnswer()
    {
        var endpoint = Require("OPENAI_COMPAT_BASE_URL");
        var model = Require("OPENAI_COMPAT_MODEL");
        await RunAsync(builder => builder.AddOpenAICompatible("live", o =>
        {
            o.Endpoint = new Uri(endpoint);
            o.Model = model;
            o.ApiKey = Environment.GetEnvironmentVariable("OPENAI_COMPAT_API_KEY");
        }));
    }

    private static string Require(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Assert.Skip($"Set {variable} to run this live test.");
        }

        return value!;
    }

    private static async Task RunAsync(Action<ICodeDocBuilder> add)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        add(services.AddCodeDoc());
        await using var serviceProvider = services.BuildServiceProvider();
        var provider = serviceProvider.GetRequiredKeyedService<IAiProvider>("live");

        var access = await provider.CheckAccessAsync(Token);
        var response = await provider.ChatClient.GetResponseAsync("Reply with the single word: ready", new ChatOptions { MaxOutputTokens = 200 }, Token);

        Assert.True(access.Succeeded, string.Join("; ", access.Problems.Select(p => p.Message)));
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(provider.GetUsage(response).InputTokens > 0);
    }
}
