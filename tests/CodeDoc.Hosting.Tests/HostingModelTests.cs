using CodeDoc.Core;
using CodeDoc.Hosting;

namespace CodeDoc.Hosting.Tests;

public sealed class HostingModelTests
{
    [Fact]
    public void ProviderConfiguration_ToString_ShowsKeysNeverValues()
    {
        var configuration = new ProviderConfiguration
        {
            Id = "gh",
            Category = ProviderCategory.Git,
            Kind = "github",
            Settings = new Dictionary<string, string?> { ["BaseAddress"] = "https://ghe.example" },
            Secrets = new Dictionary<string, string> { ["Token"] = "canary-secret-7f3a" },
        };

        var text = configuration.ToString();

        Assert.Contains("Token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("canary-secret-7f3a", text, StringComparison.Ordinal);
        Assert.Equal("canary-secret-7f3a", configuration.ToProviderSettings().Values["Token"]);
    }

    [Fact]
    public void WatchedRepository_ToString_HidesWebhookSecret()
    {
        var repository = new WatchedRepository { Id = "api", Url = "https://github.com/acme/api", WebhookHostKind = "github", WebhookSecret = "canary-hook-91c2" };

        Assert.DoesNotContain("canary-hook-91c2", repository.ToString(), StringComparison.Ordinal);
    }
}
