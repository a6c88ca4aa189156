using CodeDoc.Core;
using CodeDoc.FakeServers.Confluence;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Publishing.Confluence.Tests;

/// <summary>What incremental generation needs from the publisher: the set's properties kept with the manifest, pages read back as Markdown.</summary>
public sealed class ConfluenceIncrementalSupportTests : IAsyncLifetime
{
    private const string Space = "DOC";
    private readonly List<ServiceProvider> _services = [];
    private FakeConfluence _fake = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeConfluence.StartAsync();
        _fake.AddSpace(Space, "Documentation");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var services in _services)
        {
            await services.DisposeAsync();
        }

        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task ReadManifestAsync_AfterPublishWithProperties_ReturnsThem()
    {
        var publisher = Create();
        var properties = new Dictionary<string, string> { ["outline"] = "{\"pages\":[\"overview\"]}", ["preset"] = "standard" };

        await publisher.PublishAsync(SampleDocumentSets.Basic() with { Properties = properties }, null, Ct);
        var manifest = await Create().ReadManifestAsync(SampleDocumentSets.Id, Ct);

        Assert.Equal(properties.OrderBy(p => p.Key), manifest!.Properties.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task ReadManifestAsync_PropertiesBeyondOneContentProperty_AreSplitAndReadBackWhole()
    {
        var publisher = Create();
        var first = new Dictionary<string, string> { ["outline"] = Incompressible(200_000, seed: 1) };
        var second = new Dictionary<string, string> { ["outline"] = Incompressible(150_000, seed: 2), ["preset"] = "standard" };

        await publisher.PublishAsync(SampleDocumentSets.Basic() with { Properties = first }, null, Ct);
        var afterFirst = await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct);
        await publisher.PublishAsync(SampleDocumentSets.Basic() with { Properties = second }, null, Ct);
        var afterSecond = await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct);

        Assert.Equal(first["outline"], afterFirst!.Properties["outline"]);
        Assert.Equal(second.OrderBy(p => p.Key), afterSecond!.Properties.OrderBy(p => p.Key));
        Assert.Equal(6, afterSecond.Pages.Count);
        var home = _fake.Page(_fake.Pages(Space)[0].Id)!;
        Assert.Contains(home.Properties, p => p.Key.EndsWith(".p2", StringComparison.Ordinal));
        Assert.All(_fake.Pages(Space).SelectMany(p => p.Properties), p => Assert.True(p.ValueJson.Length <= ManifestStore.MaxPropertyBytes));
    }

    [Fact]
    public async Task PublishAsync_PropertiesTooLargeToKeep_RefusesBeforeWritingAnything()
    {
        var publisher = Create();
        var huge = new Dictionary<string, string> { ["outline"] = Incompressible(2_000_000, seed: 3) };

        var error = await Assert.ThrowsAsync<InvalidDocumentSetException>(() => publisher.PublishAsync(SampleDocumentSets.Basic() with { Properties = huge }, null, Ct));

        Assert.Contains("outline", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.WriteRequests);
    }

    [Fact]
    public async Task PublishAsync_OnlyPropertiesOrCommitChanged_WritesTheManifestAlone()
    {
        var publisher = Create();
        var set = SampleDocumentSets.Basic() with { Properties = new Dictionary<string, string> { ["preset"] = "standard" } };
        await publisher.PublishAsync(set, null, Ct);
        _fake.Server.ClearRequests();

        var same = await publisher.PublishAsync(set, null, Ct);
        var sameWrites = _fake.WriteRequests.Count;
        var moved = set with
        {
            Source = set.Source with { CommitSha = "0123456789abcdef0123456789abcdef01234567" },
            Properties = new Dictionary<string, string> { ["preset"] = "detailed" },
        };
        var result = await publisher.PublishAsync(moved, null, Ct);
        var manifest = await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct);

        Assert.Equal(0, sameWrites);
        Assert.All(same.Pages.Concat(result.Pages), p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
        var write = Assert.Single(_fake.WriteRequests);
        Assert.Contains("/properties/", write.Path, StringComparison.Ordinal);
        Assert.Equal(moved.Source.CommitSha, manifest!.SourceCommit);
        Assert.Equal("detailed", manifest.Properties["preset"]);
    }

    private static string Incompressible(int length, int seed)
    {
        var random = new Random(seed);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('!' + r.Next(90));
            }
        });
    }

    private IDocPublisher Create(Action<ConfluenceOptions>? configure = null)
    {
        var (services, publisher) = ConfluenceTestSite.CreatePublisher(_fake, Space, configure);
        _services.Add(services);
        return publisher;
    }
}
