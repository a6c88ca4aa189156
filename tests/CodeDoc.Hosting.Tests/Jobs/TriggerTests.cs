using CodeDoc.Hosting.Tests.Fakes;
using CodeDoc.Hosting.Triggers;
using Microsoft.Extensions.Time.Testing;

namespace CodeDoc.Hosting.Tests.Jobs;

/// <summary>The cron scheduler and the poll backstop, driven by a fake clock.</summary>
public sealed class TriggerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Schedule_Occurrence_QueuesARunPerFollowedBranchInTheJobsTimeZone()
    {
        // 10:00 in Berlin is 09:00 UTC in March; a schedule read in UTC would not fire before 10:00 UTC.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 59, 30, TimeSpan.Zero));
        await using var host = await HostingTestHost.CreateAsync(
            time,
            job: j => j with { Sources = [new JobSource(HostingTestHost.RepositoryId, ["main", "dev"])], Triggers = new JobTriggers { Schedule = "0 10 * * *", TimeZone = "Europe/Berlin" } },
            branches: "dev");
        await host.SaveJobAsync(new JobDefinition
        {
            Id = "bad", Sources = [new JobSource(HostingTestHost.RepositoryId, ["main"])], PublisherId = HostingTestHost.PublisherId, Triggers = new JobTriggers { Schedule = "every morning" },
        });
        await host.StartAsync(typeof(ScheduleTrigger));
        await HostingTestHost.WaitUntilAsync(() => host.Stores.JobListReads > 0, "the scheduler to read the jobs");

        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(50, Token);
        }

        var runs = await host.WaitForRunsAsync(r => r.Count == 2, "a scheduled run per branch");
        Assert.All(runs, r => Assert.Equal(RunTrigger.Schedule, r.Trigger));
        Assert.Equal(["dev", "main"], runs.Select(r => r.Branch).Order(StringComparer.Ordinal));
        Assert.All(runs, r => Assert.Equal(HostingTestHost.JobId, r.JobId));
        Assert.All(runs, r => Assert.InRange(r.QueuedAt, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 9, 5, 0, TimeSpan.Zero)));
        var invalid = Assert.Single(host.Logs.Entries, e => e.Contains("[4008]", StringComparison.Ordinal));
        Assert.Contains("JobId=bad", invalid, StringComparison.Ordinal);
        Assert.Contains("'every morning'", invalid, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidCronZoneOrPollInterval_SaysWhatToFix()
    {
        var job = new JobDefinition
        {
            Id = "j", Sources = [new JobSource("r", ["main"])], PublisherId = "p",
            Triggers = new JobTriggers { Schedule = "61 * * * *", PollInterval = TimeSpan.FromSeconds(5) },
        };

        var problems = JobTriggerRules.Validate(job, TimeSpan.FromMinutes(1));
        var zone = JobTriggerRules.Validate(job with { Triggers = new JobTriggers { Schedule = "0 3 * * *", TimeZone = "Mars/Olympus_Mons" } }, TimeSpan.FromMinutes(1));
        var valid = JobTriggerRules.Validate(job with { Triggers = new JobTriggers { Schedule = "0 3 * * 1-5", TimeZone = "Europe/Berlin", PollInterval = TimeSpan.FromMinutes(5) } }, TimeSpan.FromMinutes(1));

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("'61 * * * *'", StringComparison.Ordinal) && p.Contains("five fields", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("MinimumPollInterval", StringComparison.Ordinal));
        Assert.Contains("Mars/Olympus_Mons", Assert.Single(zone), StringComparison.Ordinal);
        Assert.Empty(valid);
    }

    [Fact]
    public async Task Poll_NewHead_QueuesOnePollRunAndNoneOnceDocumented()
    {
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        await using var host = await HostingTestHost.CreateAsync(time, job: j => j with { Triggers = new JobTriggers { OnPush = false, PollInterval = TimeSpan.FromMinutes(1) } });
        await host.SaveJobAsync(new JobDefinition
        {
            Id = "too-eager", Sources = [new JobSource(HostingTestHost.RepositoryId, ["main"])], PublisherId = HostingTestHost.PublisherId, Triggers = new JobTriggers { PollInterval = TimeSpan.FromSeconds(5) },
        });
        var first = host.Git.Head();
        await host.StartAsync(typeof(PollTrigger));

        // Never documented: the head is new.
        var polled = Assert.Single(await host.WaitForRunsAsync(r => r.Count == 1, "a poll run for the undocumented head"));
        Assert.Equal(RunTrigger.Poll, polled.Trigger);
        Assert.Equal(HostingTestHost.JobId, polled.JobId);
        Assert.Equal(first, polled.RequestedSha);
        Assert.Equal(start - TimeSpan.FromDays(7), Assert.Single(host.Stores.Prunes));
        Assert.Contains(host.Logs.Entries, e => e.Contains("[4012]", StringComparison.Ordinal) && e.Contains("too-eager", StringComparison.Ordinal));

        // While that run waits, another poll of the same head queues nothing; once documented, neither does the next poll.
        await PollOnceMoreAsync(host, time);
        Assert.Single(host.Stores.Runs);
        await host.Stores.SaveAsync(polled with { Status = RunStatus.Succeeded, CommitSha = first, StartedAt = time.GetUtcNow(), FinishedAt = time.GetUtcNow() }, Token);
        await PollOnceMoreAsync(host, time);
        Assert.Single(host.Stores.Runs);

        host.Git.Write("src/Calc/Sub.cs", "namespace Calc;\n\npublic static class Sub\n{\n    public static int Run(int a, int b) => a - b;\n}\n");
        var second = host.Git.Commit("sub");
        await AdvanceUntilAsync(time, () => host.Stores.Runs.Count == 2, "a poll run for the new head");

        var runs = host.Stores.Runs;
        Assert.Equal(second, runs.Single(r => r.Status == RunStatus.Queued).RequestedSha);
    }

    [Fact]
    public async Task Poll_HeadWhoseRunFailed_IsNotQueuedAgainEachInterval()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = await HostingTestHost.CreateAsync(time, job: j => j with { Triggers = new JobTriggers { PollInterval = TimeSpan.FromMinutes(1) } });
        var failed = new RunRecord
        {
            Id = "failed", JobId = HostingTestHost.JobId, RepositoryId = HostingTestHost.RepositoryId, Branch = "main", Trigger = RunTrigger.Poll, Actor = "system",
            Status = RunStatus.Failed, QueuedAt = time.GetUtcNow().AddMinutes(-5), RequestedSha = host.Git.Head(), Error = "boom",
        };
        await host.Stores.SaveAsync(failed, Token);
        await host.StartAsync(typeof(PollTrigger));
        await HostingTestHost.WaitUntilAsync(() => host.Stores.DocumentedShaReads > 0, "the first poll");

        await PollOnceMoreAsync(host, time);

        Assert.Equal("failed", Assert.Single(host.Stores.Runs).Id);
    }

    private static async Task PollOnceMoreAsync(HostingTestHost host, FakeTimeProvider time)
    {
        // Polls run one after another, so the poll after the next one starts only when the next one has finished.
        var reads = host.Stores.DocumentedShaReads;
        await AdvanceUntilAsync(time, () => host.Stores.DocumentedShaReads > reads, "the next poll");
        reads = host.Stores.DocumentedShaReads;
        await AdvanceUntilAsync(time, () => host.Stores.DocumentedShaReads > reads, "the poll after it");
    }

    /// <summary>Moves the clock a minute at a time until a condition holds (a timer set after an advance needs the next one).</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, string what)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(100, Token);
        }

        Assert.True(condition(), "Timed out waiting for: " + what);
    }
}
