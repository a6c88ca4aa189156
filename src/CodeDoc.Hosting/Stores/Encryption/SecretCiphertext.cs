using System.Globalization;
using System.Text;

namespace CodeDoc.Hosting.Stores.Encryption;

/// <summary>
/// The header every stored ciphertext starts with: a format byte, then the length and ASCII bytes of the id of the key
/// that made it. The header is authenticated with the payload, so the key id cannot be swapped.
/// </summary>
internal static class SecretCiphertext
{
    /// <summary>AES-GCM: header, 12-byte nonce, 16-byte tag, ciphertext.</summary>
    public const byte AesGcmFormat = 1;

    /// <summary>ASP.NET Core Data Protection: header, then the Data Protection payload.</summary>
    public const byte DataProtectionFormat = 2;

    public static byte[] Header(byte format, string keyId)
    {
        var id = Encoding.ASCII.GetBytes(keyId);
        var header = new byte[2 + id.Length];
        header[0] = format;
        header[1] = checked((byte)id.Length);
        id.CopyTo(header, 2);
        return header;
    }

    /// <summary>Reads a ciphertext's header.</summary>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <returns>The format, the key id and the header's length.</returns>
    /// <exception cref="SecretKeyException">It is not a CodeDoc ciphertext.</exception>
    public static (byte Format, string KeyId, int HeaderLength) ReadHeader(byte[] ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (ciphertext.Length < 2 || ciphertext[0] is not (AesGcmFormat or DataProtectionFormat) || ciphertext.Length < 2 + ciphertext[1])
        {
            throw new SecretKeyException(string.Create(
                CultureInfo.InvariantCulture,
                $"A stored secret is not in a format this CodeDoc knows (format byte {(ciphertext.Length > 0 ? ciphertext[0] : -1)}). The row was altered or written by a newer CodeDoc; save the secret again."));
        }

        var length = ciphertext[1];
        return (ciphertext[0], Encoding.ASCII.GetString(ciphertext, 2, length), 2 + length);
    }
}
