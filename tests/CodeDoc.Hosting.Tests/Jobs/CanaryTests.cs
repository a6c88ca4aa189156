using System.Text.Json;
using CodeDoc.Core;
using CodeDoc.Hosting.Jobs;
using CodeDoc.Hosting.Tests.Fakes;

namespace CodeDoc.Hosting.Tests.Jobs;

/// <summary>Secrets of stored provider configurations never reach logs, history rows, audit rows or notifications.</summary>
public sealed class CanaryTests
{
    private const string TokenCanary = "canary-token-4c1f9e27";
    private const string PasswordCanary = "canary-password-b83d";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FailingRun_WithStoredSecrets_LeavesTheSecretsOutOfEverythingItRecords()
    {
        await using var host = await HostingTestHost.CreateAsync();
        var blocker = Path.Combine(host.Output, "not-a-folder.txt");
        await File.WriteAllTextAsync(blocker, "a file where the publisher wants a folder", Token);
        await ((IProviderConfigurationStore)host.Stores).SaveAsync(new ProviderConfiguration
        {
            Id = "md-secret",
            Category = ProviderCategory.Publisher,
            Kind = "markdown",
            Settings = new Dictionary<string, string?> { ["OutputPath"] = Path.Combine(blocker, "docs") },
            Secrets = new Dictionary<string, string> { ["Token"] = TokenCanary, ["Password"] = PasswordCanary },
        }, Token);
        await host.SaveJobAsync(new JobDefinition { Id = "canary", Sources = [new JobSource(HostingTestHost.RepositoryId, ["main"])], PublisherId = "md-secret", FactsOnly = true });
        await host.StartAsync(typeof(RunWorker));

        var run = Assert.Single(await host.Jobs.RunAsync("canary", "alice", cancellationToken: Token));

        var failed = Assert.Single(await host.WaitForRunsAsync(r => r.Single().FinishedAt is not null, "the run to fail"));
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.NotNull(failed.Error);
        var used = Assert.Single(host.Stores.Audit, a => a.Action == "secret.used");
        Assert.Equal("md-secret", used.Target);
        Assert.Equal("Password,Token", used.Details["keys"]);
        Assert.Equal(run.Id, used.Details["run"]);
        await HostingTestHost.WaitUntilAsync(() => host.Notifications.Received.Any(n => n.Kind == HostingNotificationKind.RunFailed), "the failure notification");

        var recorded = string.Join(
            "\n",
            host.Logs.Text,
            JsonSerializer.Serialize(host.Stores.Runs),
            JsonSerializer.Serialize(host.Stores.Audit),
            JsonSerializer.Serialize(host.Notifications.Received));
        Assert.NotEmpty(host.Logs.Entries);
        Assert.DoesNotContain(TokenCanary, recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(PasswordCanary, recorded, StringComparison.Ordinal);
    }
}
