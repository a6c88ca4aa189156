using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.FakeServers;

/// <summary>A request as the fake received it. Secret-bearing headers are kept, so tests can assert what was sent.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path.</param>
/// <param name="Query">The query string, with its leading '?', or empty.</param>
/// <param name="Headers">The headers (names compare case-insensitively).</param>
/// <param name="Body">The body bytes.</param>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>Gets the body as UTF-8 text.</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>Gets a header, or <see langword="null"/>.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value.</returns>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Options of a fake server.</summary>
public sealed class FakeServerOptions
{
    /// <summary>Gets or sets a value indicating whether to serve HTTPS with a certificate from a private CA (see <see cref="FakeHttpServer.CaCertificatePath"/>).</summary>
    public bool Https { get; set; }
}

/// <summary>
/// A Kestrel server on 127.0.0.1 with a free port, for fakes that speak a vendor's wire format. It records every
/// request and applies scripted faults (<see cref="Faults"/>) before the routes see a request.
/// </summary>
public sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly string? _certificateDirectory;

    private FakeHttpServer(WebApplication app, string? certificateDirectory)
    {
        _app = app;
        _certificateDirectory = certificateDirectory;
    }

    /// <summary>Gets the server's base address, ending with '/'.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the path of the PEM file of the CA that issued the HTTPS certificate, when serving HTTPS.</summary>
    public string? CaCertificatePath { get; private set; }

    /// <summary>Gets the faults to apply to coming requests.</summary>
    public FaultPlan Faults { get; } = new();

    /// <summary>Gets the requests received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts a server.</summary>
    /// <param name="map">Maps the routes.</param>
    /// <param name="options">Options (HTTPS).</param>
    /// <returns>The started server.</returns>
    public static async Task<FakeHttpServer> StartAsync(Action<WebApplication> map, FakeServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        options ??= new FakeServerOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        string? certificateDirectory = null;
        string? caPath = null;
        if (options.Https)
        {
            certificateDirectory = Directory.CreateTempSubdirectory("codedoc-fake-tls-").FullName;
            var (server, caPem) = TestCertificates.CreateServerCertificate();
            caPath = Path.Combine(certificateDirectory, "ca.pem");
            await File.WriteAllTextAsync(caPath, caPem).ConfigureAwait(false);
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(server)));
        }
        else
        {
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        }

        var app = builder.Build();
        var fake = new FakeHttpServer(app, certificateDirectory) { CaCertificatePath = caPath };
        app.Use(fake.RecordAndInjectAsync);
        map(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseAddress = new Uri(address.Replace("127.0.0.1", options.Https ? "localhost" : "127.0.0.1", StringComparison.Ordinal) + "/");
        return fake;
    }

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests() => _requests.Clear();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (_certificateDirectory is not null)
        {
            Directory.Delete(_certificateDirectory, recursive: true);
        }
    }

    private async Task RecordAndInjectAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        request.EnableBuffering();
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        request.Body.Position = 0;
        _requests.Enqueue(new RecordedRequest(
            request.Method,
            request.Path.Value ?? string.Empty,
            request.QueryString.Value ?? string.Empty,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray()));

        if (Faults.Take(request.Method, request.Path.Value ?? string.Empty) is { } fault)
        {
            if (await fault.ApplyAsync(context).ConfigureAwait(false))
            {
                return;
            }
        }

        await next().ConfigureAwait(false);
    }
}

/// <summary>Creates certificates for HTTPS fakes: a private CA and a server certificate for localhost and 127.0.0.1.</summary>
public static class TestCertificates
{
    /// <summary>Creates a server certificate issued by a new private CA.</summary>
    /// <returns>The server certificate with its key, and the CA certificate as PEM.</returns>
    public static (X509Certificate2 Server, string CaPem) CreateServerCertificate()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=CodeDoc Fake Server CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);

        // Through PKCS#12 so Kestrel can use the private key on every platform.
        return (X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null), ca.ExportCertificatePem());
    }
}
