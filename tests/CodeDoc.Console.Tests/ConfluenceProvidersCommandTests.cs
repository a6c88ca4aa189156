using System.Text.Json;
using CodeDoc.FakeServers.Confluence;

namespace CodeDoc.Console.Tests;

public sealed class ConfluenceProvidersCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codedoc-cli-confluence-").FullName;
    private FakeConfluence _fake = null!;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeConfluence.StartAsync();
        _fake.AddSpace("DOC");
    }

    public async ValueTask DisposeAsync()
    {
        await _fake.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("DOC", 0, true)]
    [InlineData("NOPE", 4, false)]
    public async Task ProvidersTest_ConfluenceFromConfiguration_ChecksTheSpace(string spaceKey, int expectedCode, bool succeeded)
    {
        var config = Path.Combine(_folder, "confluence.json");
        var wiki = new Dictionary<string, object>
        {
            ["Kind"] = "confluence",
            ["BaseAddress"] = _fake.SiteAddress.AbsoluteUri,
            ["Deployment"] = "Cloud",
            ["Email"] = _fake.Options.Email,
            ["ApiToken"] = _fake.Options.ApiToken,
            ["SpaceKey"] = spaceKey,
        };
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { CodeDoc = new { Publishers = new { wiki } } }), TestContext.Current.CancellationToken);

        var (code, output, error) = await CliRunner.RunAsync("providers", "test", "--json", "--config", config);

        Assert.True(code == expectedCode, $"exit {code}: {error}{output}");
        var verdict = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray(), v => v.GetProperty("name").GetString() == "wiki");
        Assert.Equal(("confluence", succeeded), (verdict.GetProperty("kind").GetString(), verdict.GetProperty("succeeded").GetBoolean()));
        Assert.DoesNotContain(_fake.Options.ApiToken, output + error, StringComparison.Ordinal);
    }
}
