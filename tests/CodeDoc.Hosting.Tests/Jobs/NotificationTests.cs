using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CodeDoc.FakeServers;
using CodeDoc.Hosting.Jobs;
using CodeDoc.Hosting.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Tests.Jobs;

/// <summary>Notification fan-out and the signed outgoing webhook.</summary>
public sealed class NotificationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Webhook_Notification_IsPostedAsJsonWithAVerifiableSignature()
    {
        const string secret = "notification-secret-5d1e";
        await using var receiver = await FakeHttpServer.StartAsync(app => app.MapPost("/hooks/codedoc", () => Results.NoContent()));
        await using var host = await HostingTestHost.CreateAsync(configure: o =>
        {
            o.Notifications.WebhookUrl = new Uri(receiver.BaseAddress, "hooks/codedoc");
            o.Notifications.WebhookSecret = secret;
        });

        await host.Services.GetRequiredService<HostingNotifier>().NotifyAsync(HostingNotificationKind.RunFailed, "docs", "run-1", "The run failed: boom", Token);

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), request.Body));
        Assert.Equal(expected, request.Header(WebhookNotificationSink.SignatureHeader));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("RunFailed", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("docs", json.RootElement.GetProperty("jobId").GetString());
        Assert.Equal("run-1", json.RootElement.GetProperty("runId").GetString());
        Assert.Equal("The run failed: boom", json.RootElement.GetProperty("message").GetString());
        Assert.True(json.RootElement.GetProperty("timestamp").TryGetDateTimeOffset(out _));
        Assert.DoesNotContain(secret, request.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, host.Logs.Text, StringComparison.Ordinal);

        // A tampered body no longer matches the signature.
        var tampered = request.Body.ToArray();
        tampered[^2] ^= 1;
        Assert.NotEqual(expected, WebhookNotificationSink.Sign(tampered, secret));
    }

    [Fact]
    public async Task Notify_FailingSink_IsLoggedAndTheOthersStillReceive()
    {
        await using var receiver = await FakeHttpServer.StartAsync(app => app.MapPost("/down", () => Results.StatusCode(500)));
        await using var host = await HostingTestHost.CreateAsync(
            configure: o => o.Notifications.WebhookUrl = new Uri(receiver.BaseAddress, "down"),
            services: s => s.AddSingleton<IHostingNotificationSink, ThrowingSink>());

        await host.Services.GetRequiredService<HostingNotifier>().NotifyAsync(HostingNotificationKind.CapReached, "docs", null, "cap", Token);

        Assert.Single(host.Notifications.Received);
        Assert.Contains(host.Logs.Entries, e => e.Contains(nameof(ThrowingSink), StringComparison.Ordinal));
        Assert.Contains(host.Logs.Entries, e => e.Contains(nameof(WebhookNotificationSink), StringComparison.Ordinal) && e.Contains("500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Options_RemotePlainHttpWebhookUrl_IsRefusedAtStart()
    {
        await using var host = await HostingTestHost.CreateAsync(configure: o => o.Notifications.WebhookUrl = new Uri("http://hooks.example.com/codedoc"));

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<CodeDocHostingOptions>>().Value);

        Assert.Contains("Notifications:WebhookUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_WorkerLimits_AreChecked()
    {
        await using var host = await HostingTestHost.CreateAsync(configure: o =>
        {
            o.Worker.MaxConcurrentRuns = 0;
            o.Worker.MinimumPollInterval = TimeSpan.Zero;
        });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<CodeDocHostingOptions>>().Value);

        Assert.Contains("MaxConcurrentRuns", error.Message, StringComparison.Ordinal);
        Assert.Contains("MinimumPollInterval", error.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingSink : IHostingNotificationSink
    {
        public Task NotifyAsync(HostingNotification notification, CancellationToken cancellationToken = default) => throw new InvalidOperationException("sink down");
    }
}
