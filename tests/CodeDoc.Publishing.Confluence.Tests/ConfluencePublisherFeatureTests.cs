using CodeDoc.Core;
using CodeDoc.FakeServers.Confluence;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Publishing.Confluence.Tests;

public sealed class ConfluencePublisherFeatureTests : IAsyncLifetime
{
    private const string Space = "DOC";
    private const string Diagram = "```mermaid\ngraph TD; A-->B\n```\n";
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
    public async Task PublishAsync_MermaidWithRenderer_AttachesTheImageOnceAndKeepsTheSource()
    {
        var renderer = new CountingRenderer();
        var publisher = Create(o => o.MermaidRenderer = renderer);
        var set = SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "data-flow", Diagram);

        await publisher.PublishAsync(set, null, Ct);
        var page = _fake.Page((await publisher.ReadManifestAsync(set.Id, Ct))!.Pages.Single(p => p.Key == "data-flow").TargetId)!;
        var uploads = UploadCount();
        var again = await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(set, "data-flow", "More text."), null, Ct);

        var image = Assert.Single(page.Attachments);
        Assert.Equal("image/png", image.MediaType);
        Assert.Contains($"ri:filename=\"{image.Title}\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("graph TD; A-->B", page.Body, StringComparison.Ordinal);
        Assert.Equal(PageOutcomeKind.Updated, Assert.Single(again.Pages, p => p.Key == "data-flow").Kind);
        Assert.Equal(1, renderer.Renders);
        Assert.Equal(uploads, UploadCount());
    }

    [Fact]
    public async Task PublishAsync_MermaidWithoutRendererOrMacro_PublishesTheSourceAsCode()
    {
        var publisher = Create(o => o.MermaidMacroName = "mermaid-cloud");
        var set = SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "data-flow", Diagram);

        await publisher.PublishAsync(set, null, Ct);

        var page = _fake.Page((await publisher.ReadManifestAsync(set.Id, Ct))!.Pages.Single(p => p.Key == "data-flow").TargetId)!;
        Assert.Contains("ac:name=\"mermaid-cloud\"", page.Body, StringComparison.Ordinal);
        Assert.Empty(page.Attachments);
    }

    [Fact]
    public async Task PublishAsync_EditedPageWithProposalOption_PublishesTheUpdateAsAChildAndLeavesThePage()
    {
        var publisher = Create(o => o.EditedPages = ConfluenceEditedPages.ProposeChildPage);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var id = (await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct))!.Pages.Single(p => p.Key == "reference").TargetId;
        _fake.EditPage(id, "<p>Curated by hand.</p>");

        var result = await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "reference"), null, Ct);

        Assert.Equal(PageOutcomeKind.SkippedEditedByPerson, Assert.Single(result.Pages, p => p.Key == "reference").Kind);
        Assert.Equal("<p>Curated by hand.</p>", _fake.Page(id)!.Body);
        var proposal = Assert.Single(_fake.Children(id));
        Assert.Equal("API reference (proposed update)", proposal.Title);
        Assert.Contains("This paragraph is new.", proposal.Body, StringComparison.Ordinal);

        var forced = await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "reference"), new PublishOptions { Force = true }, Ct);

        Assert.Equal(PageOutcomeKind.Updated, Assert.Single(forced.Pages, p => p.Key == "reference").Kind);
        Assert.Empty(_fake.Children(id));
    }

    [Fact]
    public async Task PublishAsync_UnderConfiguredParentPage_BuildsTheTreeThere()
    {
        var parent = _fake.AddPage(Space, null, "Team docs");
        var publisher = Create(o => o.ParentPageId = parent.Id);

        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.Equal(["Overview", "Getting started", "Architecture", "API reference"], _fake.Children(parent.Id).Select(p => p.Title));
        Assert.Contains(parent.Properties, p => p.Key.StartsWith("codedoc.set.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_Unchanged200PageSet_MakesNoWriteAndReadsInBatches()
    {
        var publisher = Create();
        var set = SampleDocumentSets.Basic() with
        {
            Pages = [.. Enumerable.Range(0, 200).Select(i => SampleDocumentSets.Page($"page-{i:D3}", $"Page {i:D3}", i < 10 ? null : $"page-{i % 10:D3}", i, $"Body of page {i}.\n\n## Part\n\nText."))],
        };
        await publisher.PublishAsync(set, null, Ct);
        _fake.Server.ClearRequests();

        var result = await publisher.PublishAsync(set, null, Ct);

        Assert.Equal(200, result.Count(PageOutcomeKind.Unchanged));
        Assert.Empty(_fake.WriteRequests);
        Assert.True(_fake.Server.Requests.Count <= 10, $"An unchanged publish of 200 pages made {_fake.Server.Requests.Count} reads.");
    }

    [Fact]
    public async Task PublishAsync_CloudDropsAnchorsToMissingPages_WritesTheLinkingPageAgainOnce()
    {
        await using var fake = await FakeConfluence.StartAsync(new FakeConfluenceOptions { DropAnchorsToMissingPages = true });
        fake.AddSpace(Space);
        var (services, publisher) = ConfluenceTestSite.CreatePublisher(fake, Space);
        _services.Add(services);

        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var manifest = (await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct))!;
        fake.Server.ClearRequests();
        var again = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        var overview = fake.Page(manifest.Pages.Single(p => p.Key == "overview").TargetId)!;
        Assert.Contains("ac:anchor=\"public-api\"", overview.Body, StringComparison.Ordinal);
        Assert.Equal(2, overview.Version);
        Assert.Equal(1, fake.Page(manifest.Pages.Single(p => p.Key == "data-flow").TargetId)!.Version);
        Assert.All(again.Pages, p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
        Assert.Empty(fake.WriteRequests);
    }

    [Theory]
    [InlineData(FakeConfluenceMode.Cloud)]
    [InlineData(FakeConfluenceMode.DataCenter)]
    public async Task PublishAsync_ReadsMissNewPagesForAWhile_TheRerunStillWritesNothing(FakeConfluenceMode mode)
    {
        await using var fake = await FakeConfluence.StartAsync(new FakeConfluenceOptions { Mode = mode, MissedReadsAfterCreate = 1 });
        fake.AddSpace(Space);
        var (services, publisher) = ConfluenceTestSite.CreatePublisher(fake, Space);
        _services.Add(services);

        var first = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        fake.Server.ClearRequests();
        var again = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.All(first.Pages, p => Assert.Equal(PageOutcomeKind.Created, p.Kind));
        Assert.All(again.Pages, p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
        Assert.Empty(fake.WriteRequests);
    }

    [Fact]
    public async Task PublishAsync_ScopedTokenThroughTheGateway_ReadsOnlyThroughV2()
    {
        await using var fake = await FakeConfluence.StartAsync(new FakeConfluenceOptions { ScopedToken = true });
        fake.AddSpace(Space);
        var (services, publisher) = ConfluenceTestSite.CreatePublisher(fake, Space, o =>
        {
            o.UseApiGateway = true;
            o.CloudId = fake.Options.CloudId;
            o.ApiGatewayAddress = fake.Server.BaseAddress;
        });
        _services.Add(services);

        var check = await publisher.CheckAccessAsync(Ct);
        var created = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var again = await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "architecture"), null, Ct);

        Assert.True(check.Succeeded, string.Join("; ", check.Problems.Select(p => p.Message)));
        Assert.All(created.Pages, p => Assert.Equal(PageOutcomeKind.Created, p.Kind));
        Assert.Equal(PageOutcomeKind.Updated, Assert.Single(again.Pages, p => p.Key == "architecture").Kind);
        Assert.DoesNotContain(fake.Server.Requests, r => r.Method == "GET" && r.Path.Contains("/rest/api/", StringComparison.Ordinal));
        Assert.DoesNotContain(fake.Server.Requests, r => r.Path == "/_edge/tenant_info");
    }

    [Fact]
    public async Task Factory_Settings_BuildAWorkingPublisher()
    {
        var services = new ServiceCollection();
        new TestCodeDocBuilder(services).AddConfluence("wiki", o => ConfluenceTestSite.Configure(o, _fake, Space));
        var provider = services.BuildServiceProvider();
        _services.Add(provider);
        var factory = provider.GetRequiredService<IEnumerable<IDocPublisherFactory>>().Single(f => f.Kind == "confluence");

        using var publisher = (IDisposable)factory.Create(new ProviderSettings("confluence", "adhoc", new Dictionary<string, string?>
        {
            ["BaseAddress"] = _fake.SiteAddress.AbsoluteUri,
            ["Deployment"] = "Cloud",
            ["Email"] = _fake.Options.Email,
            ["ApiToken"] = _fake.Options.ApiToken,
            ["SpaceKey"] = Space,
        }));
        var result = await ((IDocPublisher)publisher).PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var invalid = Assert.Throws<CodeDocConfigurationException>(() => factory.Create(new ProviderSettings("confluence", "bad", new Dictionary<string, string?> { ["BaseAddress"] = "http://example.com" })));

        Assert.All(result.Pages, p => Assert.Equal(PageOutcomeKind.Created, p.Kind));
        Assert.Contains("SpaceKey", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("https://", invalid.Message, StringComparison.Ordinal);
    }

    private int UploadCount() => _fake.Server.Requests.Count(r => r.Method == "POST" && r.Path.Contains("/child/attachment", StringComparison.Ordinal));

    private IDocPublisher Create(Action<ConfluenceOptions>? configure = null)
    {
        var (services, publisher) = ConfluenceTestSite.CreatePublisher(_fake, Space, configure);
        _services.Add(services);
        return publisher;
    }

    private sealed class CountingRenderer : IMermaidRenderer
    {
        public int Renders { get; private set; }

        public string MediaType => "image/png";

        public ValueTask<ReadOnlyMemory<byte>> RenderAsync(string source, CancellationToken cancellationToken = default)
        {
            Renders++;
            return ValueTask.FromResult<ReadOnlyMemory<byte>>(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        }
    }
}
