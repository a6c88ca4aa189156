using System.Text.Json;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Hosting.Jobs;
using CodeDoc.Hosting.Tests.Fakes;

namespace CodeDoc.Hosting.Tests.Jobs;

/// <summary>Runs whose model is built from a stored configuration, against the fake OpenAI server.</summary>
public sealed class ModelRunTests : IAsyncLifetime
{
    private const string Model = "gpt-6.1-terra";
    private const string KeyCanary = "sk-canary-0d9f1b7e3a";
    private FakeAiServer _ai = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _ai = await FakeAiServer.StartAsync();

    public async ValueTask DisposeAsync() => await _ai.DisposeAsync();

    [Fact]
    public async Task Run_StoredModelConfiguration_RecordsTokensAndCost()
    {
        await using var host = await CreateAsync(FakeAiServer.DefaultKey);

        var run = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));

        var done = Assert.Single(await host.WaitForRunsAsync(r => r.Single().FinishedAt is not null, "the model run to finish"));
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.True(done.InputTokens > 0);
        Assert.True(done.OutputTokens > 0);
        Assert.True(done.Cost > 0m);
        Assert.NotEmpty(_ai.ModelCalls);
        var used = Assert.Single(host.Stores.Audit, a => a.Action == "secret.used");
        Assert.Equal("ai", used.Target);
        Assert.Equal("ApiKey", used.Details["keys"]);
        Assert.Equal("Ai", used.Details["category"]);
        Assert.Equal(run.Id, used.Details["run"]);
    }

    [Fact]
    public async Task Run_StoredModelKeyRejected_FailsWithoutTheKeyInAnythingRecorded()
    {
        await using var host = await CreateAsync(KeyCanary);

        Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));

        var failed = Assert.Single(await host.WaitForRunsAsync(r => r.Single().FinishedAt is not null, "the model run to fail"));
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains(_ai.Requests, r => r.Headers.Values.Any(v => v.Contains(KeyCanary, StringComparison.Ordinal)));
        await HostingTestHost.WaitUntilAsync(() => host.Notifications.Received.Any(n => n.Kind == HostingNotificationKind.RunFailed), "the failure notification");
        var recorded = string.Join(
            "\n",
            host.Logs.Text,
            JsonSerializer.Serialize(host.Stores.Runs),
            JsonSerializer.Serialize(host.Stores.Audit),
            JsonSerializer.Serialize(host.Notifications.Received));
        Assert.DoesNotContain(KeyCanary, recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyCanary[3..], recorded, StringComparison.Ordinal);
    }

    private async Task<HostingTestHost> CreateAsync(string storedKey)
    {
        // The model registered in code has a key the fake refuses: only the stored configuration can make the run work.
        var host = await HostingTestHost.CreateAsync(
            job: j => j with { FactsOnly = false, AiProviderId = "ai", Preset = "overview" },
            engine: b => b.AddOpenAI("registered", o =>
            {
                o.Endpoint = new Uri(_ai.BaseAddress, "v1/");
                o.ApiKey = "refused-registered-key";
                o.Model = Model;
            }));
        await ((IProviderConfigurationStore)host.Stores).SaveAsync(new ProviderConfiguration
        {
            Id = "ai",
            Category = ProviderCategory.Ai,
            Kind = "openai",
            Settings = new Dictionary<string, string?> { ["Endpoint"] = new Uri(_ai.BaseAddress, "v1/").ToString(), ["Model"] = Model, ["Http:RetryBaseDelay"] = "00:00:00.005" },
            Secrets = new Dictionary<string, string> { ["ApiKey"] = storedKey },
        }, Token);
        await host.StartAsync(typeof(RunWorker));
        return host;
    }
}
