using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Stores;

/// <summary>Checks the store's options at start: a usable database path and exactly one encryption key source.</summary>
internal sealed class HostingStoreOptionsValidator : IValidateOptions<CodeDocHostingOptions>
{
    private const string KeyFileKey = "CodeDoc:Hosting:Encryption:KeyFile";
    private const string EnvironmentKey = "CodeDoc:Hosting:Encryption:KeyEnvironmentVariable";
    private const string DataProtectionKey = "CodeDoc:Hosting:Encryption:UseDataProtection";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CodeDocHostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            failures.Add("CodeDoc:Hosting:DatabasePath is empty. Set it to the SQLite file the host keeps its data in, e.g. 'data/codedoc.db'.");
        }
        else if (options.DatabasePath.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0 || options.DatabasePath.EndsWith('/') || options.DatabasePath.EndsWith('\\'))
        {
            failures.Add($"CodeDoc:Hosting:DatabasePath '{options.DatabasePath}' is not a file path. Set it to a file, e.g. 'data/codedoc.db'.");
        }

        var encryption = options.Encryption;
        var sources = new List<string>();
        if (!string.IsNullOrWhiteSpace(encryption.KeyFile))
        {
            sources.Add($"{KeyFileKey} = '{encryption.KeyFile}'");
        }

        if (!string.IsNullOrWhiteSpace(encryption.KeyEnvironmentVariable))
        {
            sources.Add($"{EnvironmentKey} = '{encryption.KeyEnvironmentVariable}'");
        }

        if (encryption.UseDataProtection)
        {
            sources.Add($"{DataProtectionKey} = true");
        }

        const string Choices =
            $"{KeyFileKey} (create the file with 'codedoc keys init --key-file <path>'), " +
            $"{EnvironmentKey} (the name of an environment variable holding 32 random bytes in base64), or " +
            $"{DataProtectionKey} (with services.AddDataProtection() and a key ring protected at rest)";
        if (sources.Count == 0)
        {
            failures.Add($"No encryption key source is set, so stored secrets cannot be protected. Set exactly one of {Choices}.");
        }
        else if (sources.Count > 1)
        {
            failures.Add($"Several encryption key sources are set ({string.Join(", ", sources)}). Keep exactly one of {Choices}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
