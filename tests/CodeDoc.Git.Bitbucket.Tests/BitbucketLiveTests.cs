using CodeDoc.Core;
using CodeDoc.FakeServers;

namespace CodeDoc.Git.Bitbucket.Tests;

/// <summary>
/// Reads a real repository when one is configured: <c>CODEDOC_LIVE_BITBUCKET_URL</c> (the repository's web URL),
/// <c>CODEDOC_LIVE_BITBUCKET_TOKEN</c>, and optionally <c>CODEDOC_LIVE_BITBUCKET_EMAIL</c> (Cloud API tokens) and
/// <c>CODEDOC_LIVE_BITBUCKET_BASEADDRESS</c> (Data Center). Skipped otherwise.
/// </summary>
public sealed class BitbucketLiveTests
{
    [Fact]
    public async Task LiveRepository_CheckResolveOpenAndListBranches_Succeed()
    {
        var url = Environment.GetEnvironmentVariable("CODEDOC_LIVE_BITBUCKET_URL");
        var token = Environment.GetEnvironmentVariable("CODEDOC_LIVE_BITBUCKET_TOKEN");
        Assert.SkipWhen(string.IsNullOrEmpty(url) || string.IsNullOrEmpty(token), "Set CODEDOC_LIVE_BITBUCKET_URL and CODEDOC_LIVE_BITBUCKET_TOKEN to run against a real Bitbucket.");
        var cancellation = TestContext.Current.CancellationToken;
        var (provider, services) = Bitbucket.Create(o =>
        {
            o.Token = token;
            o.Email = Environment.GetEnvironmentVariable("CODEDOC_LIVE_BITBUCKET_EMAIL") is { Length: > 0 } email ? email : null;
            o.BaseAddress = Environment.GetEnvironmentVariable("CODEDOC_LIVE_BITBUCKET_BASEADDRESS") is { Length: > 0 } address ? new Uri(address) : null;
        });
        await using var _ = services;
        var repository = Bitbucket.Parse(provider, url!);

        var access = await provider.CheckAccessAsync(repository, cancellation);
        Assert.True(access.Succeeded, string.Join("; ", access.Problems.Select(p => p.Message)));
        var head = await provider.ResolveRefAsync(repository, null, cancellation);
        await using (var tree = await provider.OpenTreeAsync(repository, head.CommitSha, cancellation))
        {
            Assert.NotEmpty(await TreeListing.ListFilesAsync(tree, cancellation));
        }

        var branches = new List<BranchInfo>();
        await foreach (var branch in provider.ListBranchesAsync(repository, cancellation))
        {
            branches.Add(branch);
        }

        Assert.Contains(branches, b => b.IsDefault && b.CommitSha == head.CommitSha);
    }
}
