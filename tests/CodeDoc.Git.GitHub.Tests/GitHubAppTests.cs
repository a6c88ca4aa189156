using System.Security.Cryptography;
using CodeDoc.Core;
using CodeDoc.FakeServers.GitHub;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CodeDoc.Git.GitHub.Tests;

/// <summary>GitHub App authentication: a signed JWT exchanged for installation tokens, cached and refreshed.</summary>
public sealed class GitHubAppTests(SampleRepository sample) : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task Read_ConfiguredInstallation_UsesOneInstallationTokenNotTheJwt()
    {
        await using var host = await StartAsync(installationId: 77);
        var repository = host.Repository();

        await host.Provider.ResolveRefAsync(repository, "main", Cancellation);
        var tree = await host.Provider.OpenTreeAsync(repository, sample.Head, Cancellation);
        await tree.DisposeAsync();

        var issued = Assert.Single(host.Fake.IssuedInstallationTokens);
        Assert.Single(host.Fake.Api.Requests, r => r.Path == "/app/installations/77/access_tokens");
        Assert.All(host.Fake.Api.Requests.Where(r => r.Path.StartsWith("/repos/", StringComparison.Ordinal)), r => Assert.Equal("Bearer " + issued, r.Header("Authorization")));
    }

    [Fact]
    public async Task Read_NoInstallationConfigured_FindsTheRepositorysInstallation()
    {
        await using var host = await StartAsync(installationId: null);

        var resolved = await host.Provider.ResolveRefAsync(host.Repository(), "v1.0", Cancellation);
        await host.Provider.ResolveRefAsync(host.Repository(), "main", Cancellation);

        Assert.Equal(sample.Second, resolved.CommitSha);
        Assert.Single(host.Fake.Api.Requests, r => r.Path == "/repos/acme/widgets/installation");
        Assert.Single(host.Fake.IssuedInstallationTokens);
    }

    [Fact]
    public async Task Read_TokenNearExpiry_RefreshedBeforeItLapses()
    {
        await using var host = await StartAsync(installationId: 77);
        var repository = host.Repository();
        await host.Provider.ResolveRefAsync(repository, "main", Cancellation);

        _clock.Advance(TimeSpan.FromMinutes(50));
        await host.Provider.ResolveRefAsync(repository, "main", Cancellation);
        Assert.Single(host.Fake.IssuedInstallationTokens);

        _clock.Advance(TimeSpan.FromMinutes(6));
        await host.Provider.ResolveRefAsync(repository, "main", Cancellation);

        Assert.Equal(2, host.Fake.IssuedInstallationTokens.Count);
    }

    [Fact]
    public async Task CheckAccess_App_ChecksTheAppAndTheInstallation()
    {
        await using var host = await StartAsync(installationId: 77);

        var result = await host.Provider.CheckAccessAsync(host.Repository(), Cancellation);

        Assert.True(result.Succeeded, string.Join("; ", result.Checks.Select(c => $"{c.Name}: {c.Message}")));
        Assert.Contains("codedoc-app", Assert.Single(result.Checks, c => c.Name == "GitHub App").Message, StringComparison.Ordinal);
        Assert.Contains("77", Assert.Single(result.Checks, c => c.Name == "Installation").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccess_KeyOfAnotherApp_SaysTheKeyOrIdIsWrong()
    {
        using var otherKey = RSA.Create(2048);
        await using var host = await StartAsync(installationId: 77, signingKey: otherKey);

        var result = await host.Provider.CheckAccessAsync(null, Cancellation);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("GitHub App", problem.Name);
        Assert.Contains("App:PrivateKey", problem.Message, StringComparison.Ordinal);
        Assert.Contains("clock", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_AppNotInstalledOnTheRepository_NotFoundSayingToInstallIt()
    {
        await using var host = await StartAsync(installationId: null);

        var error = await Assert.ThrowsAsync<GitProviderNotFoundException>(
            () => host.Provider.ResolveRefAsync(host.Repository("https://github.com/acme/other"), "main", Cancellation));

        Assert.Contains("not installed", error.Message, StringComparison.Ordinal);
        Assert.Equal("gh", error.ProviderName);
    }

    [Fact]
    public async Task Options_PrivateKeyFile_Accepted()
    {
        var path = Path.Combine(Path.GetTempPath(), $"codedoc-app-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, FakeGitHub.ExportPem(_key), Cancellation);
        try
        {
            await using var host = await GitHubTestHost.StartAsync(
                sample.Repository,
                fake: o => o.AppKey = _key,
                provider: o =>
                {
                    o.Token = null;
                    o.App.AppId = "4242";
                    o.App.PrivateKeyPath = path;
                    o.App.InstallationId = 77;
                });

            var resolved = await host.Provider.ResolveRefAsync(host.Repository(), "main", Cancellation);

            Assert.Equal(sample.Head, resolved.CommitSha);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private Task<GitHubTestHost> StartAsync(long? installationId, RSA? signingKey = null) =>
        GitHubTestHost.StartAsync(
            sample.Repository,
            fake: o =>
            {
                o.AppKey = _key;
                o.Clock = _clock;
            },
            provider: o =>
            {
                o.Token = null;
                o.App.AppId = "4242";
                o.App.PrivateKey = FakeGitHub.ExportPem(signingKey ?? _key);
                o.App.InstallationId = installationId;
            },
            services: s => s.AddSingleton<TimeProvider>(_clock));
}
