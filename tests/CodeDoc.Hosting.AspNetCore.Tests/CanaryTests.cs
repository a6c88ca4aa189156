using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CodeDoc.Hosting.AspNetCore.Tests;

/// <summary>Canary values as the webhook secrets, the API key and a provider secret: they appear in no log entry at any level and in no response.</summary>
public sealed class CanaryTests
{
    private const string WebhookCanary = "canary-webhook-secret-5e1b7d";
    private const string ApiKeyCanary = "canary-api-key-91c4f0e2d8a6";
    private const string ProviderCanary = "canary-provider-token-3a8f";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryEndpoint_CanarySecrets_NeverInLogsOrResponses()
    {
        await using var host = await TestHost.StartAsync(o => o.ApiKey = ApiKeyCanary);
        await host.Jobs.SaveAsync(new JobDefinition { Id = "api-docs", Sources = [new JobSource("repo-github", ["main"])], PublisherId = "markdown" }, Cancellation);
        await host.Providers.SaveAsync(new ProviderConfiguration
        {
            Id = "github-oss",
            Category = CodeDoc.Core.ProviderCategory.Git,
            Kind = "github",
            Secrets = new Dictionary<string, string> { ["Token"] = ProviderCanary },
        }, Cancellation);

        var bodies = new List<string>();
        async Task SendAsync(HttpRequestMessage request)
        {
            using (request)
            using (var response = await host.Client.SendAsync(request, Cancellation))
            {
                bodies.Add($"{(int)response.StatusCode} {response.Headers} {response.Content.Headers} {await response.Content.ReadAsStringAsync(Cancellation)}");
            }
        }

        foreach (var (hostKind, file) in WebhookRequests.Hosts.Select(row => row.Data))
        {
            var body = WebhookRequests.Payload(hostKind, file);
            await host.RegisterRepositoryAsync(hostKind, body, WebhookCanary, repositoryId: "repo-" + hostKind);
            await SendAsync(WebhookRequests.Signed(hostKind, body, WebhookCanary + "x", "forged"));
            await SendAsync(WebhookRequests.Signed(hostKind, body, WebhookCanary[..^1], "forged-2"));
            await SendAsync(WebhookRequests.Signed(hostKind, body, WebhookCanary, "genuine"));
            await SendAsync(WebhookRequests.Signed(hostKind, body, WebhookCanary, "genuine"));
            await SendAsync(WebhookRequests.Signed(hostKind, Encoding.UTF8.GetBytes("{\"secret\":"), WebhookCanary, "malformed"));
            await SendAsync(WebhookRequests.Signed(hostKind, body, WebhookCanary, "wrong-type", "text/plain"));
        }

        foreach (var key in new[] { ApiKeyCanary, ApiKeyCanary + "0", ApiKeyCanary[..^1], string.Empty })
        {
            foreach (var path in new[] { "jobs", "jobs/api-docs", "jobs/nope", "runs", "runs/active", "runs/r1", "providers", "audit.csv", "runs?status=bogus" })
            {
                await SendAsync(ApiEndpointTests.Api(HttpMethod.Get, "/codedoc/api/" + path, key));
            }

            using var bearer = new HttpRequestMessage(HttpMethod.Post, "/codedoc/api/jobs/api-docs/runs")
            {
                Content = new StringContent("{\"branch\":\"main\"}", Encoding.UTF8, "application/json"),
            };
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            await SendAsync(bearer);
        }

        Assert.Contains(bodies, b => b.StartsWith("202 ", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.StartsWith("401 ", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.StartsWith("200 ", StringComparison.Ordinal) && b.Contains("github-oss", StringComparison.Ordinal));
        Assert.NotEmpty(host.Logs.Entries);
        foreach (var canary in new[] { WebhookCanary, ApiKeyCanary, ProviderCanary, Convert.ToBase64String(Encoding.UTF8.GetBytes("codedoc:" + WebhookCanary)) })
        {
            Assert.DoesNotContain(canary, host.Logs.Text, StringComparison.Ordinal);
            Assert.All(bodies, b => Assert.DoesNotContain(canary, b, StringComparison.Ordinal));
        }
    }
}
