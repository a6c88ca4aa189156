using System.CommandLine;
using CodeDoc.ConsoleHost.Hosting;
using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.ConsoleHost.Commands;

/// <summary><c>codedoc keys init|rotate</c>: the key file that encrypts the stored secrets.</summary>
internal static class KeysCommand
{
    public static Command Create(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var init = new Command("init", "Create the key file (readable by its owner only). Back it up: without it stored keys cannot be read.");
        init.SetAction(async (result, cancellationToken) =>
        {
            if (KeyFileOf(result) is not { } keyFile)
            {
                await environment.Error.WriteLineAsync("error: the key comes from an environment variable or Data Protection here (CodeDoc:Hosting:Encryption), not from a key file: there is no file to create. For a variable, put 32 random bytes in base64 in it (e.g. 'openssl rand -base64 32').").ConfigureAwait(false);
                return ExitCodes.InvalidConfiguration;
            }

            if (File.Exists(keyFile))
            {
                await environment.Error.WriteLineAsync($"error: the key file {keyFile} already exists; it is left as it is. Use 'codedoc keys rotate' to replace the key.").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            HostingKeyFile.Create(keyFile);
            await environment.Out.WriteLineAsync($"Created an encryption key at {keyFile}; back it up: without it stored keys cannot be read.").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var rotate = new Command("rotate", "Add a new key, re-encrypt every stored secret with it, then remove the old keys from the key file.");
        rotate.SetAction(async (result, cancellationToken) =>
        {
            var keyFile = KeyFileOf(result);
            if (keyFile is null)
            {
                // The key is in a variable: the user has moved the old key to <NAME>_PREVIOUS and set a new one.
                await using var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false);
                var reencrypted = await session.Services.GetRequiredService<ISecretRotation>().ReencryptAsync(HostingSession.Actor, cancellationToken).ConfigureAwait(false);
                await environment.Out.WriteLineAsync($"{reencrypted} secret(s) re-encrypted with the key in the environment variable; the retired keys (<NAME>_PREVIOUS) are no longer needed.").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (!File.Exists(keyFile))
            {
                await environment.Error.WriteLineAsync($"error: there is no key file at {keyFile}. Create one with 'codedoc keys init'.").ConfigureAwait(false);
                return ExitCodes.InvalidConfiguration;
            }

            HostingKeyFile.AddKey(keyFile);
            int count;
            await using (var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false))
            {
                count = await session.Services.GetRequiredService<ISecretRotation>().ReencryptAsync(HostingSession.Actor, cancellationToken).ConfigureAwait(false);
            }

            // Only once every secret reads with the new key may the old ones go; an interrupted rotation keeps them.
            HostingKeyFile.RemoveRetiredKeys(keyFile);
            await environment.Out.WriteLineAsync($"Rotated the key in {keyFile}: {count} secret(s) re-encrypted, the old key removed. Replace your backup of the key file.").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        return new Command("keys", "The key that encrypts stored keys, tokens and webhook secrets.") { init, rotate };
    }

    private static string? KeyFileOf(ParseResult result) =>
        HostingDefaults.KeyFile(CliServices.BuildConfiguration(CodeDocCli.Settings(result)));
}
