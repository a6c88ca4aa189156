using System.Text.Json;
using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CodeDoc.Testing;

/// <summary>
/// The contract every implementation of the host's stores keeps (SQLite today, PostgreSQL later). Derive a test class
/// in the store's test project and register the store on a fresh, empty database with a working key source; the facts
/// check round trips, secrets hidden from lists, repository URL matching, atomic delivery de-duplication, run queries,
/// spending sums, the last documented commit, the audit chain and CSV export, clear history and purge.
/// </summary>
/// <remarks>xunit creates a new instance of the derived class for every test, so each test gets its own database.</remarks>
public abstract class HostingStoreConformanceTests : IAsyncLifetime
{
    /// <summary>A fixed point in time the facts build their timestamps from.</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private ServiceProvider? _services;

    /// <summary>Gets the cancellation token of the running test.</summary>
    protected static CancellationToken TestCancellationToken => TestContext.Current.CancellationToken;

    /// <summary>Gets the services the store was registered in.</summary>
    protected IServiceProvider Services => _services ?? throw new InvalidOperationException("The test has not been initialized.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        await InitializeStoreAsync().ConfigureAwait(false);
        var services = new ServiceCollection();
        services.AddLogging();
        AddStore(services);
        _services = services.BuildServiceProvider();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync().ConfigureAwait(false);
        }

        await DisposeStoreAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Checks that every store interface resolves to a sealed, non-public implementation, and the audit log is the engine's audit sink.</summary>
    [Fact]
    public void Registrations_ResolveSealedNonPublicImplementations()
    {
        object[] stores =
        [
            Get<IProviderConfigurationStore>(), Get<IRepositoryStore>(), Get<IJobStore>(), Get<IRunHistoryStore>(), Get<IManifestCache>(),
            Get<IWebhookDeliveryStore>(), Get<ISettingsStore>(), Get<IAuditLog>(), Get<IHostingDataAdministration>(), Get<ISecretRotation>(),
        ];

        Assert.All(stores, store => Assert.True(store.GetType().IsSealed && !store.GetType().IsPublic && !store.GetType().IsNestedPublic, $"{store.GetType().FullName} should be sealed and not public."));
        Assert.Same(Get<IAuditLog>(), Get<IAuditSink>());
    }

    /// <summary>Checks that null arguments are rejected before anything is stored.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Methods_NullArguments_Throw()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<IProviderConfigurationStore>().SaveAsync(null!, TestCancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<IRepositoryStore>().FindByUrlAsync(null!, TestCancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<IJobStore>().GetAsync(null!, TestCancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<IRunHistoryStore>().ListAsync(null!, TestCancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<IManifestCache>().SaveAsync("p", null!, TestCancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<IWebhookDeliveryStore>().TryRecordAsync("github", null!, T0, TestCancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<IWebhookDeliveryStore>().TryRecordAllAsync("github", null!, T0, TestCancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<ISettingsStore>().SetAsync(null!, "v", TestCancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<IAuditLog>().WriteAsync(null!, TestCancellationToken).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<IAuditLog>().ExportCsvAsync(null!, TestCancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<IHostingDataAdministration>().ClearHistoryAsync(null!, TestCancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Get<ISecretRotation>().ReencryptAsync(null!, TestCancellationToken));
    }

    /// <summary>Checks that a token cancelled before the call stops reads and writes, and nothing is stored.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Methods_PreCancelledToken_ThrowOperationCanceledAndStoreNothing()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Get<IJobStore>().SaveAsync(new JobDefinition { Id = "j", Sources = [], PublisherId = "markdown" }, cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Get<IWebhookDeliveryStore>().TryRecordAsync("github", "d", T0, cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Get<IWebhookDeliveryStore>().TryRecordAllAsync("github", ["d"], T0, cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Get<IRunHistoryStore>().ListAsync(new RunQuery(), cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Get<IAuditLog>().WriteAsync(new AuditEvent(T0, "a", "b", "c"), cancellation.Token).AsTask());
        Assert.Empty(await Get<IJobStore>().ListAsync(TestCancellationToken));
        Assert.True(await Get<IWebhookDeliveryStore>().TryRecordAsync("github", "d", T0, TestCancellationToken));
        Assert.Equal(new AuditVerification(true, 0, null), await Get<IAuditLog>().VerifyAsync(TestCancellationToken));
    }

    /// <summary>Checks that a configuration comes back whole, secrets decrypted.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task ProviderConfigurations_SaveThenGet_RoundTripsSettingsAndSecrets()
    {
        var store = Get<IProviderConfigurationStore>();
        var saved = Provider("gh-oss", "token-value-1");

        await store.SaveAsync(saved, TestCancellationToken);
        var read = await store.GetAsync("gh-oss", TestCancellationToken);

        Assert.NotNull(read);
        Assert.Equal((saved.Id, saved.Category, saved.Kind, saved.DisplayName), (read.Id, read.Category, read.Kind, read.DisplayName));
        Assert.Equal(saved.Settings.OrderBy(s => s.Key), read.Settings.OrderBy(s => s.Key));
        Assert.Equal(saved.Secrets.OrderBy(s => s.Key), read.Secrets.OrderBy(s => s.Key));
        Assert.Null(await store.GetAsync("missing", TestCancellationToken));
    }

    /// <summary>Checks that listing shows secret names with empty values, never a secret.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task ProviderConfigurations_List_NamesSecretsWithoutValues()
    {
        var store = Get<IProviderConfigurationStore>();
        await store.SaveAsync(Provider("b-model", "secret-b"), TestCancellationToken);
        await store.SaveAsync(Provider("a-git", "secret-a"), TestCancellationToken);

        var list = await store.ListAsync(TestCancellationToken);

        Assert.Equal(["a-git", "b-model"], list.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.All(list, c => Assert.Equal(["Token"], c.Secrets.Keys));
        Assert.All(list, c => Assert.Equal(string.Empty, c.Secrets["Token"]));
        Assert.All(list, c => Assert.Equal("https://git.example", c.Settings["BaseAddress"]));
    }

    /// <summary>Checks that saving an id again replaces it, and that delete says whether it existed.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task ProviderConfigurations_SaveAgainThenDelete_ReplacesThenRemoves()
    {
        var store = Get<IProviderConfigurationStore>();
        await store.SaveAsync(Provider("gh", "old-token"), TestCancellationToken);
        await store.SaveAsync(Provider("gh", "new-token") with { Secrets = new Dictionary<string, string>() }, TestCancellationToken);

        var replaced = await store.GetAsync("gh", TestCancellationToken);

        Assert.NotNull(replaced);
        Assert.Empty(replaced.Secrets);
        Assert.True(await store.DeleteAsync("gh", TestCancellationToken));
        Assert.False(await store.DeleteAsync("gh", TestCancellationToken));
        Assert.Null(await store.GetAsync("gh", TestCancellationToken));
    }

    /// <summary>Checks that a repository comes back whole with its webhook secret, and lists without it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Repositories_SaveGetList_RoundTripsAndListHidesSecret()
    {
        var store = Get<IRepositoryStore>();
        var saved = Repository("api", "https://github.com/acme/api", "hook-secret-1");

        await store.SaveAsync(saved, TestCancellationToken);
        await store.SaveAsync(Repository("web", "https://github.com/acme/web", secret: null), TestCancellationToken);

        Assert.Equal(saved, await store.GetAsync("api", TestCancellationToken));
        var list = await store.ListAsync(TestCancellationToken);
        Assert.Equal(["api", "web"], list.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(list, r => Assert.Null(r.WebhookSecret));
        Assert.True(await store.DeleteAsync("web", TestCancellationToken));
        Assert.False(await store.DeleteAsync("web", TestCancellationToken));
        Assert.Null(await store.GetAsync("web", TestCancellationToken));
    }

    /// <summary>Checks that a webhook's URL finds the repository whatever its scheme, case, user info, trailing slash or <c>.git</c>.</summary>
    /// <param name="url">The URL a payload names.</param>
    /// <returns>A task.</returns>
    [Theory]
    [InlineData("https://github.com/acme/api")]
    [InlineData("http://github.com/acme/api")]
    [InlineData("https://GitHub.com/Acme/API")]
    [InlineData("https://github.com/acme/api/")]
    [InlineData("https://github.com/acme/api.git")]
    [InlineData("https://bot@github.com/acme/api.git/")]
    [InlineData("https://user:pass@github.com/acme/api")]
    public async Task Repositories_FindByUrl_IgnoresSchemeCaseUserInfoSlashAndGitSuffix(string url)
    {
        var store = Get<IRepositoryStore>();
        await store.SaveAsync(Repository("api", "https://github.com/acme/api.git", "hook-secret-2"), TestCancellationToken);
        await store.SaveAsync(Repository("api-fork", "https://github.com/acme/api-fork", secret: null), TestCancellationToken);

        var found = await store.FindByUrlAsync(url, TestCancellationToken);

        var match = Assert.Single(found);
        Assert.Equal("api", match.Id);
        Assert.Equal("hook-secret-2", match.WebhookSecret);
    }

    /// <summary>Checks that another repository's URL finds nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Repositories_FindByUrl_OtherRepository_FindsNothing()
    {
        var store = Get<IRepositoryStore>();
        await store.SaveAsync(Repository("api", "https://github.com/acme/api", secret: null), TestCancellationToken);

        Assert.Empty(await store.FindByUrlAsync("https://github.com/acme/api2", TestCancellationToken));
        Assert.Empty(await store.FindByUrlAsync("https://gitlab.com/acme/api", TestCancellationToken));
    }

    /// <summary>Checks that a job comes back with every field, and that list and delete work.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Jobs_SaveGetListDelete_RoundTripEveryField()
    {
        var store = Get<IJobStore>();
        var job = new JobDefinition
        {
            Id = "api-docs",
            Sources = [new JobSource("api", ["main", "release/2.0"]), new JobSource("web", ["main"])],
            Preset = "wiki",
            AiProviderId = "anthropic",
            PublisherId = "confluence",
            FactsOnly = true,
            Triggers = new JobTriggers { OnPush = false, Schedule = "0 3 * * 1", TimeZone = "Europe/Paris", PollInterval = TimeSpan.FromMinutes(15) },
            Limits = new JobLimits { DailyTokens = 100_000, MonthlyTokens = 2_000_000, DailyCost = 1.25m, MonthlyCost = 30.5m, ApprovalAboveCost = 0.75m },
            Enabled = false,
        };

        await store.SaveAsync(job, TestCancellationToken);
        await store.SaveAsync(new JobDefinition { Id = "web-docs", Sources = [new JobSource("web", ["main"])], PublisherId = "markdown" }, TestCancellationToken);

        Assert.Equal(Json(job), Json(await store.GetAsync("api-docs", TestCancellationToken)));
        Assert.Equal(["api-docs", "web-docs"], (await store.ListAsync(TestCancellationToken)).Select(j => j.Id).Order(StringComparer.Ordinal));
        Assert.True(await store.DeleteAsync("api-docs", TestCancellationToken));
        Assert.False(await store.DeleteAsync("api-docs", TestCancellationToken));
        Assert.Null(await store.GetAsync("api-docs", TestCancellationToken));
    }

    /// <summary>Checks that a run comes back with every field, and that saving it again updates it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Runs_SaveGetAndUpdate_RoundTripEveryField()
    {
        var store = Get<IRunHistoryStore>();
        var run = Run("r1", "api-docs", RunStatus.Running, T0.AddTicks(1234567)) with
        {
            Trigger = RunTrigger.Recovery,
            Actor = "alice",
            StartedAt = new DateTimeOffset(2026, 3, 1, 14, 0, 0, TimeSpan.FromHours(2)),
            RequestedSha = "abc123",
            ForecastCost = 0.123456789m,
            RecoveryOf = "r0",
        };
        await store.SaveAsync(run, TestCancellationToken);
        var finished = run with
        {
            Status = RunStatus.Failed,
            FinishedAt = T0.AddMinutes(5),
            CommitSha = "def456",
            InputTokens = 1200,
            OutputTokens = 340,
            Cost = 0.0421m,
            PageLinks = ["https://wiki.example/p/1", "https://wiki.example/p/2"],
            Error = "The model refused: quota exceeded.",
        };

        await store.SaveAsync(finished, TestCancellationToken);
        var read = await store.GetAsync("r1", TestCancellationToken);

        Assert.NotNull(read);
        Assert.Equal(finished with { PageLinks = [] }, read with { PageLinks = [] });
        Assert.Equal(finished.PageLinks, read.PageLinks);
        Assert.Null(await store.GetAsync("missing", TestCancellationToken));
    }

    /// <summary>Checks that listing filters by job, status and queue time, newest first, up to the limit.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Runs_List_FiltersNewestFirstWithinLimit()
    {
        var store = Get<IRunHistoryStore>();
        await store.SaveAsync(Run("a1", "a", RunStatus.Succeeded, T0), TestCancellationToken);
        await store.SaveAsync(Run("a2", "a", RunStatus.Failed, T0.AddHours(1)), TestCancellationToken);
        await store.SaveAsync(Run("a3", "a", RunStatus.Succeeded, T0.AddHours(2)), TestCancellationToken);
        await store.SaveAsync(Run("b1", "b", RunStatus.Queued, T0.AddHours(3)), TestCancellationToken);

        Assert.Equal(["b1", "a3", "a2", "a1"], Ids(await store.ListAsync(new RunQuery(), TestCancellationToken)));
        Assert.Equal(["a3", "a2", "a1"], Ids(await store.ListAsync(new RunQuery { JobId = "a" }, TestCancellationToken)));
        Assert.Equal(["a3", "a1"], Ids(await store.ListAsync(new RunQuery { JobId = "a", Statuses = [RunStatus.Succeeded] }, TestCancellationToken)));
        Assert.Equal(["b1", "a2"], Ids(await store.ListAsync(new RunQuery { Statuses = [RunStatus.Failed, RunStatus.Queued] }, TestCancellationToken)));
        Assert.Equal(["b1", "a3"], Ids(await store.ListAsync(new RunQuery { Since = T0.AddHours(2) }, TestCancellationToken)));
        Assert.Equal(["b1", "a3"], Ids(await store.ListAsync(new RunQuery { Limit = 2 }, TestCancellationToken)));
    }

    /// <summary>Checks that the last documented commit is the latest succeeded run's, for that job, repository and branch only.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Runs_GetLastDocumentedSha_IsLatestSucceededRunOfThatBranch()
    {
        var store = Get<IRunHistoryStore>();
        Assert.Null(await store.GetLastDocumentedShaAsync("job", "api", "main", TestCancellationToken));

        await store.SaveAsync(Finished("s1", "job", "api", "main", RunStatus.Succeeded, T0, "sha-old"), TestCancellationToken);
        await store.SaveAsync(Finished("s2", "job", "api", "main", RunStatus.Succeeded, T0.AddHours(1), "sha-new"), TestCancellationToken);
        await store.SaveAsync(Finished("f1", "job", "api", "main", RunStatus.Failed, T0.AddHours(2), "sha-failed"), TestCancellationToken);
        await store.SaveAsync(Finished("o1", "job", "api", "develop", RunStatus.Succeeded, T0.AddHours(3), "sha-develop"), TestCancellationToken);
        await store.SaveAsync(Finished("o2", "other", "api", "main", RunStatus.Succeeded, T0.AddHours(3), "sha-other-job"), TestCancellationToken);
        await store.SaveAsync(Finished("o3", "job", "web", "main", RunStatus.Succeeded, T0.AddHours(3), "sha-other-repo"), TestCancellationToken);

        Assert.Equal("sha-new", await store.GetLastDocumentedShaAsync("job", "api", "main", TestCancellationToken));
        Assert.Equal("sha-develop", await store.GetLastDocumentedShaAsync("job", "api", "develop", TestCancellationToken));
        Assert.Null(await store.GetLastDocumentedShaAsync("job", "api", "feature", TestCancellationToken));
    }

    /// <summary>Checks that spending sums the job's tokens and cost over runs started in the window, exactly.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Runs_GetSpending_SumsTheJobsRunsStartedInTheWindow()
    {
        var store = Get<IRunHistoryStore>();
        await store.SaveAsync(Spent("before", "job", T0.AddDays(-1), 1000, 500, 9m), TestCancellationToken);
        await store.SaveAsync(Spent("at-start", "job", T0, 100, 20, 0.1m), TestCancellationToken);
        await store.SaveAsync(Spent("later", "job", T0.AddHours(5), 200, 30, 0.2m), TestCancellationToken);
        await store.SaveAsync(Spent("unpriced", "job", T0.AddHours(6), 7, 3, null), TestCancellationToken);
        await store.SaveAsync(Spent("other-job", "other", T0.AddHours(1), 5000, 5000, 50m), TestCancellationToken);

        var (tokens, cost) = await store.GetSpendingAsync("job", T0, TestCancellationToken);

        Assert.Equal(360, tokens);
        Assert.Equal(0.3m, cost);
        Assert.Equal((0L, 0m), await store.GetSpendingAsync("job", T0.AddDays(1), TestCancellationToken));
    }

    /// <summary>Checks that a manifest comes back whole, per publisher and set.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Manifests_SaveThenGet_RoundTripPerPublisherAndSet()
    {
        var cache = Get<IManifestCache>();
        var manifest = new PublishManifest
        {
            DocumentSetId = "acme-api-main",
            SourceCommit = "abc",
            GeneratorVersion = "1.2.3",
            PublishedAt = T0,
            Pages =
            [
                new PublishedPage { Key = "index", Title = "API", TargetId = "100", ContentHash = "h1", Version = 3, SourceFiles = ["src/a.cs"], Attachments = ["d.svg"] },
                new PublishedPage { Key = "auth", Title = "Auth", ParentKey = "index", TargetId = "101", ContentHash = "h2" },
            ],
            Properties = new Dictionary<string, string> { ["branch"] = "main" },
        };

        await cache.SaveAsync("confluence", manifest, TestCancellationToken);

        Assert.Equal(Json(manifest), Json(await cache.GetAsync("confluence", "acme-api-main", TestCancellationToken)));
        Assert.Null(await cache.GetAsync("markdown", "acme-api-main", TestCancellationToken));
        Assert.Null(await cache.GetAsync("confluence", "other-set", TestCancellationToken));
    }

    /// <summary>Checks that a delivery id is new once per host kind, and new again after it was pruned.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task WebhookDeliveries_TryRecordAndPrune_DeduplicatePerHostKind()
    {
        var store = Get<IWebhookDeliveryStore>();

        Assert.True(await store.TryRecordAsync("github", "d-1", T0, TestCancellationToken));
        Assert.False(await store.TryRecordAsync("github", "d-1", T0.AddMinutes(1), TestCancellationToken));
        Assert.True(await store.TryRecordAsync("gitlab", "d-1", T0, TestCancellationToken));
        Assert.True(await store.TryRecordAsync("github", "d-2", T0.AddDays(2), TestCancellationToken));

        Assert.Equal(2, await store.PruneAsync(T0.AddDays(1), TestCancellationToken));
        Assert.True(await store.TryRecordAsync("github", "d-1", T0.AddDays(3), TestCancellationToken));
        Assert.False(await store.TryRecordAsync("github", "d-2", T0.AddDays(3), TestCancellationToken));
    }

    /// <summary>Checks that many concurrent records of one delivery id let exactly one through.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task WebhookDeliveries_ConcurrentSameId_ExactlyOneIsNew()
    {
        var store = Get<IWebhookDeliveryStore>();
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 32).Select(_ => Task.Run(
            async () =>
            {
                start.Wait(TestCancellationToken);
                return await store.TryRecordAsync("github", "race", T0, TestCancellationToken).ConfigureAwait(false);
            },
            TestCancellationToken)).ToList();

        start.Set();
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(r => r));
    }

    /// <summary>Checks that a delivery's keys are recorded in order, up to the first key already recorded, and new again after a prune.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task WebhookDeliveries_TryRecordAll_NewOnlyWhenEveryKeyIsNew()
    {
        var store = Get<IWebhookDeliveryStore>();

        Assert.True(await store.TryRecordAllAsync("github", ["id-1", "body-1"], T0, TestCancellationToken));
        Assert.False(await store.TryRecordAllAsync("github", ["id-1", "body-2"], T0, TestCancellationToken));
        Assert.False(await store.TryRecordAllAsync("github", ["id-2", "body-1"], T0, TestCancellationToken));

        // The id of a delivery stopped at its body stays recorded; the body after a known id does not.
        Assert.False(await store.TryRecordAsync("github", "id-2", T0, TestCancellationToken));
        Assert.True(await store.TryRecordAsync("github", "body-2", T0, TestCancellationToken));
        Assert.True(await store.TryRecordAllAsync("gitlab", ["id-1", "body-1"], T0, TestCancellationToken));

        Assert.Equal(6, await store.PruneAsync(T0.AddDays(1), TestCancellationToken));
        Assert.True(await store.TryRecordAllAsync("github", ["id-1", "body-1"], T0.AddDays(2), TestCancellationToken));
    }

    /// <summary>Checks that many concurrent deliveries with one id, each with its own body, let exactly one through.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task WebhookDeliveries_ConcurrentTryRecordAllSameId_ExactlyOneIsNew()
    {
        var store = Get<IWebhookDeliveryStore>();
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 64).Select(i => Task.Run(
            async () =>
            {
                start.Wait(TestCancellationToken);
                return await store.TryRecordAllAsync("github", ["race", "body-" + i], T0, TestCancellationToken).ConfigureAwait(false);
            },
            TestCancellationToken)).ToList();

        start.Set();
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(r => r));
    }

    /// <summary>Checks that settings are set, replaced and removed.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Settings_SetReplaceRemove_RoundTrip()
    {
        var store = Get<ISettingsStore>();
        Assert.Null(await store.GetAsync("status-api-key-hash", TestCancellationToken));

        await store.SetAsync("status-api-key-hash", "h1", TestCancellationToken);
        await store.SetAsync("status-api-key-hash", "h2", TestCancellationToken);
        Assert.Equal("h2", await store.GetAsync("status-api-key-hash", TestCancellationToken));

        await store.SetAsync("status-api-key-hash", null, TestCancellationToken);
        Assert.Null(await store.GetAsync("status-api-key-hash", TestCancellationToken));
    }

    /// <summary>Checks that audit rows chain in order, through the log and through the engine's audit sink.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task AuditLog_Write_ChainsRowsInOrderAndVerifies()
    {
        var log = Get<IAuditLog>();
        await log.WriteAsync(new AuditEvent(T0, "alice", "job.created", "api-docs"), TestCancellationToken);
        await Get<IAuditSink>().WriteAsync(
            new AuditEvent(T0.AddSeconds(1), "system", "run.started", "r1") { Details = new Dictionary<string, string> { ["trigger"] = "Webhook", ["branch"] = "main" } },
            TestCancellationToken);

        var rows = await ReadAllAsync(log);

        Assert.Equal([1L, 2L], rows.Select(r => r.Sequence));
        Assert.Equal(new string('0', 64), rows[0].PreviousHash);
        Assert.Equal(rows[0].Hash, rows[1].PreviousHash);
        Assert.Equal(("alice", "job.created", "api-docs", T0), (rows[0].Actor, rows[0].Action, rows[0].Target, rows[0].Timestamp));
        Assert.Equal("main", rows[1].Details["branch"]);
        Assert.Matches("^[0-9a-f]{64}$", rows[1].Hash);
        Assert.Equal(new AuditVerification(true, 2, null), await log.VerifyAsync(TestCancellationToken));
    }

    /// <summary>Checks that the CSV export has the documented header and quotes fields per RFC 4180.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task AuditLog_ExportCsv_WritesHeaderAndQuotedRows()
    {
        var log = Get<IAuditLog>();
        await log.WriteAsync(new AuditEvent(T0, "bob, \"the admin\"", "job.updated", "api\ndocs") { Details = new Dictionary<string, string> { ["n"] = "1" } }, TestCancellationToken);
        using var writer = new StringWriter();

        var count = await log.ExportCsvAsync(writer, TestCancellationToken);

        var row = Assert.Single(await ReadAllAsync(log));
        Assert.Equal(1, count);
        Assert.Equal(
            "sequence,timestamp,actor,action,target,details,previous_hash,hash\r\n" +
            $"1,2026-03-01T12:00:00.0000000Z,\"bob, \"\"the admin\"\"\",job.updated,\"api\ndocs\",\"{{\"\"n\"\":\"\"1\"\"}}\",{row.PreviousHash},{row.Hash}\r\n",
            writer.ToString());
    }

    /// <summary>Checks that clearing history deletes every run and keeps the audit log, adding a row for the clear.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task ClearHistory_DeletesRunsAndAuditsTheClear()
    {
        var runs = Get<IRunHistoryStore>();
        var log = Get<IAuditLog>();
        await runs.SaveAsync(Run("r1", "job", RunStatus.Succeeded, T0), TestCancellationToken);
        await runs.SaveAsync(Run("r2", "job", RunStatus.Failed, T0.AddHours(1)), TestCancellationToken);
        await log.WriteAsync(new AuditEvent(T0, "alice", "job.created", "job"), TestCancellationToken);

        var cleared = await Get<IHostingDataAdministration>().ClearHistoryAsync("alice", TestCancellationToken);

        Assert.Equal(2, cleared);
        Assert.Empty(await runs.ListAsync(new RunQuery(), TestCancellationToken));
        var rows = await ReadAllAsync(log);
        Assert.Equal(["job.created", "history.cleared"], rows.Select(r => r.Action));
        Assert.Equal(("alice", "2"), (rows[1].Actor, rows[1].Details["count"]));
        Assert.True((await log.VerifyAsync(TestCancellationToken)).IsIntact);
    }

    /// <summary>Checks that purge deletes every row of every store, audit log included, and that the store still works.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Purge_DeletesEverythingAndTheStoreStaysUsable()
    {
        await FillEveryStoreAsync();

        await Get<IHostingDataAdministration>().PurgeAsync(TestCancellationToken);

        Assert.Empty(await Get<IProviderConfigurationStore>().ListAsync(TestCancellationToken));
        Assert.Empty(await Get<IRepositoryStore>().ListAsync(TestCancellationToken));
        Assert.Empty(await Get<IJobStore>().ListAsync(TestCancellationToken));
        Assert.Empty(await Get<IRunHistoryStore>().ListAsync(new RunQuery(), TestCancellationToken));
        Assert.Null(await Get<IManifestCache>().GetAsync("markdown", "set", TestCancellationToken));
        Assert.Null(await Get<ISettingsStore>().GetAsync("k", TestCancellationToken));
        Assert.Empty(await ReadAllAsync(Get<IAuditLog>()));
        Assert.True(await Get<IWebhookDeliveryStore>().TryRecordAsync("github", "d-1", T0, TestCancellationToken));

        await Get<IJobStore>().SaveAsync(new JobDefinition { Id = "again", Sources = [new JobSource("api", ["main"])], PublisherId = "markdown" }, TestCancellationToken);
        await Get<IAuditLog>().WriteAsync(new AuditEvent(T0, "alice", "job.created", "again"), TestCancellationToken);
        Assert.NotNull(await Get<IJobStore>().GetAsync("again", TestCancellationToken));
        Assert.Equal(new AuditVerification(true, 1, null), await Get<IAuditLog>().VerifyAsync(TestCancellationToken));
    }

    /// <summary>Checks that re-encryption with nothing under an older key changes nothing, keeps secrets readable and is audited.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Reencrypt_AllUnderCurrentKey_ReencryptsNothingAndAudits()
    {
        await Get<IProviderConfigurationStore>().SaveAsync(Provider("gh", "token-r"), TestCancellationToken);

        var count = await Get<ISecretRotation>().ReencryptAsync("alice", TestCancellationToken);

        Assert.Equal(0, count);
        Assert.Equal("token-r", (await Get<IProviderConfigurationStore>().GetAsync("gh", TestCancellationToken))!.Secrets["Token"]);
        var row = Assert.Single(await ReadAllAsync(Get<IAuditLog>()));
        Assert.Equal(("secrets.reencrypted", "0"), (row.Action, row.Details["count"]));
    }

    /// <summary>Registers the store under test (usually <c>services.AddCodeDoc().AddHosting(...)</c>) on a fresh, empty database with a working key source.</summary>
    /// <param name="services">The services.</param>
    protected abstract void AddStore(IServiceCollection services);

    /// <summary>Prepares the database before <see cref="AddStore"/> (e.g. a temporary folder).</summary>
    /// <returns>A task.</returns>
    protected virtual ValueTask InitializeStoreAsync() => ValueTask.CompletedTask;

    /// <summary>Removes the database after the test.</summary>
    /// <returns>A task.</returns>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    /// <summary>Gets a store service.</summary>
    /// <typeparam name="T">The service.</typeparam>
    /// <returns>The service.</returns>
    protected T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Writes a row to every store: a configuration, a repository, a job, a run, a manifest, a delivery, a setting, an audit row.</summary>
    /// <returns>A task.</returns>
    protected async Task FillEveryStoreAsync()
    {
        await Get<IProviderConfigurationStore>().SaveAsync(Provider("gh", "token-fill"), TestCancellationToken).ConfigureAwait(false);
        await Get<IRepositoryStore>().SaveAsync(Repository("api", "https://github.com/acme/api", "hook-fill"), TestCancellationToken).ConfigureAwait(false);
        await Get<IJobStore>().SaveAsync(new JobDefinition { Id = "fill-job", Sources = [new JobSource("api", ["main"])], PublisherId = "markdown" }, TestCancellationToken).ConfigureAwait(false);
        await Get<IRunHistoryStore>().SaveAsync(Run("fill-run", "fill-job", RunStatus.Succeeded, T0), TestCancellationToken).ConfigureAwait(false);
        await Get<IManifestCache>().SaveAsync(
            "markdown",
            new PublishManifest { DocumentSetId = "set", Pages = [new PublishedPage { Key = "index", Title = "Index", TargetId = "index.md", ContentHash = "h" }] },
            TestCancellationToken).ConfigureAwait(false);
        await Get<IWebhookDeliveryStore>().TryRecordAsync("github", "d-1", T0, TestCancellationToken).ConfigureAwait(false);
        await Get<ISettingsStore>().SetAsync("k", "v", TestCancellationToken).ConfigureAwait(false);
        await Get<IAuditLog>().WriteAsync(new AuditEvent(T0, "alice", "job.created", "fill-job"), TestCancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds a Git provider configuration with one plain setting and one secret.</summary>
    /// <param name="id">The id.</param>
    /// <param name="token">The secret <c>Token</c>.</param>
    /// <returns>The configuration.</returns>
    protected static ProviderConfiguration Provider(string id, string token) => new()
    {
        Id = id,
        Category = ProviderCategory.Git,
        Kind = "github",
        DisplayName = "GitHub " + id,
        Settings = new Dictionary<string, string?> { ["BaseAddress"] = "https://git.example", ["Owner"] = null },
        Secrets = new Dictionary<string, string> { ["Token"] = token },
    };

    /// <summary>Builds a repository.</summary>
    /// <param name="id">The id.</param>
    /// <param name="url">The URL.</param>
    /// <param name="secret">The webhook secret.</param>
    /// <returns>The repository.</returns>
    protected static WatchedRepository Repository(string id, string url, string? secret) => new()
    {
        Id = id,
        Url = url,
        GitProviderId = "gh",
        WebhookHostKind = secret is null ? null : "github",
        WebhookSecret = secret,
    };

    /// <summary>Builds a run queued at a time.</summary>
    /// <param name="id">The id.</param>
    /// <param name="jobId">The job.</param>
    /// <param name="status">The status.</param>
    /// <param name="queuedAt">When it was queued.</param>
    /// <returns>The run.</returns>
    protected static RunRecord Run(string id, string jobId, RunStatus status, DateTimeOffset queuedAt) => new()
    {
        Id = id,
        JobId = jobId,
        RepositoryId = "api",
        Branch = "main",
        Trigger = RunTrigger.Manual,
        Actor = "system",
        Status = status,
        QueuedAt = queuedAt,
    };

    private static RunRecord Finished(string id, string jobId, string repositoryId, string branch, RunStatus status, DateTimeOffset finishedAt, string sha) =>
        Run(id, jobId, status, finishedAt.AddMinutes(-10)) with
        {
            RepositoryId = repositoryId,
            Branch = branch,
            StartedAt = finishedAt.AddMinutes(-5),
            FinishedAt = finishedAt,
            CommitSha = sha,
        };

    private static RunRecord Spent(string id, string jobId, DateTimeOffset startedAt, long input, long output, decimal? cost) =>
        Run(id, jobId, RunStatus.Succeeded, startedAt.AddMinutes(-1)) with { StartedAt = startedAt, InputTokens = input, OutputTokens = output, Cost = cost };

    private static List<string> Ids(IReadOnlyList<RunRecord> runs) => [.. runs.Select(r => r.Id)];

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private static async Task<List<AuditEntry>> ReadAllAsync(IAuditLog log)
    {
        var rows = new List<AuditEntry>();
        await foreach (var row in log.ReadAsync(TestCancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }
}
