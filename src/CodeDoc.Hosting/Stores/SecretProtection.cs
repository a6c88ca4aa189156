using CodeDoc.Core;

namespace CodeDoc.Hosting;

/// <summary>
/// Encrypts the secrets the host stores (keys, tokens, webhook secrets) with authenticated encryption. Every
/// ciphertext names the key that made it, so a rotated key ring still reads older rows until they are re-encrypted.
/// </summary>
public interface ISecretProtector
{
    /// <summary>Gets the id of the key new ciphertexts are made with.</summary>
    string CurrentKeyId { get; }

    /// <summary>Encrypts a secret.</summary>
    /// <param name="plaintext">The secret.</param>
    /// <param name="associatedData">What the secret belongs to (e.g. <c>provider:github-oss:Token</c>); a ciphertext moved to another row fails to decrypt.</param>
    /// <returns>The ciphertext.</returns>
    byte[] Protect(string plaintext, string associatedData);

    /// <summary>Decrypts a secret.</summary>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="associatedData">What it belongs to, as given when it was made.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="SecretKeyException">The key that made it is not available, or the ciphertext was altered.</exception>
    string Unprotect(byte[] ciphertext, string associatedData);

    /// <summary>Gets the id of the key a ciphertext was made with.</summary>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <returns>The key id.</returns>
    string GetKeyId(byte[] ciphertext);
}

/// <summary>Re-encrypts every stored secret under the current key, so a retired key can be removed.</summary>
public interface ISecretRotation
{
    /// <summary>Re-encrypts every secret not made with the current key.</summary>
    /// <param name="actor">Who asked (audited).</param>
    /// <param name="cancellationToken">Cancels the rotation; rows already re-encrypted stay so.</param>
    /// <returns>How many secrets were re-encrypted.</returns>
    Task<int> ReencryptAsync(string actor, CancellationToken cancellationToken = default);
}

/// <summary>The host's encryption key is missing, wrong or not protected as required.</summary>
public sealed class SecretKeyException : CodeDocException
{
    /// <summary>Initializes a new instance of the <see cref="SecretKeyException"/> class.</summary>
    public SecretKeyException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SecretKeyException"/> class.</summary>
    /// <param name="message">What is wrong and how to fix it; never the key.</param>
    public SecretKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SecretKeyException"/> class.</summary>
    /// <param name="message">What is wrong and how to fix it; never the key.</param>
    /// <param name="innerException">The cause.</param>
    public SecretKeyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The store cannot be opened or read: a corrupted file, a newer schema, a locked database.</summary>
public sealed class HostingStoreException : CodeDocException
{
    /// <summary>Initializes a new instance of the <see cref="HostingStoreException"/> class.</summary>
    public HostingStoreException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HostingStoreException"/> class.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public HostingStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HostingStoreException"/> class.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public HostingStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
