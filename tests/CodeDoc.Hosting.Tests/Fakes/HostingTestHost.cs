using CodeDoc.Core;
using CodeDoc.FakeServers.Git;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CodeDoc.Hosting.Tests.Fakes;

/// <summary>
/// A host for job tests: a real git repository, the real engine (local provider, Markdown folder publisher through a
/// stored configuration), in-memory stores, a recording notification sink and captured logs. Hosted services start
/// only when a test asks for them.
/// </summary>
public sealed class HostingTestHost : IAsyncDisposable
{
    public const string JobId = "docs";
    public const string RepositoryId = "repo";
    public const string PublisherId = "md";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly List<IHostedService> _started = [];
    private readonly bool _ownsRepository;
    private readonly string _keyFolder = Directory.CreateTempSubdirectory("codedoc-jobs-").FullName;

    private HostingTestHost(TemporaryGitRepository git, bool ownsRepository, string output, InMemoryStores stores, FakeTimeProvider? time, Action<CodeDocHostingOptions>? configure, Action<IServiceCollection>? more, Action<ICodeDocBuilder>? engine = null)
    {
        Git = git;
        _ownsRepository = ownsRepository;
        Output = output;
        Stores = stores;
        Time = time;
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        if (time is not null)
        {
            services.AddSingleton<TimeProvider>(time);
        }

        // The in-memory stores stand in for the SQLite store, whose options still need a database path and a key.
        HostingKeyFile.Create(Path.Combine(_keyFolder, "keys.json"));
        var builder = services.AddCodeDoc().AddHosting(o =>
        {
            o.DatabasePath = Path.Combine(_keyFolder, "unused.db");
            o.Encryption.KeyFile = Path.Combine(_keyFolder, "keys.json");
            o.Worker.DebounceWindow = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        engine?.Invoke(builder);
        stores.Register(services);
        services.AddSingleton<IHostingNotificationSink>(Notifications);
        Runner.Register(services);
        more?.Invoke(services);
        Services = services.BuildServiceProvider();
    }

    public TemporaryGitRepository Git { get; }

    public string Output { get; }

    public InMemoryStores Stores { get; }

    public FakeTimeProvider? Time { get; }

    public CapturedLogs Logs { get; } = new();

    public RecordingNotificationSink Notifications { get; } = new();

    public ScriptedRunner Runner { get; } = new();

    public ServiceProvider Services { get; }

    public ICodeDocJobs Jobs => Services.GetRequiredService<ICodeDocJobs>();

    public IRunMonitor Monitor => Services.GetRequiredService<IRunMonitor>();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Creates a host over a new repository with a job that follows <c>main</c> (and more branches when given).</summary>
    public static async Task<HostingTestHost> CreateAsync(
        FakeTimeProvider? time = null,
        Action<CodeDocHostingOptions>? configure = null,
        Func<JobDefinition, JobDefinition>? job = null,
        Action<IServiceCollection>? services = null,
        Action<ICodeDocBuilder>? engine = null,
        params string[] branches)
    {
        var git = TemporaryGitRepository.Init();
        git.Write("README.md", "# Calc\n\nA tiny calculator library.\n")
            .Write("src/Calc/Calc.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n")
            .Write("src/Calc/Adder.cs", "namespace Calc;\n\n/// <summary>Adds numbers.</summary>\npublic static class Adder\n{\n    public static int Add(int a, int b) => a + b;\n}\n")
            .Commit("initial");
        foreach (var branch in branches)
        {
            git.Git("branch", branch);
        }

        var host = new HostingTestHost(git, ownsRepository: true, Directory.CreateTempSubdirectory("codedoc-hosting-").FullName, new InMemoryStores(), time, configure, services, engine);
        await host.SeedAsync(job);
        return host;
    }

    /// <summary>Creates a second host over the same repository, folder and stores, as a restarted process would be.</summary>
    public HostingTestHost Restart(Action<CodeDocHostingOptions>? configure = null) => new(Git, ownsRepository: false, Output, Stores, Time, configure, null);

    public async Task SeedAsync(Func<JobDefinition, JobDefinition>? job = null)
    {
        var stores = Stores;
        await ((IProviderConfigurationStore)stores).SaveAsync(new ProviderConfiguration
        {
            Id = PublisherId,
            Category = ProviderCategory.Publisher,
            Kind = "markdown",
            Settings = new Dictionary<string, string?> { ["OutputPath"] = Output },
        }, Token);
        await ((IRepositoryStore)stores).SaveAsync(new WatchedRepository { Id = RepositoryId, Url = Git.Path }, Token);
        var definition = new JobDefinition { Id = JobId, Sources = [new JobSource(RepositoryId, ["main"])], PublisherId = PublisherId, FactsOnly = true };
        await ((IJobStore)stores).SaveAsync(job is null ? definition : job(definition), Token);
    }

    public Task SaveJobAsync(JobDefinition job) => ((IJobStore)Stores).SaveAsync(job, Token);

    /// <summary>Starts the hosted services of the given types (all of them when none is given).</summary>
    public async Task StartAsync(params Type[] types)
    {
        foreach (var service in Services.GetServices<IHostedService>().Where(s => types.Length == 0 || types.Contains(s.GetType())))
        {
            await service.StartAsync(Token);
            _started.Add(service);
        }
    }

    public async Task StopAsync()
    {
        foreach (var service in Enumerable.Reverse(_started))
        {
            await service.StopAsync(CancellationToken.None);
        }

        _started.Clear();
    }

    /// <summary>Waits until the run rows satisfy a condition (checked on every status change and every 50 ms).</summary>
    public async Task<IReadOnlyList<RunRecord>> WaitForRunsAsync(Func<IReadOnlyList<RunRecord>, bool> condition, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Timeout);
        while (true)
        {
            var runs = Stores.Runs;
            if (condition(runs))
            {
                return runs;
            }

            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for: {what}. Runs: {string.Join("; ", runs.Select(r => $"{r.Trigger} {r.Branch} {r.Status} {r.Error}"))}");
            }
        }
    }

    /// <summary>Waits until a condition holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for: {what}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Services.DisposeAsync();
        Runner.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_keyFolder, recursive: true);
        if (_ownsRepository)
        {
            Git.Dispose();
            Directory.Delete(Output, recursive: true);
        }
    }
}
