using CodeDoc.Core;
using CodeDoc.FakeServers.Confluence;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Publishing.Confluence.Tests;

/// <summary>Every page carries <c>codedoc</c>, the set's labels and its own, in the form Confluence accepts (the fake refuses any other).</summary>
public sealed class ConfluenceLabelTests : IAsyncLifetime
{
    private const string Space = "DOC";
    private static readonly string[] SetLabels = ["codedoc", "github-com-org-my-repo", "standard-preset"];
    private ServiceProvider? _services;
    private FakeConfluence _fake = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeConfluence.StartAsync();
        _fake.AddSpace(Space, "Documentation");
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task PublishAsync_OddRepositoryAndPresetLabels_LabelsEveryPageNormalized()
    {
        var publisher = Create();

        var result = await publisher.PublishAsync(Labelled(["Public API", "public-api"]), null, Ct);

        Assert.False(result.HasFailures, string.Join(" ", result.Pages.Select(p => p.Reason)));
        var manifest = (await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct))!;
        foreach (var entry in manifest.Pages)
        {
            var expected = entry.Key == "components" ? [.. SetLabels, "public-api"] : SetLabels;
            Assert.Equal(expected.Order(StringComparer.Ordinal), _fake.Page(entry.TargetId)!.Labels);
        }
    }

    [Fact]
    public async Task PublishAsync_PageLabelsChanged_AddsAndRemovesOnlyThoseWithoutANewVersion()
    {
        var publisher = Create();
        await publisher.PublishAsync(Labelled(["Public API"]), null, Ct);
        var id = (await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct))!.Pages.Single(p => p.Key == "components").TargetId;
        var version = _fake.Page(id)!.Version;

        var result = await publisher.PublishAsync(Labelled(["Internals"]), null, Ct);

        Assert.Equal(PageOutcomeKind.Updated, Assert.Single(result.Pages, p => p.Key == "components").Kind);
        Assert.All(result.Pages.Where(p => p.Key != "components"), p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
        Assert.Equal([.. SetLabels.Append("internals").Order(StringComparer.Ordinal)], _fake.Page(id)!.Labels);
        Assert.Equal(version, _fake.Page(id)!.Version);
    }

    private static DocumentSet Labelled(string[] componentLabels)
    {
        var set = SampleDocumentSets.Basic() with { Labels = ["codedoc", "github.com/Org/My Repo", "Standard Preset"] };
        return set with { Pages = [.. set.Pages.Select(p => p.Key == "components" ? p with { Labels = componentLabels } : p)] };
    }

    private IDocPublisher Create()
    {
        (_services, var publisher) = ConfluenceTestSite.CreatePublisher(_fake, Space);
        return publisher;
    }
}
