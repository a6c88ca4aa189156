using System.Net;

namespace CodeDoc.IntegrationTests;

/// <summary>What <c>codedoc serve</c> tells its operator at start, and the API's refusal without a key.</summary>
public sealed class ServeStartupTests : IDisposable
{
    private readonly HostFolder _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Serve_NoApiKey_SaysHowToSetItAndTheApiRefusesEveryRequest()
    {
        await using var serve = await _host.ServeAsync();

        using var response = await serve.Client.GetAsync("codedoc/api/runs", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains($"no key in {HostFolder.ApiKeyVariable}", serve.Output, StringComparison.Ordinal);
        Assert.Contains($"{serve.BaseAddress.AbsoluteUri}codedoc/webhooks/github", serve.Output, StringComparison.Ordinal);
        Assert.Contains("Where data goes", serve.Output, StringComparison.Ordinal);
        Assert.StartsWith("http://127.0.0.1:", serve.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_CtrlC_StopsGracefullyWithExitCodeZero()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Sends SIGINT with kill(1).");
        await using var serve = await _host.ServeAsync();

        var code = await serve.InterruptAsync();

        Assert.True(code == 0, serve.Output);
        Assert.Contains("stopped.", serve.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", serve.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithApiKey_AnswersTheApiWithTheKeyOnly()
    {
        _host.Environment[HostFolder.ApiKeyVariable] = "api-" + Guid.NewGuid().ToString("N");
        await using var serve = await _host.ServeAsync();

        using var withKey = await serve.Client.GetAsync("codedoc/api/jobs", TestContext.Current.CancellationToken);
        using var anonymous = new HttpClient { BaseAddress = serve.BaseAddress };
        using var withoutKey = await anonymous.GetAsync("codedoc/api/jobs", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.DoesNotContain(_host.Environment[HostFolder.ApiKeyVariable], serve.Output, StringComparison.Ordinal);
    }
}
