using CodeDoc.Core;
using CodeDoc.FakeServers;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitLab.Tests;

/// <summary>
/// Against a real GitLab, only when CODEDOC_LIVE_GITLAB_TOKEN and CODEDOC_LIVE_GITLAB_PROJECT (a project URL) are set;
/// CODEDOC_LIVE_GITLAB_BASE_ADDRESS names a self-managed instance (gitlab.com otherwise). Skipped everywhere else.
/// </summary>
public sealed class GitLabLiveTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Live_CheckResolveReadAndCompare_Works()
    {
        var token = Environment.GetEnvironmentVariable("CODEDOC_LIVE_GITLAB_TOKEN");
        var project = Environment.GetEnvironmentVariable("CODEDOC_LIVE_GITLAB_PROJECT");
        Assert.SkipWhen(string.IsNullOrEmpty(token) || string.IsNullOrEmpty(project), "Set CODEDOC_LIVE_GITLAB_TOKEN and CODEDOC_LIVE_GITLAB_PROJECT to run against a real GitLab.");
        var baseAddress = Environment.GetEnvironmentVariable("CODEDOC_LIVE_GITLAB_BASE_ADDRESS");
        var services = new ServiceCollection();
        services.AddCodeDoc().AddGitLab("live", o =>
        {
            o.Token = token;
            if (!string.IsNullOrEmpty(baseAddress))
            {
                o.BaseAddress = new Uri(baseAddress);
            }
        });
        await using var provider = services.BuildServiceProvider();
        var gitlab = provider.GetRequiredKeyedService<IGitProvider>("live");
        Assert.True(gitlab.TryParseRepository(project!, out var repository));

        var access = await gitlab.CheckAccessAsync(repository, Cancellation);
        Assert.True(access.Succeeded, string.Join("; ", access.Checks.Select(c => c.Message)));
        var head = await gitlab.ResolveRefAsync(repository, null, Cancellation);
        await using (var tree = await gitlab.OpenTreeAsync(repository, head.CommitSha, Cancellation))
        {
            Assert.NotEmpty(await TreeListing.ListFilesAsync(tree, Cancellation));
        }

        var comparison = await gitlab.CompareAsync(repository, head.CommitSha, head.CommitSha, Cancellation);
        Assert.Empty(comparison.Changes);
    }
}
