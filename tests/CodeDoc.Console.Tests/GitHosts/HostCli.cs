using System.Text.Json;
using CodeDoc.FakeServers.Git;

namespace CodeDoc.Console.Tests.GitHosts;

/// <summary>Runs <c>codedoc</c> with a Git host configured the way a user configures one, and reads its JSON answers.</summary>
internal sealed class HostCli : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codedoc-cli-hosts-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Writes <c>{"CodeDoc":{"Git":git}}</c> to a file for <c>--config</c>: one provider (with <c>Kind</c>) or named ones.</summary>
    public string WriteConfig(object git)
    {
        var path = Path.Combine(_folder, $"codedoc-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { CodeDoc = new { Git = git } }));
        return path;
    }

    /// <summary>Makes an empty folder that is deleted with the rest.</summary>
    public string NewFolder() => Directory.CreateDirectory(Path.Combine(_folder, Guid.NewGuid().ToString("N"))).FullName;

    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(string config, params string[] args) =>
        await CliRunner.RunAsync([.. args, "--config", config]).ConfigureAwait(false);

    /// <summary>Runs <c>codedoc plan url --json</c> and returns the plan, failing with what the command wrote when it did not succeed.</summary>
    public static async Task<JsonElement> PlanAsync(string config, string url, params string[] extra)
    {
        var (code, output, error) = await RunAsync(config, ["plan", url, "--json", .. extra]).ConfigureAwait(false);
        Assert.True(code == 0, $"exit {code}: {error}{output}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>Every file the plan saw (read or excluded), to compare with what git lists.</summary>
    public static IReadOnlyList<string> FilesSeen(JsonElement plan) =>
    [
        .. plan.GetProperty("included").EnumerateArray().Select(f => f.GetProperty("path").GetString()!)
            .Concat(plan.GetProperty("excluded").EnumerateArray().Where(e => !e.GetProperty("isDirectory").GetBoolean()).Select(e => e.GetProperty("path").GetString()!))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The files and links git has at a commit (not submodules), as the plan should see them.</summary>
    public static IReadOnlyList<string> FilesAt(HostedSampleRepository sample, string commit) =>
    [
        .. sample.Facts.ListRecursive(commit).Where(e => e.Type == "blob").Select(e => e.Path).Order(StringComparer.Ordinal),
    ];

    /// <summary>Checks a plan read the repository at the expected commit and saw exactly git's files there.</summary>
    public static void AssertPlanOf(JsonElement plan, HostedSampleRepository sample, string expectedCommit)
    {
        Assert.Equal(expectedCommit, plan.GetProperty("commit").GetProperty("sha").GetString());
        Assert.Equal(FilesAt(sample, expectedCommit), FilesSeen(plan));
        Assert.Contains(plan.GetProperty("included").EnumerateArray(), f => f.GetProperty("path").GetString() == "README.md");
    }

    /// <summary>Runs <c>codedoc providers test --json</c> and returns the verdict of one provider.</summary>
    public static async Task<(int ExitCode, JsonElement Verdict, string Text)> ProvidersTestAsync(string config, string name, string? repository)
    {
        string[] args = repository is null ? ["providers", "test", "--json"] : ["providers", "test", "--json", "--repo", repository];
        var (code, output, error) = await RunAsync(config, args).ConfigureAwait(false);
        var verdicts = JsonDocument.Parse(output).RootElement.Clone();
        var verdict = Assert.Single(verdicts.EnumerateArray(), v => v.GetProperty("name").GetString() == name);
        return (code, verdict, output + error);
    }
}
