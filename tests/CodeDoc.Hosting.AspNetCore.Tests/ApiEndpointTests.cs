using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.AspNetCore.Tests;

/// <summary>The status and job API on Kestrel: authentication, jobs, runs, approvals, events, audit export and providers.</summary>
public sealed class ApiEndpointTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_WithoutKey_401WithProblemDetails()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.GetAsync("/codedoc/api/jobs", Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-key-0123456789abcdef")]
    [InlineData("test-api-key-0123456789abcde")]
    [InlineData("test-api-key-0123456789abcdef0")]
    [InlineData("")]
    public async Task Get_WrongKey_401(string key)
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/codedoc/api/jobs");
        request.Headers.TryAddWithoutValidation("X-CodeDoc-Api-Key", key);

        using var response = await host.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_KeyInHeaderOrAsBearer_200WithTheJobs()
    {
        await using var host = await TestHost.StartAsync();
        await host.Jobs.SaveAsync(Job("api-docs"), Cancellation);
        using var header = new HttpRequestMessage(HttpMethod.Get, "/codedoc/api/jobs");
        header.Headers.Add("X-CodeDoc-Api-Key", TestHost.ApiKey);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/codedoc/api/jobs");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.ApiKey);

        using var byHeader = await host.Client.SendAsync(header, Cancellation);
        using var byBearer = await host.Client.SendAsync(bearer, Cancellation);

        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byBearer.StatusCode);
        using var json = JsonDocument.Parse(await byHeader.Content.ReadAsStringAsync(Cancellation));
        var job = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("api-docs", job.GetProperty("id").GetString());
        Assert.Equal("main", job.GetProperty("sources")[0].GetProperty("branches")[0].GetString());
    }

    [Fact]
    public async Task Get_NeitherKeyNorHook_401AndAStartUpWarningSaysHowToConfigure()
    {
        await using var host = await TestHost.StartAsync(_ => { });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/codedoc/api/jobs");
        request.Headers.Add("X-CodeDoc-Api-Key", "anything-at-all-long-enough");

        using var response = await host.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var warning = Assert.Single(host.Logs.Entries, e => e.Contains("[7010]", StringComparison.Ordinal));
        Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
        Assert.Contains("ApiKey", warning, StringComparison.Ordinal);
        Assert.Contains("Authenticate", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("k3y-Q9z")]
    [InlineData("a key with spaces in it, long enough")]
    public async Task Start_InvalidApiKey_RefusedWithAMessageWithoutTheKey(string key)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(o => o.ApiKey = key));

        Assert.Contains("ApiKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRuns_CustomHook_ActorReachesTheJobsService()
    {
        await using var host = await TestHost.StartAsync(o => o.Authenticate = context =>
            ValueTask.FromResult(context.Request.Headers["X-User"] is { Count: 1 } user ? $"user:{user[0]}" : null));
        await host.Jobs.SaveAsync(Job("api-docs"), Cancellation);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/codedoc/api/jobs/api-docs/runs")
        {
            Content = new StringContent("""{"repositoryId":"repo","branch":"main","fullRegeneration":true,"force":false}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-User", "alice");
        using var anonymous = new HttpRequestMessage(HttpMethod.Post, "/codedoc/api/jobs/api-docs/runs");
        anonymous.Headers.Add("X-CodeDoc-Api-Key", TestHost.ApiKey);

        using var response = await host.Client.SendAsync(request, Cancellation);
        using var refused = await host.Client.SendAsync(anonymous, Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var (jobId, actor, options) = Assert.Single(host.JobsService.RunRequests);
        Assert.Equal(("api-docs", "user:alice"), (jobId, actor));
        Assert.Equal(new RunRequestOptions { RepositoryId = "repo", Branch = "main", FullRegeneration = true }, options);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        var run = Assert.Single(json.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("user:alice", run.GetProperty("actor").GetString());
        Assert.Equal("queued", run.GetProperty("status").GetString());
        Assert.Equal("manual", run.GetProperty("trigger").GetString());
    }

    [Fact]
    public async Task PostRuns_NoBody_RunsEveryFollowedBranchAsTheApiKey()
    {
        await using var host = await TestHost.StartAsync();
        await host.Jobs.SaveAsync(Job("api-docs"), Cancellation);

        using var response = await host.Client.SendAsync(Api(HttpMethod.Post, "/codedoc/api/jobs/api-docs/runs"), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(("api-docs", "api-key", (RunRequestOptions?)null), Assert.Single(host.JobsService.RunRequests));
    }

    [Fact]
    public async Task PostRuns_UnknownJob_404ProblemAndNothingQueued()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.SendAsync(Api(HttpMethod.Post, "/codedoc/api/jobs/nope/runs"), Cancellation);

        await AssertProblem(response, HttpStatusCode.NotFound, "no job 'nope'");
        Assert.Empty(host.JobsService.RunRequests);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"force":"yes"}""")]
    [InlineData("[1,2]")]
    public async Task PostRuns_InvalidBody_400(string body)
    {
        await using var host = await TestHost.StartAsync();
        await host.Jobs.SaveAsync(Job("api-docs"), Cancellation);
        using var request = Api(HttpMethod.Post, "/codedoc/api/jobs/api-docs/runs");
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await host.Client.SendAsync(request, Cancellation);

        await AssertProblem(response, HttpStatusCode.BadRequest, "not a run request");
        Assert.Empty(host.JobsService.RunRequests);
    }

    [Fact]
    public async Task PostRuns_BranchTheJobDoesNotFollow_400WithTheServicesMessage()
    {
        await using var host = await TestHost.StartAsync();
        await host.Jobs.SaveAsync(Job("api-docs"), Cancellation);
        using var request = Api(HttpMethod.Post, "/codedoc/api/jobs/api-docs/runs");
        request.Content = JsonContent.Create(new { branch = "not-followed" });

        using var response = await host.Client.SendAsync(request, Cancellation);

        await AssertProblem(response, HttpStatusCode.BadRequest, "does not follow branch");
    }

    [Fact]
    public async Task GetJob_UnknownId_404_KnownId_200()
    {
        await using var host = await TestHost.StartAsync();
        await host.Jobs.SaveAsync(Job("api-docs"), Cancellation);

        using var unknown = await host.Client.SendAsync(Api(HttpMethod.Get, "/codedoc/api/jobs/nope"), Cancellation);
        using var known = await host.Client.SendAsync(Api(HttpMethod.Get, "/codedoc/api/jobs/api-docs"), Cancellation);

        await AssertProblem(unknown, HttpStatusCode.NotFound, "no job 'nope'");
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
    }

    [Fact]
    public async Task GetRuns_Filters_PassedToTheHistoryNewestFirst()
    {
        await using var host = await TestHost.StartAsync();
        var start = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        await host.History.SaveAsync(Run("r1", "api-docs", RunStatus.Succeeded, start), Cancellation);
        await host.History.SaveAsync(Run("r2", "api-docs", RunStatus.Failed, start.AddMinutes(1)), Cancellation);
        await host.History.SaveAsync(Run("r3", "api-docs", RunStatus.Succeeded, start.AddMinutes(2)), Cancellation);
        await host.History.SaveAsync(Run("r4", "other", RunStatus.Succeeded, start.AddMinutes(3)), Cancellation);

        using var response = await host.Client.SendAsync(Api(HttpMethod.Get, "/codedoc/api/runs?jobId=api-docs&status=succeeded,AwaitingApproval&limit=5"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(["r3", "r1"], json.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([RunStatus.Succeeded, RunStatus.AwaitingApproval], host.History.LastQuery!.Statuses);
        Assert.Equal(5, host.History.LastQuery.Limit);
    }

    [Theory]
    [InlineData("status=finished", "Unknown run status 'finished'")]
    [InlineData("status=3", "Unknown run status '3'")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    public async Task GetRuns_InvalidQuery_400(string query, string message)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.SendAsync(Api(HttpMethod.Get, "/codedoc/api/runs?" + query), Cancellation);

        await AssertProblem(response, HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task GetRun_KnownAndUnknown_200And404()
    {
        await using var host = await TestHost.StartAsync();
        await host.History.SaveAsync(Run("r1", "api-docs", RunStatus.Running, DateTimeOffset.UnixEpoch), Cancellation);

        using var known = await host.Client.SendAsync(Api(HttpMethod.Get, "/codedoc/api/runs/r1"), Cancellation);
        using var unknown = await host.Client.SendAsync(Api(HttpMethod.Get, "/codedoc/api/runs/r9"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Contains("\"status\":\"running\"", await known.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        await AssertProblem(unknown, HttpStatusCode.NotFound, "no run 'r9'");
    }

    [Fact]
    public async Task GetActive_ListsTheMonitorsRunsNotARunCalledActive()
    {
        await using var host = await TestHost.StartAsync();
        host.Monitor.Active = [new RunProgressSnapshot(Run("r1", "api-docs", RunStatus.Running, DateTimeOffset.UnixEpoch), RunStage.Generating, "writing pages") { PagesDone = 3, PagesTotal = 10 }];

        using var response = await host.Client.SendAsync(Api(HttpMethod.Get, "/codedoc/api/runs/active"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        var active = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("r1", active.GetProperty("run").GetProperty("id").GetString());
        Assert.Equal(3, active.GetProperty("pagesDone").GetInt64());
    }

    [Fact]
    public async Task Approve_WaitingRun_200AsTheActor_FinishedRun_409_UnknownRun_404()
    {
        await using var host = await TestHost.StartAsync();
        await host.History.SaveAsync(Run("r1", "api-docs", RunStatus.AwaitingApproval, DateTimeOffset.UnixEpoch), Cancellation);
        await host.History.SaveAsync(Run("finished", "api-docs", RunStatus.Succeeded, DateTimeOffset.UnixEpoch), Cancellation);

        using var approved = await host.Client.SendAsync(Api(HttpMethod.Post, "/codedoc/api/runs/r1/approve"), Cancellation);
        using var finished = await host.Client.SendAsync(Api(HttpMethod.Post, "/codedoc/api/runs/finished/approve"), Cancellation);
        using var unknown = await host.Client.SendAsync(Api(HttpMethod.Post, "/codedoc/api/runs/r9/approve"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await AssertProblem(finished, HttpStatusCode.Conflict, "not waiting for approval");
        await AssertProblem(unknown, HttpStatusCode.NotFound, "no run 'r9'");
        Assert.Equal([("r1", "api-key"), ("finished", "api-key")], host.JobsService.Approvals);
    }

    [Fact]
    public async Task Cancel_RunningRun_200_FinishedRun_409()
    {
        await using var host = await TestHost.StartAsync();
        await host.History.SaveAsync(Run("r1", "api-docs", RunStatus.Running, DateTimeOffset.UnixEpoch), Cancellation);
        await host.History.SaveAsync(Run("finished", "api-docs", RunStatus.Succeeded, DateTimeOffset.UnixEpoch), Cancellation);

        using var cancelled = await host.Client.SendAsync(Api(HttpMethod.Post, "/codedoc/api/runs/r1/cancel"), Cancellation);
        using var finished = await host.Client.SendAsync(Api(HttpMethod.Post, "/codedoc/api/runs/finished/cancel"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        await AssertProblem(finished, HttpStatusCode.Conflict, "already finished");
        Assert.Equal([("r1", "api-key"), ("finished", "api-key")], host.JobsService.Cancellations);
    }

    [Fact]
    public async Task Events_StatusChangeAndProgress_DeliveredAsServerSentEvents()
    {
        await using var host = await TestHost.StartAsync();
        using var request = Api(HttpMethod.Get, "/codedoc/api/events");
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancellation);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancellation));

        // The first event is the snapshot of runs under way; from then on the stream is subscribed.
        Assert.Equal(("active", "[]"), await ReadEventAsync(reader));
        Assert.Equal(1, host.Monitor.StatusSubscribers);
        host.Monitor.RaiseStatus(Run("r7", "api-docs", RunStatus.Succeeded, DateTimeOffset.UnixEpoch));
        host.Monitor.RaiseProgress(new RunProgressSnapshot(Run("r8", "api-docs", RunStatus.Running, DateTimeOffset.UnixEpoch), RunStage.Generating, "page 2 of 5") { PagesDone = 2 });

        var (name, data) = await ReadEventAsync(reader);
        Assert.Equal("status", name);
        using (var json = JsonDocument.Parse(data))
        {
            Assert.Equal("r7", json.RootElement.GetProperty("id").GetString());
            Assert.Equal("succeeded", json.RootElement.GetProperty("status").GetString());
        }

        var progress = await ReadEventAsync(reader);
        Assert.Equal("progress", progress.Name);
        Assert.Contains("\"pagesDone\":2", progress.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_ClientDisconnects_Unsubscribed()
    {
        await using var host = await TestHost.StartAsync();
        var response = await host.Client.SendAsync(Api(HttpMethod.Get, "/codedoc/api/events"), HttpCompletionOption.ResponseHeadersRead, Cancellation);
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancellation)))
        {
            await ReadEventAsync(reader);
            Assert.Equal(1, host.Monitor.StatusSubscribers);
        }

        response.Dispose();

        await WaitUntilAsync(() => host.Monitor.StatusSubscribers == 0);
    }

    [Fact]
    public async Task AuditCsv_LargeLog_WholeCsvStreamed()
    {
        await using var host = await TestHost.StartAsync();
        for (var i = 1; i <= 2000; i++)
        {
            host.Audit.Entries.Add(new AuditEntry
            {
                Sequence = i,
                Timestamp = DateTimeOffset.UnixEpoch.AddMinutes(i),
                Actor = "system",
                Action = "run.started",
                Target = $"run-{i}",
                PreviousHash = new string('0', 64),
                Hash = new string('a', 64),
            });
        }

        using var response = await host.Client.SendAsync(Api(HttpMethod.Get, "/codedoc/api/audit.csv"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(Cancellation)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sequence,timestamp,actor,action,target,details,previous_hash,hash", lines[0]);
        Assert.Equal(2001, lines.Length);
        Assert.StartsWith("2000,", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Providers_SecretValuesNeverReturned_OnlyTheirNames()
    {
        const string Canary = "canary-provider-secret-7f3a9c";
        await using var host = await TestHost.StartAsync();
        await host.Providers.SaveAsync(new ProviderConfiguration
        {
            Id = "anthropic-main",
            Category = ProviderCategory.Ai,
            Kind = "anthropic",
            Settings = new Dictionary<string, string?> { ["Model"] = "claude-sonnet" },
            Secrets = new Dictionary<string, string> { ["ApiKey"] = Canary },
        }, Cancellation);

        using var response = await host.Client.SendAsync(Api(HttpMethod.Get, "/codedoc/api/providers"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.DoesNotContain(Canary, text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        var provider = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("anthropic-main", provider.GetProperty("id").GetString());
        Assert.Equal("ai", provider.GetProperty("category").GetString());
        Assert.Equal("claude-sonnet", provider.GetProperty("settings").GetProperty("Model").GetString());
        Assert.Equal(["ApiKey"], provider.GetProperty("secretKeys").EnumerateArray().Select(k => k.GetString()));
        Assert.False(provider.TryGetProperty("secrets", out _));
    }

    [Fact]
    public async Task Map_WithoutHostingServices_FailsSayingToCallAddHosting()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.Services.AddCodeDoc().AddHostingEndpoints(o => o.ApiKey = TestHost.ApiKey);
        await using var app = builder.Build();

        var webhooks = Assert.Throws<CodeDocConfigurationException>(() => app.MapCodeDocWebhooks());
        var api = Assert.Throws<CodeDocConfigurationException>(() => app.MapCodeDocApi());

        Assert.Contains("AddHosting", webhooks.Message, StringComparison.Ordinal);
        Assert.Contains("IRepositoryStore", webhooks.Message, StringComparison.Ordinal);
        Assert.Contains("AddHosting", api.Message, StringComparison.Ordinal);
    }

    internal static HttpRequestMessage Api(HttpMethod method, string path, string key = TestHost.ApiKey)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-CodeDoc-Api-Key", key);
        return request;
    }

    private static async Task<(string Name, string Data)> ReadEventAsync(StreamReader reader)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null)
                {
                    return (name, data.ToString());
                }

                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 seconds.");
            await Task.Delay(20, Cancellation);
        }
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detail, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static JobDefinition Job(string id) => new()
    {
        Id = id,
        Sources = [new JobSource("repo", ["main"])],
        PublisherId = "markdown",
    };

    private static RunRecord Run(string id, string jobId, RunStatus status, DateTimeOffset queuedAt) => new()
    {
        Id = id,
        JobId = jobId,
        RepositoryId = "repo",
        Branch = "main",
        Trigger = RunTrigger.Webhook,
        Actor = "system",
        Status = status,
        QueuedAt = queuedAt,
    };
}
