using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace CodeDoc.Hosting.Stores.Encryption;

/// <summary>
/// Encrypts secrets with the embedding application's ASP.NET Core Data Protection key ring. The associated data is a
/// purpose, so a ciphertext moved to another row fails. Data Protection rotates and keeps its own keys, so every
/// ciphertext carries the one key id <see cref="KeyId"/> and re-encryption has nothing to do.
/// </summary>
internal sealed class DataProtectionSecretProtector : ISecretProtector
{
    public const string KeyId = "data-protection";

    private const string Purpose = "CodeDoc.Hosting.Secrets";

    private readonly IDataProtectionProvider _provider;

    public DataProtectionSecretProtector(IDataProtectionProvider provider)
    {
        _provider = provider;
    }

    /// <inheritdoc />
    public string CurrentKeyId => KeyId;

    /// <inheritdoc />
    public byte[] Protect(string plaintext, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(associatedData);
        var header = SecretCiphertext.Header(SecretCiphertext.DataProtectionFormat, KeyId);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var payload = _provider.CreateProtector(Purpose, associatedData).Protect(plain);
        CryptographicOperations.ZeroMemory(plain);
        return [.. header, .. payload];
    }

    /// <inheritdoc />
    public string Unprotect(byte[] ciphertext, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(associatedData);
        var (format, keyId, headerLength) = SecretCiphertext.ReadHeader(ciphertext);
        if (format != SecretCiphertext.DataProtectionFormat)
        {
            throw new SecretKeyException(
                $"The secret of '{associatedData}' was encrypted with key '{keyId}' of a key file or environment variable, but the host now uses ASP.NET Core Data Protection. " +
                "Configure that key source again (CodeDoc:Hosting:Encryption), or save the secret again.");
        }

        byte[] plain;
        try
        {
            plain = _provider.CreateProtector(Purpose, associatedData).Unprotect(ciphertext[headerLength..]);
        }
        catch (CryptographicException e)
        {
            throw new SecretKeyException(
                $"The secret of '{associatedData}' cannot be decrypted with the Data Protection key ring: its key is missing or wrong, or the row was altered. " +
                "Point Data Protection at the key ring that encrypted it (PersistKeysTo... and the same application name), or save the secret again.",
                e);
        }

        try
        {
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <inheritdoc />
    public string GetKeyId(byte[] ciphertext) => SecretCiphertext.ReadHeader(ciphertext).KeyId;
}
