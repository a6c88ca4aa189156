using CodeDoc.Core;
using CodeDoc.FakeServers;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitHub.Tests;

/// <summary>
/// Against a real GitHub, only when CODEDOC_LIVE_GITHUB_TOKEN and CODEDOC_LIVE_GITHUB_PROJECT (a repository URL) are set;
/// CODEDOC_LIVE_GITHUB_BASE_ADDRESS names a GitHub Enterprise Server (github.com otherwise). Skipped everywhere else.
/// </summary>
public sealed class GitHubLiveTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Live_CheckResolveReadAndCompare_Works()
    {
        var token = Environment.GetEnvironmentVariable("CODEDOC_LIVE_GITHUB_TOKEN");
        var project = Environment.GetEnvironmentVariable("CODEDOC_LIVE_GITHUB_PROJECT");
        Assert.SkipWhen(string.IsNullOrEmpty(token) || string.IsNullOrEmpty(project), "Set CODEDOC_LIVE_GITHUB_TOKEN and CODEDOC_LIVE_GITHUB_PROJECT to run against a real GitHub.");
        var baseAddress = Environment.GetEnvironmentVariable("CODEDOC_LIVE_GITHUB_BASE_ADDRESS");
        var services = new ServiceCollection();
        services.AddCodeDoc().AddGitHub("live", o =>
        {
            o.Token = token;
            if (!string.IsNullOrEmpty(baseAddress))
            {
                o.BaseAddress = new Uri(baseAddress);
            }
        });
        await using var provider = services.BuildServiceProvider();
        var github = provider.GetRequiredKeyedService<IGitProvider>("live");
        Assert.True(github.TryParseRepository(project!, out var repository));

        var access = await github.CheckAccessAsync(repository, Cancellation);
        Assert.True(access.Succeeded, string.Join("; ", access.Checks.Select(c => c.Message)));
        var head = await github.ResolveRefAsync(repository, null, Cancellation);
        await using (var tree = await github.OpenTreeAsync(repository, head.CommitSha, Cancellation))
        {
            Assert.NotEmpty(await TreeListing.ListFilesAsync(tree, Cancellation));
        }

        var comparison = await github.CompareAsync(repository, head.CommitSha, head.CommitSha, Cancellation);
        Assert.Empty(comparison.Changes);
    }
}
