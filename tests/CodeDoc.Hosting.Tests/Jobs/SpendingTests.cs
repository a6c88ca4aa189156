using CodeDoc.Core;
using CodeDoc.Hosting.Jobs;
using CodeDoc.Hosting.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace CodeDoc.Hosting.Tests.Jobs;

/// <summary>Spending caps, approval above a forecast, and what runs tell people (notifications).</summary>
public sealed class SpendingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_CapAlreadyReached_IsDeclinedAndNotifies()
    {
        await using var host = await HostingTestHost.CreateAsync(new FakeTimeProvider(Now), job: j => j with { Limits = new JobLimits { DailyTokens = 100 } });
        await host.Stores.SaveAsync(Spent("earlier", Now.AddHours(-1), tokens: 150, cost: 0), Token);
        await host.StartAsync(typeof(RunWorker));

        var run = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));

        var runs = await host.WaitForRunsAsync(r => r.Any(x => x.Id == run.Id && x.FinishedAt is not null), "the run to be declined");
        var declined = runs.Single(r => r.Id == run.Id);
        Assert.Equal(RunStatus.Declined, declined.Status);
        Assert.Contains("daily token cap", declined.Error, StringComparison.Ordinal);
        Assert.Equal(0, host.Runner.Entered);
        await HostingTestHost.WaitUntilAsync(() => host.Notifications.Received.Count > 0, "the notification");
        var notification = Assert.Single(host.Notifications.Received);
        Assert.Equal(HostingNotificationKind.CapReached, notification.Kind);
        Assert.Equal(run.Id, notification.RunId);
    }

    [Fact]
    public async Task Run_WithCaps_GetsTheSmallestRemainingRoomAsItsBudget()
    {
        await using var host = await HostingTestHost.CreateAsync(
            new FakeTimeProvider(Now),
            job: j => j with { Limits = new JobLimits { DailyTokens = 1000, MonthlyTokens = 5000, DailyCost = 2m } });
        await host.Stores.SaveAsync(Spent("today", Now.AddHours(-2), tokens: 300, cost: 0.5m), Token);
        await host.Stores.SaveAsync(Spent("this-month", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), tokens: 4500, cost: 0.25m), Token);
        await host.Stores.SaveAsync(Spent("last-month", new DateTimeOffset(2026, 2, 28, 23, 0, 0, TimeSpan.Zero), tokens: 100_000, cost: 90m), Token);
        await host.StartAsync(typeof(RunWorker));

        var run = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));

        await host.WaitForRunsAsync(r => r.Any(x => x.Id == run.Id && x.Status == RunStatus.Succeeded), "the run to finish");
        var request = Assert.Single(host.Runner.Requests);
        Assert.Equal(200, request.MaxTokens);
        Assert.Equal(1.5m, request.MaxCost);
    }

    [Fact]
    public async Task Run_WithoutCaps_HasNoBudget()
    {
        await using var host = await HostingTestHost.CreateAsync();
        await host.StartAsync(typeof(RunWorker));

        var run = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));

        await host.WaitForRunsAsync(r => r.Any(x => x.Id == run.Id && x.Status == RunStatus.Succeeded), "the run to finish");
        var request = Assert.Single(host.Runner.Requests);
        Assert.Null(request.MaxTokens);
        Assert.Null(request.MaxCost);
        Assert.Null(request.Confirm);
        Assert.Equal(host.Git.Path, request.Plan.Location);
        Assert.Equal("main", request.Plan.Ref);
        Assert.True(request.Plan.FactsOnly);
        Assert.NotNull(request.Plan.Providers?.Publisher);
        Assert.Null(request.Plan.Providers?.Git);
    }

    [Fact]
    public async Task WebhookRun_ForecastAboveThreshold_WaitsForApprovalThenSpendsUpToTheForecast()
    {
        await using var host = await HostingTestHost.CreateAsync(job: j => j with { Limits = new JobLimits { ApprovalAboveCost = 1m } });
        host.Runner.ForecastCost = new CostRange(0.5m, 5m);
        await host.StartAsync(typeof(RunWorker));

        await host.Jobs.OnPushAsync(new WatchedRepository { Id = HostingTestHost.RepositoryId, Url = host.Git.Path }, JobRunTests.Push("main", "a"), Token);

        var waiting = Assert.Single(await host.WaitForRunsAsync(r => r.Any(x => x.Status == RunStatus.AwaitingApproval), "the run to wait for approval"));
        Assert.Equal(5m, waiting.ForecastCost);
        await HostingTestHost.WaitUntilAsync(() => host.Notifications.Received.Count > 0, "the notification");
        var notification = Assert.Single(host.Notifications.Received);
        Assert.Equal(HostingNotificationKind.ApprovalRequired, notification.Kind);
        Assert.Contains(waiting.Id, notification.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(host.Output, "*.md", SearchOption.AllDirectories));

        var approved = await host.Jobs.ApproveAsync(waiting.Id, "dave", Token);

        Assert.Equal(RunStatus.Queued, approved.Status);
        var done = Assert.Single(await host.WaitForRunsAsync(r => r.Single().Status == RunStatus.Succeeded, "the approved run to finish"));
        Assert.Equal(waiting.Id, done.Id);
        var second = host.Runner.Requests[1];
        Assert.Null(second.Confirm);
        Assert.Equal(5m, second.MaxCost);
        Assert.NotEmpty(Directory.EnumerateFiles(host.Output, "*.md", SearchOption.AllDirectories));
        Assert.Contains(host.Stores.Audit, a => a.Action == "run.approved" && a.Actor == "dave" && a.Target == waiting.Id);
        await Assert.ThrowsAsync<CodeDocConfigurationException>(() => host.Jobs.ApproveAsync(waiting.Id, "dave", Token));
    }

    [Fact]
    public async Task ManualRun_ForecastAboveThreshold_DoesNotAskForApproval()
    {
        await using var host = await HostingTestHost.CreateAsync(job: j => j with { Limits = new JobLimits { ApprovalAboveCost = 1m } });
        await host.StartAsync(typeof(RunWorker));

        Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));

        await host.WaitForRunsAsync(r => r.Single().Status == RunStatus.Succeeded, "the manual run to finish");
        Assert.Null(Assert.Single(host.Runner.Requests).Confirm);
    }

    [Fact]
    public async Task Run_StoppedAtTheBudget_SucceedsWithANoteAndNotifies()
    {
        await using var host = await HostingTestHost.CreateAsync();
        host.Runner.Report = r => r with { StopReason = RunStopReason.BudgetReached };
        await host.StartAsync(typeof(RunWorker));

        Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));

        var run = Assert.Single(await host.WaitForRunsAsync(r => r.Single().FinishedAt is not null, "the run to finish"));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Contains("spending cap", run.Error, StringComparison.Ordinal);
        await HostingTestHost.WaitUntilAsync(() => host.Notifications.Received.Count > 0, "the notification");
        Assert.Equal(HostingNotificationKind.CapReached, Assert.Single(host.Notifications.Received).Kind);
    }

    [Fact]
    public async Task Run_PagesPeopleEdited_NotifyPageFrozen()
    {
        await using var host = await HostingTestHost.CreateAsync();
        host.Runner.Report = r => r with { Publish = r.Publish! with { Pages = [.. r.Publish.Pages, new PageOutcome("team-guide", "Team guide", PageOutcomeKind.SkippedEditedByPerson, "file:///team-guide.md")] } };
        await host.StartAsync(typeof(RunWorker));

        Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));

        await host.WaitForRunsAsync(r => r.Single().Status == RunStatus.Succeeded, "the run to finish");
        await HostingTestHost.WaitUntilAsync(() => host.Notifications.Received.Count > 0, "the notification");
        var notification = Assert.Single(host.Notifications.Received);
        Assert.Equal(HostingNotificationKind.PageFrozen, notification.Kind);
        Assert.Contains("team-guide", notification.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Failing_IsRecordedAndNotifiedAndTheWorkerGoesOn()
    {
        await using var host = await HostingTestHost.CreateAsync();
        await host.SaveJobAsync(new JobDefinition { Id = "broken", Sources = [new JobSource(HostingTestHost.RepositoryId, ["main"])], PublisherId = "no-such-publisher", FactsOnly = true });
        await host.StartAsync(typeof(RunWorker));

        var broken = Assert.Single(await host.Jobs.RunAsync("broken", "alice", cancellationToken: Token));
        await host.WaitForRunsAsync(r => r.Single().FinishedAt is not null, "the broken run to finish");
        var fine = Assert.Single(await host.Jobs.RunAsync(HostingTestHost.JobId, "alice", cancellationToken: Token));

        var runs = await host.WaitForRunsAsync(r => r.Count == 2 && r.All(x => x.FinishedAt is not null), "both runs to finish");
        var failed = runs.Single(r => r.Id == broken.Id);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("no-such-publisher", failed.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, runs.Single(r => r.Id == fine.Id).Status);
        await HostingTestHost.WaitUntilAsync(() => host.Notifications.Received.Count > 0, "the notification");
        var notification = Assert.Single(host.Notifications.Received);
        Assert.Equal(HostingNotificationKind.RunFailed, notification.Kind);
        Assert.Equal("broken", notification.JobId);
    }

    private static RunRecord Spent(string id, DateTimeOffset startedAt, long tokens, decimal cost) => new()
    {
        Id = id, JobId = HostingTestHost.JobId, RepositoryId = HostingTestHost.RepositoryId, Branch = "main", Trigger = RunTrigger.Manual, Actor = "x",
        Status = RunStatus.Succeeded, QueuedAt = startedAt, StartedAt = startedAt, FinishedAt = startedAt, InputTokens = tokens, Cost = cost,
    };
}
