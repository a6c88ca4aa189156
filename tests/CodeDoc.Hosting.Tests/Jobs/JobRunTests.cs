using CodeDoc.Core;
using CodeDoc.Hosting.Jobs;
using CodeDoc.Hosting.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Hosting.Tests.Jobs;

/// <summary>Real runs: a git repository made with the git CLI, the local provider and the Markdown folder publisher (facts only, no model).</summary>
public sealed class JobRunTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_ManualRun_PublishesAndRecordsMetadataOnly()
    {
        await using var host = await HostingTestHost.CreateAsync();
        await host.StartAsync(typeof(RunWorker));

        var queued = await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token);

        var run = Assert.Single(queued);
        Assert.Equal(RunStatus.Queued, run.Status);
        var runs = await host.WaitForRunsAsync(r => r.Any(x => x.Id == run.Id && x.FinishedAt is not null), "the manual run to finish");
        var done = Assert.Single(runs);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Null(done.Error);
        Assert.Equal(host.Git.Head(), done.CommitSha);
        Assert.NotNull(done.StartedAt);
        Assert.NotEmpty(done.PageLinks);
        Assert.Equal("alice", done.Actor);
        Assert.NotEmpty(Directory.EnumerateFiles(host.Output, "*.md", SearchOption.AllDirectories));
        var manifest = Assert.Single(host.Stores.Manifests);
        Assert.StartsWith(HostingTestHost.PublisherId + "|", manifest.Key, StringComparison.Ordinal);
        Assert.NotEmpty(manifest.Value.Pages);
        var actions = host.Stores.Audit.Where(a => a.Target == run.Id).Select(a => a.Action).ToList();
        Assert.Equal(["run.queued", "run.started", "run.finished", "run.published"], actions);
        Assert.All(host.Stores.Audit.Where(a => a.Target == run.Id), a => Assert.Equal("alice", a.Actor));
        Assert.Equal("Succeeded", host.Stores.Audit.Single(a => a.Target == run.Id && a.Action == "run.finished").Details["status"]);
        var published = host.Stores.Audit.Single(a => a.Target == run.Id && a.Action == "run.published");
        Assert.Equal(done.CommitSha, published.Details["commit"]);
        Assert.StartsWith("Created=", published.Details["pages"], StringComparison.Ordinal);
        Assert.Empty(host.Monitor.Active);
    }

    [Fact]
    public async Task RunAsync_JobFollowingTwoBranches_PublishesEachToItsOwnFolder()
    {
        await using var host = await HostingTestHost.CreateAsync(job: j => j with { Sources = [new JobSource(HostingTestHost.RepositoryId, ["main", "release/1.0"])] }, branches: "release/1.0");
        await host.StartAsync(typeof(RunWorker));

        var queued = await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token);

        Assert.Equal(2, queued.Count);
        var runs = await host.WaitForRunsAsync(r => r.Count == 2 && r.All(x => x.FinishedAt is not null), "both branches' runs to finish");
        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        var main = Path.Combine(host.Output, HostingTestHost.RepositoryId, "main");
        var release = Path.Combine(host.Output, HostingTestHost.RepositoryId, "release_1.0");
        Assert.True(File.Exists(Path.Combine(main, ".codedoc", "manifest.json")));
        Assert.True(File.Exists(Path.Combine(release, ".codedoc", "manifest.json")));
        Assert.Equal(2, host.Stores.Manifests.Count);
    }

    [Fact]
    public async Task Worker_SecondWorkerOnTheSameDatabase_RefusedUntilTheFirstStops()
    {
        var folder = Directory.CreateTempSubdirectory("codedoc-worker-lock-").FullName;
        try
        {
            var database = Path.Combine(folder, "codedoc.db");
            await using var first = await HostingTestHost.CreateAsync(configure: o => o.DatabasePath = database);
            await using var second = await HostingTestHost.CreateAsync(configure: o => o.DatabasePath = database);
            await first.StartAsync(typeof(RunWorker));

            var refused = await Assert.ThrowsAsync<HostingStoreException>(() => second.StartAsync(typeof(RunWorker)));

            Assert.Contains(database, refused.Message, StringComparison.Ordinal);
            Assert.Contains("Only one worker", refused.Message, StringComparison.Ordinal);
            await first.StopAsync();
            await second.StartAsync(typeof(RunWorker));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_UnknownJobOrUnfollowedBranch_ThrowsConfigurationError()
    {
        await using var host = await HostingTestHost.CreateAsync();

        var unknown = await Assert.ThrowsAsync<CodeDocConfigurationException>(() => host.Jobs.RunAsync("nope", "alice", cancellationToken: Token));
        var branch = await Assert.ThrowsAsync<CodeDocConfigurationException>(() => host.Jobs.RunAsync(HostingTestHost.JobId, "alice", new RunRequestOptions { Branch = "dev" }, Token));
        var repository = await Assert.ThrowsAsync<CodeDocConfigurationException>(() => host.Jobs.RunAsync(HostingTestHost.JobId, "alice", new RunRequestOptions { RepositoryId = "other" }, Token));
        await host.SaveJobAsync(new JobDefinition { Id = "off", Sources = [new JobSource(HostingTestHost.RepositoryId, ["main"])], PublisherId = HostingTestHost.PublisherId, Enabled = false });
        var disabled = await Assert.ThrowsAsync<CodeDocConfigurationException>(() => host.Jobs.RunAsync("off", "alice", cancellationToken: Token));

        Assert.Contains("'nope'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("'dev'", branch.Message, StringComparison.Ordinal);
        Assert.Contains("main", branch.Message, StringComparison.Ordinal);
        Assert.Contains("'other'", repository.Message, StringComparison.Ordinal);
        Assert.Contains("disabled", disabled.Message, StringComparison.Ordinal);
        Assert.Empty(host.Stores.Runs);
    }

    [Fact]
    public async Task Worker_RestartAfterCrash_RecoveryRunPublishesNoDuplicatePages()
    {
        await using var host = await HostingTestHost.CreateAsync();
        await host.StartAsync(typeof(RunWorker));
        var first = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));
        await host.WaitForRunsAsync(r => r.Any(x => x.Id == first.Id && x.Status == RunStatus.Succeeded), "the first run to succeed");
        await host.StopAsync();
        var pagesBefore = PageFiles(host.Output);

        // The host "crashed" in the middle of a second run for a new commit: its row still says Running.
        host.Git.Write("src/Calc/Adder.cs", "namespace Calc;\n\n/// <summary>Adds numbers.</summary>\npublic static class Adder\n{\n    public static int Add(int a, int b) => a + b;\n\n    public static int Twice(int a) => a + a;\n}\n");
        var head = host.Git.Commit("twice");
        var crashed = first with { Id = "crashed-run", Status = RunStatus.Running, FinishedAt = null, CommitSha = null, PageLinks = [], StartedAt = DateTimeOffset.UtcNow };
        await host.Stores.SaveAsync(crashed, Token);
        await using var restarted = host.Restart();
        await restarted.StartAsync(typeof(RunWorker));

        var runs = await restarted.WaitForRunsAsync(r => r.Any(x => x.RecoveryOf == crashed.Id && x.FinishedAt is not null), "the recovery run to finish");
        var recovery = runs.Single(r => r.RecoveryOf == crashed.Id);
        Assert.Equal(RunStatus.Succeeded, recovery.Status);
        Assert.Equal(RunTrigger.Recovery, recovery.Trigger);
        Assert.Equal(RunStatus.Interrupted, runs.Single(r => r.Id == crashed.Id).Status);
        Assert.Equal(head, recovery.CommitSha);
        Assert.Contains(Directory.EnumerateFiles(host.Output, "*.md", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("Twice", StringComparison.Ordinal));
        var pagesAfter = PageFiles(host.Output);
        Assert.Equal(pagesBefore, pagesAfter);
        Assert.Equal(pagesAfter.Count, pagesAfter.Distinct(StringComparer.Ordinal).Count());
        var manifest = Assert.Single(host.Stores.Manifests).Value;
        Assert.Equal(manifest.Pages.Count, manifest.Pages.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(head, manifest.SourceCommit);
    }

    [Fact]
    public async Task Worker_QueuedRowsAtStart_AreDispatchedAndAwaitingApprovalStaysWaiting()
    {
        await using var host = await HostingTestHost.CreateAsync();
        var now = DateTimeOffset.UtcNow;
        var queued = new RunRecord { Id = "left-queued", JobId = HostingTestHost.JobId, RepositoryId = HostingTestHost.RepositoryId, Branch = "main", Trigger = RunTrigger.Manual, Actor = "bob", Status = RunStatus.Queued, QueuedAt = now };
        var waiting = queued with { Id = "left-waiting", Status = RunStatus.AwaitingApproval, ForecastCost = 3m, QueuedAt = now.AddSeconds(-1) };
        await host.Stores.SaveAsync(queued, Token);
        await host.Stores.SaveAsync(waiting, Token);

        await host.StartAsync(typeof(RunWorker));

        await host.WaitForRunsAsync(r => r.Any(x => x.Id == queued.Id && x.Status == RunStatus.Succeeded), "the queued row to run");
        Assert.Equal(RunStatus.AwaitingApproval, host.Stores.Runs.Single(r => r.Id == waiting.Id).Status);
    }

    [Fact]
    public async Task Worker_ShutdownDuringRun_MarksInterruptedAndQueuesRecovery()
    {
        await using var host = await HostingTestHost.CreateAsync(configure: o => o.Worker.ShutdownGracePeriod = TimeSpan.Zero);
        host.Runner.Hold = true;
        await host.StartAsync(typeof(RunWorker));
        var run = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));
        await HostingTestHost.WaitUntilAsync(() => host.Runner.Entered == 1, "the run to start");

        await host.StopAsync();

        var runs = host.Stores.Runs;
        Assert.Equal(RunStatus.Interrupted, runs.Single(r => r.Id == run.Id).Status);
        var recovery = Assert.Single(runs, r => r.RecoveryOf == run.Id);
        Assert.Equal(RunStatus.Queued, recovery.Status);
        Assert.Equal(RunTrigger.Recovery, recovery.Trigger);
    }

    [Fact]
    public async Task Worker_ShutdownWithinTheGracePeriod_LetsTheRunFinishAndStartsNoOther()
    {
        await using var host = await HostingTestHost.CreateAsync(
            configure: o => o.Worker.ShutdownGracePeriod = TimeSpan.FromMinutes(5),
            job: j => j with { Sources = [new JobSource(HostingTestHost.RepositoryId, ["main", "dev"])] },
            branches: "dev");
        host.Runner.Hold = true;
        await host.StartAsync(typeof(RunWorker));
        var run = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", new RunRequestOptions { Branch = "main" }, Token));
        await HostingTestHost.WaitUntilAsync(() => host.Runner.Entered == 1, "the run to start");

        var stopping = host.StopAsync();
        var later = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", new RunRequestOptions { Branch = "dev" }, Token));
        host.Runner.Release(2);
        await stopping;

        Assert.Equal(RunStatus.Succeeded, host.Stores.Runs.Single(r => r.Id == run.Id).Status);
        Assert.DoesNotContain(host.Stores.Runs, r => r.RecoveryOf is not null);
        Assert.Equal(RunStatus.Queued, host.Stores.Runs.Single(r => r.Id == later.Id).Status);
        Assert.Equal(1, host.Runner.Entered);
    }

    [Fact]
    public async Task CancelAsync_RunningRun_StopsItAndRecordsCancelled()
    {
        await using var host = await HostingTestHost.CreateAsync();
        host.Runner.Hold = true;
        await host.StartAsync(typeof(RunWorker));
        var run = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));
        await HostingTestHost.WaitUntilAsync(() => host.Runner.Entered == 1, "the run to start");

        Assert.True(await host.Jobs.CancelAsync(run.Id, "carol", Token));

        var runs = await host.WaitForRunsAsync(r => r.Single().Status == RunStatus.Cancelled, "the run to be cancelled");
        Assert.Contains("carol", runs.Single().Error, StringComparison.Ordinal);
        Assert.Contains(host.Stores.Audit, a => a.Action == "run.cancelled" && a.Actor == "carol" && a.Target == run.Id);
        Assert.False(await host.Jobs.CancelAsync(run.Id, "carol", Token));
    }

    [Fact]
    public async Task CancelAsync_QueuedRun_NeverStarts()
    {
        await using var host = await HostingTestHost.CreateAsync(configure: o => o.Worker.DebounceWindow = TimeSpan.FromHours(1));
        await host.StartAsync(typeof(RunWorker));
        await host.Jobs.OnPushAsync(new WatchedRepository { Id = HostingTestHost.RepositoryId, Url = host.Git.Path }, Push("main", host.Git.Head()), Token);
        var run = Assert.Single(host.Stores.Runs);

        Assert.True(await host.Jobs.CancelAsync(run.Id, "carol", Token));

        Assert.Equal(RunStatus.Cancelled, Assert.Single(host.Stores.Runs).Status);
        Assert.Equal(0, host.Runner.Entered);
    }

    internal static PushEvent Push(string branch, string? sha, bool deleted = false, RefKind kind = RefKind.Branch) => new()
    {
        HostKind = "github",
        RepositoryUrl = "https://github.com/acme/calc",
        Ref = (kind == RefKind.Tag ? "refs/tags/" : "refs/heads/") + branch,
        RefKind = kind,
        RefName = branch,
        AfterSha = sha,
        Deleted = deleted,
    };

    private static List<string> PageFiles(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];
}
