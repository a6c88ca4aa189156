using System.Net;
using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Transport.Tests;

public sealed class CodeDocHttpClientsTests : IAsyncLifetime
{
    private FakeHttpServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await FakeHttpServer.StartAsync(app =>
        {
            app.MapGet("/data", () => "ok");
            app.MapPost("/write", () => "written");
        });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Send_RateLimitedWithRetryAfter_RetriedAfterTheWait()
    {
        _server.Faults.Respond("/data", 429, headers: new Dictionary<string, string> { ["Retry-After"] = "1" });

        using var response = await Client().GetAsync(new Uri(_server.BaseAddress, "data"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Send_RetryAfterBeyondTheCap_NotRetriedAndReturned()
    {
        _server.Faults.Respond("/data", 429, headers: new Dictionary<string, string> { ["Retry-After"] = "3600" });

        using var response = await Client().GetAsync(new Uri(_server.BaseAddress, "data"), Cancellation);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Single(_server.Requests);
        Assert.Equal(TimeSpan.FromHours(1), RetryAfter.From(response));
    }

    [Fact]
    public async Task Send_RateLimitedPost_Retried()
    {
        _server.Faults.Respond("/write", 429, headers: new Dictionary<string, string> { ["Retry-After"] = "0" });

        using var response = await Client().PostAsync(new Uri(_server.BaseAddress, "write"), new StringContent("x"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Send_ServerErrorOnGet_Retried()
    {
        _server.Faults.Respond("/data", 503, times: 2);

        using var response = await Client().GetAsync(new Uri(_server.BaseAddress, "data"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Send_ServerErrorOnPost_NotRetriedByDefault()
    {
        _server.Faults.Respond("/write", 500);

        using var response = await Client().PostAsync(new Uri(_server.BaseAddress, "write"), new StringContent("x"), Cancellation);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Send_ServerErrorOnPostWhenUnsafeRetriesAllowed_Retried()
    {
        _server.Faults.Respond("/write", 529);

        using var response = await Client(new HttpRetryRules { RetryUnsafeMethods = true, ExtraTransientStatusCodes = new HashSet<int> { 529 } })
            .PostAsync(new Uri(_server.BaseAddress, "write"), new StringContent("x"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Send_PermanentRateLimit_NotRetried()
    {
        _server.Faults.Respond("/data", 429, """{"error":{"code":"insufficient_quota"}}""");
        var rules = new HttpRetryRules
        {
            IsPermanent = async response => (await response.Content.ReadAsStringAsync()).Contains("insufficient_quota", StringComparison.Ordinal),
        };

        using var response = await Client(rules).GetAsync(new Uri(_server.BaseAddress, "data"), Cancellation);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Send_SlowFirstAttempt_AttemptTimeoutThenRetried()
    {
        _server.Faults.Delay("/data", TimeSpan.FromSeconds(5));

        using var response = await Client(configure: o => o.AttemptTimeout = TimeSpan.FromMilliseconds(500))
            .GetAsync(new Uri(_server.BaseAddress, "data"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Send_ConnectionResetOnGet_Retried()
    {
        _server.Faults.Reset("/data");

        using var response = await Client().GetAsync(new Uri(_server.BaseAddress, "data"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Send_CallerCancels_NotRetriedAndCancelled()
    {
        _server.Faults.Delay("/data", TimeSpan.FromSeconds(30));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        var request = Client().GetAsync(new Uri(_server.BaseAddress, "data"), cancel.Token);

        // Cancel only once the server holds the request, so a slow machine cannot turn this into a test of connecting.
        while (_server.Requests.Count == 0)
        {
            await Task.Delay(10, Cancellation);
        }

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Send_OutboundHandler_RunsOnEveryAttempt()
    {
        _server.Faults.Respond("/data", 503);
        var handler = new HeaderHandler("X-Egress-Checked", "yes");

        using var response = await Client(configure: o => o.OutboundHandlers.Add(_ => handler))
            .GetAsync(new Uri(_server.BaseAddress, "data"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, handler.Calls);
        Assert.All(_server.Requests, r => Assert.Equal("yes", r.Header("X-Egress-Checked")));
    }

    [Fact]
    public async Task Send_HttpsServerWithPrivateCa_TrustedThroughOptions()
    {
        await using var tls = await FakeHttpServer.StartAsync(app => app.MapGet("/data", () => "secure"), new FakeServerOptions { Https = true });

        var text = await Client(configure: o => o.TrustedCaCertificateFiles.Add(tls.CaCertificatePath!))
            .GetStringAsync(new Uri(tls.BaseAddress, "data"), Cancellation);

        Assert.Equal("secure", text);
    }

    [Theory]
    [InlineData("Retry-After", "7", 7.0)]
    [InlineData("retry-after-ms", "1500", 1.5)]
    public void RetryAfter_Headers_Read(string header, string value, double seconds)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(header, value);

        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.From(response));
    }

    [Fact]
    public void RetryAfter_EpochReset_RelativeToNow()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden);
        response.Headers.TryAddWithoutValidation("x-ratelimit-reset", now.AddSeconds(42).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromSeconds(42), RetryAfter.From(response, now));
    }

    [Fact]
    public void RetryAfter_HttpDate_RelativeToNow()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(90));

        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfter.From(response, now));
    }

    [Fact]
    public void RetryAfter_None_Null()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.Null(RetryAfter.From(response));
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static HttpClient Client(HttpRetryRules? rules = null, Action<CodeDocHttpOptions>? configure = null)
    {
        var options = new CodeDocHttpOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10), MaxRetryAfter = TimeSpan.FromSeconds(5) };
        configure?.Invoke(options);
        var services = new ServiceCollection();
        services.AddCodeDocHttpClient("test", _ => options, rules ?? HttpRetryRules.Default);
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient("test");
    }

    // Retries send the same request message again, so a handler sets its header rather than adding to it.
    private sealed class HeaderHandler(string name, string value) : DelegatingHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
