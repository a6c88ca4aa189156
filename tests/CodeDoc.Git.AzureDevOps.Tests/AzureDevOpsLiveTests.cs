using CodeDoc.Core;
using CodeDoc.FakeServers;

namespace CodeDoc.Git.AzureDevOps.Tests;

/// <summary>
/// Reads a real repository when one is configured: <c>CODEDOC_LIVE_AZDO_URL</c> (the repository's web URL),
/// <c>CODEDOC_LIVE_AZDO_TOKEN</c> (a PAT with scope Code: Read), and optionally <c>CODEDOC_LIVE_AZDO_BASEADDRESS</c>
/// and <c>CODEDOC_LIVE_AZDO_APIVERSION</c> (Server). Skipped otherwise.
/// </summary>
public sealed class AzureDevOpsLiveTests
{
    [Fact]
    public async Task LiveRepository_CheckResolveOpenAndListBranches_Succeed()
    {
        var url = Environment.GetEnvironmentVariable("CODEDOC_LIVE_AZDO_URL");
        var token = Environment.GetEnvironmentVariable("CODEDOC_LIVE_AZDO_TOKEN");
        Assert.SkipWhen(string.IsNullOrEmpty(url) || string.IsNullOrEmpty(token), "Set CODEDOC_LIVE_AZDO_URL and CODEDOC_LIVE_AZDO_TOKEN to run against a real Azure DevOps.");
        var cancellation = TestContext.Current.CancellationToken;
        var (provider, services) = Azure.Create(o =>
        {
            o.Token = token;
            o.BaseAddress = Environment.GetEnvironmentVariable("CODEDOC_LIVE_AZDO_BASEADDRESS") is { Length: > 0 } address ? new Uri(address) : null;
            o.ApiVersion = Environment.GetEnvironmentVariable("CODEDOC_LIVE_AZDO_APIVERSION") is { Length: > 0 } version ? version : o.ApiVersion;
        });
        await using var _ = services;
        var repository = Azure.Parse(provider, url!);

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
