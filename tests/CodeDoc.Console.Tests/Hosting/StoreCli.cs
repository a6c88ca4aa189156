using System.Text.Json;
using CodeDoc.Core;

namespace CodeDoc.Console.Tests.Hosting;

/// <summary>Runs <c>codedoc</c> against its own temporary database and key file (in different folders), and reads JSON answers.</summary>
internal sealed class StoreCli : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codedoc-cli-hosting-").FullName;

    public StoreCli()
    {
        Database = Path.Combine(_folder, "data", "codedoc.db");
        KeyFile = Path.Combine(_folder, "keys", "keys.json");
    }

    public string Database { get; }

    public string KeyFile { get; }

    public Action<ICodeDocBuilder>? Configure { get; set; }

    public string NewFolder() => Directory.CreateDirectory(Path.Combine(_folder, Guid.NewGuid().ToString("N"))).FullName;

    public Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) =>
        CliRunner.RunAsync(Configure, [.. args, "--database", Database, "--key-file", KeyFile]);

    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync([.. args, "--json"]);
        Assert.True(code == 0, $"exit {code}: {error}{output}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    public async Task<IReadOnlyList<JsonElement>> HistoryAsync(params string[] extra) =>
        [.. (await JsonAsync(["history", .. extra])).EnumerateArray()];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
