using System.Text.Json;
using CodeDoc.Core;
using CodeDoc.FakeServers.Confluence;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Publishing.Confluence.Tests;

public sealed class ConfluencePublisherTests : IAsyncLifetime
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
    public async Task PublishAsync_UnchangedSetAgain_MakesNoWriteRequest()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        _fake.Server.ClearRequests();

        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.All(result.Pages, p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
        Assert.Empty(_fake.WriteRequests);
    }

    [Fact]
    public async Task PublishAsync_NewSet_BuildsTheTreeWithLabelsPropertiesAndAttachment()
    {
        var publisher = Create();

        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var manifest = (await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct))!;

        var home = _fake.Page(_fake.Pages(Space)[0].Id)!;
        Assert.Equal(["Overview", "Getting started", "Architecture", "API reference"], _fake.Children(home.Id).Select(p => p.Title));
        var architecture = _fake.Page(IdOf(manifest, "architecture"))!;
        Assert.Equal(["Components", "Data flow"], _fake.Children(architecture.Id).Select(p => p.Title));
        Assert.Equal("overview.svg", Assert.Single(architecture.Attachments).Title);
        foreach (var entry in manifest.Pages)
        {
            var page = _fake.Page(entry.TargetId)!;
            Assert.Contains("codedoc", page.Labels);
            Assert.Contains("widgets", page.Labels);
            var property = Assert.Single(page.Properties, p => p.Key == ManifestStore.PagePropertyKey);
            Assert.Contains(SampleDocumentSets.CommitSha, property.ValueJson, StringComparison.Ordinal);
            Assert.Equal(entry.Version, page.Version);
        }

        var overview = _fake.Page(IdOf(manifest, "overview"))!;
        Assert.Contains("ri:content-title=\"Getting started\"", overview.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_PageEditedByPerson_SkipsItAndKeepsTheEdit()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var id = IdOf(await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct), "data-flow");
        _fake.EditPage(id, "<p>A person rewrote this.</p>");

        var result = await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "data-flow"), null, Ct);
        var again = await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "data-flow"), null, Ct);

        Assert.Equal(PageOutcomeKind.SkippedEditedByPerson, Assert.Single(result.Pages, p => p.Key == "data-flow").Kind);
        Assert.Equal(PageOutcomeKind.SkippedEditedByPerson, Assert.Single(again.Pages, p => p.Key == "data-flow").Kind);
        Assert.Equal("<p>A person rewrote this.</p>", _fake.Page(id)!.Body);
    }

    [Fact]
    public async Task PublishAsync_ForceOverPersonsEdit_OverwritesButKeepsTeamNotes()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var id = IdOf(await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct), "overview");
        var body = _fake.Page(id)!.Body;
        var withNote = body.Replace("<ac:rich-text-body></ac:rich-text-body>", "<ac:rich-text-body><p>On call: Alice.</p></ac:rich-text-body>", StringComparison.Ordinal)
            .Replace("<ac:rich-text-body/>", "<ac:rich-text-body><p>On call: Alice.</p></ac:rich-text-body>", StringComparison.Ordinal);
        Assert.NotEqual(body, withNote);
        _fake.EditPage(id, "<p>Rewritten.</p>" + withNote);

        var result = await publisher.PublishAsync(
            SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "overview"), new PublishOptions { Force = true }, Ct);

        Assert.Equal(PageOutcomeKind.Updated, Assert.Single(result.Pages, p => p.Key == "overview").Kind);
        var after = _fake.Page(id)!.Body;
        Assert.DoesNotContain("Rewritten.", after, StringComparison.Ordinal);
        Assert.Contains("This paragraph is new.", after, StringComparison.Ordinal);
        Assert.Contains("On call: Alice.", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_TitleTakenByForeignPage_PublishesUnderAnotherTitleAndLeavesTheForeignPage()
    {
        var foreign = _fake.AddPage(Space, null, "Overview", "<p>Somebody else's overview.</p>");
        var publisher = Create();

        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        var outcome = Assert.Single(result.Pages, p => p.Key == "overview");
        Assert.Equal(PageOutcomeKind.Created, outcome.Kind);
        Assert.NotEqual("Overview", outcome.Title);
        Assert.Contains("Overview", outcome.Title, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Reason));
        Assert.Equal((1, "<p>Somebody else's overview.</p>", "Overview"), (foreign.Version, foreign.Body, foreign.Title));
    }

    [Fact]
    public async Task PublishAsync_VersionConflictOnUpdate_ReadsAgainAndSucceeds()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var id = IdOf(await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct), "components");
        _fake.Server.Faults.Respond(
            $"/wiki/api/v2/pages/{id}", 409,
            """{"errors":[{"status":409,"code":"CONFLICT","title":"OptimisticLockException: the page was changed concurrently","detail":null}]}""",
            method: "PUT");

        var result = await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "components"), null, Ct);

        Assert.Equal(PageOutcomeKind.Updated, Assert.Single(result.Pages, p => p.Key == "components").Kind);
        Assert.Equal(2, _fake.Server.Requests.Count(r => r.Method == "PUT" && r.Path == $"/wiki/api/v2/pages/{id}"));
        Assert.Contains("This paragraph is new.", _fake.Page(id)!.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_RateLimitedWrites_RetriesAfterRetryAfterAndSucceeds()
    {
        var publisher = Create();
        _fake.Server.Faults.Respond(
            "/wiki/api/v2/pages", 429, """{"errors":[{"status":429,"code":"TOO_MANY_REQUESTS","title":"Rate limited","detail":null}]}""",
            new Dictionary<string, string> { ["Retry-After"] = "0" }, times: 2, method: "POST");

        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.All(result.Pages, p => Assert.Equal(PageOutcomeKind.Created, p.Kind));
        Assert.Equal(SampleDocumentSets.Basic().Pages.Count, _fake.Pages(Space).Count(p => p.Title != "Documentation Home" && !p.Title.StartsWith("Archived", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PublishAsync_RetryAfterBeyondTheCap_StopsAtOnceReportingTheRateLimit()
    {
        var publisher = Create();
        _fake.Server.Faults.Respond(
            "/wiki/api/v2/spaces", 429, """{"errors":[{"status":429,"code":"TOO_MANY_REQUESTS","title":"Rate limited","detail":null}]}""",
            new Dictionary<string, string> { ["Retry-After"] = "3600" }, method: "GET");

        var limited = await Assert.ThrowsAsync<DocPublisherRateLimitedException>(() => publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct));

        Assert.Single(_fake.Server.Requests);
        Assert.Equal(TimeSpan.FromHours(1), limited.RetryAfter);
        Assert.Contains("MaxRetryAfter", limited.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_OverflowingRetryAfter_IsTreatedAsNoHintAndRetried()
    {
        var publisher = Create();
        _fake.Server.Faults.Respond(
            "/wiki/api/v2/spaces", 429, """{"errors":[{"status":429,"code":"TOO_MANY_REQUESTS","title":"Rate limited","detail":null}]}""",
            new Dictionary<string, string> { ["Retry-After"] = "9223372036854775807" }, method: "GET");

        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.Equal(2, _fake.Server.Requests.Count(r => r.Path == "/wiki/api/v2/spaces"));
        Assert.All(result.Pages, p => Assert.Equal(PageOutcomeKind.Created, p.Kind));
    }

    [Fact]
    public async Task PublishAsync_ServerErrorOnWrite_FailsAndTheRerunConverges()
    {
        var publisher = Create();
        _fake.Server.Faults.Respond("/wiki/api/v2/pages", 500, """{"errors":[{"status":500,"code":"INTERNAL","title":"boom","detail":null}]}""", method: "POST");

        var failure = await Assert.ThrowsAsync<DocPublisherException>(() => publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct));
        var second = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, failure.StatusCode);
        Assert.False(second.HasFailures);
        await AssertSiteMatchesManifestAsync(publisher);
    }

    [Fact]
    public async Task PublishAsync_DroppedConnectionOnReadAndServerErrorOnUpdate_RetriesTheReadOnly()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var id = IdOf(await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct), "components");
        _fake.Server.ClearRequests();
        _fake.Server.Faults
            .Reset("/wiki/api/v2/spaces", method: "GET")
            .Respond($"/wiki/api/v2/pages/{id}", 503, """{"errors":[{"status":503,"code":"SERVICE_UNAVAILABLE","title":"busy","detail":null}]}""", method: "PUT");

        var result = await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "components"), null, Ct);

        Assert.Equal(2, _fake.Server.Requests.Count(r => r.Path == "/wiki/api/v2/spaces"));
        Assert.Single(_fake.Server.Requests, r => r.Method == "PUT" && r.Path == $"/wiki/api/v2/pages/{id}");
        var failed = Assert.Single(result.Pages, p => p.Key == "components");
        Assert.Equal(PageOutcomeKind.Failed, failed.Kind);
        Assert.Contains("503", failed.Reason, StringComparison.Ordinal);
        Assert.All(result.Pages.Where(p => p.Key != "components"), p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
        Assert.Equal(PageOutcomeKind.Updated, Assert.Single((await publisher.PublishAsync(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "components"), null, Ct)).Pages, p => p.Key == "components").Kind);
    }

    [Fact]
    public async Task PublishAsync_DryRun_MakesOnlyReadRequests()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        _fake.Server.ClearRequests();
        var changed = SampleDocumentSets.WithoutPage(SampleDocumentSets.WithRetitledPage(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "overview"), "reference", "Reference"), "data-flow");

        var result = await publisher.PublishAsync(changed, new PublishOptions { DryRun = true }, Ct);

        Assert.True(result.DryRun);
        Assert.NotEmpty(_fake.Server.Requests);
        Assert.Empty(_fake.WriteRequests);
    }

    [Fact]
    public async Task PublishAsync_RetitledPage_IsUpdatedInPlace()
    {
        var publisher = Create();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var id = IdOf(await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct), "reference");

        var result = await publisher.PublishAsync(SampleDocumentSets.WithRetitledPage(SampleDocumentSets.Basic(), "reference", "Reference manual"), null, Ct);

        Assert.Equal(PageOutcomeKind.Updated, Assert.Single(result.Pages, p => p.Key == "reference").Kind);
        Assert.Equal("Reference manual", _fake.Page(id)!.Title);
        Assert.Equal(id, IdOf(await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct), "reference"));
    }

    [Theory]
    [InlineData(ConfluenceRemovedPages.Archive, "current")]
    [InlineData(ConfluenceRemovedPages.Delete, "trashed")]
    public async Task PublishAsync_PageLeftTheOutline_IsArchivedOrDeletedPerOption(ConfluenceRemovedPages option, string status)
    {
        var publisher = Create(o => o.RemovedPages = option);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
        var id = IdOf(await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct), "reference");

        var result = await publisher.PublishAsync(SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "reference"), null, Ct);

        Assert.Equal(PageOutcomeKind.Removed, Assert.Single(result.Pages, p => p.Key == "reference").Kind);
        var page = _fake.Page(id)!;
        Assert.Equal(status, page.Status);
        if (option == ConfluenceRemovedPages.Archive)
        {
            Assert.StartsWith("Archived pages", _fake.Page(page.ParentId!)!.Title, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PublishAsync_KilledMidwayThenRunAgain_ConvergesWithoutDuplicates()
    {
        using var kill = new CancellationTokenSource();
        var creates = 0;
        var publisher = Create(o => o.Http.OutboundHandlers.Add(_ => new AfterResponseHandler(request =>
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/wiki/api/v2/pages" && Interlocked.Increment(ref creates) == 3)
            {
                kill.Cancel();
            }
        })));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(Ct, kill.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publisher.PublishAsync(SampleDocumentSets.Basic(), null, linked.Token));
        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.False(result.HasFailures, string.Join("; ", result.Pages.Select(p => $"{p.Key}:{p.Kind}:{p.Reason}")));
        Assert.Equal(["getting-started", "overview"], result.Pages.Where(p => p.Kind == PageOutcomeKind.Unchanged).Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Contains("interrupted publish", Assert.Single(result.Pages, p => p.Key == "architecture").Reason, StringComparison.Ordinal);
        await AssertSiteMatchesManifestAsync(publisher);
        Assert.All((await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct)).Pages, p => Assert.Equal(PageOutcomeKind.Unchanged, p.Kind));
    }

    [Fact]
    public async Task CheckAccessAsync_UnknownSpaceAndMissingPermission_ReportTheProblem()
    {
        var unknown = await Create(o => o.SpaceKey = "NOPE").CheckAccessAsync(Ct);
        _fake.AddSpace("LOCKED").CanCreatePages = false;
        var locked = await Create(o => o.SpaceKey = "LOCKED").CheckAccessAsync(Ct);
        var missingParent = await Create(o => o.ParentPageId = "999999999").CheckAccessAsync(Ct);
        var badToken = await Create(o => o.ApiToken = "wrong").CheckAccessAsync(Ct);

        Assert.Contains(unknown.Problems, p => p.Name == "Space" && p.Message.Contains("NOPE", StringComparison.Ordinal));
        Assert.Contains(locked.Problems, p => p.Name == "Permission");
        Assert.Contains(missingParent.Problems, p => p.Name == "Parent page" && p.Message.Contains("999999999", StringComparison.Ordinal));
        Assert.Contains(badToken.Problems, p => p.Name == "Credentials" && p.Message.Contains("ApiToken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_ThroughTheApiGateway_ReadsTheCloudIdAndPublishes()
    {
        var publisher = Create(o =>
        {
            o.UseApiGateway = true;
            o.ApiGatewayAddress = _fake.Server.BaseAddress;
        });

        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);

        Assert.All(result.Pages, p => Assert.Equal(PageOutcomeKind.Created, p.Kind));
        Assert.Contains(_fake.Server.Requests, r => r.Path == "/_edge/tenant_info");
        Assert.All(_fake.Server.Requests.Where(r => r.Path != "/_edge/tenant_info"),
            r => Assert.StartsWith($"/ex/confluence/{_fake.Options.CloudId}/wiki/", r.Path, StringComparison.Ordinal));
    }

    private static string IdOf(PublishManifest? manifest, string key) => manifest!.Pages.Single(p => p.Key == key).TargetId;

    private async Task AssertSiteMatchesManifestAsync(IDocPublisher publisher)
    {
        var manifest = (await publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct))!;
        var current = _fake.Pages(Space).Where(p => p.Status == "current").ToList();
        Assert.Equal(current.Count, current.Select(p => p.Title).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(SampleDocumentSets.Basic().Pages.Select(p => p.Key).Order(StringComparer.Ordinal), manifest.Pages.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var entry in manifest.Pages)
        {
            var page = _fake.Page(entry.TargetId);
            Assert.NotNull(page);
            Assert.Equal(("current", entry.Title), (page.Status, page.Title));
            using var property = JsonDocument.Parse(page.Properties.Single(p => p.Key == ManifestStore.PagePropertyKey).ValueJson);
            Assert.Contains(entry.Key, property.RootElement.GetRawText(), StringComparison.Ordinal);
        }

        // Every current page other than the home page is one of the set's (no orphan, no duplicate).
        Assert.Equal(manifest.Pages.Select(p => p.TargetId).Order(StringComparer.Ordinal),
            current.Where(p => p.ParentId is not null).Select(p => p.Id).Order(StringComparer.Ordinal));
    }

    private IDocPublisher Create(Action<ConfluenceOptions>? configure = null)
    {
        var (services, publisher) = ConfluenceTestSite.CreatePublisher(_fake, Space, configure);
        _services.Add(services);
        return publisher;
    }

    /// <summary>Runs a callback after each response, as a crash would strike between two requests.</summary>
    private sealed class AfterResponseHandler(Action<HttpRequestMessage> afterResponse) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            afterResponse(request);
            return response;
        }
    }
}
