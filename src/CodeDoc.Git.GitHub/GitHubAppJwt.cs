using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CodeDoc.Git.GitHub;

/// <summary>
/// The JSON Web Token a GitHub App signs with its private key (RS256) to call <c>/app</c> endpoints and to exchange
/// for installation tokens. GitHub accepts at most ten minutes of validity; the issue time is set a minute early to
/// allow for clock drift, as GitHub recommends.
/// </summary>
internal static class GitHubAppJwt
{
    /// <summary>How long a token is valid; GitHub refuses more than ten minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    private static readonly byte[] Header = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8);

    /// <summary>Loads a PEM private key, or explains why it cannot.</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="key">The key.</param>
    /// <returns>A problem description without the key's content, or <see langword="null"/> when loaded.</returns>
    public static string? TryLoadKey(string pem, out RSA? key)
    {
        key = null;
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            if (rsa.KeySize < 2048)
            {
                rsa.Dispose();
                return "is shorter than 2048 bits; GitHub issues 2048-bit keys: download a new key from the app's settings page";
            }

            key = rsa;
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            return "is not a PEM RSA private key: paste the whole .pem file GitHub generated, from -----BEGIN RSA PRIVATE KEY----- to the END line";
        }
    }

    /// <summary>Creates a token.</summary>
    /// <param name="appId">The app id or client id.</param>
    /// <param name="key">The private key.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The compact serialization.</returns>
    public static string Create(string appId, RSA key, DateTimeOffset now)
    {
        var issuer = long.TryParse(appId, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? (object)number : appId;
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iat"] = now.AddSeconds(-60).ToUnixTimeSeconds(),
            ["exp"] = now.Add(Lifetime).ToUnixTimeSeconds(),
            ["iss"] = issuer,
        });

        var signingInput = new byte[Header.Length + 1 + Base64UrlLength(payload.Length)];
        Header.CopyTo(signingInput, 0);
        signingInput[Header.Length] = (byte)'.';
        Base64Url(payload).CopyTo(signingInput, Header.Length + 1);
        var signature = key.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Encoding.ASCII.GetString(signingInput) + "." + Encoding.ASCII.GetString(Base64Url(signature));
    }

    private static int Base64UrlLength(int bytes) => System.Buffers.Text.Base64Url.GetEncodedLength(bytes);

    private static byte[] Base64Url(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToUtf8(data);
}
