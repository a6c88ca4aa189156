using System.Security.Cryptography;
using System.Text;

namespace CodeDoc.Ai;

/// <summary>
/// The key of one AI provider instance: a fixed key, a delegate that returns the current key or token (vaults,
/// Entra ID), or nothing (local servers). It is the only holder of the secret: vendor SDKs get a placeholder and
/// <see cref="AiHttpHandler"/> writes the real value into each request, so the secret never sits in SDK objects.
/// </summary>
internal sealed class AiCredential
{
    private readonly string? _key;
    private readonly Func<CancellationToken, ValueTask<string>>? _provider;
    private volatile string? _lastProvided;

    /// <summary>Initializes a new instance of the <see cref="AiCredential"/> class.</summary>
    /// <param name="key">A fixed key, or <see langword="null"/>.</param>
    /// <param name="provider">Returns the current key or token per request, or <see langword="null"/>; wins over <paramref name="key"/>.</param>
    /// <param name="accountScope">
    /// What identifies the account when the key is only known per request (a delegate) or absent: usually the
    /// endpoint and the registration name.
    /// </param>
    public AiCredential(string? key, Func<CancellationToken, ValueTask<string>>? provider, string accountScope)
    {
        _key = string.IsNullOrEmpty(key) ? null : key;
        _provider = provider;
        AccountId = _provider is not null || _key is null
            ? $"scope:{Hash(accountScope)}"
            : $"key:{Hash(_key)}";
    }

    /// <summary>Gets a value indicating whether there is no key at all.</summary>
    public bool IsEmpty => _key is null && _provider is null;

    /// <summary>Gets a stable, non-reversible id of the account: a hash of the key, or of the scope for delegates and keyless servers.</summary>
    public string AccountId { get; }

    /// <summary>Gets the key or token for one request.</summary>
    /// <param name="cancellationToken">Cancels a delegate's work.</param>
    /// <returns>The secret, or <see langword="null"/> when there is none.</returns>
    public async ValueTask<string?> GetAsync(CancellationToken cancellationToken)
    {
        if (_provider is null)
        {
            return _key;
        }

        var value = await _provider(cancellationToken).ConfigureAwait(false);
        _lastProvided = string.IsNullOrEmpty(value) ? _lastProvided : value;
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Tells whether a text contains the secret (the fixed key or the last provided one).</summary>
    /// <param name="text">The text.</param>
    /// <returns>Whether the secret occurs in it.</returns>
    public bool Occurs(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        return (_key is not null && text.Contains(_key, StringComparison.Ordinal))
            || (_lastProvided is { } provided && text.Contains(provided, StringComparison.Ordinal));
    }

    /// <summary>Replaces the secret in a text (vendor messages may echo a key back).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text without the secret.</returns>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_key is not null)
        {
            text = text.Replace(_key, "***", StringComparison.Ordinal);
        }

        if (_lastProvided is { } provided)
        {
            text = text.Replace(provided, "***", StringComparison.Ordinal);
        }

        return text;
    }

    /// <inheritdoc />
    public override string ToString() => IsEmpty ? "no key" : "key ***";

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
}
