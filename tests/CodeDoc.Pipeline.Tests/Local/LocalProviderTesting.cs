using CodeDoc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeDoc.Pipeline.Tests.Local;

/// <summary>Builds local providers and reads their trees for the tests.</summary>
internal static class LocalProviderTesting
{
    public static LocalGitProvider CreateProvider(Action<LocalRepositoryOptions>? configure = null)
    {
        var options = new LocalRepositoryOptions();
        configure?.Invoke(options);
        return new LocalGitProvider("local", options, "CodeDoc:Local:AllowedRoots", NullLogger<LocalGitProvider>.Instance);
    }

    public static RepositoryReference Parse(this IGitProvider provider, string location)
    {
        Assert.True(provider.TryParseRepository(location, out var repository), $"'{location}' should be served.");
        return repository;
    }

    public static async Task<List<RepositoryEntry>> ListAsync(this RepositoryTree tree, Func<string, bool>? shouldEnterDirectory = null)
    {
        var entries = new List<RepositoryEntry>();
        await foreach (var entry in ((EntryRepositoryTree)tree).EnumerateAsync(shouldEnterDirectory, TestContext.Current.CancellationToken))
        {
            entries.Add(entry);
        }

        return entries;
    }

    public static async Task<string> ReadTextAsync(this RepositoryEntry entry)
    {
        await using var content = await entry.OpenReadAsync(TestContext.Current.CancellationToken);
        using var reader = new StreamReader(content);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<List<RepositoryEntry>> OpenAndListAsync(this IGitProvider provider, RepositoryReference repository, string commitSha)
    {
        await using var tree = await provider.OpenTreeAsync(repository, commitSha, TestContext.Current.CancellationToken);
        Assert.Equal(commitSha, tree.CommitSha);
        return await tree.ListAsync();
    }
}
