using System.Net;
using System.Text;
using System.Text.Json;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.AspNetCore.Tests;

/// <summary>The webhook endpoint with each Git host's real handler and real payloads: verified, de-duplicated, queued, and every abuse refused cheaply.</summary>
public sealed class WebhookEndpointTests
{
    private const string Secret = "hook-secret-for-tests";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(WebhookRequests.Hosts), MemberType = typeof(WebhookRequests))]
    public async Task Post_ValidSignedDelivery_QueuedForTheVerifiedRepository(string hostKind, string file)
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload(hostKind, file);
        var push = await host.RegisterRepositoryAsync(hostKind, body, Secret);

        using var response = await host.Client.SendAsync(WebhookRequests.Signed(hostKind, body, Secret, "delivery-1"), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("queued", json.RootElement.GetProperty("status").GetString());
        var pushes = json.RootElement.GetProperty("pushes").EnumerateArray().ToList();
        Assert.Contains(pushes, p => p.GetProperty("ref").GetString() == push.Ref && p.GetProperty("disposition").GetString() == "queued");
        var (repository, received) = host.JobsService.Pushes.First();
        Assert.Equal("repo", repository.Id);
        Assert.Equal(push.Ref, received.Ref);
        Assert.Equal(hostKind, received.HostKind);
    }

    [Theory]
    [MemberData(nameof(WebhookRequests.Hosts), MemberType = typeof(WebhookRequests))]
    public async Task Post_ForgedSignature_401WithTheReasonAndNothingQueuedOrRecorded(string hostKind, string file)
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload(hostKind, file);
        await host.RegisterRepositoryAsync(hostKind, body, Secret);

        using var forged = await host.Client.SendAsync(WebhookRequests.Signed(hostKind, body, "not-the-secret", "delivery-1"), Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        var problem = await forged.Content.ReadAsStringAsync(Cancellation);
        Assert.Contains("match", problem, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Secret, problem, StringComparison.Ordinal);
        Assert.Empty(host.JobsService.Pushes);
        Assert.Empty(host.Deliveries.Keys);

        // The forged delivery claimed nothing: the genuine one with the same id and body still queues.
        using var genuine = await host.Client.SendAsync(WebhookRequests.Signed(hostKind, body, Secret, "delivery-1"), Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
    }

    [Theory]
    [MemberData(nameof(WebhookRequests.Hosts), MemberType = typeof(WebhookRequests))]
    public async Task Post_SameDeliveryAgain_DuplicateAndQueuedOnce(string hostKind, string file)
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload(hostKind, file);
        await host.RegisterRepositoryAsync(hostKind, body, Secret);
        using var first = await host.Client.SendAsync(WebhookRequests.Signed(hostKind, body, Secret, "delivery-1"), Cancellation);
        var pushesAfterFirst = host.JobsService.Pushes.Count;

        using var replay = await host.Client.SendAsync(WebhookRequests.Signed(hostKind, body, Secret, "delivery-1"), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("duplicate", await Status(replay));
        Assert.Equal(pushesAfterFirst, host.JobsService.Pushes.Count);
    }

    [Theory]
    [MemberData(nameof(WebhookRequests.HostsWithIdHeader), MemberType = typeof(WebhookRequests))]
    public async Task Post_SameBodyUnderANewDeliveryId_Duplicate(string hostKind, string file)
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload(hostKind, file);
        await host.RegisterRepositoryAsync(hostKind, body, Secret);
        using var first = await host.Client.SendAsync(WebhookRequests.Signed(hostKind, body, Secret, "delivery-1"), Cancellation);
        var pushesAfterFirst = host.JobsService.Pushes.Count;

        using var replay = await host.Client.SendAsync(WebhookRequests.Signed(hostKind, body, Secret, "delivery-2"), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("duplicate", await Status(replay));
        Assert.Equal(pushesAfterFirst, host.JobsService.Pushes.Count);
        Assert.Contains(host.Deliveries.Keys, k => k.Key.StartsWith("sha256:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_DifferentBodiesWithDistinctIds_EachReachesTheJobs()
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        await host.RegisterRepositoryAsync("github", body, Secret);
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).TrimEnd() + " ");

        using var first = await host.Client.SendAsync(WebhookRequests.Signed("github", body, Secret, "delivery-1"), Cancellation);
        using var second = await host.Client.SendAsync(WebhookRequests.Signed("github", changed, Secret, "delivery-2"), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(2, host.JobsService.Pushes.Count);
    }

    [Fact]
    public async Task Post_TwoRepositoriesShareTheUrl_OnlyTheOneWhoseSecretVerifiesGetsThePush()
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        var push = await host.RegisterRepositoryAsync("github", body, Secret, repositoryId: "mine");
        await host.Repositories.SaveAsync(new WatchedRepository { Id = "theirs", Url = push.RepositoryUrl + ".git", WebhookHostKind = "github", WebhookSecret = "another-secret" }, Cancellation);

        using var response = await host.Client.SendAsync(WebhookRequests.Signed("github", body, Secret, "delivery-1"), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["mine"], host.JobsService.Pushes.Select(p => p.Repository.Id));
    }

    [Theory]
    [MemberData(nameof(WebhookRequests.Hosts), MemberType = typeof(WebhookRequests))]
    public async Task Post_BranchNoJobFollows_200Ignored(string hostKind, string file)
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload(hostKind, file);
        await host.RegisterRepositoryAsync(hostKind, body, Secret, follow: false);

        using var response = await host.Client.SendAsync(WebhookRequests.Signed(hostKind, body, Secret, "delivery-1"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ignored", await Status(response));
    }

    [Theory]
    [MemberData(nameof(WebhookRequests.Hosts), MemberType = typeof(WebhookRequests))]
    public async Task Post_UnknownRepository_404UnknownRepository(string hostKind, string file)
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload(hostKind, file);

        using var response = await host.Client.SendAsync(WebhookRequests.Signed(hostKind, body, Secret, "delivery-1"), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Unknown repository", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        AssertNothingHappened(host);
    }

    [Fact]
    public async Task Post_RepositoryRegisteredForAnotherHostKind_404()
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        var push = host.FirstPush("github", body);
        await host.Repositories.SaveAsync(new WatchedRepository { Id = "repo", Url = push.RepositoryUrl, WebhookHostKind = "gitlab", WebhookSecret = Secret }, Cancellation);

        using var response = await host.Client.SendAsync(WebhookRequests.Signed("github", body, Secret, "delivery-1"), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertNothingHappened(host);
    }

    [Theory]
    [MemberData(nameof(WebhookRequests.Hosts), MemberType = typeof(WebhookRequests))]
    public async Task Post_MalformedJson_400(string hostKind, string file)
    {
        await using var host = await TestHost.StartAsync();
        await host.RegisterRepositoryAsync(hostKind, WebhookRequests.Payload(hostKind, file), Secret);
        var body = "{\"ref\": \"refs/heads/main\", "u8.ToArray();

        using var response = await host.Client.SendAsync(WebhookRequests.Signed(hostKind, body, Secret, "delivery-1"), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertNothingHappened(host);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    public async Task Post_ContentTypeNotJson_415SayingToChooseJson(string contentType)
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        await host.RegisterRepositoryAsync("github", body, Secret);

        using var response = await host.Client.SendAsync(WebhookRequests.Signed("github", body, Secret, "delivery-1", contentType), Cancellation);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        AssertNothingHappened(host);
    }

    [Fact]
    public async Task Post_JsonWithCharset_Accepted()
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("azure-devops", "git-push-real-org.json");
        await host.RegisterRepositoryAsync("azure-devops", body, Secret);

        using var response = await host.Client.SendAsync(WebhookRequests.Signed("azure-devops", body, Secret, "x", "application/json; charset=utf-8"), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Post_ContentLengthOverTheLimit_413BeforeReading()
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        await host.RegisterRepositoryAsync("github", body, Secret);
        var large = new byte[TestHost.MaxBodyBytes + 1];
        body.CopyTo(large, 0);

        using var response = await host.Client.SendAsync(WebhookRequests.Signed("github", large, Secret, "delivery-1"), Cancellation);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertNothingHappened(host);
    }

    [Fact]
    public async Task Post_ChunkedBodyOverTheLimit_413WhileReading()
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        await host.RegisterRepositoryAsync("github", body, Secret);
        using var request = WebhookRequests.Signed("github", body, Secret, "delivery-1");
        request.Content = new ChunkedContent(new byte[(TestHost.MaxBodyBytes * 3) + 7]);
        request.Content.Headers.ContentType = new("application/json");

        using var response = await host.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertNothingHappened(host);
    }

    [Fact]
    public async Task Post_ChunkedBodyWithinTheLimit_Queued()
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        await host.RegisterRepositoryAsync("github", body, Secret);
        using var request = WebhookRequests.Signed("github", body, Secret, "delivery-1");
        request.Content = new ChunkedContent(body);
        request.Content.Headers.ContentType = new("application/json");

        using var response = await host.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Post_UnknownHostKind_404()
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        await host.RegisterRepositoryAsync("github", body, Secret);

        using var response = await host.Client.SendAsync(WebhookRequests.Signed("gitea", body, Secret, "delivery-1"), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No webhook handler", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        AssertNothingHappened(host);
    }

    [Fact]
    public async Task Post_GitHubPing_Pong()
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/codedoc/webhooks/github")
        {
            Content = new StringContent("""{"zen":"Keep it logically awesome.","hook_id":1}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-GitHub-Event", "ping");

        using var response = await host.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await Status(response));
        AssertNothingHappened(host);
    }

    [Fact]
    public async Task Post_AzureDevOpsTestButtonSample_Pong()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.SendAsync(WebhookRequests.Signed("azure-devops", WebhookRequests.Payload("azure-devops", "git-push.json"), Secret, "x"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await Status(response));
        AssertNothingHappened(host);
    }

    [Fact]
    public async Task Post_EventThatIsNotAPush_200IgnoredWithTheReason()
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/codedoc/webhooks/gitlab") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Gitlab-Event", "Issue Hook");

        using var response = await host.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("ignored", json.RootElement.GetProperty("status").GetString());
        Assert.Contains("Issue Hook", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        AssertNothingHappened(host);
    }

    [Fact]
    public async Task Post_BranchDeleted_200RefDeleted()
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("gitlab", "push-branch-deleted.json");
        await host.RegisterRepositoryAsync("gitlab", body, Secret);

        using var response = await host.Client.SendAsync(WebhookRequests.Signed("gitlab", body, Secret, "delivery-1"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("refDeleted", await Status(response));
    }

    [Fact]
    public async Task Post_EveryAbuse_NoJobsCallNoErrorLogAndTheHostStillServes()
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        await host.RegisterRepositoryAsync("github", body, Secret);
        var abuses = new List<HttpRequestMessage>
        {
            WebhookRequests.Signed("github", body, "forged", "a1"),
            WebhookRequests.Signed("github", "not json"u8.ToArray(), Secret, "a2"),
            WebhookRequests.Signed("github", "[]"u8.ToArray(), Secret, "a3"),
            WebhookRequests.Signed("github", "{}"u8.ToArray(), Secret, "a4"),
            WebhookRequests.Signed("github", [], Secret, "a5"),
            WebhookRequests.Signed("github", body, Secret, "a6", "text/xml"),
            WebhookRequests.Signed("github", body, Secret, "a7", "application/json", "/codedoc/webhooks/%2e%2e%2f"),
            WebhookRequests.Signed("github", new byte[TestHost.MaxBodyBytes + 10], Secret, "a8"),
        };

        foreach (var abuse in abuses)
        {
            using (abuse)
            using (var response = await host.Client.SendAsync(abuse, Cancellation))
            {
                Assert.InRange((int)response.StatusCode, 400, 499);
            }
        }

        AssertNothingHappened(host);
        Assert.DoesNotContain(host.Logs.Entries, e => e.StartsWith(nameof(LogLevel.Error), StringComparison.Ordinal) || e.StartsWith(nameof(LogLevel.Critical), StringComparison.Ordinal));
        using var genuine = await host.Client.SendAsync(WebhookRequests.Signed("github", body, Secret, "delivery-1"), Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
    }

    [Fact]
    public async Task Post_Rejections_LoggedAsWarningsWithoutBody()
    {
        await using var host = await TestHost.StartAsync();
        var body = WebhookRequests.Payload("github", "push-branch-updated.json");
        await host.RegisterRepositoryAsync("github", body, Secret);

        using var forged = await host.Client.SendAsync(WebhookRequests.Signed("github", body, "forged", "a1"), Cancellation);

        var entry = Assert.Single(host.Logs.Entries, e => e.Contains("[7001]", StringComparison.Ordinal));
        Assert.StartsWith(nameof(LogLevel.Warning), entry, StringComparison.Ordinal);
        Assert.Contains("401", entry, StringComparison.Ordinal);
        Assert.DoesNotContain("Codertocat", host.Logs.Text, StringComparison.Ordinal);
    }

    private static void AssertNothingHappened(TestHost host)
    {
        Assert.Equal(0, host.JobsService.Calls);
        Assert.Empty(host.Deliveries.Keys);
    }

    private static async Task<string?> Status(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        return json.RootElement.GetProperty("status").GetString();
    }

    /// <summary>Content sent chunked: no Content-Length, so the server learns the size only by reading.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += 8192)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(8192, body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
