using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Pipeline.Tests.Snapshot;

public sealed class SnapshotRegistrationTests
{
    [Fact]
    public void AddCodeDoc_RegistersTheReaderAndOneTokenCounter()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ISecretRedactor>(new FakeSecretRedactor());
        services.AddCodeDoc();
        services.AddCodeDoc();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<SnapshotReader>(provider.GetRequiredService<ISnapshotReader>());
        Assert.Same(provider.GetRequiredService<ITokenCounter>(), provider.GetRequiredService<ITokenCounter>());
        Assert.Single(services, d => d.ServiceType == typeof(ISnapshotReader));
    }

    [Fact]
    public async Task AddCodeDoc_ConfiguredSnapshotOptions_AreTheReadersDefaults()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ISecretRedactor>(new FakeSecretRedactor());
        services.AddCodeDoc(o => o.Snapshot.Exclude.Add("*.md"));
        await using var provider = services.BuildServiceProvider();
        var tar = new TarBuilder().File("README.md", "# hi\n").File("a.cs", "class A {}\n").Build();
        await using var tree = new ArchiveRepositoryTree(SnapshotTestHost.Sha, new NonSeekableStream(tar), ArchiveFormat.Tar, false);

        var snapshot = await provider.GetRequiredService<ISnapshotReader>().ReadAsync(tree, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["a.cs"], snapshot.Paths());
        Assert.Equal(ExclusionReason.ExcludedByOptions, snapshot.Excluded("README.md").Reason);
    }
}
