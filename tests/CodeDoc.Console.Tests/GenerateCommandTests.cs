using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Testing;

namespace CodeDoc.Console.Tests;

public sealed class GenerateCommandTests : IAsyncLifetime
{
    private readonly TemporaryGitRepository _repository = TemporaryGitRepository.Init();
    private readonly string _output = Directory.CreateTempSubdirectory("codedoc-cli-gen-").FullName;
    private FakeAiServer _ai = null!;

    public async ValueTask InitializeAsync()
    {
        _ai = await FakeAiServer.StartAsync();
        _repository
            .Write("README.md", "# Sample\n\nA sample service.\n")
            .Write("src/App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n")
            .Write("src/App/Program.cs", "System.Console.WriteLine(\"hello\");\n")
            .Commit("sample");
    }

    public async ValueTask DisposeAsync()
    {
        await _ai.DisposeAsync();
        _repository.Dispose();
        Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public async Task Generate_NoModelConfigured_ExitsWithTheSettingsToSet()
    {
        var (code, _, error) = await CliRunner.RunAsync("generate", _repository.Path, "--output", _output);

        Assert.Equal(3, code);
        Assert.Contains("CodeDoc:Ai", error, StringComparison.Ordinal);
        Assert.Contains("--facts-only", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_output));
    }

    [Fact]
    public async Task Generate_FactsOnlyWithoutModel_PublishesTheFactsPages()
    {
        var (code, output, error) = await CliRunner.RunAsync("generate", _repository.Path, "--facts-only", "--output", _output);

        Assert.True(code == 0, error);
        Assert.Contains("Published", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_output, ".codedoc", "manifest.json")));
        Assert.Contains(Directory.EnumerateFiles(_output, "*.md", SearchOption.AllDirectories), f => f.Contains("api", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_WithModelAndYes_PublishesAndReportsThenSecondRunSpendsNothing()
    {
        var (code, output, error) = await CliRunner.RunAsync(AddModel, "generate", _repository.Path, "--preset", "overview", "--output", _output, "--yes");

        Assert.True(code == 0, error);
        Assert.Contains("Published", output, StringComparison.Ordinal);
        Assert.Contains("Forecast:", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_output, ".codedoc", "manifest.json")));
        var calls = _ai.ModelCalls.Count;

        var (again, secondOutput, secondError) = await CliRunner.RunAsync(AddModel, "generate", _repository.Path, "--preset", "overview", "--output", _output);

        Assert.True(again == 0, secondError);
        Assert.Equal(calls, _ai.ModelCalls.Count);
        Assert.Contains("No model tokens were spent.", secondOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_AboveTheConfirmationCostWithoutTerminalOrYes_StopsBeforeSpending()
    {
        var config = Path.Combine(_output, "..", Path.GetFileName(_output) + ".json");
        await File.WriteAllTextAsync(config, """{ "CodeDoc": { "Generation": { "ConfirmAboveCost": 0 } } }""", TestContext.Current.CancellationToken);
        try
        {
            var (code, _, error) = await CliRunner.RunAsync(AddModel, "generate", _repository.Path, "--output", _output, "--config", config);

            Assert.Equal(5, code);
            Assert.Contains("--yes", error, StringComparison.Ordinal);
            Assert.Empty(_ai.ModelCalls);
        }
        finally
        {
            File.Delete(config);
        }
    }

    private void AddModel(ICodeDocBuilder builder) => builder.AddOpenAI(o =>
    {
        o.Endpoint = new Uri(_ai.BaseAddress, "v1/");
        o.ApiKey = FakeAiServer.DefaultKey;
        o.Model = "gpt-6.1-terra";
        o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
    });
}
