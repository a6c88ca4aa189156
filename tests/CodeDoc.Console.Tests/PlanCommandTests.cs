using System.Text.Json;
using CodeDoc.Testing;

namespace CodeDoc.Console.Tests;

public sealed class PlanCommandTests : IDisposable
{
    // Built at run time so no scanner mistakes the test source for a leaked key.
    private static readonly string CanaryKey = "AKIA" + "Z7QCANARY4EXAMPL";

    private readonly TemporaryGitRepository _repository = TemporaryGitRepository.Init();
    private readonly string _output = Directory.CreateTempSubdirectory("codedoc-cli-out-").FullName;

    public PlanCommandTests()
    {
        _repository
            .Write("README.md", "# Sample\n\nA sample service.\n")
            .Write("src/App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n")
            .Write("src/App/Program.cs", "System.Console.WriteLine(\"hello\");\n")
            .Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n")
            .Write("src/Lib/Settings.cs", $"class Settings {{\n  const string Key = \"{CanaryKey}\";\n}}\n")
            .Write("node_modules/left-pad/index.js", "module.exports = 1;\n")
            .Write(".gitignore", "secret-notes.txt\n");
        _repository.Commit("sample");
        _repository.Write("secret-notes.txt", "not tracked\n");
    }

    public void Dispose()
    {
        _repository.Dispose();
        Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public async Task Plan_Json_ReportsFilesExclusionsRedactionsAndUnknownCost()
    {
        var (code, output, error) = await CliRunner.RunAsync("plan", _repository.Path, "--json", "--output", _output);

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var included = root.GetProperty("included").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Contains("src/Lib/Settings.cs", included);
        Assert.Contains("README.md", included);
        Assert.DoesNotContain("secret-notes.txt", included);
        Assert.Contains(root.GetProperty("excluded").EnumerateArray(), e => e.GetProperty("path").GetString()!.StartsWith("node_modules", StringComparison.Ordinal) && e.GetProperty("reason").GetString() == "vendored");
        var redaction = Assert.Single(root.GetProperty("redactions").EnumerateArray());
        Assert.Equal("src/Lib/Settings.cs", redaction.GetProperty("path").GetString());
        Assert.Equal(2, redaction.GetProperty("line").GetInt32());
        Assert.Equal("no-model", root.GetProperty("forecast").GetProperty("costStatus").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("forecast").GetProperty("cost").ValueKind);
        Assert.True(root.GetProperty("summary").GetProperty("tokens").GetInt64() > 0);
        Assert.DoesNotContain(CanaryKey, output, StringComparison.Ordinal);
        Assert.Contains(root.GetProperty("dataFlows").EnumerateArray(), f => f.GetProperty("destination").GetString()!.Contains(_output, StringComparison.Ordinal) && !f.GetProperty("leavesMachine").GetBoolean());
    }

    [Fact]
    public async Task Plan_WithKnownModel_PricesTheForecastAsARange()
    {
        var (code, output, error) = await CliRunner.RunAsync("plan", _repository.Path, "--json", "--model", "claude-sonnet-5-5");

        Assert.True(code == 0, error);
        var forecast = JsonDocument.Parse(output).RootElement.GetProperty("forecast");
        Assert.Equal("known", forecast.GetProperty("costStatus").GetString());
        Assert.Equal("anthropic", forecast.GetProperty("vendor").GetString());
        Assert.True(forecast.GetProperty("cost").GetProperty("low").GetDecimal() <= forecast.GetProperty("cost").GetProperty("high").GetDecimal());
    }

    [Fact]
    public async Task Plan_WithUnknownModel_CostIsUnknownNotZero()
    {
        var (code, output, _) = await CliRunner.RunAsync("plan", _repository.Path, "--json", "--model", "no-such-model-1");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("unknown-price", root.GetProperty("forecast").GetProperty("costStatus").GetString());
        Assert.Contains(root.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("no-such-model-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_HumanOutput_HasEverySection()
    {
        var (code, output, error) = await CliRunner.RunAsync("plan", _repository.Path);

        Assert.True(code == 0, error);
        foreach (var section in new[] { "Files", "Largest directories", "Secrets redacted", "Pages", "Forecast", "Where data would go" })
        {
            Assert.Contains(section, output, StringComparison.Ordinal);
        }

        Assert.Contains("vendored", output, StringComparison.Ordinal);
        Assert.Contains("--model", output, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryKey, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_IncludeGlob_OnlyMatchingFilesRead()
    {
        var (code, output, _) = await CliRunner.RunAsync("plan", _repository.Path, "--json", "--include", "*.md");

        Assert.Equal(0, code);
        var included = JsonDocument.Parse(output).RootElement.GetProperty("included").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Equal(["README.md"], included);
    }

    [Fact]
    public async Task Plan_UncommittedChange_NotedAndNotRead()
    {
        _repository.Write("src/App/Program.cs", "changed but not committed\n");

        var (code, output, _) = await CliRunner.RunAsync("plan", _repository.Path, "--json");

        Assert.Equal(0, code);
        Assert.NotEmpty(JsonDocument.Parse(output).RootElement.GetProperty("notes").EnumerateArray());
    }

    [Fact]
    public async Task Plan_MissingPath_ExitsTwoWithClearMessage()
    {
        var missing = Path.Combine(_output, "does-not-exist");

        var (code, _, error) = await CliRunner.RunAsync("plan", missing);

        Assert.Equal(2, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_UnknownRef_ExitsTwoNamingTheRef()
    {
        var (code, _, error) = await CliRunner.RunAsync("plan", _repository.Path, "--ref", "no-such-branch");

        Assert.Equal(2, code);
        Assert.Contains("no-such-branch", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_InvalidConfiguration_ExitsThreeNamingTheField()
    {
        var config = Path.Combine(_output, "bad.json");
        await File.WriteAllTextAsync(config, """{ "CodeDoc": { "Snapshot": { "MaxFileBytes": -5 } } }""", TestContext.Current.CancellationToken);

        var (code, _, error) = await CliRunner.RunAsync("plan", _repository.Path, "--config", config);

        Assert.Equal(3, code);
        Assert.Contains("CodeDoc:Snapshot:MaxFileBytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_MissingArgument_FailsWithUsage()
    {
        var (code, _, error) = await CliRunner.RunAsync("plan");

        Assert.NotEqual(0, code);
        Assert.Contains("repo", error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://github.com/org/repo", null)]
    [InlineData("git@github.com:org/repo.git", null)]
    [InlineData("ssh://git@host/org/repo", null)]
    [InlineData("./relative", "./relative")]
    [InlineData("/abs/path", "/abs/path")]
    [InlineData("file:///abs/path", "/abs/path")]
    public void LocalPathOf_Location_PathOrNullForUrls(string location, string? expected) =>
        Assert.Equal(expected, ConsoleHost.Commands.PlanCommand.LocalPathOf(location));

    [Fact]
    public async Task Plan_Preset_PlansThatPresetsPages()
    {
        var (code, output, error) = await CliRunner.RunAsync("plan", _repository.Path, "--json", "--output", _output, "--preset", "overview");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["overview", "quick-start", "architecture"], json.RootElement.GetProperty("pages").EnumerateArray().Select(p => p.GetProperty("key").GetString()));
    }
}
