using System.Security.Cryptography;

namespace CodeDoc.Hosting.Stores.Encryption;

/// <summary>The AES keys a key source holds: the current one new secrets are encrypted with, and retired ones still read.</summary>
internal sealed class SecretKeyRing
{
    /// <summary>The length of every key: AES-256.</summary>
    public const int KeyLength = 32;

    public SecretKeyRing(string currentKeyId, IReadOnlyDictionary<string, byte[]> keys, string source, string missingKeyHint)
    {
        CurrentKeyId = currentKeyId;
        Keys = keys;
        Source = source;
        MissingKeyHint = missingKeyHint;
    }

    /// <summary>Gets the id of the key new secrets are encrypted with.</summary>
    public string CurrentKeyId { get; }

    /// <summary>Gets every key by id.</summary>
    public IReadOnlyDictionary<string, byte[]> Keys { get; }

    /// <summary>Gets where the keys come from, for messages (e.g. <c>key file '/etc/codedoc/keys.json'</c>).</summary>
    public string Source { get; }

    /// <summary>Gets how to make a missing key available again, for messages.</summary>
    public string MissingKeyHint { get; }

    /// <summary>Derives a key's id: the first 8 hex digits of its SHA-256, which identifies it without revealing it.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The id.</returns>
    public static string DeriveKeyId(ReadOnlySpan<byte> key) => Convert.ToHexStringLower(SHA256.HashData(key))[..8];
}
