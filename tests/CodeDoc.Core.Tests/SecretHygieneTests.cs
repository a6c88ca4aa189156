using System.Net;
using CodeDoc.Core;

namespace CodeDoc.Core.Tests;

/// <summary>Core types that carry secrets never show them (canary secrets).</summary>
public sealed class SecretHygieneTests
{
    private const string Canary = "canary-7f3a9c-secret";

    [Fact]
    public void ProviderSettings_ToString_ShowsKeysNotValues()
    {
        var settings = new ProviderSettings("github", "oss", new Dictionary<string, string?> { ["Token"] = Canary, ["BaseAddress"] = "https://api.github.com/" });

        var text = settings.ToString();

        Assert.DoesNotContain(Canary, text, StringComparison.Ordinal);
        Assert.Contains("Token", text, StringComparison.Ordinal);
        Assert.Contains("oss", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookSecret_ToString_HidesValue() =>
        Assert.DoesNotContain(Canary, new WebhookSecret(Canary).ToString(), StringComparison.Ordinal);

    [Fact]
    public void WebhookSecret_FixedTimeEquals_ComparesValues()
    {
        var secret = new WebhookSecret(Canary);

        Assert.True(secret.FixedTimeEquals(Canary));
        Assert.False(secret.FixedTimeEquals(Canary + "x"));
        Assert.False(secret.FixedTimeEquals(null));
    }

    [Fact]
    public void CodeDocException_RequestUri_DropsQueryAndUserInfo()
    {
        var error = new GitProviderException("failed")
        {
            RequestUri = new Uri($"https://user:{Canary}@host.example/api/repos?access_token={Canary}#x"),
            StatusCode = HttpStatusCode.Unauthorized,
        };

        Assert.DoesNotContain(Canary, error.RequestUri!.ToString(), StringComparison.Ordinal);
        Assert.Equal("https://host.example/api/repos", error.RequestUri.ToString());
        Assert.DoesNotContain(Canary, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CodeDocHttpOptions_Validate_ProxyCredentialsInUrlRejectedWithoutEcho()
    {
        var options = new CodeDocHttpOptions { Proxy = new Uri($"http://me:{Canary}@proxy.example:8080/") };

        var problems = options.Validate("CodeDoc:Git:x:Http").ToList();

        Assert.Contains(problems, p => p.Contains("ProxyPassword", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain(Canary, p, StringComparison.Ordinal));
    }
}
