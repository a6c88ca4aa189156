using System.Collections.Concurrent;
using CodeDoc.Core;
using CodeDoc.Hosting.Jobs;
using CodeDoc.Hosting.Tests.Fakes;

namespace CodeDoc.Hosting.Tests.Jobs;

/// <summary>Progress of runs under way, in memory only.</summary>
public sealed class RunMonitorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Monitor_RunUnderWay_ReportsStagesAndStatusesThenForgetsIt()
    {
        await using var host = await HostingTestHost.CreateAsync();
        host.Runner.Hold = true;
        var progress = new ConcurrentQueue<RunProgressSnapshot>();
        var statuses = new ConcurrentQueue<RunStatus>();
        host.Monitor.Progress += (sender, snapshot) => progress.Enqueue(snapshot);
        host.Monitor.StatusChanged += (sender, run) => statuses.Enqueue(run.Status);
        host.Monitor.StatusChanged += (sender, run) => throw new InvalidOperationException("a broken subscriber");
        await host.StartAsync(typeof(RunWorker));

        var run = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));
        await HostingTestHost.WaitUntilAsync(() => host.Runner.Entered == 1, "the run to start");

        var active = Assert.Single(host.Monitor.Active);
        Assert.Equal(run.Id, active.Run.Id);
        Assert.Equal(RunStatus.Running, active.Run.Status);
        host.Runner.Release();
        await host.WaitForRunsAsync(r => r.Single().Status == RunStatus.Succeeded, "the run to finish");

        Assert.Equal([RunStatus.Queued, RunStatus.Running, RunStatus.Succeeded], statuses);
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.Equal(run.Id, p.Run.Id));
        Assert.Contains(progress, p => p.Stage == RunStage.Snapshot);
        Assert.Contains(progress, p => p.Stage == RunStage.Publishing);
        Assert.Empty(host.Monitor.Active);
        Assert.Contains(host.Logs.Entries, e => e.Contains("[4007]", StringComparison.Ordinal));
    }
}
