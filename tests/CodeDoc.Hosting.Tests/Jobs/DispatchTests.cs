using System.Collections.Concurrent;
using CodeDoc.Core;
using CodeDoc.Hosting.Jobs;
using CodeDoc.Hosting.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace CodeDoc.Hosting.Tests.Jobs;

/// <summary>Debounced pushes, follow-up runs, per-branch locks and the concurrency limit.</summary>
public sealed class DispatchTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnPushAsync_FiftyPushesWithinTheWindow_StartExactlyOneRun()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = await HostingTestHost.CreateAsync(time, o => o.Worker.DebounceWindow = TimeSpan.FromSeconds(10));
        await host.StartAsync(typeof(RunWorker));
        var repository = Repository(host);

        var dispositions = new List<PushDisposition>();
        for (var i = 0; i < 50; i++)
        {
            dispositions.Add(await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", $"sha-{i}"), Token));
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(PushDisposition.Queued, dispositions[0]);
        Assert.All(dispositions.Skip(1), d => Assert.Equal(PushDisposition.Coalesced, d));
        var queued = Assert.Single(host.Stores.Runs);
        Assert.Equal(RunStatus.Queued, queued.Status);

        // Joining pushes change the run in memory only; the row names the newest head from the start of the run.
        Assert.Equal("sha-0", queued.RequestedSha);

        time.Advance(TimeSpan.FromSeconds(10));

        var runs = await host.WaitForRunsAsync(r => r.Any(x => x.Status == RunStatus.Succeeded), "the debounced run to finish");
        var run = Assert.Single(runs);
        Assert.Equal("sha-49", run.RequestedSha);
        Assert.Equal(RunTrigger.Webhook, run.Trigger);
        Assert.Equal("system", run.Actor);
        Assert.Equal(1, host.Runner.Entered);
    }

    [Fact]
    public async Task OnPushAsync_CoalescedPushesThenCrash_RecoveredRunDocumentsTheNewestHead()
    {
        await using var host = await HostingTestHost.CreateAsync(configure: o => o.Worker.DebounceWindow = TimeSpan.FromHours(1));
        await host.StartAsync(typeof(RunWorker));
        var repository = Repository(host);
        var first = host.Git.Head();
        Assert.Equal(PushDisposition.Queued, await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", first), Token));
        host.Git.Write("src/Calc/Sub.cs", "namespace Calc;\n\npublic static class Sub\n{\n    public static int Run(int a, int b) => a - b;\n}\n");
        var newest = host.Git.Commit("sub");
        Assert.Equal(PushDisposition.Coalesced, await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", newest), Token));

        // The host "crashes" inside the debounce window: the joining push was never written to the row.
        await host.StopAsync();
        Assert.Equal(first, Assert.Single(host.Stores.Runs).RequestedSha);
        await using var restarted = host.Restart();
        await restarted.StartAsync(typeof(RunWorker));

        var runs = await restarted.WaitForRunsAsync(r => r.Any(x => x.Status == RunStatus.Succeeded), "the recovered queued run to finish");
        var run = Assert.Single(runs);
        Assert.Equal(newest, run.CommitSha);
        Assert.Equal(1, host.Runner.Entered + restarted.Runner.Entered);
    }

    [Fact]
    public async Task OnPushAsync_EndlessPushes_StartTheRunWithinFiveWindows()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = await HostingTestHost.CreateAsync(time, o => o.Worker.DebounceWindow = TimeSpan.FromSeconds(10));
        await host.StartAsync(typeof(RunWorker));
        var repository = Repository(host);

        // A push every 5 s for 100 s: a purely sliding window would never close.
        await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", "sha-0"), Token);
        for (var i = 1; i <= 20; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", $"sha-{i}"), Token);
        }

        await host.WaitForRunsAsync(r => r.Any(x => x.Status == RunStatus.Succeeded), "the bounded debounce to start a run while pushes go on");
    }

    [Fact]
    public async Task OnPushAsync_PushesWhileARunIsUnderWay_QueueOneFollowUp()
    {
        await using var host = await HostingTestHost.CreateAsync();
        host.Runner.Hold = true;
        await host.StartAsync(typeof(RunWorker));
        var repository = Repository(host);
        Assert.Equal(PushDisposition.Queued, await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", "a"), Token));
        await HostingTestHost.WaitUntilAsync(() => host.Runner.Entered == 1, "the first run to start");

        var second = await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", "b"), Token);
        var third = await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", "c"), Token);
        var fourth = await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", "d"), Token);

        Assert.Equal(PushDisposition.Queued, second);
        Assert.Equal(PushDisposition.Coalesced, third);
        Assert.Equal(PushDisposition.Coalesced, fourth);
        host.Runner.Release(2);
        var runs = await host.WaitForRunsAsync(r => r.Count == 2 && r.All(x => x.Status == RunStatus.Succeeded), "both runs to finish");
        Assert.Equal(2, host.Runner.Entered);
        Assert.Equal("d", runs[1].RequestedSha);
        Assert.True(runs[1].StartedAt >= runs[0].FinishedAt);
    }

    [Fact]
    public async Task OnPushAsync_BranchDeleted_CancelsQueuedRuns()
    {
        await using var host = await HostingTestHost.CreateAsync(configure: o => o.Worker.DebounceWindow = TimeSpan.FromHours(1));
        await host.SaveJobAsync(new JobDefinition { Id = "scheduled", Sources = [new JobSource(HostingTestHost.RepositoryId, ["main"])], PublisherId = HostingTestHost.PublisherId, Triggers = new JobTriggers { OnPush = false } });
        await host.Stores.SaveAsync(new RunRecord { Id = "waiting", JobId = "scheduled", RepositoryId = HostingTestHost.RepositoryId, Branch = "main", Trigger = RunTrigger.Schedule, Actor = "system", Status = RunStatus.AwaitingApproval, QueuedAt = DateTimeOffset.UtcNow, ForecastCost = 2m }, Token);
        await host.StartAsync(typeof(RunWorker));
        var repository = Repository(host);
        await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", "a"), Token);

        var disposition = await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", null, deleted: true), Token);

        Assert.Equal(PushDisposition.RefDeleted, disposition);
        Assert.Equal(2, host.Stores.Runs.Count);
        Assert.All(host.Stores.Runs, r => Assert.Equal(RunStatus.Cancelled, r.Status));
        Assert.All(host.Stores.Runs, r => Assert.Equal("branch deleted", r.Error));
        var run = host.Stores.Runs.Single(r => r.JobId == HostingTestHost.JobId);
        Assert.Contains(host.Stores.Audit, a => a.Action == "run.cancelled" && a.Target == run.Id && a.Actor == "system");
    }

    [Fact]
    public async Task OnPushAsync_TagsUnfollowedBranchesAndJobsWithoutPushTrigger_AreIgnored()
    {
        await using var host = await HostingTestHost.CreateAsync();
        var repository = Repository(host);

        var tag = await host.Jobs.OnPushAsync(repository, JobRunTests.Push("v1.0", "a", kind: RefKind.Tag), Token);
        var branch = await host.Jobs.OnPushAsync(repository, JobRunTests.Push("feature", "a"), Token);
        var otherRepository = await host.Jobs.OnPushAsync(repository with { Id = "elsewhere" }, JobRunTests.Push("main", "a"), Token);
        await host.SaveJobAsync(new JobDefinition
        {
            Id = HostingTestHost.JobId, Sources = [new JobSource(HostingTestHost.RepositoryId, ["main"])], PublisherId = HostingTestHost.PublisherId, Triggers = new JobTriggers { OnPush = false },
        });
        var noPushTrigger = await host.Jobs.OnPushAsync(repository, JobRunTests.Push("main", "a"), Token);

        Assert.Equal([PushDisposition.Ignored, PushDisposition.Ignored, PushDisposition.Ignored, PushDisposition.Ignored], [tag, branch, otherRepository, noPushTrigger]);
        Assert.Empty(host.Stores.Runs);
    }

    [Fact]
    public async Task Worker_ManyRuns_KeepsTheConcurrencyLimitAndOneRunPerJobAndBranch()
    {
        await using var host = await HostingTestHost.CreateAsync(
            configure: o => o.Worker.MaxConcurrentRuns = 2,
            job: j => j with { Sources = [new JobSource(HostingTestHost.RepositoryId, ["main", "dev"])] },
            branches: "dev");
        await host.SaveJobAsync(new JobDefinition { Id = "other", Sources = [new JobSource(HostingTestHost.RepositoryId, ["main"])], PublisherId = HostingTestHost.PublisherId, FactsOnly = true });

        // Dry runs: the jobs share the folder, and only dispatch is under test here.
        host.Runner.Request = r => r with { DryRun = true };
        host.Runner.Hold = true;
        var running = new ConcurrentDictionary<string, RunRecord>();
        var maxConcurrent = 0;
        var sameKeyOverlap = false;
        host.Monitor.StatusChanged += (sender, run) =>
        {
            lock (running)
            {
                if (run.Status == RunStatus.Running)
                {
                    sameKeyOverlap |= running.Values.Any(r => r.JobId == run.JobId && r.Branch == run.Branch);
                    running[run.Id] = run;
                    maxConcurrent = Math.Max(maxConcurrent, running.Count);
                }
                else
                {
                    running.TryRemove(run.Id, out _);
                }
            }
        };
        await host.StartAsync(typeof(RunWorker));

        var firstMain = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", new RunRequestOptions { Branch = "main" }, Token));
        var secondMain = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", new RunRequestOptions { Branch = "main" }, Token));
        var dev = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", new RunRequestOptions { Branch = "dev" }, Token));
        var other = Assert.Single(await host.Jobs.RunAsync("other", "alice", cancellationToken: Token));
        await HostingTestHost.WaitUntilAsync(() => host.Runner.Entered == 2, "two runs to start");

        // The second run of docs@main waits for the first although a slot is free for it later; docs@dev went ahead of it.
        var started = host.Stores.Runs.Where(r => r.Status == RunStatus.Running).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { firstMain.Id, dev.Id }.Order(StringComparer.Ordinal), started);
        host.Runner.Release(4);

        var runs = await host.WaitForRunsAsync(r => r.Count == 4 && r.All(x => x.Status == RunStatus.Succeeded), "all runs to finish");
        Assert.Equal(4, host.Runner.Entered);
        Assert.Equal(2, maxConcurrent);
        Assert.False(sameKeyOverlap);
        Assert.True(runs.Single(r => r.Id == secondMain.Id).StartedAt >= runs.Single(r => r.Id == firstMain.Id).FinishedAt);
        Assert.Contains(runs, r => r.Id == other.Id);
    }

    private static WatchedRepository Repository(HostingTestHost host) => new() { Id = HostingTestHost.RepositoryId, Url = host.Git.Path };
}
