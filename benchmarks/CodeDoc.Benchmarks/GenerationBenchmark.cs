using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.Tokenizers;

namespace CodeDoc.Benchmarks;

/// <summary>
/// The generation benchmark: a full wiki run and a one-file incremental run over a clone of a real repository,
/// against the fake OpenAI server with latency per answer and a client-side request rate limit, printing the three
/// ratios the issue sets as targets. Input tokens are counted (o200k) from the requests the fake received, since the
/// fake's own usage numbers are scripted.
///   dotnet run -c Release --project benchmarks/CodeDoc.Benchmarks -- generation [path] [--rpm N] [--latency-ms N]
/// The fake answers every request with the same page text, and an update request with an edit of one sentence of its
/// body, which applies as a model's minimal edit would, so the one-file ratio measures what the engine sends.
/// </summary>
internal static class GenerationBenchmark
{
    public const string Verb = "generation";

    private const string FakeBody = "The body of the page says more.";

    private static readonly string FakePage = $"{new FakeReply().Text}\n\n## Details\n\n{FakeBody}\n";

    public static async Task<int> RunAsync(string[] args)
    {
        var rpm = 20;
        var latency = TimeSpan.FromMilliseconds(200);
        string? path = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rpm":
                    rpm = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--latency-ms":
                    latency = TimeSpan.FromMilliseconds(int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                default:
                    path = args[i];
                    break;
            }
        }

        var source = BenchmarkOptions.Parse(path is null ? [] : [path]).Path;
        var clone = Directory.CreateTempSubdirectory("codedoc-bench-repo-").FullName;
        var output = Directory.CreateTempSubdirectory("codedoc-bench-out-").FullName;
        try
        {
            Git(Path.GetTempPath(), "clone", "--quiet", "--local", "--no-hardlinks", source, clone);
            await using var ai = await FakeAiServer.StartAsync().ConfigureAwait(false);
            var tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");
            await using var services = Services(ai, output, rpm);
            var runner = services.GetRequiredService<IDocumentationRunner>();
            var request = new RunRequest { Plan = new PlanRequest { Location = clone, Preset = "wiki" } };

            // Every answer streams in pieces with a pause between them: the model's latency.
            ai.Responder = call => new FakeReply { Text = Answer(call), ChunkSize = 8, ChunkDelay = latency / 4 };
            var watch = Stopwatch.StartNew();
            var full = await runner.RunAsync(request).ConfigureAwait(false);
            var fullWall = watch.Elapsed;
            var fullCalls = ai.ModelCalls;
            var fullInput = fullCalls.Sum(c => InputTokens(c, tokenizer));

            // A typical file: the median-sized code file of the tree.
            var code = full.Plan.Snapshot.Files.Where(f => f.Path.EndsWith(".cs", StringComparison.Ordinal) || f.Path.EndsWith(".ts", StringComparison.Ordinal) || f.Path.EndsWith(".py", StringComparison.Ordinal) || f.Path.EndsWith(".go", StringComparison.Ordinal) || f.Path.EndsWith(".java", StringComparison.Ordinal))
                .OrderBy(f => f.Tokens).ToList();
            var changed = code.Count > 0 ? code[code.Count / 2].Path : full.Plan.Snapshot.Files[0].Path;
            await File.AppendAllTextAsync(Path.Combine(clone, changed), "\n// changed by the benchmark\n").ConfigureAwait(false);
            Git(clone, "-c", "user.name=bench", "-c", "user.email=bench@codedoc.invalid", "commit", "--quiet", "-am", "one-file change");
            var incremental = await runner.RunAsync(request).ConfigureAwait(false);
            var incrementalInput = ai.ModelCalls.Skip(fullCalls.Count).Sum(c => InputTokens(c, tokenizer));

            var repositoryTokens = full.Plan.Snapshot.TotalTokens;
            // The client's limiter is a one-minute sliding window: N requests need at least floor((N - 1) / rpm) minutes.
            var lowerBound = TimeSpan.FromMinutes(Math.Max(0, fullCalls.Count - 1) / rpm);
            Console.WriteLine($"Tree: {source} ({full.Plan.Snapshot.Files.Count:N0} files, {repositoryTokens:N0} tokens), wiki preset, {rpm} requests/minute, {latency.TotalMilliseconds:N0} ms per answer.");
            Console.WriteLine($"  full run            {fullCalls.Count:N0} requests, {fullInput:N0} input tokens, {fullWall.TotalSeconds:N1} s, {full.Pages.Count} pages");
            Console.WriteLine($"  one-file run        {ai.ModelCalls.Count - fullCalls.Count:N0} requests, {incrementalInput:N0} input tokens ({changed}), {incremental.Pages.Count(p => p.Action is PageRunAction.Generated or PageRunAction.Updated)} pages written ({string.Join(", ", incremental.Pages.Where(p => p.Action is PageRunAction.Generated or PageRunAction.Updated).Select(p => $"{p.Key} {p.Action.ToString().ToLowerInvariant()}"))})");
            Console.WriteLine("Ratios (targets: <= 1.0, <= 0.02, <= 1.15)");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  billed input / repository tokens, full run   {(double)fullInput / Math.Max(1, repositoryTokens):N3}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  one-file run / full run tokens              {(double)incrementalInput / Math.Max(1, fullInput):N3}"));
            Console.WriteLine(lowerBound > TimeSpan.Zero
                ? string.Create(CultureInfo.InvariantCulture, $"  wall time / rate-limit lower bound          {fullWall / lowerBound:N2}")
                : $"  wall time / rate-limit lower bound          n/a: {fullCalls.Count} requests fit in one minute at {rpm} requests/minute; lower --rpm");
            return 0;
        }
        finally
        {
            Directory.Delete(clone, recursive: true);
            Directory.Delete(output, recursive: true);
        }
    }

    // Pages are a short abstract and a body; an update edits one sentence of the body, as a model updating a page for
    // a one-file change usually does, so the page's abstract (what its parent draws on) stays.
    private static string Answer(JsonNode call) => call.ToJsonString().Contains("Task: update-page", StringComparison.Ordinal)
        ? $"<<<<<<< FIND\n{FakeBody}\n=======\n{FakeBody} It was updated for the change.\n>>>>>>> REPLACE"
        : FakePage;

    private static ServiceProvider Services(FakeAiServer ai, string output, int rpm)
    {
        var services = new ServiceCollection();
        services.AddCodeDoc(o => o.Generation.MaxConcurrency = 8)
            .AddMarkdownFolder(o => o.OutputPath = output)
            .AddOpenAI(o =>
            {
                o.Endpoint = new Uri(ai.BaseAddress, "v1/");
                o.ApiKey = FakeAiServer.DefaultKey;
                o.Model = "gpt-6.1-terra";
                o.RequestsPerMinute = rpm;
            });
        return services.BuildServiceProvider();
    }

    // Every text the request carries as input (instructions and messages), as the vendor would bill it.
    private static long InputTokens(JsonNode call, Tokenizer tokenizer) =>
        Texts(call["input"]).Concat(Texts(call["instructions"])).Concat(Texts(call["messages"])).Sum(t => (long)tokenizer.CountTokens(t));

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        null => [],
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        JsonArray array => array.SelectMany(Texts),
        JsonObject obj => obj.Where(p => p.Key is "text" or "content" or "input" or "instructions").SelectMany(p => Texts(p.Value)),
        _ => [],
    };

    private static void Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {process.StandardError.ReadToEnd()}");
        }
    }
}
