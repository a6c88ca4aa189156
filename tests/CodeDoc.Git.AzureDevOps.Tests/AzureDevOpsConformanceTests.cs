using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.AzureDevOps;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.AzureDevOps.Tests;

/// <summary>The conformance suite against Azure DevOps Server below a virtual directory, in small pages.</summary>
public sealed class AzureDevOpsConformanceTests(SampleRepositoryFixture fixture) : GitProviderConformanceTests, IAsyncLifetime
{
    private FakeAzureDevOps _fake = null!;

    protected override string ProviderKind => "azure-devops";

    protected override string RepositoryLocation => _fake.RepositoryUrl;

    protected override string UnservedLocation => "https://github.com/acme/sample";

    protected override string KnownRef => HostedSampleRepository.DefaultBranch;

    protected override string KnownCommitSha => fixture.Sample.HeadCommit;

    protected override string KnownFilePath => HostedSampleRepository.ModifiedFile;

    protected override string BaseCommitSha => fixture.Sample.BaseCommit;

    protected override string ChangedPathSinceBase => HostedSampleRepository.ModifiedFile;

    protected override string DefaultBranch => HostedSampleRepository.DefaultBranch;

    protected override string InvalidOptionsField => "BaseAddress";

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeAzureDevOps.StartAsync(fixture.Sample);
        _fake.AcceptedAuthorization = Azure.BasicFor(Azure.Pat);
        _fake.MaxPageLength = 1;
    }

    protected override ICodeDocBuilder CreateBuilder(IServiceCollection services) => services.AddCodeDoc();

    protected override void AddProvider(ICodeDocBuilder builder, string name) => builder.AddAzureDevOps(name, o => Azure.Server(o, _fake));

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddAzureDevOps(name, o => o.BaseAddress = new Uri("http://tfs.example.com/tfs/"));

    protected override string ExpectedLineAnchor(LineRange lines) => $"&line={lines.Start}&lineEnd={lines.End + 1}&lineStartColumn=1&lineEndColumn=1";

    protected override async Task<IReadOnlyCollection<string>> ListFilesAsync(RepositoryTree tree, CancellationToken cancellationToken) =>
        await TreeListing.ListFilesAsync(tree, cancellationToken);

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _fake.DisposeAsync();
    }
}
