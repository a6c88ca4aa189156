using System.Diagnostics;

namespace CodeDoc.Benchmarks;

internal sealed record ProcessMeasurement(int ExitCode, TimeSpan Elapsed, long PeakMemoryKiB, string StandardOutput, string StandardError);

/// <summary>Runs a process and measures its wall time and peak resident memory (VmHWM, polled from /proc).</summary>
internal static class ChildProcess
{
    public static async Task<ProcessMeasurement> RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            // VmHWM is the high-water mark of the resident set: polling it loses nothing but the last few ms.
            peak = Math.Max(peak, ReadPeakKiB(process.Id));
            await Task.Delay(10).ConfigureAwait(false);
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        watch.Stop();
        return new ProcessMeasurement(process.ExitCode, watch.Elapsed, peak, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    private static long ReadPeakKiB(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process exited between the check and the read.
        }

        return 0;
    }
}
