using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CodeDoc.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Benchmarks;

/// <summary>
/// Webhook intake throughput: signed GitHub push deliveries sent with bounded concurrency to (a) a bare Kestrel
/// endpoint that answers 200 without work and (b) a real host (SQLite store, GitHub handler, endpoints, one repository
/// with a webhook secret, one job following <c>main</c> with a debounce window longer than the measurement, so no run
/// executes). Prints both rates, their ratio, and how many runs were queued beyond the one the debounce should leave.
/// </summary>
internal static class WebhookBenchmark
{
    public const string Verb = "webhooks";

    private const string Secret = "benchmark-webhook-secret";
    private const string KeyVariable = "CODEDOC_BENCHMARK_KEY";
    private const string JobId = "bench-docs";

    public static async Task<int> RunAsync(string[] args)
    {
        var deliveries = 20_000;
        var warmUpCount = 20_000;
        var concurrency = 16;
        var cap = TimeSpan.FromMinutes(3);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--deliveries":
                    deliveries = Math.Max(10, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--warm-up":
                    warmUpCount = Math.Max(0, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--concurrency":
                    concurrency = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--cap-seconds":
                    cap = TimeSpan.FromSeconds(Math.Max(5, int.Parse(args[++i], CultureInfo.InvariantCulture)));
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown argument '{args[i]}'. Usage: webhooks [--deliveries N] [--warm-up N] [--concurrency N] [--cap-seconds N]").ConfigureAwait(false);
                    return 2;
            }
        }

        var template = JsonNode.Parse(await File.ReadAllTextAsync(PayloadPath()).ConfigureAwait(false))!;
        var repositoryUrl = template["repository"]!["html_url"]!.GetValue<string>();
        template["ref"] = "refs/heads/main";
        var requests = BuildRequests(template, deliveries);
        var expectedDuplicates = requests.Count - deliveries;

        var folder = Directory.CreateTempSubdirectory("codedoc-bench-webhooks-");
        Environment.SetEnvironmentVariable(KeyVariable, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        try
        {
            await using var bare = await StartBareAsync().ConfigureAwait(false);
            await using var real = await StartRealAsync(Path.Combine(folder.FullName, "codedoc.db")).ConfigureAwait(false);
            await SeedAsync(real.App.Services, repositoryUrl).ConfigureAwait(false);

            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) });
            Console.WriteLine($"Webhooks: {deliveries:N0} signed GitHub push deliveries to one branch plus {expectedDuplicates:N0} repeats (every 10th), {concurrency} at a time, after {warmUpCount:N0} warm-up deliveries per side, cap {cap.TotalSeconds:N0} s per side.");

            // Warm both sides (tiered JIT through dynamic PGO to its optimized code, connections, SQLite) with deliveries that
            // are not part of the measurement: a short warm-up measures the host's early-tier code against Kestrel's
            // already-optimized one, which is not how a service that runs for days performs.
            var warmUp = BuildRequests(template, warmUpCount, idPrefix: "warm", shaSalt: 1_000_000);
            await SendAllAsync(client, bare.Address, warmUp, concurrency, cap).ConfigureAwait(false);
            await SendAllAsync(client, real.Address, warmUp, concurrency, cap).ConfigureAwait(false);
            var queuedBefore = await QueuedRunsAsync(real.App.Services).ConfigureAwait(false);

            var bareResult = await SendAllAsync(client, bare.Address, requests, concurrency, cap).ConfigureAwait(false);
            var realResult = await SendAllAsync(client, real.Address, requests, concurrency, cap).ConfigureAwait(false);
            var queuedAfter = await QueuedRunsAsync(real.App.Services).ConfigureAwait(false);

            var bareRate = bareResult.Sent / bareResult.Elapsed.TotalSeconds;
            var realRate = realResult.Sent / realResult.Elapsed.TotalSeconds;

            // The warm-up left one queued run for the branch; every measured delivery should have joined it.
            var duplicateRuns = Math.Max(0, queuedAfter - Math.Max(1, queuedBefore));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  bare endpoint             {bareResult.Sent:N0} sent in {bareResult.Elapsed.TotalSeconds:N2} s = {bareRate:N0} deliveries/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  CodeDoc host              {realResult.Sent:N0} sent in {realResult.Elapsed.TotalSeconds:N2} s = {realRate:N0} deliveries/s ({Describe(realResult.Statuses)})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio (host / bare)       {realRate / bareRate:N2} (target >= 0.5)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  queued runs               {queuedAfter} for the branch; duplicate runs {duplicateRuns} (target 0)"));

            var duplicatesAnswered = realResult.Statuses.GetValueOrDefault(HttpStatusCode.OK);
            var complete = realResult.Sent == requests.Count && bareResult.Sent == requests.Count;
            var answeredAsExpected = duplicatesAnswered == expectedDuplicates && realResult.Statuses.GetValueOrDefault(HttpStatusCode.Accepted) == deliveries;
            if (!complete || !answeredAsExpected)
            {
                await Console.Error.WriteLineAsync($"Expected {deliveries} x 202 and {expectedDuplicates} x 200 (duplicate) from the host within the cap; got {Describe(realResult.Statuses)}.").ConfigureAwait(false);
            }

            return complete && answeredAsExpected && duplicateRuns == 0 ? 0 : 1;
        }
        finally
        {
            Environment.SetEnvironmentVariable(KeyVariable, null);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static List<(string Id, byte[] Body)> BuildRequests(JsonNode template, int count, string idPrefix = "delivery", int shaSalt = 0)
    {
        var requests = new List<(string Id, byte[] Body)>(count + (count / 10));
        for (var i = 0; i < count; i++)
        {
            // Each delivery is a distinct push: a new head on the same branch.
            template["before"] = (i + shaSalt).ToString("x40", CultureInfo.InvariantCulture);
            template["after"] = (i + shaSalt + 1).ToString("x40", CultureInfo.InvariantCulture);
            var request = ($"{idPrefix}-{i}", Encoding.UTF8.GetBytes(template.ToJsonString()));
            requests.Add(request);
            if (i % 10 == 9)
            {
                requests.Add(request);
            }
        }

        return requests;
    }

    private static async Task<SendResult> SendAllAsync(HttpClient client, Uri address, List<(string Id, byte[] Body)> requests, int concurrency, TimeSpan cap)
    {
        using var timeout = new CancellationTokenSource(cap);
        var statuses = new Dictionary<HttpStatusCode, int>();
        var sent = 0;
        var next = -1;
        var watch = Stopwatch.StartNew();

        async Task WorkerAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests.Count && !timeout.IsCancellationRequested)
            {
                var (id, body) = requests[index];
                using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add("X-GitHub-Event", "push");
                request.Headers.Add("X-GitHub-Delivery", id);
                request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)));
                try
                {
                    using var response = await client.SendAsync(request, timeout.Token).ConfigureAwait(false);
                    await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                    lock (statuses)
                    {
                        statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
                        sent++;
                    }
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync))).ConfigureAwait(false);
        watch.Stop();
        return new SendResult(sent, watch.Elapsed, statuses);
    }

    private static async Task<Server> StartBareAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/hook", () => Results.Ok());
        await app.StartAsync().ConfigureAwait(false);
        return new Server(app, new Uri(Address(app), "/hook"));
    }

    private static async Task<Server> StartRealAsync(string databasePath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddCodeDoc()
            .AddHosting(o =>
            {
                o.DatabasePath = databasePath;
                o.Encryption.KeyEnvironmentVariable = KeyVariable;
                o.Worker.DebounceWindow = TimeSpan.FromHours(1);
            })
            .AddGitHub()
            .AddHostingEndpoints();
        var app = builder.Build();
        app.MapCodeDocWebhooks();
        await app.StartAsync().ConfigureAwait(false);
        return new Server(app, new Uri(Address(app), "/codedoc/webhooks/github"));
    }

    private static async Task SeedAsync(IServiceProvider services, string repositoryUrl)
    {
        await services.GetRequiredService<IRepositoryStore>().SaveAsync(new WatchedRepository
        {
            Id = "bench-repo",
            Url = repositoryUrl,
            WebhookHostKind = "github",
            WebhookSecret = Secret,
        }).ConfigureAwait(false);
        await services.GetRequiredService<IJobStore>().SaveAsync(new JobDefinition
        {
            Id = JobId,
            Sources = [new JobSource("bench-repo", ["main"])],
            PublisherId = "markdown",
            FactsOnly = true,
        }).ConfigureAwait(false);
    }

    private static async Task<int> QueuedRunsAsync(IServiceProvider services) =>
        (await services.GetRequiredService<IRunHistoryStore>().ListAsync(new RunQuery { JobId = JobId, Limit = 10_000 }).ConfigureAwait(false)).Count;

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    private static string PayloadPath() => Path.Combine(AppContext.BaseDirectory, "Payloads", "github", "push-branch-updated.json");

    private static string Describe(Dictionary<HttpStatusCode, int> statuses) =>
        string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value:N0} x {(int)s.Key}"));

    private sealed record SendResult(int Sent, TimeSpan Elapsed, Dictionary<HttpStatusCode, int> Statuses);

    private sealed class Server(WebApplication app, Uri address) : IAsyncDisposable
    {
        public WebApplication App => app;

        public Uri Address => address;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
