using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using CodeDoc.Core;
using CodeDoc.FakeServers.Git;
using CodeDoc.Hosting.AspNetCore.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CodeDoc.Hosting.AspNetCore.Tests;

/// <summary>
/// A real ASP.NET Core host on Kestrel (127.0.0.1:0) with the Git host packages' webhook handlers, the endpoints
/// under test, and in-memory doubles of the hosting stores and jobs. Every log entry at every level is captured.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789abcdef";
    public const long MaxBodyBytes = 64 * 1024;

    private readonly WebApplication _app;

    private TestHost(WebApplication app, CapturedLogs logs, Uri address)
    {
        _app = app;
        Logs = logs;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    public InMemoryRepositoryStore Repositories => (InMemoryRepositoryStore)Services.GetRequiredService<IRepositoryStore>();

    public InMemoryWebhookDeliveryStore Deliveries => (InMemoryWebhookDeliveryStore)Services.GetRequiredService<IWebhookDeliveryStore>();

    public InMemoryJobStore Jobs => (InMemoryJobStore)Services.GetRequiredService<IJobStore>();

    public InMemoryRunHistoryStore History => (InMemoryRunHistoryStore)Services.GetRequiredService<IRunHistoryStore>();

    public InMemoryProviderConfigurationStore Providers => (InMemoryProviderConfigurationStore)Services.GetRequiredService<IProviderConfigurationStore>();

    public InMemoryAuditLog Audit => (InMemoryAuditLog)Services.GetRequiredService<IAuditLog>();

    public RecordingJobs JobsService => (RecordingJobs)Services.GetRequiredService<ICodeDocJobs>();

    public ManualRunMonitor Monitor => (ManualRunMonitor)Services.GetRequiredService<IRunMonitor>();

    public static Task<TestHost> StartAsync(Action<CodeDocEndpointOptions>? endpoints = null) =>
        StartAsync(endpoints ?? (o => o.ApiKey = ApiKey), mapApi: true);

    public static async Task<TestHost> StartAsync(Action<CodeDocEndpointOptions> endpoints, bool mapApi)
    {
        var logs = new CapturedLogs();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);

        var services = builder.Services;
        services.AddCodeDoc()
            .AddGitHub()
            .AddGitLab()
            .AddBitbucketWebhooks()
            .AddAzureDevOpsWebhooks()
            .AddHostingEndpoints(endpoints);
        services.Configure<CodeDocHostingOptions>(o => o.Webhooks.MaxBodyBytes = MaxBodyBytes);
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero))));
        services.Replace(ServiceDescriptor.Singleton<IRepositoryStore, InMemoryRepositoryStore>());
        services.Replace(ServiceDescriptor.Singleton<IWebhookDeliveryStore, InMemoryWebhookDeliveryStore>());
        services.Replace(ServiceDescriptor.Singleton<IJobStore, InMemoryJobStore>());
        services.Replace(ServiceDescriptor.Singleton<IRunHistoryStore, InMemoryRunHistoryStore>());
        services.Replace(ServiceDescriptor.Singleton<IProviderConfigurationStore, InMemoryProviderConfigurationStore>());
        services.Replace(ServiceDescriptor.Singleton<IAuditLog, InMemoryAuditLog>());
        services.Replace(ServiceDescriptor.Singleton<ICodeDocJobs, RecordingJobs>());
        services.Replace(ServiceDescriptor.Singleton<IRunMonitor, ManualRunMonitor>());

        var app = builder.Build();
        try
        {
            app.MapCodeDocWebhooks();
            if (mapApi)
            {
                app.MapCodeDocApi();
            }

            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TestHost(app, logs, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    /// <summary>Registers a repository for the pushes of a payload, as the host's handler parses it, and returns the push.</summary>
    public async Task<PushEvent> RegisterRepositoryAsync(string hostKind, byte[] body, string secret, string repositoryId = "repo", bool follow = true)
    {
        var push = FirstPush(hostKind, body);
        await Repositories.SaveAsync(new WatchedRepository { Id = repositoryId, Url = push.RepositoryUrl, WebhookHostKind = hostKind, WebhookSecret = secret });
        if (follow)
        {
            JobsService.Follow(repositoryId, push.RefName);
        }

        return push;
    }

    public PushEvent FirstPush(string hostKind, byte[] body)
    {
        var handler = Services.GetRequiredKeyedService<IWebhookHandler>(hostKind);
        using var request = WebhookRequests.Signed(hostKind, body, "unused", "parse");
        var headers = request.Headers.Concat(request.Content!.Headers).Select(h => KeyValuePair.Create(h.Key, string.Join(",", h.Value)));
        return handler.Parse(new WebhookDelivery(headers, body)).Pushes[0];
    }
}

/// <summary>Builds deliveries as each Git host sends them: real payloads, the host's headers and its signature scheme.</summary>
internal static class WebhookRequests
{
    public static readonly TheoryData<string, string> Hosts = new()
    {
        { "github", "push-branch-updated.json" },
        { "gitlab", "push.json" },
        { "bitbucket-cloud", "repo-push.json" },
        { "bitbucket-dc", "repo-refs-changed-multiple-branches.json" },
        { "azure-devops", "git-push-real-org.json" },
    };

    /// <summary>The hosts whose delivery id is a header, so a replay can carry a new id with the same body.</summary>
    public static readonly TheoryData<string, string> HostsWithIdHeader = new()
    {
        { "github", "push-branch-updated.json" },
        { "gitlab", "push.json" },
        { "bitbucket-cloud", "repo-push.json" },
        { "bitbucket-dc", "repo-refs-changed-multiple-branches.json" },
    };

    public static byte[] Payload(string hostKind, string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", hostKind, file));

    public static HttpRequestMessage Signed(string hostKind, byte[] body, string secret, string deliveryId, string contentType = "application/json", string path = "/codedoc/webhooks/")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path + hostKind) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var hmac = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        switch (hostKind)
        {
            case "github":
                request.Headers.Add("X-GitHub-Event", "push");
                request.Headers.Add("X-GitHub-Delivery", deliveryId);
                request.Headers.Add("X-Hub-Signature-256", hmac);
                break;
            case "gitlab":
                request.Headers.Add("X-Gitlab-Event", "Push Hook");
                request.Headers.Add("X-Gitlab-Event-UUID", deliveryId);
                request.Headers.Add("X-Gitlab-Token", secret);
                break;
            case "bitbucket-cloud":
                request.Headers.Add("X-Event-Key", "repo:push");
                request.Headers.Add("X-Hook-UUID", "{6b7c4a6e-0000-4000-8000-000000000001}");
                request.Headers.Add("X-Request-UUID", deliveryId);
                request.Headers.Add("X-Hub-Signature", hmac);
                break;
            case "bitbucket-dc":
                request.Headers.Add("X-Event-Key", "repo:refs_changed");
                request.Headers.Add("X-Request-Id", deliveryId);
                request.Headers.Add("X-Hub-Signature", hmac);
                break;
            case "azure-devops":
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("codedoc:" + secret)));
                break;
            default:
                request.Headers.Add("X-Delivery", deliveryId);
                break;
        }

        return request;
    }
}
