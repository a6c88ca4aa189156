using CodeDoc.Core;
using Microsoft.Extensions.Configuration;

namespace CodeDoc.ConsoleHost.Hosting;

/// <summary>
/// Where the console keeps the host's data unless told otherwise: the database in the user's local data folder and
/// the encryption key in the user's (roaming) application data folder, so a copy of the database never carries its key.
/// </summary>
internal static class HostingDefaults
{
    public const string DatabaseKey = "CodeDoc:Hosting:DatabasePath";
    public const string KeyFileKey = "CodeDoc:Hosting:Encryption:KeyFile";
    public const string KeyVariableKey = "CodeDoc:Hosting:Encryption:KeyEnvironmentVariable";
    public const string DataProtectionKey = "CodeDoc:Hosting:Encryption:UseDataProtection";

    public static string DefaultDatabasePath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "codedoc", "codedoc.db");

    public static string DefaultKeyFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "codedoc", "keys.json");

    /// <summary>The defaults for the keys the configuration leaves unset.</summary>
    public static Dictionary<string, string?> For(IConfiguration configuration)
    {
        var defaults = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(configuration[DatabaseKey]))
        {
            defaults[DatabaseKey] = DefaultDatabasePath;
        }

        // A key source chosen in configuration (a variable or Data Protection) is the only one: a second would be refused.
        if (string.IsNullOrWhiteSpace(configuration[KeyFileKey])
            && string.IsNullOrWhiteSpace(configuration[KeyVariableKey])
            && !string.Equals(configuration[DataProtectionKey], "true", StringComparison.OrdinalIgnoreCase))
        {
            defaults[KeyFileKey] = DefaultKeyFile;
        }

        return defaults;
    }

    /// <summary>The key file the configuration names, checked not to sit beside the database.</summary>
    /// <exception cref="CodeDocConfigurationException">The key file is in the database's folder.</exception>
    public static string? KeyFile(IConfiguration configuration)
    {
        if (configuration[KeyFileKey] is not { Length: > 0 } keyFile)
        {
            return null;
        }

        var keyFolder = Path.GetDirectoryName(Path.GetFullPath(keyFile));
        var databaseFolder = Path.GetDirectoryName(Path.GetFullPath(configuration[DatabaseKey] ?? DefaultDatabasePath));
        if (string.Equals(keyFolder, databaseFolder, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            throw new CodeDocConfigurationException(
                $"The key file '{keyFile}' is in the same folder as the database: whoever copies the database would get the key too. Keep it in another folder (--key-file or {KeyFileKey}).");
        }

        return Path.GetFullPath(keyFile);
    }
}
