using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Core.Tests;

/// <summary>
/// The primary handler trusts extra CA certificates (self-hosted servers behind a private CA) without weakening
/// host-name checks, and sends requests through a configured proxy. Real TLS and real sockets on loopback.
/// </summary>
public sealed class CodeDocHttpOptionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("codedoc-http-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task CreatePrimaryHandler_ServerFromPrivateCa_FailsWithoutTheCaAndSucceedsWithIt()
    {
        using var ca = CreateCa();
        using var server = await TlsServer.StartAsync(IssueServerCertificate(ca, "localhost"));
        var caFile = WriteCaPem(ca);

        using var untrusted = new HttpClient(new CodeDocHttpOptions().CreatePrimaryHandler());
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusted.GetStringAsync(server.Url("localhost"), TestContext.Current.CancellationToken));

        var options = new CodeDocHttpOptions();
        options.TrustedCaCertificateFiles.Add(caFile);
        using var trusted = new HttpClient(options.CreatePrimaryHandler());
        Assert.Equal("ok", await trusted.GetStringAsync(server.Url("localhost"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreatePrimaryHandler_TrustedCaButWrongHostName_StillRejected()
    {
        using var ca = CreateCa();
        using var server = await TlsServer.StartAsync(IssueServerCertificate(ca, "git.internal.example"));
        var options = new CodeDocHttpOptions();
        options.TrustedCaCertificateFiles.Add(WriteCaPem(ca));

        using var client = new HttpClient(options.CreatePrimaryHandler());

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(server.Url("localhost"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreatePrimaryHandler_Proxy_RequestGoesThroughIt()
    {
        using var proxy = new TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        var port = ((IPEndPoint)proxy.LocalEndpoint).Port;
        var options = new CodeDocHttpOptions { Proxy = new Uri($"http://127.0.0.1:{port}/"), BypassProxyOnLocal = false };
        using var client = new HttpClient(options.CreatePrimaryHandler());

        var request = client.GetStringAsync("http://service.invalid/api", TestContext.Current.CancellationToken);
        using var connection = await proxy.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        var stream = connection.GetStream();
        var firstLine = await ReadLineAsync(stream);
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nproxied"u8.ToArray(), TestContext.Current.CancellationToken);

        Assert.Equal("GET http://service.invalid/api HTTP/1.1", firstLine);
        Assert.Equal("proxied", await request);
    }

    [Fact]
    public void Validate_MissingCaFile_NamesTheFieldAndFile()
    {
        var options = new CodeDocHttpOptions();
        options.TrustedCaCertificateFiles.Add(Path.Combine(_directory, "missing.pem"));

        var problem = Assert.Single(options.Validate("CodeDoc:Git:corp:Http"));

        Assert.Contains("CodeDoc:Git:corp:Http:TrustedCaCertificateFiles", problem, StringComparison.Ordinal);
        Assert.Contains("missing.pem", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TotalTimeoutShorterThanAttempt_Reported()
    {
        var options = new CodeDocHttpOptions { AttemptTimeout = TimeSpan.FromMinutes(5), TotalTimeout = TimeSpan.FromMinutes(1) };

        Assert.Contains(options.Validate("X"), p => p.Contains("TotalTimeout", StringComparison.Ordinal));
    }

    private static X509Certificate2 CreateCa()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=CodeDoc Test Root CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 IssueServerCertificate(X509Certificate2 ca, string hostName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);

        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private string WriteCaPem(X509Certificate2 ca)
    {
        var path = Path.Combine(_directory, $"ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, ca.ExportCertificatePem());
        return path;
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, TestContext.Current.CancellationToken) == 1 && buffer[0] != '\n')
        {
            line.Append((char)buffer[0]);
        }

        return line.ToString().TrimEnd('\r');
    }

    /// <summary>A loopback HTTPS server that answers every request with "ok".</summary>
    private sealed class TlsServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly X509Certificate2 _certificate;
        private readonly CancellationTokenSource _stop = new();

        private TlsServer(TcpListener listener, X509Certificate2 certificate)
        {
            _listener = listener;
            _certificate = certificate;
        }

        public static Task<TlsServer> StartAsync(X509Certificate2 certificate)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var server = new TlsServer(listener, certificate);
            _ = server.AcceptLoopAsync();
            return Task.FromResult(server);
        }

        public string Url(string host) => $"https://{host}:{((IPEndPoint)_listener.LocalEndpoint).Port}/";

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _certificate.Dispose();
            _stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    await using var tls = new SslStream(client.GetStream());
                    await tls.AuthenticateAsServerAsync(_certificate);
                    var buffer = new byte[4096];
                    _ = await tls.ReadAsync(buffer);
                    await tls.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray());
                }
                catch (Exception ex) when (ex is IOException or AuthenticationException or ObjectDisposedException)
                {
                    // The client rejected the certificate: that is what some tests expect.
                }
            }
        }
    }
}
