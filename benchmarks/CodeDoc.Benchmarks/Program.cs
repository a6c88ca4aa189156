using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CodeDoc.Benchmarks;

// Snapshot throughput over a real tree, measured in child processes so start-up and peak memory are clean:
//   dotnet run -c Release --project benchmarks/CodeDoc.Benchmarks -- [path] [--runs N] [--git] [--all]
// With repomix on the PATH (npm install -g repomix) the same tree is packed by repomix with o200k token counting
// and its secret check on, and both are printed with the ratios. Both read files up to 50 MB. CodeDoc's built-in
// exclusions (source maps, minified bundles, lock files, ...) skip content repomix packs: --all turns them off so
// both read about the same bytes (compare "bytes read" with repomix's output size). Start-up is reported apart:
// ours from the worker, repomix's as its run on an empty folder.
//
// Unchanged re-publish to Confluence (against the fake Confluence on loopback), see ConfluenceBenchmark:
//   dotnet run -c Release --project benchmarks/CodeDoc.Benchmarks -- confluence [--pages N] [--runs N] [--data-center]
//
// Generation against the fake model server with latency and rate limits, see GenerationBenchmark:
//   dotnet run -c Release --project benchmarks/CodeDoc.Benchmarks -- generation [path] [--rpm N]
//
// Webhook intake against a bare Kestrel endpoint, see WebhookBenchmark:
//   dotnet run -c Release --project benchmarks/CodeDoc.Benchmarks -- webhooks [--deliveries N] [--concurrency N] [--cap-seconds N]
if (args.Length > 0 && args[0] == WebhookBenchmark.Verb)
{
    return await WebhookBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == GenerationBenchmark.Verb)
{
    return await GenerationBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == SnapshotWorker.Verb)
{
    return await SnapshotWorker.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == ConfluenceBenchmark.Verb)
{
    return await ConfluenceBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
}

var options = BenchmarkOptions.Parse(args);
Console.WriteLine($"Tree: {options.Path} ({(options.UseGit ? "git commit at HEAD" : "folder on disk")}{(options.Everything ? ", built-in exclusions off" : string.Empty)}), {options.Runs} runs each, median shown.");

var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find the benchmark executable.");
var selfArgs = self.EndsWith("dotnet", StringComparison.Ordinal) ? [typeof(Program).Assembly.Location] : Array.Empty<string>();

var ours = new List<(ProcessMeasurement Process, WorkerReport Report)>();
for (var i = 0; i < options.Runs; i++)
{
    var measurement = await ChildProcess.RunAsync(self, [.. selfArgs, SnapshotWorker.Verb, options.Path, options.UseGit ? "--git" : "--folder", options.Everything ? "--all" : "--default"]).ConfigureAwait(false);
    var report = JsonSerializer.Deserialize<WorkerReport>(measurement.StandardOutput.Trim().Split('\n')[^1])
        ?? throw new InvalidOperationException("The worker printed no report: " + measurement.StandardError);
    ours.Add((measurement, report));
}

var median = ours.OrderBy(o => o.Process.Elapsed).ElementAt(ours.Count / 2);
var snapshotSeconds = median.Report.SnapshotMilliseconds / 1000.0;
Console.WriteLine();
Console.WriteLine("CodeDoc snapshot");
Console.WriteLine($"  files included / seen     {median.Report.FilesIncluded:N0} / {median.Report.FilesSeen:N0}");
Console.WriteLine($"  bytes read                {median.Report.Bytes / 1048576.0:N1} MiB");
Console.WriteLine($"  tokens (o200k)            {median.Report.Tokens:N0}");
Console.WriteLine($"  start-up (DI, tokenizer)  {median.Report.StartupMilliseconds:N0} ms");
Console.WriteLine($"  snapshot                  {median.Report.SnapshotMilliseconds:N0} ms = {median.Report.Bytes / 1048576.0 / snapshotSeconds:N1} MB/s, {median.Report.Tokens / snapshotSeconds:N0} tokens/s");
Console.WriteLine($"  whole process             {median.Process.Elapsed.TotalMilliseconds:N0} ms, peak memory {median.Process.PeakMemoryKiB / 1024.0:N1} MiB");

var repomix = ChildProcess.FindOnPath("repomix");
if (repomix is null)
{
    Console.WriteLine();
    Console.WriteLine("repomix is not on the PATH: install it with 'npm install -g repomix' to compare.");
    return 0;
}

var output = Path.Combine(Path.GetTempPath(), $"codedoc-bench-repomix-{Environment.ProcessId}.xml");
var empty = Directory.CreateTempSubdirectory("codedoc-bench-empty-").FullName;
var theirs = new List<ProcessMeasurement>();
var theirStartups = new List<ProcessMeasurement>();
long outputBytes;
try
{
    for (var i = 0; i < options.Runs; i++)
    {
        // Security check is on by default in repomix; o200k matches our tokenizer.
        theirs.Add(await ChildProcess.RunAsync(repomix, [options.Path, "--output", output, "--token-count-encoding", "o200k_base", "--quiet"]).ConfigureAwait(false));
        theirStartups.Add(await ChildProcess.RunAsync(repomix, [empty, "--output", output + ".empty", "--token-count-encoding", "o200k_base", "--quiet"]).ConfigureAwait(false));
    }

    outputBytes = new FileInfo(output).Length;
}
finally
{
    File.Delete(output);
    File.Delete(output + ".empty");
    Directory.Delete(empty);
}

var theirMedian = theirs.OrderBy(t => t.Elapsed).ElementAt(theirs.Count / 2);
var theirStartup = theirStartups.OrderBy(t => t.Elapsed).ElementAt(theirStartups.Count / 2).Elapsed;
if (theirMedian.ExitCode != 0)
{
    Console.WriteLine($"repomix failed (exit {theirMedian.ExitCode}): {theirMedian.StandardError}");
    return 1;
}

var theirWork = theirMedian.Elapsed - theirStartup;
Console.WriteLine();
Console.WriteLine("repomix (o200k token count, secret check on)");
Console.WriteLine($"  output packed             {outputBytes / 1048576.0:N1} MiB (file contents plus its XML wrapping)");
Console.WriteLine($"  start-up (empty folder)   {theirStartup.TotalMilliseconds:N0} ms");
Console.WriteLine($"  packing                   {theirWork.TotalMilliseconds:N0} ms");
Console.WriteLine($"  whole process             {theirMedian.Elapsed.TotalMilliseconds:N0} ms, peak memory {theirMedian.PeakMemoryKiB / 1024.0:N1} MiB");
Console.WriteLine();
Console.WriteLine("Ratios (repomix / CodeDoc; higher is better for CodeDoc; targets: speed >= 5x, memory >= 3x)");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  speed, start-up excluded  {theirWork.TotalMilliseconds / median.Report.SnapshotMilliseconds:N2}x"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  speed, whole process      {theirMedian.Elapsed / median.Process.Elapsed:N2}x"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  peak memory               {theirMedian.PeakMemoryKiB / (double)median.Process.PeakMemoryKiB:N2}x"));
return 0;
