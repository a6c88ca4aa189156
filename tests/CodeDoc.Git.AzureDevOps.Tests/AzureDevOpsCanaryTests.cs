using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.AzureDevOps;

namespace CodeDoc.Git.AzureDevOps.Tests;

/// <summary>A unique PAT or client secret must never leave through logs, messages or ToString().</summary>
public sealed class AzureDevOpsCanaryTests(SampleRepositoryFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PersonalAccessToken_NeverInLogsMessagesOrToString()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        await using var fake = await FakeAzureDevOps.StartAsync(fixture.Sample);
        fake.AcceptedAuthorization = Azure.BasicFor(canary);
        var logs = new CapturedLogs();
        AzureDevOpsOptions? captured = null;
        var (provider, services) = Azure.Create(
            o =>
            {
                Azure.Server(o, fake);
                o.Token = canary;
                o.Http.MaxRetries = 0;
                captured = o;
            },
            logs);
        await using var _ = services;
        var repository = Azure.Parse(provider, fake.RepositoryUrl);
        var messages = new List<string>();

        messages.AddRange((await provider.CheckAccessAsync(repository, Token)).Checks.Select(c => c.Message));
        var resolved = await provider.ResolveRefAsync(repository, null, Token);
        await using (var tree = await provider.OpenTreeAsync(repository, resolved.CommitSha, Token))
        {
            Assert.Contains(HostedSampleRepository.ModifiedFile, await TreeListing.ListFilesAsync(tree, Token));
        }

        await provider.CompareAsync(repository, fixture.Sample.BaseCommit, fixture.Sample.HeadCommit, Token);
        messages.Add((await Assert.ThrowsAsync<GitProviderNotFoundException>(() => provider.ResolveRefAsync(repository, "no-such-branch", Token))).ToString());
        fake.AcceptedAuthorization = Azure.BasicFor("other");
        messages.Add((await Assert.ThrowsAsync<GitProviderAuthenticationException>(() => provider.GetRepositoryAsync(repository, Token))).ToString());
        messages.AddRange((await provider.CheckAccessAsync(repository, Token)).Checks.Select(c => c.Message));

        Assert.Contains(fake.Server.Requests, r => r.Header("Authorization") == Azure.BasicFor(canary));
        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(canary, logs.Text, StringComparison.Ordinal);
        Assert.All(messages, m => Assert.DoesNotContain(canary, m, StringComparison.Ordinal));
        Assert.DoesNotContain(canary, captured!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(canary, provider.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecret_NeverInToStringOfOptionsOrCredentials()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        await using var fake = await FakeAzureDevOps.StartAsync(fixture.Sample);
        var options = new AzureDevOpsOptions { BaseAddress = fake.BaseAddress, TenantId = "contoso.onmicrosoft.com", ClientId = "3f1e1a9e-6d1c-4a55-9b7e-3c1f5d7e9a10", ClientSecret = canary };
        options.Http.MaxRetries = 0;
        var credentials = AzureDevOpsCredentials.From(options, TimeProvider.System);

        Assert.DoesNotContain(canary, options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(canary, credentials.ToString(), StringComparison.Ordinal);
        Assert.Empty(AzureDevOpsOptionsValidator.Check(options, "CodeDoc:Git:ado"));
    }
}
