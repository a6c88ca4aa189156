using System.Net;
using System.Text;

namespace CodeDoc.IntegrationTests;

/// <summary>
/// Real GitHub push deliveries against <c>codedoc serve</c> running as its own process on a real SQLite file:
/// redeliveries start one run, a burst is debounced, a forged signature starts nothing.
/// </summary>
public sealed class WebhookIntakeTests : IAsyncLifetime
{
    private const string JobId = "sample-docs";

    // Built at run time so no scanner mistakes the test source for a leaked credential.
    private static readonly string Token = "ghp_" + "IntegrationIntakeToken000001";
    private static readonly string Secret = "whsec-" + Guid.NewGuid().ToString("N");

    private readonly HostFolder _host = new();
    private GitHubSample _sample = null!;

    public async ValueTask InitializeAsync()
    {
        _sample = await GitHubSample.StartAsync(Token);
        _host.Environment[HostFolder.ApiKeyVariable] = "api-" + Guid.NewGuid().ToString("N");
        _host.Environment["CODEDOC_IT_WEBHOOK_SECRET"] = Secret;
        _host.WriteConfig(new
        {
            CodeDoc = new { Git = _sample.GitSection, Hosting = new { Egress = new { AllowedHosts = _sample.AllowedHosts } } },
        });
        await _host.RunOkAsync(
            "jobs", "add", JobId, GitHubSample.RepositoryUrl, "--branch", GitHubSample.Branch, "--facts-only", "--output", _host.Output,
            "--webhook-secret-env", "CODEDOC_IT_WEBHOOK_SECRET");
    }

    public async ValueTask DisposeAsync()
    {
        await _sample.DisposeAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Serve_HundredIdenticalDeliveriesAtOnce_ExactlyOneRun()
    {
        await using var serve = await _host.ServeAsync();
        var body = GitHubSample.PushBody;
        var delivery = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => serve.PostGitHubPushAsync(body, Secret, delivery)));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}"));
        var runs = await serve.WaitForRunsAsync(JobId, r => r.Count > 0 && r.All(ServeProcess.Settled));
        var run = Assert.Single(runs);
        Assert.Equal("succeeded", ServeProcess.Status(run));
        Assert.Equal("webhook", run.GetProperty("trigger").GetString());
        Assert.Equal(_sample.Repository.Head(), run.GetProperty("commitSha").GetString());
        Assert.Single(Directory.EnumerateFiles(_host.Output, "manifest.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Serve_BurstOfFiftyPushesToOneBranch_OneOrTwoRuns()
    {
        await using var serve = await _host.ServeAsync();
        var body = GitHubSample.PushBody;

        // Distinct deliveries with distinct bodies (trailing white space keeps the JSON the same push).
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            serve.PostGitHubPushAsync([.. body, .. Encoding.UTF8.GetBytes(new string(' ', i))], Secret, Guid.NewGuid().ToString())));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}"));
        var runs = await serve.WaitForRunsAsync(JobId, r => r.Count > 0 && r.All(ServeProcess.Settled));
        Assert.InRange(runs.Count, 1, 2);
        Assert.All(runs, r => Assert.Equal("succeeded", ServeProcess.Status(r)));
    }

    [Fact]
    public async Task Serve_ForgedSignature_401AndNoRunWhileTheGenuineDeliveryRuns()
    {
        await using var serve = await _host.ServeAsync();
        var body = GitHubSample.PushBody;

        using var forged = await serve.PostGitHubPushAsync(body, "not-the-secret", Guid.NewGuid().ToString());
        using var tampered = await serve.Client.SendAsync(Tamper(ServeProcess.GitHubPush(body, Secret, Guid.NewGuid().ToString())), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Empty(await serve.RunsAsync(JobId));

        using var genuine = await serve.PostGitHubPushAsync(body, Secret, Guid.NewGuid().ToString());
        Assert.True(genuine.IsSuccessStatusCode);
        var run = Assert.Single(await serve.WaitForRunsAsync(JobId, r => r.Count > 0 && r.All(ServeProcess.Settled)));
        Assert.Equal("succeeded", ServeProcess.Status(run));
    }

    // The signature of the genuine body on a body with one byte changed.
    private static HttpRequestMessage Tamper(HttpRequestMessage request)
    {
        var bytes = request.Content!.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        bytes[^2] = (byte)' ';
        var tampered = new ByteArrayContent(bytes);
        tampered.Headers.ContentType = request.Content.Headers.ContentType;
        request.Content = tampered;
        return request;
    }
}
