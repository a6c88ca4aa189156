using System.Security.Cryptography;
using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Transport;

/// <summary>
/// The HMAC-SHA256 signature GitHub (<c>X-Hub-Signature-256</c>) and Bitbucket Cloud and Data Center
/// (<c>X-Hub-Signature</c>) send: <c>sha256=</c> and the lowercase hex HMAC of the exact body bytes.
/// </summary>
internal static class HmacSignatures
{
    private const string Prefix = "sha256=";

    /// <summary>Computes the header value for a body.</summary>
    /// <param name="secret">The webhook secret.</param>
    /// <param name="body">The exact body bytes.</param>
    /// <returns><c>sha256=</c> and 64 lowercase hex digits.</returns>
    public static string Sign(WebhookSecret secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret.Reveal()), body));
    }

    /// <summary>Verifies a presented signature in constant time.</summary>
    /// <param name="headerName">The header's name, for the failure reason.</param>
    /// <param name="presented">The header's value, or <see langword="null"/> when absent.</param>
    /// <param name="secret">The webhook secret.</param>
    /// <param name="body">The exact body bytes.</param>
    /// <returns>The verdict; the reason never contains the secret or the expected signature.</returns>
    public static WebhookVerificationResult Verify(string headerName, string? presented, WebhookSecret secret, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return WebhookVerificationResult.Invalid($"The {headerName} header is missing: the hook has no secret configured at the host, or the request is not from the host.");
        }

        if (!presented.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || presented.Length != Prefix.Length + 64 || !IsHex(presented.AsSpan(Prefix.Length)))
        {
            return WebhookVerificationResult.Invalid($"The {headerName} header is malformed: expected 'sha256=' and 64 hex digits.");
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, body));
        var actual = Encoding.ASCII.GetBytes(presented.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual)
            ? WebhookVerificationResult.Valid
            : WebhookVerificationResult.Invalid($"The {headerName} signature does not match the body: the secret configured here differs from the host's, or the body was changed.");
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
