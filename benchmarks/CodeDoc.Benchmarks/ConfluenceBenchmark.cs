using System.Diagnostics;
using System.Globalization;
using System.Text;
using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.Confluence;
using CodeDoc.Publishing.Confluence;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Benchmarks;

/// <summary>
/// Re-publishing an unchanged documentation set to Confluence (the fake Confluence of the tests, on loopback): it must
/// make no write request, and its time is compared with the time of only the GET requests it makes, replayed one after
/// the other with a plain <see cref="HttpClient"/> against the same server. The ratio is the publisher's own cost
/// (planning, rendering every page to compare hashes, Refit and the resilience pipeline) on top of the reads it cannot avoid.
/// </summary>
internal static class ConfluenceBenchmark
{
    public const string Verb = "confluence";

    private const string SpaceKey = "BENCH";

    public static async Task<int> RunAsync(string[] args)
    {
        var pageCount = 200;
        var runs = 5;
        var dataCenter = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--pages":
                    pageCount = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--runs":
                    runs = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--data-center":
                    dataCenter = true;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown argument '{args[i]}'. Usage: confluence [--pages N] [--runs N] [--data-center]").ConfigureAwait(false);
                    return 2;
            }
        }

        await using var fake = await FakeConfluence.StartAsync(new FakeConfluenceOptions
        {
            Mode = dataCenter ? FakeConfluenceMode.DataCenter : FakeConfluenceMode.Cloud,
        }).ConfigureAwait(false);
        fake.AddSpace(SpaceKey, "Benchmark");

        var services = new ServiceCollection();
        services.AddCodeDoc().AddConfluence("bench", o =>
        {
            o.BaseAddress = fake.SiteAddress;
            o.SpaceKey = SpaceKey;
            if (dataCenter)
            {
                o.Deployment = ConfluenceDeployment.DataCenter;
                o.PersonalAccessToken = fake.Options.PersonalAccessToken;
            }
            else
            {
                o.Deployment = ConfluenceDeployment.Cloud;
                o.Email = fake.Options.Email;
                o.ApiToken = fake.Options.ApiToken;
            }
        });
        await using var provider = services.BuildServiceProvider();
        var publisher = provider.GetRequiredKeyedService<IDocPublisher>("bench");
        var set = BuildSet(pageCount);

        Console.WriteLine($"Confluence ({(dataCenter ? "Data Center, REST v1" : "Cloud, REST v2 + v1")}, fake on loopback): {pageCount} pages, {runs} unchanged re-publishes, median shown.");
        var watch = Stopwatch.StartNew();
        var first = await publisher.PublishAsync(set).ConfigureAwait(false);
        watch.Stop();
        var created = first.Count(PageOutcomeKind.Created);
        Console.WriteLine($"  first publish             {created} pages created, {fake.WriteRequests.Count:N0} write requests, {watch.ElapsedMilliseconds:N0} ms");
        if (created != pageCount)
        {
            await Console.Error.WriteLineAsync($"The first publish created {created} of {pageCount} pages: {string.Join("; ", first.Pages.Where(p => p.Kind == PageOutcomeKind.Failed).Select(p => p.Reason).Take(3))}").ConfigureAwait(false);
            return 1;
        }

        // One untimed re-publish and replay, so the JIT and the connection pools are warm for both sides.
        var (_, _, reads) = await RepublishAsync(publisher, fake, set).ConfigureAwait(false);
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) });
        await ReplayAsync(client, fake.Server.BaseAddress, reads).ConfigureAwait(false);

        var publishTimes = new List<TimeSpan>();
        var replayTimes = new List<TimeSpan>();
        var writes = 0;
        for (var run = 0; run < runs; run++)
        {
            var (elapsed, runWrites, runReads) = await RepublishAsync(publisher, fake, set).ConfigureAwait(false);
            publishTimes.Add(elapsed);
            writes += runWrites;
            reads = runReads;

            // The baseline replays exactly the reads this run made.
            replayTimes.Add(await ReplayAsync(client, fake.Server.BaseAddress, reads).ConfigureAwait(false));
        }

        var publishMedian = Median(publishTimes);
        var replayMedian = Median(replayTimes);
        Console.WriteLine($"  read requests per publish {reads.Count:N0} ({Describe(reads)})");
        Console.WriteLine($"  write requests            {writes} over {runs} re-publishes (must be 0)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  unchanged re-publish      {publishMedian.TotalMilliseconds:N1} ms ({publishMedian.TotalMilliseconds / pageCount:N2} ms per page)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  its GETs replayed         {replayMedian.TotalMilliseconds:N1} ms ({replayMedian.TotalMilliseconds / Math.Max(1, reads.Count):N2} ms per request)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio (publish / GETs)    {publishMedian / replayMedian:N2}x"));
        return writes == 0 ? 0 : 1;
    }

    private static async Task<(TimeSpan Elapsed, int Writes, IReadOnlyList<RecordedRequest> Reads)> RepublishAsync(IDocPublisher publisher, FakeConfluence fake, DocumentSet set)
    {
        fake.Server.ClearRequests();
        var watch = Stopwatch.StartNew();
        var result = await publisher.PublishAsync(set).ConfigureAwait(false);
        watch.Stop();
        if (result.Count(PageOutcomeKind.Unchanged) != set.Pages.Count)
        {
            throw new InvalidOperationException($"An unchanged re-publish reported {result.Count(PageOutcomeKind.Unchanged)} of {set.Pages.Count} pages unchanged.");
        }

        var requests = fake.Server.Requests;
        return (watch.Elapsed, fake.WriteRequests.Count, [.. requests.Where(r => r.Method == "GET")]);
    }

    private static async Task<TimeSpan> ReplayAsync(HttpClient client, Uri server, IReadOnlyList<RecordedRequest> reads)
    {
        var watch = Stopwatch.StartNew();
        foreach (var read in reads)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, read.Path + read.Query));
            request.Headers.TryAddWithoutValidation("Authorization", read.Header("Authorization"));
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
            using var response = await client.SendAsync(request).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();

            // Read the body as the publisher does; only parsing it is left to the publisher's side.
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        }

        watch.Stop();
        return watch.Elapsed;
    }

    private static string Describe(IReadOnlyList<RecordedRequest> reads) =>
        string.Join(", ", reads
            .GroupBy(r => Shape(r.Path))
            .OrderByDescending(g => g.Count())
            .Select(g => $"{g.Count()} x {g.Key}"));

    // Collapses ids so requests group by endpoint: /wiki/api/v2/pages/123/properties -> /wiki/api/v2/pages/{id}/properties.
    private static string Shape(string path) =>
        string.Join('/', path.Split('/').Select(s => s.Length > 0 && s.All(char.IsAsciiDigit) ? "{id}" : s));

    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    /// <summary>Builds a set of sections with child pages, each page a few KB of typical generated Markdown.</summary>
    private static DocumentSet BuildSet(int pageCount)
    {
        const string commit = "3f786850e387550fdab836ed7e6dc881de23001b";
        var sections = Math.Max(1, (int)Math.Round(Math.Sqrt(pageCount / 2.0)));
        var pages = new List<DocumentPage>(pageCount);
        for (var i = 0; i < pageCount; i++)
        {
            var section = i % sections;
            var isSection = i < sections;
            var key = KeyOf(i, sections);
            pages.Add(new DocumentPage
            {
                Key = key,
                Title = isSection ? $"Section {section}" : $"Topic {i}",
                ParentKey = isSection ? null : $"section-{section}",
                Order = i,
                Markdown = Markdown(i, isSection ? null : $"section-{section}", KeyOf((i + 1) % pageCount, sections)),
                Labels = isSection ? ["section"] : [],
                Provenance = new PageProvenance(commit, [$"src/Module{i}/Service{i}.cs"]),
            });
        }

        var repository = "github.com/example/benchmark";
        return new DocumentSet
        {
            Id = DocumentSet.CreateId(repository, "main"),
            Title = "Benchmark",
            Source = new DocumentSource(repository, commit, "main"),
            Pages = pages,
            Labels = ["codedoc", repository, "standard"],
            GeneratorVersion = "0.1.0",
        };
    }

    private static string KeyOf(int index, int sections) => index < sections ? $"section-{index}" : $"page-{index}";

    private static string Markdown(int index, string? parentKey, string next)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Service {index} turns requests into commands and hands them to the queue. ");
        text.AppendLine("It validates the input, records an audit entry and answers with the command's id.");
        text.AppendLine();
        text.AppendLine("## Responsibilities");
        text.AppendLine();
        text.AppendLine("- Validate the request against the **schema** of its version.");
        text.AppendLine("- Write the audit entry before the command is queued, so nothing is lost on a crash.");
        text.AppendLine("  - Entries older than the retention period are pruned nightly.");
        text.AppendLine("- Answer `202 Accepted` with the command id.");
        text.AppendLine();
        text.AppendLine("## Usage");
        text.AppendLine();
        text.AppendLine("```csharp");
        text.AppendLine(CultureInfo.InvariantCulture, $"var service = new Service{index}(queue, audit);");
        text.AppendLine("var id = await service.HandleAsync(request, cancellationToken);");
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("| Setting | Default | Meaning |");
        text.AppendLine("|---|---|---|");
        text.AppendLine("| `Retention` | 30 days | How long audit entries are kept. |");
        text.AppendLine("| `MaxBatch` | 100 | Commands queued per round trip. |");
        text.AppendLine();
        text.AppendLine("> [!NOTE]");
        text.AppendLine("> The queue is at-least-once: handlers must be idempotent.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"See [the next topic]({DocumentLinks.ToPage(next)}){(parentKey is null ? string.Empty : $" and [the section]({DocumentLinks.ToPage(parentKey)})")}.");
        return text.ToString();
    }
}
