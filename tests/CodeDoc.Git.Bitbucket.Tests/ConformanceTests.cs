using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.Bitbucket;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.Bitbucket.Tests;

/// <summary>The conformance suite, with the repository fixture's facts.</summary>
public abstract class BitbucketConformanceTests(SampleRepositoryFixture fixture) : GitProviderConformanceTests, IAsyncLifetime
{
    protected HostedSampleRepository Sample => fixture.Sample;

    protected override string UnservedLocation => "https://github.com/acme/sample";

    protected override string KnownRef => HostedSampleRepository.DefaultBranch;

    protected override string KnownCommitSha => Sample.HeadCommit;

    protected override string KnownFilePath => HostedSampleRepository.ModifiedFile;

    protected override string BaseCommitSha => Sample.BaseCommit;

    protected override string ChangedPathSinceBase => HostedSampleRepository.ModifiedFile;

    protected override string DefaultBranch => HostedSampleRepository.DefaultBranch;

    protected override string InvalidOptionsField => "BaseAddress";

    public abstract ValueTask InitializeAsync();

    protected override ICodeDocBuilder CreateBuilder(IServiceCollection services) => services.AddCodeDoc();

    protected override void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddBitbucket(name, o => o.BaseAddress = new Uri("http://bitbucket.example.com/"));

    protected override Task<IReadOnlyCollection<string>> ListFilesAsync(RepositoryTree tree, CancellationToken cancellationToken) =>
        TreeListing.ListFilesAsync(tree, cancellationToken).ContinueWith(t => (IReadOnlyCollection<string>)t.Result, cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
}

/// <summary>Bitbucket Cloud, its tree from the web archive.</summary>
public sealed class BitbucketCloudConformanceTests(SampleRepositoryFixture fixture) : BitbucketConformanceTests(fixture)
{
    private FakeBitbucketCloud _fake = null!;

    protected override string ProviderKind => "bitbucket";

    protected override string RepositoryLocation => _fake.RepositoryUrl;

    public override async ValueTask InitializeAsync()
    {
        _fake = await FakeBitbucketCloud.StartAsync(Sample);
        _fake.AcceptedAuthorization = "Bearer " + Bitbucket.CloudToken;
    }

    protected override void AddProvider(ICodeDocBuilder builder, string name) => builder.AddBitbucket(name, o => Bitbucket.Cloud(o, _fake));

    protected override string ExpectedLineAnchor(LineRange lines) => lines.Start == lines.End ? $"#lines-{lines.Start}" : $"#lines-{lines.Start}:{lines.End}";

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _fake.DisposeAsync();
    }
}

/// <summary>Bitbucket Cloud when its web archive is refused: the tree is walked, in small pages.</summary>
public sealed class BitbucketCloudTreeWalkConformanceTests(SampleRepositoryFixture fixture) : BitbucketConformanceTests(fixture)
{
    private FakeBitbucketCloud _fake = null!;

    protected override string ProviderKind => "bitbucket";

    protected override string RepositoryLocation => _fake.RepositoryUrl;

    public override async ValueTask InitializeAsync()
    {
        _fake = await FakeBitbucketCloud.StartAsync(Sample);
        _fake.AcceptedAuthorization = "Bearer " + Bitbucket.CloudToken;
        _fake.WebArchive = WebArchiveMode.LoginPage;
        _fake.MaxPageLength = 2;
    }

    protected override void AddProvider(ICodeDocBuilder builder, string name) => builder.AddBitbucket(name, o => Bitbucket.Cloud(o, _fake));

    protected override string ExpectedLineAnchor(LineRange lines) => lines.Start == lines.End ? $"#lines-{lines.Start}" : $"#lines-{lines.Start}:{lines.End}";

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _fake.DisposeAsync();
    }
}

/// <summary>Bitbucket Data Center below a context path, in small pages.</summary>
public sealed class BitbucketDataCenterConformanceTests(SampleRepositoryFixture fixture) : BitbucketConformanceTests(fixture)
{
    private FakeBitbucketDataCenter _fake = null!;

    protected override string ProviderKind => "bitbucket";

    protected override string RepositoryLocation => _fake.RepositoryUrl;

    public override async ValueTask InitializeAsync()
    {
        _fake = await FakeBitbucketDataCenter.StartAsync(Sample);
        _fake.AcceptedAuthorization = "Bearer " + Bitbucket.DataCenterToken;
        _fake.MaxPageLength = 1;
    }

    protected override void AddProvider(ICodeDocBuilder builder, string name) => builder.AddBitbucket(name, o => Bitbucket.DataCenter(o, _fake));

    protected override string ExpectedLineAnchor(LineRange lines) => lines.Start == lines.End ? $"#{lines.Start}" : $"#{lines.Start}-{lines.End}";

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _fake.DisposeAsync();
    }
}
