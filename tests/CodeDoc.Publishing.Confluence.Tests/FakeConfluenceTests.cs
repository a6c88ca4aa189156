using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CodeDoc.FakeServers.Confluence;

namespace CodeDoc.Publishing.Confluence.Tests;

/// <summary>The fake keeps Confluence's invariants, so the publisher tests prove something.</summary>
public sealed class FakeConfluenceTests : IAsyncLifetime
{
    private FakeConfluence _fake = null!;
    private HttpClient _client = null!;
    private FakeConfluenceSpace _space = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeConfluence.StartAsync();
        _space = _fake.AddSpace("DOC");
        _client = new HttpClient { BaseAddress = new Uri(_fake.Server.BaseAddress, "wiki/") };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_fake.Options.Email}:{_fake.Options.ApiToken}")));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Requests_WithoutOrWithWrongCredentials_Answer401()
    {
        using var anonymous = new HttpClient { BaseAddress = _client.BaseAddress };
        using var response = await anonymous.GetAsync("api/v2/spaces", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("<p>unclosed")]
    [InlineData("<p>a & b</p>")]
    [InlineData("<p>text ]]> here</p>")]
    [InlineData("<br>")]
    [InlineData("<x:y>z</x:y>")]
    public async Task CreatePage_MalformedStorage_Answers400ErrorParsingXhtml(string body)
    {
        using var response = await CreateAsync("Bad", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Error parsing xhtml", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatePage_TitleOfTrashedPage_Answers400TitleExists()
    {
        var page = _fake.AddPage("DOC", null, "Taken");
        (await _client.DeleteAsync($"api/v2/pages/{page.Id}", Ct)).Dispose();

        using var response = await CreateAsync("Taken", "<p>x&nbsp;y</p>");

        Assert.Equal("trashed", page.Status);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("title already exists", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatePage_TitleHeldInAnotherCase_Answers400TitleExists()
    {
        _fake.AddPage("DOC", null, "Release Notes");

        using var response = await CreateAsync("RELEASE notes", "<p>x</p>");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("title already exists", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchContent_TitleClause_FindsOtherSpellingsTheTitleLookupMisses()
    {
        var page = _fake.AddPage("DOC", null, "Release \"Notes\"");
        _fake.AddPage("DOC", null, "Release notes archive");
        var cql = Uri.EscapeDataString("space = \"DOC\" and type = page and title = \"release \\\"NOTES\\\"\"");

        var lookup = JsonNode.Parse(await _client.GetStringAsync("api/v2/pages?title=" + Uri.EscapeDataString("release \"NOTES\""), Ct))!;
        var search = JsonNode.Parse(await _client.GetStringAsync("rest/api/content/search?cql=" + cql, Ct))!;
        using var unparsable = await _client.GetAsync("rest/api/content/search?cql=" + Uri.EscapeDataString("title = \"open"), Ct);

        Assert.Empty(lookup["results"]!.AsArray());
        Assert.Equal([page.Id], search["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, unparsable.StatusCode);
    }

    [Theory]
    [InlineData(1, HttpStatusCode.Conflict)]
    [InlineData(3, HttpStatusCode.Conflict)]
    [InlineData(2, HttpStatusCode.OK)]
    public async Task UpdatePage_VersionMustBeCurrentPlusOne(int version, HttpStatusCode expected)
    {
        var page = _fake.AddPage("DOC", null, "Versioned");
        var update = new JsonObject
        {
            ["id"] = page.Id, ["status"] = "current", ["title"] = "Versioned",
            ["body"] = new JsonObject { ["representation"] = "storage", ["value"] = "<p>v2</p>" },
            ["version"] = new JsonObject { ["number"] = version },
        };

        using var response = await _client.PutAsJsonAsync($"api/v2/pages/{page.Id}", update, Ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? 2 : 1, page.Version);
    }

    [Fact]
    public async Task Properties_TooLargeDuplicateAndStaleVersion_AreRefused()
    {
        var page = _fake.AddPage("DOC", null, "Props");
        using var tooLarge = await _client.PostAsJsonAsync($"api/v2/pages/{page.Id}/properties", new JsonObject { ["key"] = "k", ["value"] = new string('x', 40_000) }, Ct);
        using var created = await _client.PostAsJsonAsync($"api/v2/pages/{page.Id}/properties", new JsonObject { ["key"] = "k", ["value"] = 1 }, Ct);
        using var duplicate = await _client.PostAsJsonAsync($"api/v2/pages/{page.Id}/properties", new JsonObject { ["key"] = "k", ["value"] = 2 }, Ct);
        var id = page.Properties.Single().Id;
        using var stale = await _client.PutAsJsonAsync($"api/v2/pages/{page.Id}/properties/{id}", new JsonObject { ["key"] = "k", ["value"] = 3, ["version"] = new JsonObject { ["number"] = 1 } }, Ct);

        Assert.Equal(
            [HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.Conflict],
            [tooLarge.StatusCode, created.StatusCode, duplicate.StatusCode, stale.StatusCode]);
    }

    [Fact]
    public async Task ListPages_MoreThanTheLimit_PagesWithCursorLinks()
    {
        for (var i = 0; i < 7; i++)
        {
            _fake.AddPage("DOC", null, $"Page {i}");
        }

        var titles = new List<string>();
        var next = $"api/v2/pages?space-id={_space.Id}&limit=3";
        var pages = 0;
        while (next is not null)
        {
            using var response = await _client.GetAsync(next, Ct);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
            titles.AddRange(json["results"]!.AsArray().Select(r => (string)r!["title"]!));
            var link = (string?)json["_links"]!["next"];
            Assert.Equal(link is null, response.Headers.All(h => h.Key != "Link"));
            next = link?["/wiki/".Length..];
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(8, titles.Distinct().Count());
    }

    [Fact]
    public async Task UploadAttachment_WithoutXsrfHeader_Answers403AndWithItStoresTheFile()
    {
        var page = _fake.AddPage("DOC", null, "Files");

        using var refused = await UploadAsync(page.Id, xsrf: false);
        using var accepted = await UploadAsync(page.Id, xsrf: true);
        using var duplicate = await UploadAsync(page.Id, xsrf: true);

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.BadRequest], [refused.StatusCode, accepted.StatusCode, duplicate.StatusCode]);
        var attachment = Assert.Single(page.Attachments);
        Assert.Equal(("a.png", "codedoc:sha256:1", 3), (attachment.Title, attachment.Comment, attachment.Content.Length));
    }

    [Fact]
    public async Task ScopedToken_V1Read_Answers401ScopeDoesNotMatch()
    {
        await using var scoped = await FakeConfluence.StartAsync(new FakeConfluenceOptions { ScopedToken = true });
        using var client = new HttpClient { BaseAddress = new Uri(scoped.Server.BaseAddress, $"ex/confluence/{scoped.Options.CloudId}/wiki/") };
        client.DefaultRequestHeaders.Authorization = _client.DefaultRequestHeaders.Authorization;

        using var v1 = await client.GetAsync("rest/api/space/DOC", Ct);
        using var v2 = await client.GetAsync("api/v2/spaces", Ct);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (v1.StatusCode, v2.StatusCode));
        Assert.Contains("scope does not match", await v1.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> CreateAsync(string title, string body) =>
        _client.PostAsJsonAsync("api/v2/pages", new JsonObject
        {
            ["spaceId"] = _space.Id, ["status"] = "current", ["title"] = title,
            ["body"] = new JsonObject { ["representation"] = "storage", ["value"] = body },
        }, Ct);

    private async Task<HttpResponseMessage> UploadAsync(string pageId, bool xsrf)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"rest/api/content/{pageId}/child/attachment");
        if (xsrf)
        {
            request.Headers.Add("X-Atlassian-Token", "no-check");
        }

        var file = new ByteArrayContent([1, 2, 3]);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        request.Content = new MultipartFormDataContent { { file, "file", "a.png" }, { new StringContent("codedoc:sha256:1"), "comment" }, { new StringContent("true"), "minorEdit" } };
        return await _client.SendAsync(request, Ct);
    }
}
