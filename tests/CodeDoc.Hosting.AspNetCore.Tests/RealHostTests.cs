using System.Net;
using System.Security.Cryptography;
using CodeDoc.FakeServers.Git;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.AspNetCore.Tests;

/// <summary>The endpoints on the real host (SQLite store, jobs service and worker), as an application composes them.</summary>
public sealed class RealHostTests : IDisposable
{
    private const string Secret = "real-host-webhook-secret";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codedoc-web-tests-");
    private readonly string _keyVariable = "CODEDOC_WEB_TEST_KEY_" + Guid.NewGuid().ToString("N");

    public RealHostTests() => Environment.SetEnvironmentVariable(_keyVariable, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_keyVariable, null);
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Post_SignedPushesOnTheRealHost_OneDebouncedRunAndDuplicatesStartNothing()
    {
        var logs = new CapturedLogs();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        builder.Services.AddCodeDoc()
            .AddHosting(o =>
            {
                o.DatabasePath = Path.Combine(_folder.FullName, "codedoc.db");
                o.Encryption.KeyEnvironmentVariable = _keyVariable;
                o.Worker.DebounceWindow = TimeSpan.FromHours(1);
            })
            .AddGitHub()
            .AddHostingEndpoints(o => o.ApiKey = TestHost.ApiKey);
        await using var app = builder.Build();
        app.MapCodeDocWebhooks();
        app.MapCodeDocApi();
        await app.StartAsync(Cancellation);
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };

        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        var push = new TestHostParser(app.Services).FirstPush("github", body);
        await app.Services.GetRequiredService<IRepositoryStore>().SaveAsync(new WatchedRepository { Id = "repo", Url = push.RepositoryUrl, WebhookHostKind = "github", WebhookSecret = Secret }, Cancellation);
        await app.Services.GetRequiredService<IJobStore>().SaveAsync(new JobDefinition { Id = "docs", Sources = [new JobSource("repo", [push.RefName])], PublisherId = "markdown", FactsOnly = true }, Cancellation);
        var other = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(body).Replace(push.AfterSha!, new string('b', 40), StringComparison.Ordinal));

        using var first = await client.SendAsync(WebhookRequests.Signed("github", body, Secret, "d-1"), Cancellation);
        using var replay = await client.SendAsync(WebhookRequests.Signed("github", body, Secret, "d-1"), Cancellation);
        using var replayNewId = await client.SendAsync(WebhookRequests.Signed("github", body, Secret, "d-2"), Cancellation);
        using var forged = await client.SendAsync(WebhookRequests.Signed("github", other, "forged", "d-3"), Cancellation);
        using var second = await client.SendAsync(WebhookRequests.Signed("github", other, Secret, "d-3"), Cancellation);
        using var runs = await client.SendAsync(ApiEndpointTests.Api(HttpMethod.Get, "/codedoc/api/runs?jobId=docs"), Cancellation);

        Assert.Equal(
            [HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.Accepted],
            [first.StatusCode, replay.StatusCode, replayNewId.StatusCode, forged.StatusCode, second.StatusCode]);
        Assert.Contains("\"disposition\":\"coalesced\"", await second.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        var history = await app.Services.GetRequiredService<IRunHistoryStore>().ListAsync(new RunQuery { JobId = "docs" }, Cancellation);
        var run = Assert.Single(history);

        // The coalesced push moved the run's start in memory; its row names the newest head when the run starts.
        Assert.Equal((RunTrigger.Webhook, RunStatus.Queued, push.AfterSha), (run.Trigger, run.Status, run.RequestedSha));
        Assert.Contains(run.Id, await runs.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, logs.Text, StringComparison.Ordinal);
        await app.StopAsync(Cancellation);
    }

    [Fact]
    public async Task Post_AfterTheRepositorysSecretChanged_OldSecretGets401AndNewSecretIsAccepted()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddCodeDoc()
            .AddHosting(o =>
            {
                o.DatabasePath = Path.Combine(_folder.FullName, "codedoc.db");
                o.Encryption.KeyEnvironmentVariable = _keyVariable;
                o.Worker.DebounceWindow = TimeSpan.FromHours(1);
            })
            .AddGitHub()
            .AddHostingEndpoints(o => o.ApiKey = TestHost.ApiKey);
        await using var app = builder.Build();
        app.MapCodeDocWebhooks();
        await app.StartAsync(Cancellation);
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        var push = new TestHostParser(app.Services).FirstPush("github", body);
        var repositories = app.Services.GetRequiredService<IRepositoryStore>();
        var repository = new WatchedRepository { Id = "repo", Url = push.RepositoryUrl, WebhookHostKind = "github", WebhookSecret = Secret };
        await repositories.SaveAsync(repository, Cancellation);
        await app.Services.GetRequiredService<IJobStore>().SaveAsync(new JobDefinition { Id = "docs", Sources = [new JobSource("repo", [push.RefName])], PublisherId = "markdown", FactsOnly = true }, Cancellation);
        using var before = await client.SendAsync(WebhookRequests.Signed("github", body, Secret, "d-1"), Cancellation);

        // The lookup of the first delivery is cached; the save must replace it, or the old secret would still verify.
        await repositories.SaveAsync(repository with { WebhookSecret = "rotated-webhook-secret" }, Cancellation);
        using var oldSecret = await client.SendAsync(WebhookRequests.Signed("github", body, Secret, "d-2"), Cancellation);
        using var newSecret = await client.SendAsync(WebhookRequests.Signed("github", body, "rotated-webhook-secret", "d-3"), Cancellation);
        await repositories.DeleteAsync("repo", Cancellation);
        using var deleted = await client.SendAsync(WebhookRequests.Signed("github", body, "rotated-webhook-secret", "d-4"), Cancellation);

        Assert.Equal(
            [HttpStatusCode.Accepted, HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.NotFound],
            [before.StatusCode, oldSecret.StatusCode, newSecret.StatusCode, deleted.StatusCode]);
        Assert.Contains("duplicate", await newSecret.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        await app.StopAsync(Cancellation);
    }

    /// <summary>Parses a payload with the host's own handler, to learn the repository URL and ref it names.</summary>
    private sealed class TestHostParser(IServiceProvider services)
    {
        public CodeDoc.Core.PushEvent FirstPush(string hostKind, byte[] body)
        {
            using var request = WebhookRequests.Signed(hostKind, body, "unused", "parse");
            var headers = request.Headers.Concat(request.Content!.Headers).Select(h => KeyValuePair.Create(h.Key, string.Join(",", h.Value)));
            return services.GetRequiredKeyedService<CodeDoc.Core.IWebhookHandler>(hostKind).Parse(new CodeDoc.Core.WebhookDelivery(headers, body)).Pushes[0];
        }
    }
}
