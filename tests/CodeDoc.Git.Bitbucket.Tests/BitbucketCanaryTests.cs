using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.Bitbucket;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.Git.Bitbucket.Tests;

/// <summary>A unique token must never leave through logs, messages, ToString() or requests to other hosts.</summary>
public sealed class BitbucketCanaryTests(SampleRepositoryFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CloudToken_NeverInLogsMessagesToStringOrTheRedirectHost()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        var sample = fixture.Sample;
        await using var media = await FakeHttpServer.StartAsync(app => app.Run(async context =>
        {
            context.Response.ContentType = "application/x-gzip";
            await context.Response.Body.WriteAsync(FakeBitbucketCloud.WebArchiveOf(sample, sample.HeadCommit));
        }));
        await using var fake = await FakeBitbucketCloud.StartAsync(sample);
        fake.AcceptedAuthorization = "Bearer " + canary;
        fake.WebArchive = WebArchiveMode.RedirectElsewhere;
        fake.ArchiveRedirectTarget = new Uri(media.BaseAddress, "archive.tar.gz");
        var logs = new CapturedLogs();
        BitbucketOptions? captured = null;
        var (provider, services) = Bitbucket.Create(
            o =>
            {
                Bitbucket.Cloud(o, fake);
                o.Token = canary;
                o.Http.MaxRetries = 0;
                captured = o;
            },
            logs);
        await using var _ = services;
        var repository = Bitbucket.Parse(provider, fake.RepositoryUrl);
        var messages = new List<string>();

        messages.AddRange((await provider.CheckAccessAsync(repository, Token)).Checks.Select(c => c.Message));
        var resolved = await provider.ResolveRefAsync(repository, "main", Token);
        await using (var tree = await provider.OpenTreeAsync(repository, resolved.CommitSha, Token))
        {
            Assert.Contains(HostedSampleRepository.ModifiedFile, await TreeListing.ListFilesAsync(tree, Token));
        }

        await provider.CompareAsync(repository, sample.BaseCommit, sample.HeadCommit, Token);
        messages.Add((await Assert.ThrowsAsync<GitProviderNotFoundException>(() => provider.ResolveRefAsync(repository, "no-such-branch", Token))).ToString());
        fake.AcceptedAuthorization = "Bearer other";
        messages.Add((await Assert.ThrowsAsync<GitProviderAuthenticationException>(() => provider.GetRepositoryAsync(repository, Token))).ToString());
        messages.AddRange((await provider.CheckAccessAsync(repository, Token)).Checks.Select(c => c.Message));
        fake.Server.Faults.Respond("/2.0/", 429, "{}", new Dictionary<string, string> { ["Retry-After"] = "1" }, times: 5);
        messages.Add((await Assert.ThrowsAsync<GitProviderRateLimitedException>(() => provider.GetRepositoryAsync(repository, Token))).ToString());

        Assert.Single(media.Requests);
        Assert.All(media.Requests, r => Assert.DoesNotContain(canary, string.Join("\n", r.Headers.Select(h => h.Key + ": " + h.Value)) + r.Path + r.Query, StringComparison.Ordinal));
        Assert.Contains(fake.Server.Requests, r => r.Header("Authorization") == "Bearer " + canary);
        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(canary, logs.Text, StringComparison.Ordinal);
        Assert.All(messages, m => Assert.DoesNotContain(canary, m, StringComparison.Ordinal));
        Assert.DoesNotContain(canary, captured!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(canary, provider.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(canary, repository.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataCenterToken_NeverInLogsMessagesOrToString()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        await using var fake = await FakeBitbucketDataCenter.StartAsync(fixture.Sample);
        fake.AcceptedAuthorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("jdoe:" + canary));
        var logs = new CapturedLogs();
        var (provider, services) = Bitbucket.Create(
            o =>
            {
                Bitbucket.DataCenter(o, fake);
                o.Token = canary;
                o.Username = "jdoe";
            },
            logs);
        await using var _ = services;
        var repository = Bitbucket.Parse(provider, fake.RepositoryUrl);
        var messages = new List<string>();

        messages.AddRange((await provider.CheckAccessAsync(repository, Token)).Checks.Select(c => c.Message));
        await using (await provider.OpenTreeAsync(repository, fixture.Sample.HeadCommit, Token))
        {
        }

        fake.AcceptedAuthorization = "Bearer other";
        messages.Add((await Assert.ThrowsAsync<GitProviderAuthenticationException>(() => provider.ResolveRefAsync(repository, "main", Token))).ToString());

        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(canary, logs.Text, StringComparison.Ordinal);
        Assert.All(messages, m => Assert.DoesNotContain(canary, m, StringComparison.Ordinal));
        Assert.DoesNotContain(canary, provider.ToString(), StringComparison.Ordinal);
    }
}
