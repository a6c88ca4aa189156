using System.Security.Cryptography;

namespace CodeDoc.IntegrationTests;

/// <summary>
/// Where the console keeps its data when told nothing: the database in the user's data folder and the key file in
/// the user's configuration folder, apart; or the key from an environment variable, with no key file at all.
/// </summary>
public sealed class DefaultLocationTests : IDisposable
{
    private readonly HostFolder _host = new() { PassPaths = false };

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task AnyVerb_NoPathsGiven_DatabaseInTheDataFolderAndKeyInTheConfigFolder()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The per-user folders are read from XDG variables on Linux only.");

        var result = await _host.RunOkAsync("jobs", "list");

        var database = Path.Combine(_host.Root, "xdg-data", "codedoc", "codedoc.db");
        var keyFile = Path.Combine(_host.Root, "xdg-config", "codedoc", "keys.json");
        Assert.True(File.Exists(database), result.All);
        Assert.True(File.Exists(keyFile), result.All);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        Assert.Contains($"created an encryption key at {keyFile}", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(database)!, "*.json"));
    }

    [Fact]
    public async Task AnyVerb_KeyFromAnEnvironmentVariable_StoresSecretsWithoutAnyKeyFile()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The per-user folders are read from XDG variables on Linux only.");
        _host.Environment["CODEDOC_IT_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var secret = "whsec" + "EnvKeyCanary" + Guid.NewGuid().ToString("N");
        _host.Environment["CODEDOC_IT_WEBHOOK_SECRET"] = secret;
        _host.WriteConfig(new { CodeDoc = new { Hosting = new { Encryption = new { KeyEnvironmentVariable = "CODEDOC_IT_KEY" } } } });
        var repository = Directory.CreateDirectory(Path.Combine(_host.Root, "repo")).FullName;

        await _host.RunOkAsync("jobs", "add", "docs", repository, "--facts-only", "--webhook-host", "github", "--webhook-secret-env", "CODEDOC_IT_WEBHOOK_SECRET");
        var listed = await _host.RunOkAsync("jobs", "list", "--json");

        Assert.Contains("\"docs\"", listed.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_host.Root, "xdg-config", "codedoc")));
        Assert.DoesNotContain("created an encryption key", listed.All, StringComparison.Ordinal);
        _host.Environment["CODEDOC_IT_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var wrongKey = await _host.RunAsync("serve", "--urls", "http://127.0.0.1:0");
        Assert.Equal(3, wrongKey.ExitCode);
        Assert.Contains("CODEDOC_IT_KEY", wrongKey.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening on", wrongKey.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, wrongKey.All, StringComparison.Ordinal);
    }
}
