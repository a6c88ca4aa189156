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

    [Fact]
    public async Task ReadPageMarkdownAsync_AfterPublish_ReturnsEveryPagesMarkdownSoRepublishingItWritesNothing()
    {
        var publisher = Create();
        var set = SampleDocumentSets.Basic();
        await publisher.PublishAsync(set, null, Ct);
        var reader = Create();

        var readBack = new List<DocumentPage>();
        foreach (var page in set.Pages)
        {
            readBack.Add(page with { Markdown = (await reader.ReadPageMarkdownAsync(set.Id, page.Key, Ct))! });
        }

        _fake.Server.ClearRequests();
        var again = await publisher.PublishAsync(set with { Pages = readBack }, null, Ct);

        Assert.Equal(set.Pages.Select(p => p.Markdown), readBack.Select(p => p.Markdown));
        Assert.Contains("codedoc-page:components#public-api", readBack[0].Markdown, StringComparison.Ordinal);
        Assert.All(again.Pages, p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
        Assert.Empty(_fake.WriteRequests);
    }

    [Fact]
    public async Task ReadPageMarkdownAsync_AfterUpdate_ReturnsTheNewMarkdown()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var changed = SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "data-flow", "Sprockets are counted.");

        await publisher.PublishAsync(changed, null, Ct);
        var markdown = await publisher.ReadPageMarkdownAsync(SampleDocumentSets.Id, "data-flow", Ct);

        Assert.Equal(changed.Pages.Single(p => p.Key == "data-flow").Markdown, markdown);
    }

    [Fact]
    public async Task ReadPageMarkdownAsync_PageEditedByPerson_ReturnsNullForThatPageOnly()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var manifest = await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct);
        _fake.EditPage(manifest!.Pages.Single(p => p.Key == "data-flow").TargetId, "<p>A person rewrote this.</p>");

        var edited = await publisher.ReadPageMarkdownAsync(SampleDocumentSets.Id, "data-flow", Ct);
        var untouched = await publisher.ReadPageMarkdownAsync(SampleDocumentSets.Id, "components", Ct);

        Assert.Null(edited);
        Assert.NotNull(untouched);
    }

    [Fact]
    public async Task ReadPageMarkdownAsync_PersonWroteOnlyTeamNotes_ReturnsTheMarkdown()
    {
        var publisher = Create();
        var set = SampleDocumentSets.Basic();
        await publisher.PublishAsync(set, null, Ct);
        var id = (await publisher.ReadManifestAsync(set.Id, Ct))!.Pages.Single(p => p.Key == "overview").TargetId;
        var body = _fake.Page(id)!.Body;
        var withNote = body.Replace("<ac:rich-text-body></ac:rich-text-body>", "<ac:rich-text-body><p>On call: Alice.</p></ac:rich-text-body>", StringComparison.Ordinal)
            .Replace("<ac:rich-text-body/>", "<ac:rich-text-body><p>On call: Alice.</p></ac:rich-text-body>", StringComparison.Ordinal);
        Assert.NotEqual(body, withNote);
        _fake.EditPage(id, withNote);

        var markdown = await publisher.ReadPageMarkdownAsync(set.Id, "overview", Ct);

        Assert.Equal(set.Pages.Single(p => p.Key == "overview").Markdown, markdown);
    }

    [Fact]
    public async Task ReadPageMarkdownAsync_UnknownPageOrSet_ReturnsNull()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.Null(await publisher.ReadPageMarkdownAsync(SampleDocumentSets.Id, "no-such-page", Ct));
        Assert.Null(await publisher.ReadPageMarkdownAsync("example.com/other@main", "overview", Ct));
    }

    [Fact]
    public async Task ReadPageMarkdownAsync_MarkdownTooLargeToKeep_PublishesThePageAndReturnsNull()
    {
        var publisher = Create();
        var large = SampleDocumentSets.Page("large", "Large page", null, 9, RandomWords(60_000, seed: 4), "src/Large.cs");
        var set = SampleDocumentSets.WithPage(SampleDocumentSets.Basic(), large);

        var result = await publisher.PublishAsync(set, null, Ct);
        var markdown = await publisher.ReadPageMarkdownAsync(set.Id, "large", Ct);

        Assert.Equal(PageOutcomeKind.Created, result.Pages.Single(p => p.Key == "large").Kind);
        Assert.Null(markdown);
        Assert.NotNull(await publisher.ReadPageMarkdownAsync(set.Id, "overview", Ct));
    }

    [Fact]
    public async Task ReadBack_OnDataCenter_ReturnsPropertiesAndMarkdownThroughTheV1Api()
    {
        await using var dataCenter = await FakeConfluence.StartAsync(new FakeConfluenceOptions { Mode = FakeConfluenceMode.DataCenter, ContextPath = "/confluence" });
        dataCenter.AddSpace(Space, "Documentation");
        var (services, publisher) = ConfluenceTestSite.CreatePublisher(dataCenter, Space);
        _services.Add(services);
        var set = SampleDocumentSets.Basic() with { Properties = new Dictionary<string, string> { ["outline"] = Incompressible(100_000, seed: 5) } };

        await publisher.PublishAsync(set, null, Ct);
        var manifest = await publisher.ReadManifestAsync(set.Id, Ct);
        var markdown = await publisher.ReadPageMarkdownAsync(set.Id, "components", Ct);

        Assert.Equal(set.Properties["outline"], manifest!.Properties["outline"]);
        Assert.Equal(set.Pages.Single(p => p.Key == "components").Markdown, markdown);
        Assert.DoesNotContain(dataCenter.Server.Requests, r => r.Path.Contains("/api/v2/", StringComparison.Ordinal));
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

    private static string RandomWords(int length, int seed)
    {
        var random = new Random(seed);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = i % 9 == 8 ? ' ' : (char)('a' + r.Next(26));
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
