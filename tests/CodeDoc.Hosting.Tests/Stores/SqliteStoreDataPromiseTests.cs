using System.Text;
using CodeDoc.Core;
using CodeDoc.FakeServers.Git;
using CodeDoc.Hosting.Stores.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Tests.Stores;

/// <summary>What DESIGN §5 promises about the data on disk, checked on the raw bytes of a real SQLite file.</summary>
public sealed class SqliteStoreDataPromiseTests : IAsyncDisposable
{
    private const string ProviderCanary = "canary-provider-token-5c1e8a";
    private const string WebhookCanary = "canary-webhook-secret-93fd27";
    private const string JobCanary = "distinctive-job-id-7b2e41";

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly StoreTestHost _host = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task SaveAsync_CanarySecrets_NeverInTheDatabaseOrWalBytes()
    {
        var logs = new CapturedLogs();
        var services = _host.Build(logs: logs);
        await SaveCanariesAsync(services);

        var bytes = _host.ReadFileBytes();

        Assert.True(bytes.Length > 0);
        Assert.True(Contains(bytes, JobCanary), "The job id should be in the file: otherwise this test reads the wrong bytes.");
        Assert.False(Contains(bytes, ProviderCanary), "The provider token is stored in plain text.");
        Assert.False(Contains(bytes, WebhookCanary), "The webhook secret is stored in plain text.");
        Assert.Equal(ProviderCanary, (await services.GetRequiredService<IProviderConfigurationStore>().GetAsync("gh", Token))!.Secrets["Token"]);
        Assert.Equal(WebhookCanary, (await services.GetRequiredService<IRepositoryStore>().GetAsync("api", Token))!.WebhookSecret);
        Assert.DoesNotContain(ProviderCanary, logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookCanary, logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PurgeAsync_AfterEveryKindOfRow_LeavesNoRowAndNoRemnantInTheFile()
    {
        var logs = new CapturedLogs();
        var services = _host.Build(logs: logs);
        await SaveCanariesAsync(services);
        await services.GetRequiredService<IAuditLog>().WriteAsync(new AuditEvent(T0, "alice", "job.created", JobCanary), Token);
        Assert.True(Contains(_host.ReadFileBytes(), JobCanary));

        await services.GetRequiredService<IHostingDataAdministration>().PurgeAsync(Token);

        var bytes = _host.ReadFileBytes();
        Assert.False(Contains(bytes, JobCanary), "A purged job id survives in the file.");
        Assert.False(Contains(bytes, "https://github.com/acme/api"), "A purged repository URL survives in the file.");
        Assert.False(Contains(bytes, ProviderCanary));
        Assert.False(Contains(bytes, WebhookCanary));
        foreach (var table in SqliteMigrations.DataTables)
        {
            Assert.Equal(0L, RawScalar($"SELECT COUNT(*) FROM {table}"));
        }

        Assert.Equal((long)SqliteMigrations.CurrentVersion, RawScalar("SELECT MAX(version) FROM schema_version"));
        Assert.DoesNotContain(JobCanary, logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClearHistoryAsync_DeletesRunRowsAndKeepsAnIntactAuditLog()
    {
        var services = _host.Build();
        var runs = services.GetRequiredService<IRunHistoryStore>();
        await runs.SaveAsync(Run("run-canary-4410", "main"), Token);
        await services.GetRequiredService<IAuditLog>().WriteAsync(new AuditEvent(T0, "alice", "run.started", "run-canary-4410"), Token);

        var count = await services.GetRequiredService<IHostingDataAdministration>().ClearHistoryAsync("bob", Token);

        Assert.Equal(1, count);
        Assert.Equal(0L, RawScalar("SELECT COUNT(*) FROM runs"));
        Assert.Equal(2L, RawScalar("SELECT COUNT(*) FROM audit_log"));
        Assert.Equal("history.cleared", RawScalar("SELECT action FROM audit_log WHERE sequence = 2"));
        Assert.Equal("bob", RawScalar("SELECT actor FROM audit_log WHERE sequence = 2"));
        Assert.True((await services.GetRequiredService<IAuditLog>().VerifyAsync(Token)).IsIntact);
    }

    [Fact]
    public async Task RunsTable_HasOnlyMetadataColumns()
    {
        var services = _host.Build();
        await services.GetRequiredService<IRunHistoryStore>().ListAsync(new RunQuery(), Token);

        var columns = new List<string>();
        using (var connection = _host.OpenRaw())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM pragma_table_info('runs') ORDER BY cid";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }
        }

        Assert.Equal(
            [
                "id", "job_id", "repository_id", "branch", "trigger", "actor", "status", "queued_at", "started_at", "finished_at",
                "requested_sha", "commit_sha", "input_tokens", "output_tokens", "cost", "forecast_cost", "page_links_json", "error", "recovery_of",
            ],
            columns);
    }

    [Fact]
    public async Task Open_RandomBytesFile_ThrowsHostingStoreExceptionNamingTheFileAndFix()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_host.DatabasePath)!);
        var noise = new byte[8192];
        new Random(42).NextBytes(noise);
        await File.WriteAllBytesAsync(_host.DatabasePath, noise, Token);
        var services = _host.Build();

        var exception = await Assert.ThrowsAsync<HostingStoreException>(() => services.GetRequiredService<IJobStore>().ListAsync(Token));

        Assert.Contains(_host.DatabasePath, exception.Message, StringComparison.Ordinal);
        Assert.Contains("backup", exception.Message, StringComparison.Ordinal);
        Assert.Contains("move it", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_TruncatedDatabase_ThrowsHostingStoreExceptionNamingTheFile()
    {
        var first = _host.Build();
        for (var i = 0; i < 200; i++)
        {
            await first.GetRequiredService<IRunHistoryStore>().SaveAsync(Run("run-" + i, "main") with { Error = new string('x', 500) }, Token);
        }

        await first.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var length = new FileInfo(_host.DatabasePath).Length;
        Assert.True(length > 8192, "The WAL should have been checkpointed into the file when the last connection closed.");
        using (var stream = new FileStream(_host.DatabasePath, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(length / 3);
        }

        var services = _host.Build();
        var exception = await Assert.ThrowsAsync<HostingStoreException>(() => services.GetRequiredService<IRunHistoryStore>().ListAsync(new RunQuery { Limit = 1000 }, Token));

        Assert.Contains(_host.DatabasePath, exception.Message, StringComparison.Ordinal);
        Assert.Contains("backup", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_NewerSchemaVersion_ThrowsUpgradeMessage()
    {
        await _host.Build().GetRequiredService<IJobStore>().ListAsync(Token);
        _host.ExecuteRaw("INSERT INTO schema_version (version, applied_at) VALUES (999, '2030-01-01T00:00:00.0000000Z')");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var exception = await Assert.ThrowsAsync<HostingStoreException>(() => _host.Build().GetRequiredService<IJobStore>().ListAsync(Token));

        Assert.Contains("newer CodeDoc", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade", exception.Message, StringComparison.Ordinal);
        Assert.Contains("999", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostedInitializer_StartAsync_CreatesFolderAndAppliesSchemaOnce()
    {
        var services = _host.Build();
        var initializer = Assert.Single(services.GetServices<IHostedService>().OfType<CodeDoc.Hosting.Stores.HostingStoreInitializer>());

        await initializer.StartAsync(Token);
        await initializer.StartAsync(Token);

        Assert.True(File.Exists(_host.DatabasePath));
        Assert.Equal(1L, RawScalar("SELECT COUNT(*) FROM schema_version"));
        Assert.Equal("wal", RawScalar("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task ConcurrentFirstUse_ManyTasks_ApplySchemaOnceAndAllSucceed()
    {
        var services = _host.Build();
        var store = services.GetRequiredService<IWebhookDeliveryStore>();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => store.TryRecordAsync("github", "d-" + i, T0, Token), Token)));

        Assert.All(results, Assert.True);
        Assert.Equal(1L, RawScalar("SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task TryRecordAllAsync_ManyTasksInWaves_OneTruePerKeyAcrossBatchesAndEveryKeyOnDisk()
    {
        var services = _host.Build();
        var store = services.GetRequiredService<IWebhookDeliveryStore>();

        // Eight tasks per key, 40 keys, started in waves so the writer commits them over several batches.
        var results = new List<(string Key, Task<bool> IsNew)>();
        for (var wave = 0; wave < 8; wave++)
        {
            for (var key = 0; key < 40; key++)
            {
                var id = "d-" + key;
                var body = $"body-{key}-{wave}";
                results.Add((id, Task.Run(() => store.TryRecordAllAsync("github", [id, body], T0, Token), Token)));
            }

            await Task.Yield();
        }

        var answers = await Task.WhenAll(results.Select(r => r.IsNew));

        Assert.All(results.Select((r, i) => (r.Key, IsNew: answers[i])).GroupBy(r => r.Key), group => Assert.Equal(1, group.Count(r => r.IsNew)));
        Assert.Equal(40L, RawScalar("SELECT COUNT(*) FROM webhook_deliveries WHERE delivery_id LIKE 'd-%'"));
        Assert.Equal(40L, RawScalar("SELECT COUNT(*) FROM webhook_deliveries WHERE delivery_id LIKE 'body-%'"));
    }

    [Fact]
    public async Task CachedReads_AfterEveryKindOfWrite_AnswerWhatIsStoredNow()
    {
        var services = _host.Build();
        var jobs = services.GetRequiredService<IJobStore>();
        var repositories = services.GetRequiredService<IRepositoryStore>();
        var job = new JobDefinition { Id = "a", Sources = [new JobSource("api", ["main"])], PublisherId = "md" };
        var repository = new WatchedRepository { Id = "api", Url = "https://github.com/acme/api", WebhookHostKind = "github", WebhookSecret = "first" };
        await jobs.SaveAsync(job, Token);
        await repositories.SaveAsync(repository, Token);
        Assert.Single(await jobs.ListAsync(Token));
        Assert.Equal("first", Assert.Single(await repositories.FindByUrlAsync("https://github.com/acme/api.git", Token)).WebhookSecret);

        await jobs.SaveAsync(job with { Id = "b", Enabled = false }, Token);
        await repositories.SaveAsync(repository with { WebhookSecret = "second" }, Token);
        Assert.Equal(["a", "b"], (await jobs.ListAsync(Token)).Select(j => j.Id));
        Assert.False((await jobs.ListAsync(Token))[1].Enabled);
        Assert.Equal("second", Assert.Single(await repositories.FindByUrlAsync("https://github.com/acme/api", Token)).WebhookSecret);

        await jobs.DeleteAsync("a", Token);
        await repositories.DeleteAsync("api", Token);
        Assert.Equal("b", Assert.Single(await jobs.ListAsync(Token)).Id);
        Assert.Empty(await repositories.FindByUrlAsync("https://github.com/acme/api", Token));

        await repositories.SaveAsync(repository, Token);
        Assert.Single(await repositories.FindByUrlAsync("https://github.com/acme/api", Token));
        await services.GetRequiredService<IHostingDataAdministration>().PurgeAsync(Token);
        Assert.Empty(await jobs.ListAsync(Token));
        Assert.Empty(await repositories.FindByUrlAsync("https://github.com/acme/api", Token));
    }

    [Fact]
    public async Task AuditLog_RowEditedWithRawSql_VerifyReportsThatRow()
    {
        var services = _host.Build();
        var log = services.GetRequiredService<IAuditLog>();
        for (var i = 1; i <= 5; i++)
        {
            await log.WriteAsync(new AuditEvent(T0.AddMinutes(i), "alice", "job.updated", "job-" + i), Token);
        }

        _host.ExecuteRaw("UPDATE audit_log SET actor = 'mallory' WHERE sequence = 3");

        Assert.Equal(new AuditVerification(false, 3, 3), await log.VerifyAsync(Token));
    }

    [Fact]
    public async Task AuditLog_DetailsEditedWithRawSql_VerifyReportsThatRow()
    {
        var services = _host.Build();
        var log = services.GetRequiredService<IAuditLog>();
        await log.WriteAsync(new AuditEvent(T0, "alice", "history.cleared", "runs") { Details = new Dictionary<string, string> { ["count"] = "12" } }, Token);
        await log.WriteAsync(new AuditEvent(T0, "alice", "job.updated", "job"), Token);

        _host.ExecuteRaw("UPDATE audit_log SET details_json = '{\"count\":\"0\"}' WHERE sequence = 1");

        Assert.Equal(1, (await log.VerifyAsync(Token)).FirstBrokenSequence);
    }

    [Fact]
    public async Task AuditLog_RowDeletedWithRawSql_VerifyReportsTheBreak()
    {
        var services = _host.Build();
        var log = services.GetRequiredService<IAuditLog>();
        for (var i = 1; i <= 5; i++)
        {
            await log.WriteAsync(new AuditEvent(T0.AddMinutes(i), "alice", "job.updated", "job-" + i), Token);
        }

        _host.ExecuteRaw("DELETE FROM audit_log WHERE sequence = 2");

        var verification = await log.VerifyAsync(Token);
        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.FirstBrokenSequence);
    }

    [Fact]
    public async Task AuditLog_LastRowsDeletedWithRawSql_VerifyReportsTheFirstMissingRow()
    {
        var services = _host.Build();
        var log = services.GetRequiredService<IAuditLog>();
        for (var i = 1; i <= 5; i++)
        {
            await log.WriteAsync(new AuditEvent(T0.AddMinutes(i), "alice", "job.updated", "job-" + i), Token);
        }

        _host.ExecuteRaw("DELETE FROM audit_log WHERE sequence >= 4");

        Assert.Equal(new AuditVerification(false, 3, 4), await log.VerifyAsync(Token));
    }

    [Fact]
    public async Task AuditLog_ConcurrentWrites_ChainWithoutGapsOrForks()
    {
        var services = _host.Build();
        var log = services.GetRequiredService<IAuditLog>();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => log.WriteAsync(new AuditEvent(T0, "system", "run.started", "r" + i), Token).AsTask(), Token)));

        Assert.Equal(new AuditVerification(true, 40, null), await log.VerifyAsync(Token));
    }

    [Fact]
    public async Task AuditLog_OverlongFields_AreCapped()
    {
        var services = _host.Build();
        var log = services.GetRequiredService<IAuditLog>();

        await log.WriteAsync(new AuditEvent(T0, new string('a', 10_000), "job.updated", new string('t', 10_000)) { Details = new Dictionary<string, string> { ["k"] = new string('v', 100_000) } }, Token);

        await foreach (var row in log.ReadAsync(Token))
        {
            Assert.True(row.Actor.Length <= 256);
            Assert.True(row.Target.Length <= 512);
            Assert.True(row.Details["k"].Length <= 2048);
        }

        Assert.True((await log.VerifyAsync(Token)).IsIntact);
    }

    [Fact]
    public void AddHosting_ReplacesTheEngineNullAuditSinkWithTheAuditLog()
    {
        var services = _host.Build();

        Assert.Same(services.GetRequiredService<IAuditLog>(), services.GetRequiredService<IAuditSink>());
        Assert.Single(services.GetServices<IAuditSink>());
        Assert.Same(services.GetRequiredService<IJobStore>(), services.GetRequiredService<IRunHistoryStore>());
    }

    [Fact]
    public void Options_NoKeySource_FailValidationWithTheFix()
    {
        var services = _host.Build(options => { });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CodeDocHostingOptions>>().Value);

        Assert.Contains("CodeDoc:Hosting:Encryption:KeyFile", exception.Message, StringComparison.Ordinal);
        Assert.Contains("codedoc keys init --key-file", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_SeveralKeySourcesAndEmptyPath_FailValidationNamingEach()
    {
        var services = _host.Build(options =>
        {
            options.DatabasePath = " ";
            options.Encryption.KeyFile = "/etc/codedoc/keys.json";
            options.Encryption.KeyEnvironmentVariable = "CODEDOC_KEY";
        });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CodeDocHostingOptions>>().Value);

        Assert.Contains("CodeDoc:Hosting:DatabasePath", exception.Message, StringComparison.Ordinal);
        Assert.Contains("CodeDoc:Hosting:Encryption:KeyFile = '/etc/codedoc/keys.json'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("CodeDoc:Hosting:Encryption:KeyEnvironmentVariable = 'CODEDOC_KEY'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one", exception.Message, StringComparison.Ordinal);
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0 || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)) >= 0;

    private static RunRecord Run(string id, string branch) => new()
    {
        Id = id,
        JobId = JobCanary,
        RepositoryId = "api",
        Branch = branch,
        Trigger = RunTrigger.Manual,
        Actor = "alice",
        Status = RunStatus.Succeeded,
        QueuedAt = T0,
        CommitSha = "abc",
    };

    private async Task SaveCanariesAsync(IServiceProvider services)
    {
        await services.GetRequiredService<IProviderConfigurationStore>().SaveAsync(
            new ProviderConfiguration
            {
                Id = "gh",
                Category = ProviderCategory.Git,
                Kind = "github",
                Settings = new Dictionary<string, string?> { ["BaseAddress"] = "https://github.example" },
                Secrets = new Dictionary<string, string> { ["Token"] = ProviderCanary },
            },
            Token);
        await services.GetRequiredService<IRepositoryStore>().SaveAsync(
            new WatchedRepository { Id = "api", Url = "https://github.com/acme/api", WebhookHostKind = "github", WebhookSecret = WebhookCanary },
            Token);
        await services.GetRequiredService<IJobStore>().SaveAsync(
            new JobDefinition { Id = JobCanary, Sources = [new JobSource("api", ["main"])], PublisherId = "markdown" },
            Token);
        await services.GetRequiredService<IRunHistoryStore>().SaveAsync(Run("run-1", "main"), Token);
        await services.GetRequiredService<ISettingsStore>().SetAsync("last-job", JobCanary, Token);
        await services.GetRequiredService<IWebhookDeliveryStore>().TryRecordAsync("github", JobCanary, T0, Token);
    }

    private object? RawScalar(string sql)
    {
        using var connection = _host.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
