using System.Text.Json;

namespace CodeDoc.Console.Tests;

public sealed class ProvidersCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codedoc-cli-prov-").FullName;

    public void Dispose()
    {
        foreach (var directory in Directory.EnumerateDirectories(_folder, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(directory, FileAttributes.Normal);
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ProvidersTest_Defaults_EveryProviderPasses()
    {
        var config = await WriteConfigAsync(Path.Combine(_folder, "docs"));

        var (code, output, error) = await CliRunner.RunAsync("providers", "test", "--json", "--config", config);

        Assert.True(code == 0, error + output);
        var verdicts = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Contains(verdicts, v => v.GetProperty("kind").GetString() == "local" && v.GetProperty("succeeded").GetBoolean());
        Assert.Contains(verdicts, v => v.GetProperty("kind").GetString() == "markdown" && v.GetProperty("succeeded").GetBoolean());
    }

    [Fact]
    public async Task ProvidersTest_UnwritableOutput_ExitsFourWithVerdict()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            Assert.Skip("Needs Unix permissions and a non-root user (root writes to read-only folders).");
            return;
        }

        var locked = Directory.CreateDirectory(Path.Combine(_folder, "locked"));
        File.SetUnixFileMode(locked.FullName, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var config = await WriteConfigAsync(Path.Combine(locked.FullName, "docs"));

        var (code, output, _) = await CliRunner.RunAsync("providers", "test", "--config", config);

        Assert.Equal(4, code);
        Assert.Contains("failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidersTest_OutputPathIsAFile_ExitsThreeNamingTheField()
    {
        var file = Path.Combine(_folder, "a-file");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        var config = await WriteConfigAsync(file);

        var (code, output, error) = await CliRunner.RunAsync("providers", "test", "--config", config);

        Assert.True(code == 3, $"exit {code}: {error}{output}");
        Assert.Contains("CodeDoc:Markdown:OutputPath", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidersTest_PublisherFromConfiguration_RegisteredAndChecked()
    {
        var config = Path.Combine(_folder, "named.json");
        var wiki = Path.Combine(_folder, "wiki");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { CodeDoc = new { Publishers = new { wiki = new { Kind = "markdown", OutputPath = wiki } } } }), TestContext.Current.CancellationToken);

        var (code, output, error) = await CliRunner.RunAsync("providers", "test", "--json", "--config", config);

        Assert.True(code == 0, error + output);
        Assert.Contains(JsonDocument.Parse(output).RootElement.EnumerateArray(), v => v.GetProperty("name").GetString() == "wiki" && v.GetProperty("kind").GetString() == "markdown");
    }

    [Fact]
    public async Task ProvidersTest_UnknownKindInConfiguration_ExitsThreeListingKnownKinds()
    {
        var config = Path.Combine(_folder, "unknown.json");
        await File.WriteAllTextAsync(config, """{ "CodeDoc": { "Ai": { "Kind": "skynet" } } }""", TestContext.Current.CancellationToken);

        var (code, _, error) = await CliRunner.RunAsync("providers", "test", "--config", config);

        Assert.Equal(3, code);
        Assert.Contains("CodeDoc:Ai:Kind is 'skynet'", error, StringComparison.Ordinal);
        Assert.Contains("markdown", error, StringComparison.Ordinal);
    }

    private async Task<string> WriteConfigAsync(string outputPath)
    {
        var config = Path.Combine(_folder, $"codedoc-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { CodeDoc = new { Markdown = new { OutputPath = outputPath } } }), TestContext.Current.CancellationToken);
        return config;
    }
}
