using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.GitHub;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitHub.Tests;

/// <summary>The IGitProvider contract, against a fake github.com API serving the sample repository.</summary>
public sealed class GitHubConformanceTests(SampleRepository sample) : GitProviderConformanceTests, IAsyncLifetime
{
    private FakeGitHub _fake = null!;

    protected override string ProviderKind => "github";

    protected override string RepositoryLocation => $"https://github.com/{SampleRepository.Owner}/{SampleRepository.Name}";

    protected override string UnservedLocation => "https://gitlab.com/acme/widgets";

    protected override string KnownRef => "main";

    protected override string KnownCommitSha => sample.Head;

    protected override string KnownFilePath => "src/app.cs";

    protected override string BaseCommitSha => sample.First;

    protected override string ChangedPathSinceBase => "src/app.cs";

    protected override string DefaultBranch => "main";

    protected override string InvalidOptionsField => "CodeDoc:Git:conformance-a:ApiBaseAddress";

    public async ValueTask InitializeAsync()
    {
        var options = new FakeGitHubOptions { Owner = SampleRepository.Owner, Name = SampleRepository.Name };
        options.Tokens.Add(GitHubTestHost.Token);
        _fake = await FakeGitHub.StartAsync(sample.Repository, options);
    }

    protected override ICodeDocBuilder CreateBuilder(IServiceCollection services) => services.AddCodeDoc();

    protected override void AddProvider(ICodeDocBuilder builder, string name) =>
        builder.AddGitHub(name, o =>
        {
            o.ApiBaseAddress = _fake.ApiBaseAddress;
            o.Token = GitHubTestHost.Token;
        });

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddGitHub(name, o => o.ApiBaseAddress = new Uri("http://api.remote.example/"));

    protected override async Task<IReadOnlyCollection<string>> ListFilesAsync(RepositoryTree tree, CancellationToken cancellationToken) =>
        await TreeListing.ListFilesAsync(tree, cancellationToken);

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _fake.DisposeAsync();
    }
}
