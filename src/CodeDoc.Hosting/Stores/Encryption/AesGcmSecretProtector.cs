using System.Security.Cryptography;
using System.Text;

namespace CodeDoc.Hosting.Stores.Encryption;

/// <summary>
/// AES-256-GCM with a random 12-byte nonce per secret and a 16-byte tag. The associated data (what the secret belongs
/// to) and the header (format and key id) are authenticated, so a ciphertext moved to another row or relabelled fails.
/// </summary>
internal sealed class AesGcmSecretProtector : ISecretProtector
{
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly Func<SecretKeyRing> _ring;

    public AesGcmSecretProtector(SecretKeyRing ring)
        : this(() => ring)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AesGcmSecretProtector"/> class over a ring that may change (a key file rotated while the host runs).</summary>
    /// <param name="ring">Gets the ring as it is now.</param>
    public AesGcmSecretProtector(Func<SecretKeyRing> ring)
    {
        _ring = ring;
    }

    /// <inheritdoc />
    public string CurrentKeyId => _ring().CurrentKeyId;

    /// <inheritdoc />
    public byte[] Protect(string plaintext, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(associatedData);
        var ring = _ring();
        var header = SecretCiphertext.Header(SecretCiphertext.AesGcmFormat, ring.CurrentKeyId);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var result = new byte[header.Length + NonceLength + TagLength + plain.Length];
        header.CopyTo(result, 0);
        var nonce = result.AsSpan(header.Length, NonceLength);
        var tag = result.AsSpan(header.Length + NonceLength, TagLength);
        var cipher = result.AsSpan(header.Length + NonceLength + TagLength);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(ring.Keys[ring.CurrentKeyId], TagLength))
        {
            aes.Encrypt(nonce, plain, cipher, tag, AssociatedData(header, associatedData));
        }

        CryptographicOperations.ZeroMemory(plain);
        return result;
    }

    /// <inheritdoc />
    public string Unprotect(byte[] ciphertext, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(associatedData);
        var (format, keyId, headerLength) = SecretCiphertext.ReadHeader(ciphertext);
        var ring = _ring();
        if (format != SecretCiphertext.AesGcmFormat)
        {
            throw new SecretKeyException(
                $"The secret of '{associatedData}' was encrypted with ASP.NET Core Data Protection, but the host now uses the {ring.Source}. " +
                "Switch CodeDoc:Hosting:Encryption back to UseDataProtection, or save the secret again.");
        }

        if (!ring.Keys.TryGetValue(keyId, out var key))
        {
            throw new SecretKeyException(
                $"The secret of '{associatedData}' was encrypted with key '{keyId}', which the {ring.Source} does not hold (its current key is '{ring.CurrentKeyId}'). {ring.MissingKeyHint}");
        }

        if (ciphertext.Length < headerLength + NonceLength + TagLength)
        {
            throw Altered(ring, associatedData, keyId, null);
        }

        var nonce = ciphertext.AsSpan(headerLength, NonceLength);
        var tag = ciphertext.AsSpan(headerLength + NonceLength, TagLength);
        var cipher = ciphertext.AsSpan(headerLength + NonceLength + TagLength);
        var plain = new byte[cipher.Length];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(nonce, cipher, tag, plain, AssociatedData(ciphertext.AsSpan(0, headerLength), associatedData));
            return Encoding.UTF8.GetString(plain);
        }
        catch (CryptographicException e)
        {
            throw Altered(ring, associatedData, keyId, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <inheritdoc />
    public string GetKeyId(byte[] ciphertext) => SecretCiphertext.ReadHeader(ciphertext).KeyId;

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, string associatedData)
    {
        var data = new byte[header.Length + Encoding.UTF8.GetByteCount(associatedData)];
        header.CopyTo(data);
        Encoding.UTF8.GetBytes(associatedData, data.AsSpan(header.Length));
        return data;
    }

    private static SecretKeyException Altered(SecretKeyRing ring, string associatedData, string keyId, Exception? inner) => new(
        $"The secret of '{associatedData}' cannot be decrypted with key '{keyId}' from the {ring.Source}: the key is wrong or the row was altered. " +
        "Restore the right key (or the database from a backup), or save the secret again.",
        inner);
}
