using System.Diagnostics.CodeAnalysis;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Pipeline.Tests.Composition;

public sealed class ProviderRegistryTests
{
    [Fact]
    public void GetGitProvider_ByNameOrUniqueKind_ReturnsIt()
    {
        using var services = Build(b => b.AddGitProvider("corp", "fakehost", _ => new FakeGit("corp", "fake.example")));
        var registry = services.GetRequiredService<IProviderRegistry>();

        Assert.Equal("corp", registry.GetGitProvider("corp").Metadata.Name);
        Assert.Equal("corp", registry.GetGitProvider("FAKEHOST").Metadata.Name);
    }

    [Fact]
    public void GetGitProvider_AmbiguousKind_ListsRegistrations()
    {
        using var services = Build(b => b
            .AddGitProvider("one", "fakehost", _ => new FakeGit("one", "a.example"))
            .AddGitProvider("two", "fakehost", _ => new FakeGit("two", "b.example")));

        var error = Assert.Throws<CodeDocConfigurationException>(() => services.GetRequiredService<IProviderRegistry>().GetGitProvider("fakehost"));

        Assert.Contains("'one' (fakehost)", error.Message, StringComparison.Ordinal);
        Assert.Contains("'two' (fakehost)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetAiProvider_NoneConfigured_SaysHowToConfigureOne()
    {
        using var services = Build(_ => { });

        var error = Assert.Throws<CodeDocConfigurationException>(() => services.GetRequiredService<IProviderRegistry>().GetAiProvider());

        Assert.Contains("No AI provider is configured", error.Message, StringComparison.Ordinal);
        Assert.Contains("CODEDOC__AI__", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_LocationServedBySecondProvider_MatchesByHost()
    {
        using var services = Build(b => b
            .AddGitProvider("a", "fakehost", _ => new FakeGit("a", "a.example"))
            .AddGitProvider("b", "fakehost", _ => new FakeGit("b", "b.example")));

        var resolved = services.GetRequiredService<IGitProviderResolver>().Resolve("https://b.example/org/repo");

        Assert.Equal("b", resolved.Provider.Metadata.Name);
        Assert.Equal("b.example/org/repo", resolved.Repository.Id);
    }

    [Fact]
    public void Resolve_NoProviderServesIt_ErrorHidesCredentials()
    {
        using var services = Build(b => b.AddGitProvider("a", "fakehost", _ => new FakeGit("a", "a.example")));

        var error = Assert.Throws<CodeDocConfigurationException>(() =>
            services.GetRequiredService<IGitProviderResolver>().Resolve("https://user:canary-token-99@elsewhere.example/org/repo"));

        Assert.DoesNotContain("canary-token-99", error.Message, StringComparison.Ordinal);
        Assert.Contains("elsewhere.example/org/repo", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a' (fakehost)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NamedProviderThatDoesNotServeIt_SaysSo()
    {
        using var services = Build(b => b.AddGitProvider("a", "fakehost", _ => new FakeGit("a", "a.example")));

        var error = Assert.Throws<CodeDocConfigurationException>(() => services.GetRequiredService<IGitProviderResolver>().Resolve("https://z.example/r", "a"));

        Assert.Contains("does not serve", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCodeDoc_CalledTwice_RegistersTheEngineOnce()
    {
        var collection = new ServiceCollection();
        collection.AddCodeDoc();
        var count = collection.Count;

        collection.AddCodeDoc();

        Assert.Equal(count, collection.Count);
    }

    private static ServiceProvider Build(Action<ICodeDocBuilder> configure)
    {
        var collection = new ServiceCollection();
        configure(collection.AddCodeDoc());
        return collection.BuildServiceProvider();
    }

    private sealed class FakeGit(string name, string host) : IGitProvider
    {
        public ProviderMetadata Metadata { get; } = new(name, "fakehost", name, new Uri($"https://{host}/"));

        public bool TryParseRepository(string location, [NotNullWhen(true)] out RepositoryReference? repository)
        {
            repository = Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Host == host
                ? new RepositoryReference(location, host + uri.AbsolutePath, uri.AbsolutePath.Trim('/')) { ProviderName = name }
                : null;
            return repository is not null;
        }

        public Task<AccessCheckResult> CheckAccessAsync(RepositoryReference? repository, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RepositoryInfo> GetRepositoryAsync(RepositoryReference repository, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ResolvedRef> ResolveRefAsync(RepositoryReference repository, string? reference, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RepositoryTree> OpenTreeAsync(RepositoryReference repository, string commitSha, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<CommitComparison> CompareAsync(RepositoryReference repository, string baseSha, string headSha, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public string GetPermalink(RepositoryReference repository, string commitSha, string path, LineRange? lines = null) => throw new NotSupportedException();

        public IAsyncEnumerable<BranchInfo> ListBranchesAsync(RepositoryReference repository, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
