using System.Text;
using CodeDoc.Testing;

namespace CodeDoc.Console.Tests.Hosting;

/// <summary>The hosting verbs end to end, in-process, each test on its own SQLite file and key file.</summary>
public sealed class HostingVerbTests : IDisposable
{
    private readonly StoreCli _cli = new();
    private readonly TemporaryGitRepository _repository = TemporaryGitRepository.Init();

    public HostingVerbTests()
    {
        _repository
            .Write("README.md", "# Sample\n\nA sample service.\n")
            .Write("src/App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n")
            .Write("src/App/Program.cs", "namespace App;\n\npublic static class Greeter\n{\n    public static string Hello() => \"hello\";\n}\n")
            .Commit("sample");
    }

    public void Dispose()
    {
        _cli.Dispose();
        _repository.Dispose();
    }

    [Fact]
    public async Task JobsAddRunHistoryClearAuditPurge_FactsOnlyJob_EachVerbSeesWhatTheOthersDid()
    {
        var output = _cli.NewFolder();
        var (added, addOut, addError) = await _cli.RunAsync("jobs", "add", "docs", _repository.Path, "--branch", "main", "--facts-only", "--output", output);
        Assert.True(added == 0, addError + addOut);
        var jobs = await _cli.JsonAsync("jobs", "list");
        var job = Assert.Single(jobs.EnumerateArray());
        Assert.Equal("docs", job.GetProperty("id").GetString());

        var (ran, runOut, runError) = await _cli.RunAsync("jobs", "run", "docs", "--wait", "--json");

        Assert.True(ran == 0, runError + runOut);
        Assert.Contains("[Publishing]", runError, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, ".codedoc", "manifest.json")));
        var run = Assert.Single(await _cli.HistoryAsync());
        Assert.Equal("docs", run.GetProperty("jobId").GetString());
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(_repository.Head(), run.GetProperty("commitSha").GetString());
        Assert.NotEmpty(run.GetProperty("pageLinks").EnumerateArray());

        var (unconfirmed, _, unconfirmedError) = await _cli.RunAsync("history", "--clear");
        Assert.Equal(5, unconfirmed);
        Assert.Contains("--yes", unconfirmedError, StringComparison.Ordinal);
        Assert.Single(await _cli.HistoryAsync());

        var (cleared, clearOut, clearError) = await _cli.RunAsync("history", "--clear", "--yes");
        Assert.True(cleared == 0, clearError);
        Assert.Contains("1 run(s) deleted", clearOut, StringComparison.Ordinal);
        Assert.Empty(await _cli.HistoryAsync());

        var verdict = await _cli.JsonAsync("audit", "verify");
        Assert.True(verdict.GetProperty("isIntact").GetBoolean());
        var (exported, csv, exportError) = await _cli.RunAsync("audit", "export", "--csv");
        Assert.True(exported == 0, exportError);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("sequence,timestamp,actor,action,target,details,previous_hash,hash", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains(",job.saved,docs,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",run.finished,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",history.cleared,", StringComparison.Ordinal));

        var (purged, purgeOut, purgeError) = await _cli.RunAsync("purge", "--yes");
        Assert.True(purged == 0, purgeError);
        Assert.Contains("Published pages were not touched", purgeOut, StringComparison.Ordinal);
        Assert.Empty((await _cli.JsonAsync("jobs", "list")).EnumerateArray());
        Assert.Empty((await _cli.JsonAsync("providers", "list")).EnumerateArray());
        Assert.Empty(await _cli.HistoryAsync());
        var (_, afterPurge, _) = await _cli.RunAsync("audit", "export", "--csv");
        Assert.Single(afterPurge.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(File.Exists(Path.Combine(output, ".codedoc", "manifest.json")));
    }

    [Fact]
    public async Task Purge_WithoutTerminalOrYes_SaysWhatItDeletesAndKeepsEverything()
    {
        await _cli.RunAsync("jobs", "add", "docs", _repository.Path, "--facts-only");

        var (code, _, error) = await _cli.RunAsync("purge");

        Assert.Equal(5, code);
        Assert.Contains("audit log", error, StringComparison.Ordinal);
        Assert.Contains("Pages already published stay", error, StringComparison.Ordinal);
        Assert.Single((await _cli.JsonAsync("jobs", "list")).EnumerateArray());
    }

    [Fact]
    public async Task Generate_FactsOnly_RecordsItsRunAsJobCliUnlessNoHistory()
    {
        var output = _cli.NewFolder();

        var (code, _, error) = await _cli.RunAsync("generate", _repository.Path, "--facts-only", "--output", output);

        Assert.True(code == 0, error);
        var run = Assert.Single(await _cli.HistoryAsync("--job", "cli"));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(_repository.Head(), run.GetProperty("commitSha").GetString());
        Assert.Equal("cli", run.GetProperty("actor").GetString());

        var (again, _, againError) = await _cli.RunAsync("generate", _repository.Path, "--facts-only", "--output", output, "--no-history");

        Assert.True(again == 0, againError);
        Assert.Single(await _cli.HistoryAsync());
    }

    [Fact]
    public async Task Generate_DatabaseIsNotADatabase_PublishesAndWarns()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_cli.Database)!);
        await File.WriteAllBytesAsync(_cli.Database, Encoding.UTF8.GetBytes(new string('x', 8192)), TestContext.Current.CancellationToken);
        var output = _cli.NewFolder();

        var (code, _, error) = await _cli.RunAsync("generate", _repository.Path, "--facts-only", "--output", output);

        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(output, ".codedoc", "manifest.json")));
        Assert.Contains("warning: the run was not recorded", error, StringComparison.Ordinal);
        Assert.Contains(_cli.Database, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("history")]
    [InlineData("jobs", "list")]
    [InlineData("audit", "verify")]
    public async Task HostingVerb_DatabaseIsNotADatabase_ExitsSevenNamingTheFile(params string[] verb)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_cli.Database)!);
        await File.WriteAllBytesAsync(_cli.Database, Encoding.UTF8.GetBytes(new string('x', 8192)), TestContext.Current.CancellationToken);

        var (code, output, error) = await _cli.RunAsync(verb);

        Assert.Equal(7, code);
        Assert.Contains(_cli.Database, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstUse_NoKeyFile_CreatesItOwnerOnlyAndSaysSoOnce()
    {
        var (code, _, error) = await _cli.RunAsync("jobs", "list");

        Assert.True(code == 0, error);
        Assert.Contains($"created an encryption key at {_cli.KeyFile}; back it up", error, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.KeyFile));
        }

        var (_, _, second) = await _cli.RunAsync("jobs", "list");
        Assert.DoesNotContain("created an encryption key", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyVerb_KeyFileBesideTheDatabase_IsRefused()
    {
        var (code, _, error) = await CliRunner.RunAsync("jobs", "list", "--database", _cli.Database, "--key-file", Path.Combine(Path.GetDirectoryName(_cli.Database)!, "keys.json"));

        Assert.Equal(3, code);
        Assert.Contains("same folder as the database", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_NonLoopbackWithoutAllowRemote_IsRefusedNamingTheOption()
    {
        var (code, _, error) = await _cli.RunAsync("serve", "--urls", "http://0.0.0.0:0");

        Assert.Equal(2, code);
        Assert.Contains("--allow-remote", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.Database));
    }

    [Fact]
    public async Task ProvidersAdd_SecretFromEnvironment_IsStoredEncryptedAndNeverListedThenSurvivesKeyRotation()
    {
        var variable = "CODEDOC_TEST_TOKEN_" + Guid.NewGuid().ToString("N");
        var canary = "glpat-" + "ConsoleCanary" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, canary);
        try
        {
            var (code, output, error) = await _cli.RunAsync("providers", "add", "lab", "--kind", "gitlab", "--set", "BaseAddress=https://git.example.com", "--secret-env", $"Token={variable}");
            Assert.True(code == 0, error + output);

            var listed = await _cli.JsonAsync("providers", "list");
            var provider = Assert.Single(listed.EnumerateArray());
            Assert.Equal("Token", Assert.Single(provider.GetProperty("secrets").EnumerateArray()).GetString());
            Assert.DoesNotContain(canary, listed.GetRawText(), StringComparison.Ordinal);
            var keyBefore = await File.ReadAllTextAsync(_cli.KeyFile, TestContext.Current.CancellationToken);

            var (rotated, rotateOut, rotateError) = await _cli.RunAsync("keys", "rotate");

            Assert.True(rotated == 0, rotateError + rotateOut);
            Assert.Contains("1 secret(s) re-encrypted", rotateOut, StringComparison.Ordinal);
            Assert.NotEqual(keyBefore, await File.ReadAllTextAsync(_cli.KeyFile, TestContext.Current.CancellationToken));
            var (tested, testOut, testError) = await _cli.RunAsync("providers", "list", "--json");
            Assert.True(tested == 0, testError);
            Assert.DoesNotContain(canary, testOut + testError + rotateOut + rotateError + output + error, StringComparison.Ordinal);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(_cli.Database)!))
            {
                Assert.DoesNotContain(canary, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken)), StringComparison.Ordinal);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task ProvidersAdd_SecretGivenWithSet_IsRefusedWithoutEchoingIt()
    {
        var (code, output, error) = await _cli.RunAsync("providers", "add", "hub", "--kind", "github", "--set", "Token=ghp_NotOnTheCommandLine");

        Assert.Equal(3, code);
        Assert.Contains("--secret-env", error, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_NotOnTheCommandLine", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsAdd_WebhookSecretVariableNotSet_ExitsThreeNamingIt()
    {
        var (code, _, error) = await _cli.RunAsync("jobs", "add", "docs", _repository.Path, "--facts-only", "--webhook-host", "github", "--webhook-secret-env", "CODEDOC_TEST_UNSET_VARIABLE");

        Assert.Equal(3, code);
        Assert.Contains("CODEDOC_TEST_UNSET_VARIABLE", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--schedule", "every night", "cron expression")]
    [InlineData("--poll", "10s", "shorter than the host's minimum")]
    [InlineData("--poll", "soon", "not an interval")]
    public async Task JobsAdd_BadTrigger_ExitsThreeAndStoresNothing(string option, string value, string expected)
    {
        var (code, _, error) = await _cli.RunAsync("jobs", "add", "docs", _repository.Path, "--facts-only", option, value);

        Assert.Equal(3, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Empty((await _cli.JsonAsync("jobs", "list")).EnumerateArray());
    }

    [Fact]
    public async Task JobsAdd_ScheduleAndPoll_AreStoredAndListed()
    {
        var job = await _cli.JsonAsync("jobs", "add", "docs", _repository.Path, "--facts-only", "--schedule", "0 3 * * 1-5", "--poll", "15m", "--daily-cost", "2.5");

        Assert.Equal("0 3 * * 1-5", job.GetProperty("triggers").GetProperty("schedule").GetString());
        Assert.Equal("00:15:00", job.GetProperty("triggers").GetProperty("pollInterval").GetString());
        Assert.Equal(2.5m, job.GetProperty("limits").GetProperty("dailyCost").GetDecimal());
        var listed = Assert.Single((await _cli.JsonAsync("jobs", "list")).EnumerateArray());
        Assert.Equal("00:15:00", listed.GetProperty("triggers").GetProperty("pollInterval").GetString());
    }

    [Fact]
    public async Task JobsRun_UnknownJob_ExitsWithAClearMessage()
    {
        var (code, _, error) = await _cli.RunAsync("jobs", "run", "missing");

        Assert.NotEqual(0, code);
        Assert.Contains("missing", error, StringComparison.Ordinal);
    }
}
