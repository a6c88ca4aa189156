using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Stores.Encryption;

/// <summary>
/// The host's <see cref="ISecretProtector"/>: the key source <see cref="HostingEncryptionOptions"/> names, loaded on
/// first use, so commands that never touch a secret (history, purge) work without the key.
/// </summary>
internal sealed class ConfiguredSecretProtector : ISecretProtector
{
    private readonly Lazy<ISecretProtector> _inner;

    public ConfiguredSecretProtector(IOptions<CodeDocHostingOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        var encryption = options.Value.Encryption;
        _inner = new Lazy<ISecretProtector>(() => Create(encryption, services), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <inheritdoc />
    public string CurrentKeyId => _inner.Value.CurrentKeyId;

    /// <inheritdoc />
    public byte[] Protect(string plaintext, string associatedData) => _inner.Value.Protect(plaintext, associatedData);

    /// <inheritdoc />
    public string Unprotect(byte[] ciphertext, string associatedData) => _inner.Value.Unprotect(ciphertext, associatedData);

    /// <inheritdoc />
    public string GetKeyId(byte[] ciphertext) => SecretCiphertext.ReadHeader(ciphertext).KeyId;

    private static ISecretProtector Create(HostingEncryptionOptions encryption, IServiceProvider services)
    {
        if (encryption.KeyFile is { Length: > 0 } keyFile)
        {
            var source = new KeyFileRingSource(keyFile);
            source.Get();
            return new AesGcmSecretProtector(source.Get);
        }

        if (encryption.KeyEnvironmentVariable is { Length: > 0 } variable)
        {
            return new AesGcmSecretProtector(EnvironmentKeyRing.Load(variable));
        }

        if (encryption.UseDataProtection)
        {
            var provider = services.GetService<IDataProtectionProvider>() ?? throw new SecretKeyException(
                "CodeDoc:Hosting:Encryption:UseDataProtection is on, but ASP.NET Core Data Protection is not registered. " +
                "Call services.AddDataProtection() with a persisted, protected key ring, or use a key file instead.");

            // An unencrypted key ring beside the database would hand out the key with the data.
            if (services.GetService<IOptions<KeyManagementOptions>>()?.Value.XmlEncryptor is null)
            {
                throw new SecretKeyException(
                    "The Data Protection key ring is not protected at rest, so it cannot guard CodeDoc's secrets. Call ProtectKeysWithCertificate, " +
                    "ProtectKeysWithDpapi or ProtectKeysWithAzureKeyVault on services.AddDataProtection(), or use a key file instead.");
            }

            return new DataProtectionSecretProtector(provider);
        }

        throw new SecretKeyException(
            "No encryption key source is configured. Set CodeDoc:Hosting:Encryption:KeyFile (create the file with 'codedoc keys init --key-file <path>'), " +
            "CodeDoc:Hosting:Encryption:KeyEnvironmentVariable, or CodeDoc:Hosting:Encryption:UseDataProtection.");
    }
}
