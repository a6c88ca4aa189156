using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using CodeDoc.Hosting.Stores.Encryption;
using CodeDoc.Hosting.Stores.Sqlite;

namespace CodeDoc.Hosting;

/// <summary>
/// Creates and rotates the host's key file: a JSON key ring (<c>{"current": id, "keys": [{"id", "key", "created"}]}</c>)
/// readable by its owner only. Used by <c>codedoc keys</c>; key material is never printed or returned.
/// </summary>
/// <remarks>
/// To rotate: <see cref="AddKey"/> (new secrets use the new key, old ones still read), then
/// <see cref="ISecretRotation.ReencryptAsync"/>, then <see cref="RemoveRetiredKeys"/>.
/// </remarks>
public static class HostingKeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    // Relaxed escaping keeps '+' in base64 keys as it is, for people who copy a key into a vault by hand.
    private static readonly JsonSerializerOptions JsonOptions = new(StoreValues.Json) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates a key file with one new random key, readable by its owner only (mode 600 on Unix).</summary>
    /// <param name="path">The file to create (its folder is created when missing).</param>
    /// <param name="timeProvider">The clock the key's creation time is read from; the system clock when <see langword="null"/>.</param>
    /// <returns>The new key's id.</returns>
    /// <exception cref="SecretKeyException">The file exists already.</exception>
    public static string Create(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (File.Exists(fullPath))
        {
            throw new SecretKeyException(
                $"The key file '{fullPath}' exists already; it is not overwritten (that would make every stored secret unreadable). " +
                "Use 'codedoc keys rotate' to add a key to it, or choose another path.");
        }

        var key = NewKey(timeProvider);
        Write(fullPath, new KeyFileDocument(key.Id, [key]), FileMode.CreateNew);
        return key.Id;
    }

    /// <summary>Adds a new random key and makes it current; the older keys stay to read what they encrypted.</summary>
    /// <param name="path">The key file.</param>
    /// <param name="timeProvider">The clock the key's creation time is read from; the system clock when <see langword="null"/>.</param>
    /// <returns>The new key's id.</returns>
    /// <exception cref="SecretKeyException">The file is missing, unreadable or not protected.</exception>
    public static string AddKey(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        var document = Read(fullPath);
        var key = NewKey(timeProvider);
        Replace(fullPath, new KeyFileDocument(key.Id, [.. document.Keys, key]));
        return key.Id;
    }

    /// <summary>
    /// Removes every key but the current one. Call it only after <see cref="ISecretRotation.ReencryptAsync"/> has
    /// re-encrypted the stored secrets with the current key: secrets made with a removed key cannot be read any more.
    /// </summary>
    /// <param name="path">The key file.</param>
    /// <returns>How many keys were removed.</returns>
    /// <exception cref="SecretKeyException">The file is missing, unreadable or not protected.</exception>
    public static int RemoveRetiredKeys(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        var document = Read(fullPath);
        var current = document.Keys.Where(k => k.Id == document.Current).ToList();
        Replace(fullPath, new KeyFileDocument(document.Current, current));
        return document.Keys.Count - current.Count;
    }

    /// <summary>Loads the key ring from a key file.</summary>
    /// <param name="path">The key file.</param>
    /// <returns>The keys.</returns>
    /// <exception cref="SecretKeyException">The file is missing, unreadable, inconsistent or not protected.</exception>
    internal static SecretKeyRing Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var document = Read(fullPath);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in document.Keys)
        {
            keys[entry.Id] = Convert.FromBase64String(entry.Key);
        }

        return new SecretKeyRing(
            document.Current,
            keys,
            $"key file '{fullPath}'",
            $"Put the key file that held it back in place, or a backup of '{fullPath}' from before the key was removed.");
    }

    private static KeyFileDocument Read(string fullPath)
    {
        if (!File.Exists(fullPath))
        {
            throw new SecretKeyException(
                $"The key file '{fullPath}' (CodeDoc:Hosting:Encryption:KeyFile) does not exist. Create it with 'codedoc keys init --key-file {fullPath}', " +
                "or restore it from where you keep its backup.");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(fullPath) & GroupOrOthers) != 0)
        {
            throw new SecretKeyException(
                $"The key file '{fullPath}' can be read or written by other users. Run 'chmod 600 {fullPath}' so only its owner can, then start again.");
        }

        KeyFileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<KeyFileDocument>(File.ReadAllBytes(fullPath), JsonOptions);
        }
        catch (JsonException e)
        {
            // The parser's message can quote the file's text, which is key material: only its position is kept.
            throw Invalid(fullPath, $"it is not valid JSON (line {e.LineNumber + 1})");
        }

        if (document is null || document.Keys.Count == 0 || document.Keys.All(k => k.Id != document.Current))
        {
            throw Invalid(fullPath, "it names no current key");
        }

        foreach (var entry in document.Keys)
        {
            if (!IsKey(entry.Key))
            {
                throw Invalid(fullPath, $"key '{entry.Id}' is not {SecretKeyRing.KeyLength} bytes in base64");
            }
        }

        return document;
    }

    private static bool IsKey(string? base64)
    {
        Span<byte> buffer = stackalloc byte[SecretKeyRing.KeyLength + 3];
        var valid = base64 is not null && Convert.TryFromBase64String(base64, buffer, out var written) && written == SecretKeyRing.KeyLength;
        CryptographicOperations.ZeroMemory(buffer);
        return valid;
    }

    private static SecretKeyException Invalid(string fullPath, string problem) => new(
        $"The key file '{fullPath}' cannot be used: {problem}. Restore it from its backup, or create a new one with 'codedoc keys init' " +
        "(secrets encrypted with the old keys must then be saved again).");

    private static KeyFileEntry NewKey(TimeProvider? timeProvider)
    {
        var key = RandomNumberGenerator.GetBytes(SecretKeyRing.KeyLength);
        var entry = new KeyFileEntry(SecretKeyRing.DeriveKeyId(key), Convert.ToBase64String(key), (timeProvider ?? TimeProvider.System).GetUtcNow());
        CryptographicOperations.ZeroMemory(key);
        return entry;
    }

    private static void Replace(string fullPath, KeyFileDocument document)
    {
        // Written beside the file and moved over it, so a crash never leaves a half-written key ring.
        var temporary = fullPath + ".tmp";
        File.Delete(temporary);
        Write(temporary, document, FileMode.CreateNew);
        File.Move(temporary, fullPath, overwrite: true);
    }

    private static void Write(string fullPath, KeyFileDocument document, FileMode mode)
    {
        if (Path.GetDirectoryName(fullPath) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using var stream = new FileStream(fullPath, options);
        JsonSerializer.Serialize(stream, document, JsonOptions);
    }

    private sealed record KeyFileDocument(string Current, IReadOnlyList<KeyFileEntry> Keys);

    private sealed record KeyFileEntry(string Id, string Key, DateTimeOffset Created);
}
