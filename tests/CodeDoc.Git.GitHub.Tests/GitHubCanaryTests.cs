using System.Security.Cryptography;
using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.GitHub;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Git.GitHub.Tests;

/// <summary>
/// A unique token goes through every operation, success and failure; it must never show up in logs (Trace level),
/// exception messages, ToString() or any request to the redirect host.
/// </summary>
public sealed class GitHubCanaryTests(SampleRepository sample)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_EveryOperationAndFailure_NeverLeaks()
    {
        var canary = "ghp_" + "Canary" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        await using var host = await GitHubTestHost.StartAsync(sample.Repository, fake: o => o.Tokens.Add(canary), provider: o => o.Token = canary);
        var repository = host.Repository();
        var errors = new List<Exception>();

        await host.Provider.CheckAccessAsync(repository, Cancellation);
        await host.Provider.GetRepositoryAsync(repository, Cancellation);
        await host.Provider.ResolveRefAsync(repository, "v1.0", Cancellation);
        await using (var tree = await host.Provider.OpenTreeAsync(repository, sample.Head, Cancellation))
        {
            await TreeListing.ListFilesAsync(tree, Cancellation);
        }

        await host.Provider.CompareAsync(repository, sample.First, sample.Head, Cancellation);
        await foreach (var _ in host.Provider.ListBranchesAsync(repository, Cancellation))
        {
        }

        errors.Add(await Assert.ThrowsAnyAsync<GitProviderException>(() => host.Provider.ResolveRefAsync(repository, "no-such-branch", Cancellation)));

        // A hostile or broken server that echoes the credentials back in its error bodies.
        host.Fake.Api.Faults.Respond("/repos/acme/widgets", 401, $$"""{"message":"Bad credentials: Bearer {{canary}}"}""", times: 10);
        errors.Add(await Assert.ThrowsAnyAsync<GitProviderException>(() => host.Provider.GetRepositoryAsync(repository, Cancellation)));
        host.Fake.Api.Faults.Clear();
        host.Fake.Api.Faults.Respond("/repos/acme/widgets", 500, $"internal error for token {canary}", times: 10, contentType: "text/plain");
        errors.Add(await Assert.ThrowsAnyAsync<GitProviderException>(() => host.Provider.GetRepositoryAsync(repository, Cancellation)));
        host.Fake.Api.Faults.Clear();
        host.Fake.Api.Faults.Respond("/repos/acme/widgets/tarball", 403, $$"""{"message":"token {{canary}} lacks access"}""", times: 10);
        errors.Add(await Assert.ThrowsAnyAsync<GitProviderException>(() => host.Provider.OpenTreeAsync(repository, sample.Head, Cancellation)));
        var access = await host.Provider.CheckAccessAsync(repository, Cancellation);

        Assert.DoesNotContain(canary, host.Logs.All, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.DoesNotContain(canary, e.ToString(), StringComparison.Ordinal));
        Assert.All(access.Checks, c => Assert.DoesNotContain(canary, c.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(canary, host.Provider.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(canary, host.Provider.Metadata.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(canary, host.Services.GetRequiredService<IOptionsMonitor<GitHubOptions>>().Get("gh").ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(host.Fake.Codeload.Requests);
        Assert.All(host.Fake.Codeload.Requests, AssertFree(canary));
    }

    [Fact]
    public async Task AppCredentials_PrivateKeyAndInstallationTokens_NeverLeak()
    {
        using var key = RSA.Create(2048);
        var pem = FakeGitHub.ExportPem(key);
        await using var host = await GitHubTestHost.StartAsync(
            sample.Repository,
            fake: o => o.AppKey = key,
            provider: o =>
            {
                o.Token = null;
                o.App.AppId = "4242";
                o.App.PrivateKey = pem;
                o.App.InstallationId = 77;
            });
        var repository = host.Repository();

        await host.Provider.CheckAccessAsync(repository, Cancellation);
        await using (var tree = await host.Provider.OpenTreeAsync(repository, sample.Head, Cancellation))
        {
            await TreeListing.ListFilesAsync(tree, Cancellation);
        }

        var error = await Assert.ThrowsAnyAsync<GitProviderException>(() => host.Provider.ResolveRefAsync(repository, "no-such-branch", Cancellation));

        var secrets = host.Fake.IssuedInstallationTokens.Append(KeyBody(pem)).ToList();
        Assert.Equal(2, secrets.Count);
        var options = host.Services.GetRequiredService<IOptionsMonitor<GitHubOptions>>().Get("gh");
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, host.Logs.All, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, options.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, options.App.ToString(), StringComparison.Ordinal);
            Assert.All(host.Fake.Codeload.Requests, AssertFree(secret));
        }
    }

    private static Action<RecordedRequest> AssertFree(string secret) => request =>
    {
        Assert.DoesNotContain(secret, request.Path, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, request.Query, StringComparison.Ordinal);
        Assert.All(request.Headers, h => Assert.DoesNotContain(secret, h.Value, StringComparison.Ordinal));
    };

    // The base64 body of the key, one line of it: distinctive, and what a careless message would print.
    private static string KeyBody(string pem) => pem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1];
}
