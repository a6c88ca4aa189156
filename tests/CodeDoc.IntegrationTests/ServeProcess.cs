using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CodeDoc.IntegrationTests;

/// <summary>A running <c>codedoc serve</c> child process: its address, what it wrote, and a client for its API and webhooks.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private ServeProcess(Process process, string? apiKey)
    {
        _process = process;
        Client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null)
        {
            Client.DefaultRequestHeaders.Add("X-CodeDoc-Api-Key", apiKey);
        }
    }

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Client { get; }

    public string Output => HostFolder.Text(_output) + HostFolder.Text(_error);

    public static async Task<ServeProcess> StartAsync(Process process, string? apiKey)
    {
        var serve = new ServeProcess(process, apiKey);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            HostFolder.Append(serve._output, e.Data);
            if (e.Data is { } line && line.StartsWith("Listening on ", StringComparison.Ordinal))
            {
                listening.TrySetResult(new Uri(line["Listening on ".Length..].Trim().TrimEnd('/') + "/"));
            }
        };
        process.ErrorDataReceived += (_, e) => HostFolder.Append(serve._error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(StartTimeout, TestContext.Current.CancellationToken));
        if (first != listening.Task)
        {
            await serve.DisposeAsync();
            Assert.Fail($"codedoc serve did not start listening: {serve.Output}");
        }

        serve.BaseAddress = await listening.Task;
        serve.Client.BaseAddress = serve.BaseAddress;
        return serve;
    }

    /// <summary>Kills the host and everything it started, as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
    }

    /// <summary>Sends Ctrl+C (SIGINT) and waits for the host to exit by itself; returns its exit code.</summary>
    public async Task<int> InterruptAsync()
    {
        // Ctrl+C while the host is still starting cancels the start (exit 130); wait until it says it is up.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1);
        while (!Output.Contains("Press Ctrl+C to stop.", StringComparison.Ordinal))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "serve never finished starting: " + Output);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async Task<HttpResponseMessage> PostGitHubPushAsync(byte[] body, string secret, string deliveryId)
    {
        using var request = GitHubPush(body, secret, deliveryId);
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static HttpRequestMessage GitHubPush(byte[] body, string secret, string deliveryId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "codedoc/webhooks/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        return request;
    }

    public async Task<IReadOnlyList<JsonElement>> RunsAsync(string jobId)
    {
        var runs = await Client.GetFromJsonAsync<JsonElement>($"codedoc/api/runs?jobId={Uri.EscapeDataString(jobId)}&limit=500", TestContext.Current.CancellationToken);
        return [.. runs.EnumerateArray()];
    }

    /// <summary>Polls the run history until a condition holds, failing with the rows and the host's output after a generous timeout.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForRunsAsync(string jobId, Func<IReadOnlyList<JsonElement>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        IReadOnlyList<JsonElement> runs = [];
        while (DateTimeOffset.UtcNow < deadline)
        {
            runs = await RunsAsync(jobId);
            if (condition(runs))
            {
                return runs;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), TestContext.Current.CancellationToken);
        }

        Assert.Fail($"The history never reached the expected state. Runs: {JsonSerializer.Serialize(runs)}{Environment.NewLine}Host output: {Output}");
        return runs;
    }

    public static string Status(JsonElement run) => run.GetProperty("status").GetString()!;

    public static bool Settled(JsonElement run) => Status(run) is not ("queued" or "running");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await KillAsync();
        _process.Dispose();
    }
}
