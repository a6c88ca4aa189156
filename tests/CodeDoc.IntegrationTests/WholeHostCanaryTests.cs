using System.Net;
using System.Text;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.Ai;
using CodeDoc.FakeServers.Confluence;

namespace CodeDoc.IntegrationTests;

/// <summary>
/// The whole host with canary values as every secret it handles (Git token, model key, Confluence token, webhook
/// secret, API key), stored through the CLI, then runs with faults: the canaries appear in no log line at any level,
/// no message, no history or audit row, no byte of the database files, and no request that should not carry them.
/// </summary>
public sealed class WholeHostCanaryTests : IAsyncLifetime
{
    private const string JobId = "canary-docs";
    private const string Space = "DOC";

    // Built at run time so no scanner mistakes the test source for a leaked credential.
    private static readonly string GitToken = "ghp_" + "CanaryGitToken" + Guid.NewGuid().ToString("N")[..12];
    private static readonly string ModelKey = "sk-" + "CanaryModelKey" + Guid.NewGuid().ToString("N")[..12];
    private static readonly string ConfluenceToken = "ATATT" + "CanaryConfluence" + Guid.NewGuid().ToString("N")[..12];
    private static readonly string WebhookSecret = "whsec" + "CanaryWebhook" + Guid.NewGuid().ToString("N")[..12];
    private static readonly string ApiKey = "cdk" + "CanaryApiKey" + Guid.NewGuid().ToString("N")[..12];

    private readonly HostFolder _host = new();
    private GitHubSample _sample = null!;
    private FakeAiServer _ai = null!;
    private FakeConfluence _confluence = null!;

    private static string[] Canaries => [GitToken, ModelKey, ConfluenceToken, WebhookSecret, ApiKey];

    public async ValueTask InitializeAsync()
    {
        _sample = await GitHubSample.StartAsync(GitToken);
        _ai = await FakeAiServer.StartAsync();
        _ai.ValidKey = ModelKey;
        _confluence = await FakeConfluence.StartAsync(new FakeConfluenceOptions { ApiToken = ConfluenceToken });
        _confluence.AddSpace(Space, "Documentation");
        var parent = _confluence.AddPage(Space, null, "Engineering handbook");

        _host.Environment[HostFolder.ApiKeyVariable] = ApiKey;
        _host.Environment["CANARY_GIT"] = GitToken;
        _host.Environment["CANARY_MODEL"] = ModelKey;
        _host.Environment["CANARY_CONFLUENCE"] = ConfluenceToken;
        _host.Environment["CANARY_WEBHOOK"] = WebhookSecret;
        _host.WriteConfig(new
        {
            CodeDoc = new { Hosting = new { Egress = new { AllowedHosts = _sample.AllowedHosts } } },
            Logging = new { LogLevel = new { Default = "Trace" } },
        });

        await _host.RunOkAsync("providers", "add", "gh", "--kind", "github", "--set", $"ApiBaseAddress={_sample.GitHub.ApiBaseAddress.AbsoluteUri}", "--secret-env", "Token=CANARY_GIT");
        await _host.RunOkAsync("providers", "add", "model", "--kind", "openai-compatible", "--set", $"Endpoint={new Uri(_ai.BaseAddress, "v1/").AbsoluteUri}", "--set", "Model=qwen3-coder", "--secret-env", "ApiKey=CANARY_MODEL");
        await _host.RunOkAsync(
            "providers", "add", "wiki", "--kind", "confluence", "--set", $"BaseAddress={_confluence.SiteAddress.AbsoluteUri}", "--set", "Deployment=Cloud",
            "--set", $"Email={_confluence.Options.Email}", "--set", $"SpaceKey={Space}", "--set", $"ParentPageId={parent.Id}", "--secret-env", "ApiToken=CANARY_CONFLUENCE");
        await _host.RunOkAsync(
            "jobs", "add", JobId, GitHubSample.RepositoryUrl, "--branch", GitHubSample.Branch, "--git", "gh", "--ai", "model", "--publisher", "wiki", "--preset", "overview",
            "--webhook-secret-env", "CANARY_WEBHOOK");
    }

    public async ValueTask DisposeAsync()
    {
        await _sample.DisposeAsync();
        await _ai.DisposeAsync();
        await _confluence.DisposeAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Serve_RunsWithFaultsAndCanarySecrets_NoCanaryInLogsMessagesRowsDatabaseOrModelRequests()
    {
        // The first model answer is a server error: the run fails or retries, and its error path is logged at Trace.
        _ai.Faults.Respond("/v1/chat/completions", 500, """{"error":{"message":"the fake model is overloaded","type":"server_error"}}""", times: 1);
        var body = GitHubSample.PushBody;
        string serveOutput;
        await using (var serve = await _host.ServeAsync())
        {
            using (var wrongKey = new HttpRequestMessage(HttpMethod.Get, "codedoc/api/runs"))
            {
                wrongKey.Headers.Add("X-CodeDoc-Api-Key", "wrong-key-0123456789abcdef");
                using var refused = await serve.Client.SendAsync(wrongKey, TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            using var forged = await serve.PostGitHubPushAsync(body, "not-" + WebhookSecret[..8], Guid.NewGuid().ToString());
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

            using var first = await serve.PostGitHubPushAsync(body, WebhookSecret, Guid.NewGuid().ToString());
            Assert.True(first.IsSuccessStatusCode);
            await serve.WaitForRunsAsync(JobId, r => r.Count == 1 && r.All(ServeProcess.Settled));

            using var second = await serve.PostGitHubPushAsync([.. body, (byte)'\n'], WebhookSecret, Guid.NewGuid().ToString());
            Assert.True(second.IsSuccessStatusCode);
            var runs = await serve.WaitForRunsAsync(JobId, r => r.Count == 2 && r.All(ServeProcess.Settled));
            Assert.Contains(runs, r => ServeProcess.Status(r) == "succeeded");
            serveOutput = serve.Output;
            await serve.KillAsync();
        }

        // The secrets were really used: the fakes saw the right credentials and the pages were published.
        Assert.Contains(_sample.GitHub.Api.Requests, r => r.Headers.Values.Any(v => v.Contains(GitToken, StringComparison.Ordinal)));
        Assert.Contains(_ai.Requests, r => r.Headers.Values.Any(v => v.Contains(ModelKey, StringComparison.Ordinal)));
        Assert.NotEmpty(_confluence.WriteRequests);
        Assert.Contains("trce:", serveOutput, StringComparison.Ordinal);

        AssertNoCanary("serve's standard output and error (Trace)", serveOutput, Canaries);
        foreach (var verb in new[] { new[] { "history", "--json" }, ["audit", "export", "--csv"], ["jobs", "list", "--json"], ["providers", "list", "--json"], ["audit", "verify"] })
        {
            var result = await _host.RunOkAsync(verb);
            AssertNoCanary("codedoc " + string.Join(' ', verb), result.All, Canaries);
        }

        AssertNoCanary("the database, WAL and shared-memory files", _host.DatabaseBytesAsText(), Canaries);

        // The model gets its own key in the Authorization header and nothing else secret, anywhere in any request.
        foreach (var request in _ai.Requests)
        {
            AssertNoCanary($"model request {request.Method} {request.Path}", Describe(request, exceptHeader: "Authorization"), Canaries);
            AssertNoCanary($"model request {request.Method} {request.Path} headers", string.Join("\n", request.Headers.Values), [GitToken, ConfluenceToken, WebhookSecret, ApiKey]);
        }

        foreach (var request in _confluence.Server.Requests)
        {
            AssertNoCanary($"Confluence request {request.Method} {request.Path}", Describe(request, exceptHeader: "Authorization"), Canaries);
        }

        foreach (var request in _sample.GitHub.Api.Requests.Concat(_sample.GitHub.Codeload.Requests))
        {
            AssertNoCanary($"GitHub request {request.Method} {request.Path}", Describe(request, exceptHeader: "Authorization"), Canaries);
        }
    }

    private static string Describe(RecordedRequest request, string exceptHeader) =>
        request.Path + request.Query + "\n" + request.BodyText + "\n" +
        string.Join("\n", request.Headers.Where(h => !string.Equals(h.Key, exceptHeader, StringComparison.OrdinalIgnoreCase)).Select(h => h.Key + ": " + h.Value));

    private static void AssertNoCanary(string where, string text, string[] canaries)
    {
        foreach (var canary in canaries)
        {
            // The prefix-free part too, in case something trims or re-encodes the value.
            Assert.False(text.Contains(canary, StringComparison.Ordinal) || text.Contains(canary[^12..], StringComparison.Ordinal), $"A canary secret appears in {where}.");
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(canary)), text, StringComparison.Ordinal);
        }
    }
}
