using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CodeDoc.IntegrationTests;

/// <summary>What a child <c>codedoc</c> process wrote and how it ended.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string All => Out + Error;
}

/// <summary>
/// One host's folder: its database and key file (in different folders), its configuration, the Markdown folder it
/// publishes to, and the environment its child processes get. Commands run as <c>dotnet codedoc.dll ...</c>.
/// </summary>
internal sealed class HostFolder : IDisposable
{
    public const string ApiKeyVariable = "CODEDOC_IT_API_KEY";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    public HostFolder()
    {
        Root = Directory.CreateTempSubdirectory("codedoc-it-").FullName;
        Database = Path.Combine(Root, "data", "codedoc.db");
        KeyFile = Path.Combine(Root, "keys", "keys.json");
        Config = Path.Combine(Root, "codedoc.config.json");
        Output = Path.Combine(Root, "pages");
        File.WriteAllText(Config, "{}");
    }

    public string Root { get; }

    public string Database { get; }

    public string KeyFile { get; }

    public string Config { get; }

    public string Output { get; }

    /// <summary>Gets or sets a value indicating whether commands get --database and --key-file (off to test the defaults).</summary>
    public bool PassPaths { get; set; } = true;

    /// <summary>Gets variables set for every child process (API key, secrets given with --secret-env).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public static string CodeDocDll => Path.Combine(AppContext.BaseDirectory, "codedoc.dll");

    public void WriteConfig(object configuration) => File.WriteAllText(Config, JsonSerializer.Serialize(configuration));

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, Text(output), Text(error));
    }

    public async Task<CliResult> RunOkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"codedoc {string.Join(' ', args)} exited {result.ExitCode}: {result.All}");
        return result;
    }

    public async Task<ServeProcess> ServeAsync(params string[] extra)
    {
        var process = Start(["serve", "--urls", "http://127.0.0.1:0", "--api-key-env", ApiKeyVariable, .. extra]);
        return await ServeProcess.StartAsync(process, Environment.GetValueOrDefault(ApiKeyVariable));
    }

    /// <summary>Every byte of the database folder (database, WAL and shared-memory files) as text, for plaintext searches.</summary>
    public string DatabaseBytesAsText()
    {
        SqliteConnection.ClearAllPools();
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(Database)!))
        {
            text.Append(Encoding.UTF8.GetString(File.ReadAllBytes(file))).Append(Encoding.Latin1.GetString(File.ReadAllBytes(file)));
        }

        return text.ToString();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A killed child may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }

    internal static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    internal static string Text(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }

    private Process Start(string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CodeDocDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var arg in PassPaths ? ["--database", Database, "--key-file", KeyFile, "--config", Config] : (string[])["--config", Config])
        {
            info.ArgumentList.Add(arg);
        }

        // The per-user folders the console defaults to, kept inside the test's folder.
        info.Environment["XDG_DATA_HOME"] = Path.Combine(Root, "xdg-data");
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(Root, "xdg-config");

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("CodeDoc__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("CODEDOC_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }
}
