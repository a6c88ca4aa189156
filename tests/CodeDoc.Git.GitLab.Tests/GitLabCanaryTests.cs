using System.Security.Cryptography;
using CodeDoc.Core;
using CodeDoc.FakeServers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Git.GitLab.Tests;

/// <summary>
/// A unique token goes through every operation, success and failure; it must never show up in logs (Trace level),
/// exception messages, access-check messages, ToString() or any request to the archive's redirect host.
/// </summary>
public sealed class GitLabCanaryTests(SampleRepository sample)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_EveryOperationAndFailure_NeverLeaks()
    {
        var canary = "glpat-" + "Canary" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        await using var host = await GitLabTestHost.StartAsync(
            sample.Repository,
            fake: o =>
            {
                o.Tokens[canary] = ["read_api"];
                o.ArchiveRedirect = true;
            },
            provider: o => o.Token = canary);
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

        // A broken or hostile server that echoes the credentials back in its error bodies.
        const string Project = "/api/v4/projects/acme%2Fplatform%2Fwidgets";
        host.Fake.Server.Faults.Respond(Project, 401, $$"""{"message":"401 Unauthorized: {{canary}}"}""", times: 10);
        errors.Add(await Assert.ThrowsAnyAsync<GitProviderException>(() => host.Provider.GetRepositoryAsync(repository, Cancellation)));
        var access = await host.Provider.CheckAccessAsync(repository, Cancellation);
        host.Fake.Server.Faults.Clear();
        host.Fake.Server.Faults.Respond(Project, 500, $"internal error for PRIVATE-TOKEN {canary}", times: 10, contentType: "text/plain");
        errors.Add(await Assert.ThrowsAnyAsync<GitProviderException>(() => host.Provider.GetRepositoryAsync(repository, Cancellation)));
        host.Fake.Server.Faults.Clear();
        host.Fake.Server.Faults.Respond(Project + "/repository/archive.tar.gz", 429, $"Retry later, {canary}", new Dictionary<string, string> { ["Retry-After"] = "3600" }, times: 10, contentType: "text/plain");
        errors.Add(await Assert.ThrowsAnyAsync<GitProviderException>(() => host.Provider.OpenTreeAsync(repository, sample.Head, Cancellation)));

        Assert.Equal(4, errors.Count);
        Assert.DoesNotContain(canary, host.Logs.All, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.DoesNotContain(canary, e.ToString(), StringComparison.Ordinal));
        Assert.All(access.Checks, c => Assert.DoesNotContain(canary, c.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(canary, host.Provider.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(canary, host.Provider.Metadata.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(canary, host.Services.GetRequiredService<IOptionsMonitor<GitLabOptions>>().Get("gl").ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(host.Fake.Storage.Requests);
        Assert.All(host.Fake.Storage.Requests, request =>
        {
            Assert.DoesNotContain(canary, request.Path, StringComparison.Ordinal);
            Assert.DoesNotContain(canary, request.Query, StringComparison.Ordinal);
            Assert.All(request.Headers, h => Assert.DoesNotContain(canary, h.Value, StringComparison.Ordinal));
        });
    }

    [Fact]
    public void WebhookSecret_RejectedDelivery_ReasonNeverShowsIt()
    {
        var canary = "hook-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var services = new ServiceCollection();
        services.AddCodeDoc().AddGitLab();
        using var provider = services.BuildServiceProvider();
        var handler = provider.GetRequiredKeyedService<IWebhookHandler>("gitlab");

        var result = handler.Verify(new WebhookDelivery([KeyValuePair.Create("X-Gitlab-Token", canary[..^1])], "{}"u8.ToArray()), new WebhookSecret(canary));

        Assert.False(result.IsValid);
        Assert.DoesNotContain(canary, result.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain(canary[..^1], result.ToString(), StringComparison.Ordinal);
    }
}
