using System.Text.Json;
using CodeDoc.FakeServers.Ai;

namespace CodeDoc.Console.Tests;

public sealed class AiProvidersCommandTests : IAsyncLifetime
{
    private const string Canary = "codedoc-cli-canary-key-4b1e9d";
    private readonly string _folder = Directory.CreateTempSubdirectory("codedoc-cli-ai-").FullName;
    private FakeAiServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeAiServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ProvidersTest_ModelVendorsFromConfiguration_VerdictPerProvider()
    {
        var config = await WriteConfigAsync(new Dictionary<string, object>
        {
            ["gpt"] = new { Kind = "openai", Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = FakeAiServer.DefaultKey, Model = "gpt-6.1-terra" },
            ["claude"] = new { Kind = "anthropic", Endpoint = _server.BaseAddress, ApiKey = FakeAiServer.DefaultKey, Model = "claude-sonnet-5-5" },
            ["flash"] = new { Kind = "gemini", Endpoint = new Uri(_server.BaseAddress, "v1beta/"), ApiKey = Canary, Model = "gemini-3.8-flash" },
        });

        var (code, output, error) = await CliRunner.RunAsync("providers", "test", "--json", "--config", config);

        Assert.True(code == 4, $"exit {code}: {error}{output}");
        var verdicts = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.True(verdicts["gpt"].GetProperty("succeeded").GetBoolean(), output);
        Assert.Equal("anthropic", verdicts["claude"].GetProperty("kind").GetString());
        Assert.True(verdicts["claude"].GetProperty("succeeded").GetBoolean(), output);
        Assert.Equal("gemini", verdicts["flash"].GetProperty("kind").GetString());
        Assert.False(verdicts["flash"].GetProperty("succeeded").GetBoolean());
        Assert.Contains("credentials", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidersTest_ModelVendorWithoutKey_ExitsThreeNamingTheField()
    {
        var config = await WriteConfigAsync(new Dictionary<string, object>
        {
            ["claude"] = new { Kind = "anthropic", Endpoint = _server.BaseAddress, Model = "claude-sonnet-5-5" },
        });

        var (code, output, error) = await CliRunner.RunAsync("providers", "test", "--config", config);

        Assert.True(code == 3, $"exit {code}: {error}{output}");
        Assert.Contains("CodeDoc:Ai:claude:ApiKey", error, StringComparison.Ordinal);
    }

    private async Task<string> WriteConfigAsync(Dictionary<string, object> ai)
    {
        var config = Path.Combine(_folder, "codedoc.json");
        var settings = new { CodeDoc = new { Markdown = new { OutputPath = Path.Combine(_folder, "docs") }, Ai = ai } };
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(settings), TestContext.Current.CancellationToken);
        return config;
    }
}
