using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CodeDoc.FakeServers.Confluence;

namespace CodeDoc.IntegrationTests;

/// <summary>
/// The host process killed in the middle of a run: started again, it marks the run interrupted, runs a recovery run
/// to the end, and the Markdown folder holds each page once with one manifest.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private const string JobId = "crash-docs";
    private static readonly string Token = "ghp_" + "IntegrationCrashToken0000001";
    private static readonly string ConfluenceToken = "ATATT" + "IntegrationCrash" + Guid.NewGuid().ToString("N")[..12];

    private readonly HostFolder _host = new();
    private GitHubSample _sample = null!;

    public async ValueTask InitializeAsync()
    {
        _sample = await GitHubSample.StartAsync(Token);
        _host.Environment[HostFolder.ApiKeyVariable] = "api-" + Guid.NewGuid().ToString("N");
        _host.WriteConfig(new
        {
            CodeDoc = new { Git = _sample.GitSection, Hosting = new { Egress = new { AllowedHosts = _sample.AllowedHosts } } },
        });
        await _host.RunOkAsync("jobs", "add", JobId, GitHubSample.RepositoryUrl, "--branch", GitHubSample.Branch, "--facts-only", "--output", _host.Output);
    }

    public async ValueTask DisposeAsync()
    {
        await _sample.DisposeAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Serve_KilledWhileARunIsUnderWay_RestartRecoversItAndPublishesEachPageOnce()
    {
        await KillMidRunAndRecoverAsync();

        AssertEachPageOnce();
    }

    [Fact]
    public async Task Serve_KilledWhileARunPublishesToConfluence_RestartLeavesNoDuplicateTitles()
    {
        await using var confluence = await FakeConfluence.StartAsync(new FakeConfluenceOptions { ApiToken = ConfluenceToken });
        confluence.AddSpace("DOC", "Documentation");
        var parent = confluence.AddPage("DOC", null, "Engineering handbook");
        _host.Environment["IT_CONFLUENCE_TOKEN"] = ConfluenceToken;
        await _host.RunOkAsync(
            "providers", "add", "wiki", "--kind", "confluence", "--set", $"BaseAddress={confluence.SiteAddress.AbsoluteUri}", "--set", "Deployment=Cloud",
            "--set", $"Email={confluence.Options.Email}", "--set", "SpaceKey=DOC", "--set", $"ParentPageId={parent.Id}", "--secret-env", "ApiToken=IT_CONFLUENCE_TOKEN");
        await _host.RunOkAsync("jobs", "add", JobId, GitHubSample.RepositoryUrl, "--branch", GitHubSample.Branch, "--facts-only", "--publisher", "wiki");

        // Two pages are created, the third creation hangs: the process dies half-way through publishing.
        const string Pages = "/wiki/api/v2/pages";
        confluence.Server.Faults.Delay(Pages, TimeSpan.Zero, times: 2, method: "POST").Delay(Pages, TimeSpan.FromMinutes(30), times: 1, method: "POST");
        await KillMidRunAndRecoverAsync(() => confluence.Server.Requests.Count(r => r.Method == "POST" && r.Path.StartsWith(Pages, StringComparison.Ordinal)) >= 3);

        var titles = confluence.Pages("DOC").Select(p => p.Title).ToList();
        Assert.True(titles.Count > 3, string.Join(", ", titles));
        Assert.Equal(titles.Count, titles.Distinct(StringComparer.Ordinal).Count());
    }

    private async Task KillMidRunAndRecoverAsync(Func<bool>? blocked = null)
    {
        // Without another block, the archive download hangs, so the run is certainly under way when the process dies.
        if (blocked is null)
        {
            _sample.GitHub.Codeload.Faults.Delay("/", TimeSpan.FromMinutes(30), times: 1);
            blocked = () => _sample.GitHub.Codeload.Requests.Count > 0;
        }

        string interruptedId;
        await using (var first = await _host.ServeAsync())
        {
            using var queued = await first.Client.PostAsync($"codedoc/api/jobs/{JobId}/runs", JsonContent.Create(new { }), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
            var running = await first.WaitForRunsAsync(JobId, r => r.Count == 1 && ServeProcess.Status(r[0]) == "running");
            interruptedId = running[0].GetProperty("id").GetString()!;
            await WaitUntilAsync(blocked, first);

            await first.KillAsync();
        }

        var afterCrash = await _host.RunOkAsync("history", "--json");
        Assert.Equal("running", Assert.Single(JsonDocument.Parse(afterCrash.Out).RootElement.EnumerateArray()).GetProperty("status").GetString());
        _sample.GitHub.Codeload.Faults.Clear();
        _sample.GitHub.Api.Faults.Clear();

        await using var second = await _host.ServeAsync();
        var runs = await second.WaitForRunsAsync(JobId, r => r.Count == 2 && r.All(ServeProcess.Settled));

        var interrupted = Assert.Single(runs, r => r.GetProperty("id").GetString() == interruptedId);
        Assert.Equal("interrupted", ServeProcess.Status(interrupted));
        var recovery = Assert.Single(runs, r => r.GetProperty("id").GetString() != interruptedId);
        Assert.Equal("succeeded", ServeProcess.Status(recovery));
        Assert.Equal("recovery", recovery.GetProperty("trigger").GetString());
        Assert.Equal(interruptedId, recovery.GetProperty("recoveryOf").GetString());
    }

    private static async Task WaitUntilAsync(Func<bool> blocked, ServeProcess serve)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2);
        while (!blocked())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The run never reached the blocked request. Host output: " + serve.Output);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private void AssertEachPageOnce()
    {
        var manifestPath = Assert.Single(Directory.EnumerateFiles(_host.Output, "manifest.json", SearchOption.AllDirectories));
        using var manifest = JsonDocument.Parse(File.ReadAllText(manifestPath));
        var targets = manifest.RootElement.GetProperty("pages").EnumerateArray().Select(p => p.GetProperty("targetId").GetString()!.Replace('\\', '/')).ToList();
        Assert.Equal(targets.Count, targets.Distinct(StringComparer.Ordinal).Count());
        // A set's pages sit beside the folder of its manifest (the output folder, or the set's own subfolder).
        var setFolder = Path.GetDirectoryName(Path.GetDirectoryName(manifestPath))!;
        var files = Directory.EnumerateFiles(_host.Output, "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(setFolder, f).Replace('\\', '/'))
            .Where(f => f != "index.md")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(targets.Order(StringComparer.Ordinal), files);
        Assert.NotEmpty(files);
    }
}
