using CodeDoc.Core;
using CodeDoc.FakeServers.Confluence;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Publishing.Confluence.Tests;

/// <summary>
/// An unchanged page is recognised from the fingerprint of what it was rendered from, without rendering it; these tests
/// prove that every input of the rendering is part of that fingerprint, so no change is missed.
/// </summary>
public sealed class ConfluenceRenderInputsTests : IAsyncLifetime
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
    public async Task PublishAsync_LinkedPageRetitled_WritesThePagesThatLinkToIt()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        var result = await publisher.PublishAsync(SampleDocumentSets.WithRetitledPage(SampleDocumentSets.Basic(), "getting-started", "First steps"), null, Ct);

        // The overview links to the retitled page; the data flow page links only to the overview.
        Assert.Equal(PageOutcomeKind.Updated, Assert.Single(result.Pages, p => p.Key == "overview").Kind);
        Assert.Equal(PageOutcomeKind.Unchanged, Assert.Single(result.Pages, p => p.Key == "data-flow").Kind);
        var manifest = (await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct))!;
        Assert.Contains("ri:content-title=\"First steps\"", _fake.Page(manifest.Pages.Single(p => p.Key == "overview").TargetId)!.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_RenderingOptionChanged_WritesThePagesWhoseStorageChanges()
    {
        await Create().PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        // Only the components page has a heading, so only it gets a table of contents.
        var result = await Create(o => o.TableOfContentsMinHeadings = 1).PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.Equal(["components"], result.Pages.Where(p => p.Kind == PageOutcomeKind.Updated).Select(p => p.Key));
        Assert.All(result.Pages.Where(p => p.Key != "components"), p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
    }

    [Fact]
    public async Task PublishAsync_AttachmentBytesChanged_UploadsTheNewVersion()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var basic = SampleDocumentSets.Basic();
        var changed = basic with
        {
            Pages = [.. basic.Pages.Select(p => p.Key == "architecture"
                ? p with { Attachments = [p.Attachments[0] with { Content = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"u8.ToArray() }] }
                : p)],
        };

        var result = await publisher.PublishAsync(changed, null, Ct);

        Assert.Equal(PageOutcomeKind.Updated, Assert.Single(result.Pages, p => p.Key == "architecture").Kind);
        var id = (await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct))!.Pages.Single(p => p.Key == "architecture").TargetId;
        Assert.Equal(2, Assert.Single(_fake.Page(id)!.Attachments).Version);
    }

    private IDocPublisher Create(Action<ConfluenceOptions>? configure = null)
    {
        var (services, publisher) = ConfluenceTestSite.CreatePublisher(_fake, Space, configure);
        _services.Add(services);
        return publisher;
    }
}
