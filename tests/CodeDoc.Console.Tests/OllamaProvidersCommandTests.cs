using System.Text.Json;
using CodeDoc.FakeServers.Ai;

namespace CodeDoc.Console.Tests;

public sealed class OllamaProvidersCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codedoc-cli-ollama-").FullName;
    private FakeAiServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeAiServer.StartAsync();
        _server.ValidKey = null;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ProvidersTest_OllamaFromConfiguration_PassesWithTheModelsWindow()
    {
        var config = await WriteConfigAsync("qwen3-coder");

        var (code, output, error) = await CliRunner.RunAsync("providers", "test", "--json", "--config", config);

        Assert.True(code == 0, error + output);
        var ollama = JsonDocument.Parse(output).RootElement.EnumerateArray().Single(v => v.GetProperty("kind").GetString() == "ollama");
        Assert.True(ollama.GetProperty("succeeded").GetBoolean());
        Assert.Contains("num_ctx 131,072", ollama.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidersTest_OllamaModelNotPulled_FailsSayingHowToPullIt()
    {
        var config = await WriteConfigAsync("llama9:70b");

        var (code, output, _) = await CliRunner.RunAsync("providers", "test", "--json", "--config", config);

        Assert.Equal(4, code);
        var ollama = JsonDocument.Parse(output).RootElement.EnumerateArray().Single(v => v.GetProperty("kind").GetString() == "ollama");
        Assert.False(ollama.GetProperty("succeeded").GetBoolean());
        Assert.Contains("ollama pull llama9:70b", ollama.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> WriteConfigAsync(string model)
    {
        var config = Path.Combine(_folder, $"codedoc-{Guid.NewGuid():N}.json");
        var settings = new
        {
            CodeDoc = new
            {
                Markdown = new { OutputPath = Path.Combine(_folder, "docs") },
                Ai = new { Kind = "ollama", Model = model, Endpoint = _server.BaseAddress.ToString() },
            },
        };
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(settings), TestContext.Current.CancellationToken);
        return config;
    }
}
