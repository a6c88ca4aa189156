using System.Security.Cryptography;

namespace CodeDoc.Hosting.Stores.Encryption;

/// <summary>Reads the key from an environment variable (32 bytes in base64) and retired keys from <c>{name}_PREVIOUS</c>.</summary>
internal static class EnvironmentKeyRing
{
    public static SecretKeyRing Load(string variable)
    {
        var current = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(current))
        {
            throw new SecretKeyException(
                $"The environment variable '{variable}' (CodeDoc:Hosting:Encryption:KeyEnvironmentVariable) is not set. " +
                "Set it to 32 random bytes in base64 (e.g. the output of 'openssl rand -base64 32'), from your secret manager.");
        }

        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var currentKey = Decode(current, variable);
        var currentId = SecretKeyRing.DeriveKeyId(currentKey);
        keys[currentId] = currentKey;

        var previousVariable = variable + "_PREVIOUS";
        var previous = Environment.GetEnvironmentVariable(previousVariable) ?? string.Empty;
        foreach (var text in previous.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var key = Decode(text, previousVariable);
            keys.TryAdd(SecretKeyRing.DeriveKeyId(key), key);
        }

        return new SecretKeyRing(
            currentId,
            keys,
            $"environment variable '{variable}'",
            $"Set '{previousVariable}' to the retired key (comma-separated when there are several) until 'codedoc keys reencrypt' has run.");
    }

    private static byte[] Decode(string text, string variable)
    {
        var buffer = new byte[SecretKeyRing.KeyLength + 3];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var written) || written != SecretKeyRing.KeyLength)
        {
            CryptographicOperations.ZeroMemory(buffer);
            throw new SecretKeyException(
                $"The environment variable '{variable}' does not hold a key: it must be exactly {SecretKeyRing.KeyLength} bytes in base64 " +
                "(e.g. the output of 'openssl rand -base64 32').");
        }

        var key = buffer[..SecretKeyRing.KeyLength];
        CryptographicOperations.ZeroMemory(buffer);
        return key;
    }
}
