using System.Net.Http.Headers;
using System.Text;
using CodeDoc.Core;
using CodeDoc.FakeServers.Confluence;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Publishing.Confluence.Tests;

/// <summary>
/// Confluence keeps titles unique per space ignoring case, while its title look-up matches exactly: a page that holds
/// another spelling of a title is found with a CQL search, never overwritten, and the report says why the page of the
/// set got another title.
/// </summary>
public sealed class ConfluenceTitleCaseTests : IAsyncDisposable
{
    private const string Space = "DOC";
    private readonly List<ServiceProvider> _services = [];
    private FakeConfluence? _fake;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var services in _services)
        {
            await services.DisposeAsync();
        }

        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(FakeConfluenceMode.Cloud)]
    [InlineData(FakeConfluenceMode.DataCenter)]
    public async Task PublishAsync_TitleHeldInAnotherCase_PublishesUnderAnotherTitleAndLeavesTheForeignPage(FakeConfluenceMode mode)
    {
        var fake = await StartAsync(mode);
        var foreign = fake.AddPage(Space, null, "GETTING STARTED", "<p>Somebody else's page.</p>");
        var publisher = Create();

        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.All(result.Pages, p => Assert.Equal(PageOutcomeKind.Created, p.Kind));
        var outcome = Assert.Single(result.Pages, p => p.Key == "getting-started");
        Assert.StartsWith("Getting started (", outcome.Title, StringComparison.Ordinal);
        Assert.Contains($"page {foreign.Id}", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("does not own", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal((1, "<p>Somebody else's page.</p>", "GETTING STARTED"), (foreign.Version, foreign.Body, foreign.Title));

        // The overview was written before Confluence refused the title; it now links to the page under its new title.
        var manifest = (await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct))!;
        var overview = fake.Page(manifest.Pages.Single(p => p.Key == "overview").TargetId)!;
        Assert.Contains($"ri:content-title=\"{outcome.Title}\"", overview.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("ri:content-title=\"Getting started\"", overview.Body, StringComparison.Ordinal);

        // No duplicate: the pages of the space are the home page, the foreign page and the set's pages.
        Assert.Equal(
            manifest.Pages.Select(p => p.TargetId).Append(foreign.Id).Order(StringComparer.Ordinal),
            fake.Pages(Space).Where(p => p.Status == "current" && p.ParentId is not null).Select(p => p.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(FakeConfluenceMode.Cloud)]
    [InlineData(FakeConfluenceMode.DataCenter)]
    public async Task PublishAsync_AfterATitleClashUnchanged_MakesNoWriteRequest(FakeConfluenceMode mode)
    {
        var fake = await StartAsync(mode);
        fake.AddPage(Space, null, "getting STARTED");
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        fake.Server.ClearRequests();

        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.All(result.Pages, p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
        Assert.StartsWith("Getting started (", Assert.Single(result.Pages, p => p.Key == "getting-started").Title, StringComparison.Ordinal);
        Assert.Empty(fake.WriteRequests);
    }

    [Fact]
    public async Task PublishAsync_RenameToATitleHeldInAnotherCase_KeepsAFallbackTitleWithoutARefusedWrite()
    {
        var fake = await StartAsync(FakeConfluenceMode.Cloud);
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var foreign = fake.AddPage(Space, null, "API MANUAL");
        fake.Server.ClearRequests();

        var result = await publisher.PublishAsync(SampleDocumentSets.WithRetitledPage(SampleDocumentSets.Basic(), "reference", "API manual"), null, Ct);

        var outcome = Assert.Single(result.Pages, p => p.Key == "reference");
        Assert.Equal((PageOutcomeKind.Updated, "API manual (Widgets)"), (outcome.Kind, outcome.Title));
        Assert.Contains($"page {foreign.Id}", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal("API MANUAL", foreign.Title);

        // The search found the holder before any write: no page write was refused.
        Assert.DoesNotContain(fake.Server.Requests, r => r.Method == "PUT" && r.BodyText.Contains("\"API manual\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_TitleHeldInAnotherCaseByATrashedPage_ReportsAPageCodeDocCannotSee()
    {
        var fake = await StartAsync(FakeConfluenceMode.Cloud);
        var trashed = fake.AddPage(Space, null, "data FLOW");
        using (var client = new HttpClient { BaseAddress = new Uri(fake.Server.BaseAddress, "wiki/") })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{fake.Options.Email}:{fake.Options.ApiToken}")));
            (await client.DeleteAsync($"api/v2/pages/{trashed.Id}", Ct)).Dispose();
        }

        var result = await Create().PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.Equal("trashed", trashed.Status);
        var outcome = Assert.Single(result.Pages, p => p.Key == "data-flow");
        Assert.Equal(PageOutcomeKind.Created, outcome.Kind);
        Assert.StartsWith("Data flow (", outcome.Title, StringComparison.Ordinal);
        Assert.Contains("cannot see", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_EveryFallbackTitleHeldInAnotherCase_FailsThatPageAfterBoundedRetriesAndPublishesTheRest()
    {
        var fake = await StartAsync(FakeConfluenceMode.Cloud);
        var foreign = Enumerable.Range(0, 12)
            .Select(n => fake.AddPage(Space, null, n switch { 0 => "getting started", 1 => "getting started (widgets)", _ => $"getting started (widgets {n})" }))
            .ToList();

        var result = await Create().PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        var outcome = Assert.Single(result.Pages, p => p.Key == "getting-started");
        Assert.Equal(PageOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("title already exists", outcome.Reason, StringComparison.Ordinal);
        Assert.All(result.Pages.Where(p => p.Key != "getting-started"), p => Assert.Equal(PageOutcomeKind.Created, p.Kind));
        Assert.All(foreign, p => Assert.Equal(1, p.Version));
    }

    [Theory]
    [InlineData("Overview", "space = \"DOC\" and type = page and title = \"Overview\"")]
    [InlineData("Say \"hi\" \\ bye", "space = \"DOC\" and type = page and title = \"Say \\\"hi\\\" \\\\ bye\"")]
    public void Cql_QuotesAndEscapesTheTitle(string title, string expected) =>
        Assert.Equal(expected, TitleSearch.Cql(Space, title));

    private async Task<FakeConfluence> StartAsync(FakeConfluenceMode mode)
    {
        _fake = await FakeConfluence.StartAsync(new FakeConfluenceOptions { Mode = mode });
        _fake.AddSpace(Space, "Documentation");
        return _fake;
    }

    private IDocPublisher Create()
    {
        var (services, publisher) = ConfluenceTestSite.CreatePublisher(_fake!, Space);
        _services.Add(services);
        return publisher;
    }
}
