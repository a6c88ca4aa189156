using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CodeDoc.Core;

/// <summary>
/// HTTP options every provider that talks to a network service shares: proxy, extra trusted CA certificates
/// (self-hosted servers behind a private CA), timeouts, and a hook for outbound handlers (egress rules, auditing).
/// Bound from a provider's <c>Http</c> configuration section.
/// </summary>
public sealed class CodeDocHttpOptions
{
    /// <summary>Gets or sets the proxy to use; <see langword="null"/> uses the system proxy settings.</summary>
    public Uri? Proxy { get; set; }

    /// <summary>Gets or sets the proxy user name, when the proxy requires one.</summary>
    public string? ProxyUserName { get; set; }

    /// <summary>Gets or sets the proxy password. A secret: never logged.</summary>
    public string? ProxyPassword { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the provider's endpoints may use plain HTTP to a remote host
    /// (configuration key <c>Http:AllowInsecureHttp</c>). Off by default: HTTP is accepted only for loopback addresses,
    /// because keys and code would otherwise cross the network in clear text. When on, the first plain-HTTP request to a
    /// remote host is logged as a warning.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Gets or sets a value indicating whether to bypass the proxy for loopback addresses.</summary>
    public bool BypassProxyOnLocal { get; set; } = true;

    /// <summary>
    /// Gets the paths of extra CA certificates (PEM or DER) to trust in addition to the system store, for servers
    /// whose certificates are issued by a private CA. Host name checks still apply.
    /// </summary>
    public IList<string> TrustedCaCertificateFiles { get; } = [];

    /// <summary>Gets or sets the timeout of one attempt. Model calls need minutes, not the HTTP default of seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the timeout of a whole request, retries included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the number of retries of a retryable failure.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Gets or sets the first retry's delay; later retries back off exponentially with jitter. A <c>Retry-After</c> from the service wins.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest <c>Retry-After</c> a provider waits before failing with a rate-limit error instead.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets handlers added to every outbound request of the provider, outermost first (egress rules, auditing,
    /// custom headers). Not bindable from configuration; set in code.
    /// </summary>
    public IList<Func<IServiceProvider, DelegatingHandler>> OutboundHandlers { get; } = [];

    /// <summary>Lists problems with these options.</summary>
    /// <param name="prefix">The configuration path of these options, e.g. <c>CodeDoc:Git:oss:Http</c>.</param>
    /// <returns>One message per problem, naming the field, the value and the fix.</returns>
    public IEnumerable<string> Validate(string prefix)
    {
        if (Proxy is not null)
        {
            if (!Proxy.IsAbsoluteUri || (Proxy.Scheme != Uri.UriSchemeHttp && Proxy.Scheme != Uri.UriSchemeHttps && !Proxy.Scheme.StartsWith("socks", StringComparison.OrdinalIgnoreCase)))
            {
                yield return $"{prefix}:Proxy '{EndpointRules.SafeDisplay(Proxy)}' is not an http://, https:// or socks5:// URL.";
            }
            else if (!string.IsNullOrEmpty(Proxy.UserInfo))
            {
                yield return $"{prefix}:Proxy has credentials in the URL: set {prefix}:ProxyUserName and {prefix}:ProxyPassword instead.";
            }
        }

        foreach (var file in TrustedCaCertificateFiles)
        {
            if (!File.Exists(file))
            {
                yield return $"{prefix}:TrustedCaCertificateFiles names '{file}', which does not exist: give the path of a PEM or DER certificate file.";
            }
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            yield return $"{prefix}:AttemptTimeout must be positive (it is {AttemptTimeout}).";
        }

        if (TotalTimeout < AttemptTimeout)
        {
            yield return $"{prefix}:TotalTimeout ({TotalTimeout}) must be at least AttemptTimeout ({AttemptTimeout}).";
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            yield return $"{prefix}:RetryBaseDelay must be between 0 and 1 minute (it is {RetryBaseDelay}).";
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return $"{prefix}:MaxRetries must be between 0 and 10 (it is {MaxRetries}).";
        }
    }

    /// <summary>Creates the primary handler with the proxy and the extra trusted certificates applied.</summary>
    /// <returns>A new handler; the caller (usually <c>IHttpClientFactory</c>) owns it.</returns>
    public SocketsHttpHandler CreatePrimaryHandler()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        if (Proxy is not null)
        {
            handler.UseProxy = true;
            handler.Proxy = new WebProxy(Proxy, BypassProxyOnLocal)
            {
                Credentials = ProxyUserName is null ? null : new NetworkCredential(ProxyUserName, ProxyPassword),
            };
        }

        if (TrustedCaCertificateFiles.Count > 0)
        {
            var extra = new X509Certificate2Collection();
            foreach (var file in TrustedCaCertificateFiles)
            {
                extra.AddRange(LoadCertificates(file));
            }

            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ValidateWithExtraRoots(certificate, chain, errors, extra),
            };
        }

        return handler;
    }

    private static X509Certificate2Collection LoadCertificates(string file)
    {
        var collection = new X509Certificate2Collection();
        var text = File.ReadAllText(file);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            collection.ImportFromPem(text);
        }
        else
        {
            collection.Add(X509CertificateLoader.LoadCertificateFromFile(file));
        }

        return collection;
    }

    private static bool ValidateWithExtraRoots(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection extraRoots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an untrusted chain may be rescued by the extra roots; a wrong host name never is.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
