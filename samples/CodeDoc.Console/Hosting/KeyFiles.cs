using CodeDoc.Hosting;

namespace CodeDoc.ConsoleHost.Hosting;

/// <summary>Creates the console's key file on first use and says so once, because losing it loses every stored secret.</summary>
internal static class KeyFiles
{
    public static async Task EnsureAsync(string keyFile, CliEnvironment environment)
    {
        if (File.Exists(keyFile))
        {
            return;
        }

        HostingKeyFile.Create(keyFile);
        await environment.Error.WriteLineAsync(
            $"created an encryption key at {keyFile}; back it up: without it stored keys cannot be read.").ConfigureAwait(false);
    }
}
