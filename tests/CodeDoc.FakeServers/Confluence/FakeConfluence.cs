using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers.Confluence;

/// <summary>
/// A fake Confluence (Cloud: REST v2 and v1 under <c>/wiki</c> and the API gateway's <c>/ex/confluence/{cloudId}/wiki</c>;
/// Data Center: v1 under the context path) on Kestrel, keeping Confluence's invariants: versions go up by exactly one,
/// titles are unique per space across current, archived and trashed pages and ignoring case (while title look-ups match
/// exactly; only a CQL search finds the other spellings), bodies must be well-formed storage XHTML,
/// property values are limited in size and versioned, uploads need <c>X-Atlassian-Token: no-check</c>, requests need
/// the configured credentials, and lists page with cursors (v2) or start/limit (v1). Faults come from <see cref="Server"/>.
/// </summary>
public sealed class FakeConfluence : IAsyncDisposable
{
    private const string AcNamespace = "http://atlassian.com/content";
    private const string RiNamespace = "http://atlassian.com/resource/identifier";

    // The XHTML named entities Confluence's storage DTD accepts that generators are likely to emit.
    private const string EntityDeclarations =
        "<!ENTITY nbsp \"&#160;\"><!ENTITY copy \"&#169;\"><!ENTITY reg \"&#174;\"><!ENTITY trade \"&#8482;\">" +
        "<!ENTITY mdash \"&#8212;\"><!ENTITY ndash \"&#8211;\"><!ENTITY hellip \"&#8230;\"><!ENTITY laquo \"&#171;\">" +
        "<!ENTITY raquo \"&#187;\"><!ENTITY lsquo \"&#8216;\"><!ENTITY rsquo \"&#8217;\"><!ENTITY ldquo \"&#8220;\">" +
        "<!ENTITY rdquo \"&#8221;\"><!ENTITY bull \"&#8226;\"><!ENTITY middot \"&#183;\"><!ENTITY times \"&#215;\">" +
        "<!ENTITY rarr \"&#8594;\"><!ENTITY larr \"&#8592;\"><!ENTITY euro \"&#8364;\"><!ENTITY deg \"&#176;\">";

    private const int MaxLabelLength = 255;
    private const string ForbiddenLabelCharacters = ":;,.?&[]()#^*@!";

    private readonly Lock _lock = new();
    private readonly List<FakeConfluenceSpace> _spaces = [];
    private readonly Dictionary<string, FakeConfluencePage> _pages = new(StringComparer.Ordinal);
    private long _nextId = 100_000;

    private FakeConfluence(FakeConfluenceOptions options) => Options = options;

    /// <summary>Gets the options.</summary>
    public FakeConfluenceOptions Options { get; }

    /// <summary>Gets the HTTP server: its recorded requests and fault plan.</summary>
    public FakeHttpServer Server { get; private set; } = null!;

    /// <summary>Gets the address to configure as the site's base address (the origin for Cloud; origin plus context path for Data Center).</summary>
    public Uri SiteAddress => Options.Mode == FakeConfluenceMode.Cloud || Options.ContextPath.Length == 0
        ? Server.BaseAddress
        : new Uri(Server.BaseAddress, Options.ContextPath.Trim('/') + "/");

    /// <summary>Gets the requests that were not reads (anything but GET and HEAD).</summary>
    public IReadOnlyList<RecordedRequest> WriteRequests => [.. Server.Requests.Where(r => r.Method is not ("GET" or "HEAD"))];

    /// <summary>Starts a fake.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The started fake.</returns>
    public static async Task<FakeConfluence> StartAsync(FakeConfluenceOptions? options = null)
    {
        var fake = new FakeConfluence(options ?? new FakeConfluenceOptions());
        fake.Server = await FakeHttpServer.StartAsync(app => app.Run(fake.HandleAsync)).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Adds a space with a home page titled "<paramref name="name"/> Home".</summary>
    /// <param name="key">The key.</param>
    /// <param name="name">The name; the key when not given.</param>
    /// <returns>The space.</returns>
    public FakeConfluenceSpace AddSpace(string key, string? name = null)
    {
        lock (_lock)
        {
            var space = new FakeConfluenceSpace(NewId(), key, name ?? key);
            _spaces.Add(space);
            space.HomepageId = Insert(space, null, $"{space.Name} Home", "<p>Welcome.</p>").Id;
            return space;
        }
    }

    /// <summary>Adds a page as a person would, e.g. one whose title CodeDoc must not take over.</summary>
    /// <param name="spaceKey">The space key.</param>
    /// <param name="parentId">The parent page; the home page when not given.</param>
    /// <param name="title">The title (must be free in the space).</param>
    /// <param name="body">The storage body.</param>
    /// <returns>The page.</returns>
    public FakeConfluencePage AddPage(string spaceKey, string? parentId, string title, string body = "<p>Written by a person.</p>")
    {
        lock (_lock)
        {
            var space = _spaces.Single(s => s.Key == spaceKey);
            if (TitleTaken(space, title, exceptId: null))
            {
                throw new InvalidOperationException($"The title '{title}' is taken in space {spaceKey}.");
            }

            return Insert(space, parentId ?? space.HomepageId, title, body);
        }
    }

    /// <summary>Edits a page as a person would in the editor: a new body and the next version.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="body">The new storage body.</param>
    public void EditPage(string pageId, string body)
    {
        lock (_lock)
        {
            var page = _pages[pageId];
            page.Body = body;
            page.Version++;
            page.VersionMessage = "Edited in the browser";
        }
    }

    /// <summary>Gets a page by id, in any status.</summary>
    /// <param name="pageId">The id.</param>
    /// <returns>The page, or <see langword="null"/>.</returns>
    public FakeConfluencePage? Page(string pageId)
    {
        lock (_lock)
        {
            return _pages.GetValueOrDefault(pageId);
        }
    }

    /// <summary>Gets the pages of a space in any status, in creation order.</summary>
    /// <param name="spaceKey">The space key.</param>
    /// <returns>The pages.</returns>
    public IReadOnlyList<FakeConfluencePage> Pages(string spaceKey)
    {
        lock (_lock)
        {
            return [.. _pages.Values.Where(p => p.Space.Key == spaceKey).OrderBy(p => p.Position)];
        }
    }

    /// <summary>Gets the current child pages of a page, in position order.</summary>
    /// <param name="pageId">The parent's id.</param>
    /// <returns>The children.</returns>
    public IReadOnlyList<FakeConfluencePage> Children(string pageId)
    {
        lock (_lock)
        {
            return [.. CurrentChildren(pageId)];
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static bool IsRead(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (Options.Mode == FakeConfluenceMode.Cloud && path == "/_edge/tenant_info" && HttpMethods.IsGet(request.Method))
        {
            await WriteJsonAsync(context, 200, new JsonObject { ["cloudId"] = Options.CloudId }).ConfigureAwait(false);
            return;
        }

        if (!TryStripPrefix(path, out var relative, out var viaGateway))
        {
            await WriteErrorAsync(context, 404, "NOT_FOUND", $"No Confluence at {path}.", v2: true).ConfigureAwait(false);
            return;
        }

        var isV2 = relative.StartsWith("api/v2/", StringComparison.Ordinal);
        if (!Authorized(request))
        {
            await WriteErrorAsync(context, 401, "UNAUTHORIZED", "Unauthorized; the credentials were missing or not accepted.", isV2).ConfigureAwait(false);
            return;
        }

        if (Options.ScopedToken && !isV2 && IsRead(request))
        {
            context.Response.Headers["X-Failure-Category"] = "FAILURE_CLIENT_SCOPE_CHECK";
            await WriteJsonAsync(context, 401, new JsonObject { ["code"] = 401, ["message"] = "Unauthorized; scope does not match" }).ConfigureAwait(false);
            return;
        }

        if (isV2 && Options.Mode == FakeConfluenceMode.DataCenter)
        {
            await WriteErrorAsync(context, 404, "NOT_FOUND", "Data Center has no REST v2.", v2: false).ConfigureAwait(false);
            return;
        }

        JsonNode? body = null;
        if (request.HasJsonContentType())
        {
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                await WriteErrorAsync(context, 400, "INVALID_REQUEST_PARAMETER", "Could not read the JSON body: " + e.Message, isV2).ConfigureAwait(false);
                return;
            }
        }

        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        Reply reply;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            lock (_lock)
            {
                reply = Upload(request, segments, form);
            }
        }
        else
        {
            lock (_lock)
            {
                reply = isV2 ? V2(request, segments, body, viaGateway) : V1(request, segments, body);
            }
        }

        if (reply.Link is { } link)
        {
            context.Response.Headers.Link = link;
        }

        if (reply.Json is null)
        {
            context.Response.StatusCode = reply.Status;
            return;
        }

        await WriteJsonAsync(context, reply.Status, reply.Json).ConfigureAwait(false);
    }

    private bool TryStripPrefix(string path, out string relative, out bool viaGateway)
    {
        viaGateway = false;
        relative = string.Empty;
        string prefix;
        if (Options.Mode == FakeConfluenceMode.Cloud)
        {
            var gateway = $"/ex/confluence/{Options.CloudId}/wiki/";
            if (path.StartsWith(gateway, StringComparison.Ordinal))
            {
                viaGateway = true;
                prefix = gateway;
            }
            else
            {
                prefix = "/wiki/";
            }
        }
        else
        {
            prefix = Options.ContextPath.Length == 0 ? "/" : "/" + Options.ContextPath.Trim('/') + "/";
        }

        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        relative = path[prefix.Length..];
        return relative.StartsWith("api/v2/", StringComparison.Ordinal) || relative.StartsWith("rest/api/", StringComparison.Ordinal);
    }

    private bool Authorized(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header) || header.Parameter is null)
        {
            return false;
        }

        if (Options.Mode == FakeConfluenceMode.DataCenter)
        {
            return header.Scheme == "Bearer" && header.Parameter == Options.PersonalAccessToken;
        }

        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Options.Email}:{Options.ApiToken}"));
        return header.Scheme == "Basic" && header.Parameter == expected;
    }

    // ---------------------------------------------------------------- REST v2

    private Reply V2(HttpRequest request, string[] s, JsonNode? body, bool viaGateway)
    {
        var query = request.Query;
        var method = request.Method;
        var prefix = viaGateway ? $"/ex/confluence/{Options.CloudId}/wiki" : "/wiki";
        switch (s.Length)
        {
            case 3 when s[2] == "spaces" && HttpMethods.IsGet(method):
            {
                var keys = query["keys"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
                var spaces = _spaces.Where(sp => keys.Length == 0 || keys.Contains(sp.Key, StringComparer.Ordinal)).ToList();
                return Paged(request, prefix, spaces, SpaceJson);
            }

            case 5 when s[2] == "spaces" && s[4] == "operations" && HttpMethods.IsGet(method):
            {
                var space = _spaces.FirstOrDefault(sp => sp.Id == s[3]);
                if (space is null)
                {
                    return V2Error(404, "NOT_FOUND", "Space not found.");
                }

                var operations = new JsonArray(Operation("read", "space"), Operation("read", "page"));
                if (space.CanCreatePages)
                {
                    operations.Add(Operation("create", "page"));
                    operations.Add(Operation("delete", "page"));
                    operations.Add(Operation("create", "attachment"));
                }

                return new Reply(200, new JsonObject { ["operations"] = operations, ["_links"] = BaseLinks() });
            }

            case 3 when s[2] == "pages" && HttpMethods.IsGet(method):
            {
                var ids = query["id"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
                var spaceIds = query["space-id"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
                var statuses = Statuses(query["status"].ToString(), "current", "archived");
                var title = query["title"].ToString();
                var withBody = query["body-format"].ToString() == "storage";
                var pages = _pages.Values
                    .Where(p => p.Status != "deleted" && statuses.Contains(p.Status))
                    .Where(p => ids.Length == 0 || (ids.Contains(p.Id, StringComparer.Ordinal) && !Missed(p)))
                    .Where(p => spaceIds.Length == 0 || spaceIds.Contains(p.Space.Id, StringComparer.Ordinal))
                    .Where(p => title.Length == 0 || p.Title == title)
                    .OrderBy(p => p.Position)
                    .ToList();
                return Paged(request, prefix, pages, p => PageJson(p, withBody));
            }

            case 3 when s[2] == "pages" && HttpMethods.IsPost(method):
                return CreatePageV2(body);

            case 4 when s[2] == "pages":
            {
                if (!_pages.TryGetValue(s[3], out var page) || page.Status == "deleted")
                {
                    return V2Error(404, "NOT_FOUND", "Page not found.");
                }

                if (HttpMethods.IsGet(method))
                {
                    if (Missed(page))
                    {
                        return V2Error(404, "NOT_FOUND", "Page not found.");
                    }

                    var statuses = Statuses(query["status"].ToString(), "current", "archived", "draft");
                    return statuses.Contains(page.Status)
                        ? new Reply(200, PageJson(page, query["body-format"].ToString() == "storage"))
                        : V2Error(404, "NOT_FOUND", "Page not found.");
                }

                if (HttpMethods.IsPut(method))
                {
                    return UpdatePageV2(page, body);
                }

                if (HttpMethods.IsDelete(method))
                {
                    return DeletePage(page, query["purge"].ToString() == "true", v2: true);
                }

                break;
            }

            case 5 when s[2] == "pages":
            {
                if (!_pages.TryGetValue(s[3], out var page) || page.Status == "deleted")
                {
                    return V2Error(404, "NOT_FOUND", "Page not found.");
                }

                switch (s[4])
                {
                    case "children" when HttpMethods.IsGet(method):
                        return Paged(request, prefix, CurrentChildren(page.Id).ToList(), c => new JsonObject
                        {
                            ["id"] = c.Id, ["status"] = c.Status, ["title"] = c.Title, ["spaceId"] = c.Space.Id, ["childPosition"] = c.Position,
                        });
                    case "labels" when HttpMethods.IsGet(method):
                        return Paged(request, prefix, page.Labels.ToList(), l => new JsonObject { ["id"] = LabelId(l), ["name"] = l, ["prefix"] = "global" });
                    case "properties" when HttpMethods.IsGet(method):
                    {
                        var key = query["key"].ToString();
                        return Paged(request, prefix, page.Properties.Where(p => key.Length == 0 || p.Key == key).ToList(), PropertyJsonV2);
                    }

                    case "properties" when HttpMethods.IsPost(method):
                        return CreateProperty(page, body, v2: true);
                    case "attachments" when HttpMethods.IsGet(method):
                    {
                        var fileName = query["filename"].ToString();
                        var attachments = page.Attachments.Where(a => a.Status == "current" && (fileName.Length == 0 || a.Title == fileName)).ToList();
                        return Paged(request, prefix, attachments, a => AttachmentJsonV2(page, a));
                    }

                    default:
                        break;
                }

                break;
            }

            case 6 when s[2] == "pages" && s[4] == "properties":
            {
                var property = _pages.GetValueOrDefault(s[3])?.Properties.FirstOrDefault(p => p.Id == s[5]);
                if (property is null)
                {
                    return V2Error(404, "NOT_FOUND", "Property not found.");
                }

                var page = _pages[s[3]];
                if (HttpMethods.IsGet(method))
                {
                    return new Reply(200, PropertyJsonV2(property));
                }

                if (HttpMethods.IsPut(method))
                {
                    return UpdateProperty(property, body, v2: true);
                }

                if (HttpMethods.IsDelete(method))
                {
                    page.Properties.Remove(property);
                    return new Reply(204, null);
                }

                break;
            }

            case 4 when s[2] == "attachments" && HttpMethods.IsDelete(method):
                return DeleteAttachment(s[3], v2: true);

            default:
                break;
        }

        return V2Error(404, "NOT_FOUND", $"No route for {method} {request.Path}.");
    }

    private Reply CreatePageV2(JsonNode? body)
    {
        var spaceId = Str(body, "spaceId");
        var status = Str(body, "status") ?? "current";
        var title = Str(body, "title");
        if (spaceId is null || (status == "current" && string.IsNullOrEmpty(title)))
        {
            return V2Error(400, "INVALID_REQUEST_PARAMETER", "spaceId is required, and title for a current page.");
        }

        var space = _spaces.FirstOrDefault(sp => sp.Id == spaceId);
        if (space is null)
        {
            return V2Error(404, "NOT_FOUND", "Space not found.");
        }

        return CreatePage(space, Str(body, "parentId"), title!, BodyValue(body), v2: true, page => new Reply(200, PageJson(page, withBody: true)));
    }

    private Reply UpdatePageV2(FakeConfluencePage page, JsonNode? body)
    {
        var id = Str(body, "id");
        var status = Str(body, "status");
        var title = Str(body, "title");
        var storage = BodyValue(body);
        var version = body?["version"]?["number"]?.GetValue<int>();
        if (id is null || status is null || title is null || storage is null || version is null)
        {
            return V2Error(400, "INVALID_REQUEST_PARAMETER", "id, status, title, body and version are required.");
        }

        return UpdatePage(page, status, title, Str(body, "parentId"), storage, version.Value, body?["version"]?["message"]?.GetValue<string>(), v2: true,
            p => new Reply(200, PageJson(p, withBody: true)));
    }

    // ---------------------------------------------------------------- REST v1

    private Reply V1(HttpRequest request, string[] s, JsonNode? body)
    {
        var query = request.Query;
        var method = request.Method;
        var start = Math.Max(0, Int(query["start"].ToString(), 0));
        var limit = Math.Clamp(Int(query["limit"].ToString(), 25), 1, 200);
        switch (s.Length)
        {
            case 4 when s[2] == "user" && s[3] == "current" && HttpMethods.IsGet(method):
                return new Reply(200, new JsonObject { ["type"] = "known", ["accountId"] = "fake-account", ["displayName"] = "CodeDoc" });

            case 4 when s[2] == "space" && HttpMethods.IsGet(method):
            {
                var space = _spaces.FirstOrDefault(sp => sp.Key == s[3]);
                if (space is null)
                {
                    return V1Error(404, $"No space with key : {s[3]}");
                }

                var json = new JsonObject { ["id"] = long.Parse(space.Id, CultureInfo.InvariantCulture), ["key"] = space.Key, ["name"] = space.Name, ["type"] = "global" };
                var expand = query["expand"].ToString();
                if (expand.Contains("homepage", StringComparison.Ordinal) && space.HomepageId is { } home)
                {
                    json["homepage"] = ContentJson(_pages[home], "version");
                }

                if (expand.Contains("operations", StringComparison.Ordinal))
                {
                    var operations = new JsonArray(Operation("read", "space"));
                    if (space.CanCreatePages)
                    {
                        operations.Add(Operation("create", "page"));
                    }

                    json["operations"] = operations;
                }

                return new Reply(200, json);
            }

            case 3 when s[2] == "content" && HttpMethods.IsGet(method):
            {
                var statuses = Statuses(query["status"].ToString(), "current");
                var spaceKey = query["spaceKey"].ToString();
                var title = query["title"].ToString();
                var pages = _pages.Values
                    .Where(p => p.Status != "deleted" && (statuses.Contains("any") || statuses.Contains(p.Status)))
                    .Where(p => spaceKey.Length == 0 || p.Space.Key == spaceKey)
                    .Where(p => title.Length == 0 || p.Title == title)
                    .OrderBy(p => p.Position)
                    .ToList();
                return V1Paged(pages, start, limit, p => ContentJson(p, query["expand"].ToString()));
            }

            case 4 when s[2] == "content" && s[3] == "search" && HttpMethods.IsGet(method):
                return Search(query["cql"].ToString(), query["expand"].ToString(), start, limit);

            case 3 when s[2] == "content" && HttpMethods.IsPost(method):
            {
                var title = Str(body, "title");
                var spaceKey = body?["space"]?["key"]?.GetValue<string>();
                var space = _spaces.FirstOrDefault(sp => sp.Key == spaceKey);
                if (title is null || space is null)
                {
                    return V1Error(400, "A page needs a title and an existing space key.");
                }

                var parentId = body?["ancestors"]?.AsArray().LastOrDefault()?["id"]?.ToString();
                return CreatePage(space, parentId, title, body?["body"]?["storage"]?["value"]?.GetValue<string>(), v2: false,
                    page => new Reply(200, ContentJson(page, "version,ancestors,body.storage")));
            }

            case 4 when s[2] == "content":
            {
                if (s[3].StartsWith("att", StringComparison.Ordinal) && HttpMethods.IsDelete(method))
                {
                    return DeleteAttachment(s[3], v2: false);
                }

                if (!_pages.TryGetValue(s[3], out var page) || page.Status == "deleted")
                {
                    return V1Error(404, $"No content with id : {s[3]}");
                }

                if (HttpMethods.IsGet(method))
                {
                    var statuses = Statuses(query["status"].ToString(), "current", "archived");
                    return !Missed(page) && (statuses.Contains("any") || statuses.Contains(page.Status))
                        ? new Reply(200, ContentJson(page, query["expand"].ToString()))
                        : V1Error(404, $"No content with id : {s[3]}");
                }

                if (HttpMethods.IsPut(method))
                {
                    var title = Str(body, "title");
                    var version = body?["version"]?["number"]?.GetValue<int>();
                    if (title is null || version is null)
                    {
                        return V1Error(400, "An update needs a title and a version.");
                    }

                    var storage = body?["body"]?["storage"]?["value"]?.GetValue<string>();
                    if (storage is null && page.Status != "trashed")
                    {
                        return V1Error(400, "An update needs a body.");
                    }

                    var parentId = body?["ancestors"]?.AsArray().LastOrDefault()?["id"]?.ToString();
                    return UpdatePage(page, Str(body, "status") ?? "current", title, parentId, storage ?? page.Body, version.Value,
                        body?["version"]?["message"]?.GetValue<string>(), v2: false, p => new Reply(200, ContentJson(p, "version,ancestors,body.storage")));
                }

                if (HttpMethods.IsDelete(method))
                {
                    return DeletePage(page, query["status"].ToString() == "trashed", v2: false);
                }

                break;
            }

            case >= 5 when s[2] == "content":
            {
                if (!_pages.TryGetValue(s[3], out var page) || page.Status == "deleted")
                {
                    return V1Error(404, $"No content with id : {s[3]}");
                }

                return V1ContentChild(request, page, s[4..], body, start, limit);
            }

            default:
                break;
        }

        return V1Error(404, $"No route for {method} {request.Path}.");
    }

    private Reply V1ContentChild(HttpRequest request, FakeConfluencePage page, string[] s, JsonNode? body, int start, int limit)
    {
        var method = request.Method;
        switch (s)
        {
            case ["child", "page"] when HttpMethods.IsGet(method):
                return V1Paged(CurrentChildren(page.Id).ToList(), start, limit, c => ContentJson(c, request.Query["expand"].ToString()));
            case ["child", "attachment"] when HttpMethods.IsGet(method):
            {
                var fileName = request.Query["filename"].ToString();
                var attachments = page.Attachments.Where(a => a.Status == "current" && (fileName.Length == 0 || a.Title == fileName)).ToList();
                return V1Paged(attachments, start, limit, a => AttachmentJsonV1(page, a));
            }

            case ["property"] when HttpMethods.IsGet(method):
                return V1Paged(page.Properties.ToList(), start, limit, PropertyJsonV1);
            case ["property"] when HttpMethods.IsPost(method):
                return CreateProperty(page, body, v2: false);
            case ["property", var key]:
            {
                var property = page.Properties.FirstOrDefault(p => p.Key == key);
                if (HttpMethods.IsPut(method) && property is null)
                {
                    return CreateProperty(page, body, v2: false);
                }

                if (property is null)
                {
                    return V1Error(404, $"No property with key : {key}");
                }

                if (HttpMethods.IsGet(method))
                {
                    return new Reply(200, PropertyJsonV1(property));
                }

                if (HttpMethods.IsPut(method))
                {
                    return UpdateProperty(property, body, v2: false);
                }

                if (HttpMethods.IsDelete(method))
                {
                    page.Properties.Remove(property);
                    return new Reply(204, null);
                }

                break;
            }

            case ["label"] when HttpMethods.IsGet(method):
                return V1Paged(page.Labels.ToList(), start, limit, LabelJson);
            case ["label"] when HttpMethods.IsPost(method):
            {
                var items = body switch
                {
                    JsonArray array => array.ToList(),
                    JsonObject single => [single],
                    _ => [],
                };
                if (items.Count == 0 || items.Any(i => string.IsNullOrWhiteSpace(Str(i, "name"))))
                {
                    return V1Error(400, "Labels need a name.");
                }

                if (items.Select(i => Str(i, "name")!.Trim()).FirstOrDefault(InvalidLabel) is { } invalid)
                {
                    return V1Error(400, $"The label '{invalid}' is not valid: a label has at most {MaxLabelLength} characters, no spaces and none of {ForbiddenLabelCharacters}.");
                }

                foreach (var item in items)
                {
                    // Confluence stores labels in lower case; the fake normalizes the same way.
#pragma warning disable CA1308 // Lower case is Confluence's own normalization of labels.
                    page.Labels.Add(Str(item, "name")!.Trim().ToLowerInvariant());
#pragma warning restore CA1308
                }

                return V1Paged(page.Labels.ToList(), 0, 200, LabelJson);
            }

            case ["label"] when HttpMethods.IsDelete(method):
                return RemoveLabel(page, request.Query["name"].ToString());
            case ["label", var name] when HttpMethods.IsDelete(method):
                return RemoveLabel(page, name);
            default:
                break;
        }

        return V1Error(404, $"No route for {method} {request.Path}.");
    }

    // Confluence's label rules: no whitespace, none of these characters (':' would be read as a prefix), at most 255 characters.
    private static bool InvalidLabel(string name) =>
        name.Length > MaxLabelLength || name.Any(c => char.IsWhiteSpace(c) || ForbiddenLabelCharacters.Contains(c, StringComparison.Ordinal));

    private static Reply RemoveLabel(FakeConfluencePage page, string name) =>
        page.Labels.Remove(name) ? new Reply(204, null) : V1Error(404, $"The label {name} is not on the content.");

    // ---------------------------------------------------------------- attachments (v1 multipart)

    private Reply Upload(HttpRequest request, string[] s, IFormCollection form)
    {
        if (!string.Equals(request.Headers["X-Atlassian-Token"].ToString(), "no-check", StringComparison.Ordinal))
        {
            return V1Error(403, "XSRF check failed");
        }

        if (s is not [_, _, "content", var pageId, "child", "attachment", ..] || !_pages.TryGetValue(pageId, out var page) || page.Status != "current")
        {
            return V1Error(404, "No such content to attach to.");
        }

        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return V1Error(400, "The multipart body needs a 'file' part.");
        }

        var comment = form["comment"].ToString();
        using var buffer = new MemoryStream();
        file.CopyTo(buffer);
        var existing = page.Attachments.FirstOrDefault(a => a.Status == "current" && a.Title == file.FileName);
        FakeConfluenceAttachment attachment;
        switch (s[6..])
        {
            case [] when HttpMethods.IsPost(request.Method):
                if (existing is not null)
                {
                    return V1Error(400, $"Cannot add a new attachment with same file name as an existing attachment: {file.FileName}");
                }

                attachment = new FakeConfluenceAttachment("att" + NewId(), file.FileName);
                page.Attachments.Add(attachment);
                break;
            case [] when HttpMethods.IsPut(request.Method) && Options.Mode == FakeConfluenceMode.Cloud:
                attachment = existing ?? new FakeConfluenceAttachment("att" + NewId(), file.FileName);
                if (existing is null)
                {
                    page.Attachments.Add(attachment);
                }
                else
                {
                    attachment.Version++;
                }

                break;
            case [var attachmentId, "data"] when HttpMethods.IsPost(request.Method):
                attachment = page.Attachments.FirstOrDefault(a => a.Id == attachmentId && a.Status == "current")!;
                if (attachment is null)
                {
                    return V1Error(404, $"No attachment {attachmentId} on content {pageId}.");
                }

                attachment.Version++;
                break;
            default:
                return V1Error(405, $"{request.Method} is not allowed on {request.Path}.");
        }

        attachment.Content = buffer.ToArray();
        attachment.MediaType = file.ContentType is { Length: > 0 } type ? type : "application/octet-stream";
        attachment.Comment = comment.Length == 0 ? null : comment;
        var json = AttachmentJsonV1(page, attachment);
        return s.Length > 6 ? new Reply(200, json) : new Reply(200, new JsonObject { ["results"] = new JsonArray(json), ["size"] = 1, ["_links"] = BaseLinks() });
    }

    private Reply DeleteAttachment(string attachmentId, bool v2)
    {
        foreach (var page in _pages.Values)
        {
            if (page.Attachments.FirstOrDefault(a => a.Id == attachmentId && a.Status == "current") is { } attachment)
            {
                attachment.Status = "trashed";
                return new Reply(204, null);
            }
        }

        return v2 ? V2Error(404, "NOT_FOUND", "Attachment not found.") : V1Error(404, $"No content with id : {attachmentId}");
    }

    /// <summary>
    /// <c>GET rest/api/content/search?cql=</c> for the CQL subset publishers use: clauses <c>space = "KEY"</c>,
    /// <c>type = page</c>, <c>title = "..."</c> (ignoring case, as the search index does) and <c>title ~ "..."</c>
    /// (contains), joined with <c>and</c>. Like Confluence's search it sees current pages only, not archived or trashed ones.
    /// </summary>
    private Reply Search(string cql, string expand, int start, int limit)
    {
        if (!TryParseCql(cql, out var clauses))
        {
            return V1Error(400, $"Could not parse cql : {cql}");
        }

        IEnumerable<FakeConfluencePage> pages = _pages.Values.Where(p => p.Status == "current");
        foreach (var (field, op, value) in clauses)
        {
            switch (field, op)
            {
                case ("space", "="):
                    pages = pages.Where(p => p.Space.Key == value);
                    break;
                case ("type", "="):
                    pages = value == "page" ? pages : [];
                    break;
                case ("title", "="):
                    pages = pages.Where(p => string.Equals(p.Title, value, StringComparison.OrdinalIgnoreCase));
                    break;
                case ("title", "~"):
                    pages = pages.Where(p => p.Title.Contains(value, StringComparison.OrdinalIgnoreCase));
                    break;
                default:
                    return V1Error(400, $"The fake does not support the CQL clause {field} {op} in : {cql}");
            }
        }

        return V1Paged(pages.OrderBy(p => p.Position).ToList(), start, limit, p => ContentJson(p, expand));
    }

    private static bool TryParseCql(string cql, out List<(string Field, string Op, string Value)> clauses)
    {
        clauses = [];
        var i = 0;
        while (true)
        {
            SkipSpaces();
            var field = Word();
            SkipSpaces();
            if (field.Length == 0 || i >= cql.Length || cql[i] is not ('=' or '~'))
            {
                return false;
            }

            var op = cql[i++].ToString();
            SkipSpaces();
            if (Value() is not { } value)
            {
                return false;
            }

            clauses.Add((field.ToLowerInvariant(), op, value));
            SkipSpaces();
            if (i == cql.Length)
            {
                return true;
            }

            if (!string.Equals(Word(), "and", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        void SkipSpaces()
        {
            while (i < cql.Length && char.IsWhiteSpace(cql[i]))
            {
                i++;
            }
        }

        string Word()
        {
            var begin = i;
            while (i < cql.Length && (char.IsLetterOrDigit(cql[i]) || cql[i] is '_' or '-' or '.'))
            {
                i++;
            }

            return cql[begin..i];
        }

        string? Value()
        {
            if (i >= cql.Length || cql[i] != '"')
            {
                var word = Word();
                return word.Length == 0 ? null : word;
            }

            var text = new StringBuilder();
            for (i++; i < cql.Length; i++)
            {
                if (cql[i] == '\\' && i + 1 < cql.Length)
                {
                    text.Append(cql[++i]);
                }
                else if (cql[i] == '"')
                {
                    i++;
                    return text.ToString();
                }
                else
                {
                    text.Append(cql[i]);
                }
            }

            return null;
        }
    }

    // ---------------------------------------------------------------- shared page and property rules

    private Reply CreatePage(FakeConfluenceSpace space, string? parentId, string title, string? storage, bool v2, Func<FakeConfluencePage, Reply> ok)
    {
        if (!space.CanCreatePages)
        {
            return Error(403, "PERMISSION_DENIED", "The user may not create pages in this space.", v2);
        }

        if (title.Length > 255)
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", "Title cannot be longer than 255 characters.", v2);
        }

        if (storage is null)
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", "The page needs a body.", v2);
        }

        if (ParentProblem(space, parentId ?? space.HomepageId, pageId: null) is { } parentProblem)
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", parentProblem, v2);
        }

        if (TitleTaken(space, title, exceptId: null))
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", "A page with this title already exists: A page already exists with the same TITLE in this space", v2);
        }

        if (StorageProblem(storage) is { } problem)
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", "Error parsing xhtml: " + problem, v2);
        }

        var created = Insert(space, parentId ?? space.HomepageId, title, WithoutDanglingAnchors(space, storage));
        var reply = ok(created);
        created.MissedReads = Options.MissedReadsAfterCreate;
        return reply;
    }

    private Reply UpdatePage(FakeConfluencePage page, string status, string title, string? parentId, string storage, int version, string? message, bool v2, Func<FakeConfluencePage, Reply> ok)
    {
        if (version != page.Version + 1)
        {
            return v2
                ? V2Error(409, "CONFLICT", $"Version must be incremented when updating a page. Current Version: [{page.Version}]. Provided version: [{version}]")
                : V1Error(409, $"Version must be incremented on update. Current version is: {page.Version}");
        }

        if (status != "current")
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", $"Status '{status}' cannot be set through an update.", v2);
        }

        if (page.Status == "trashed")
        {
            // Restoring from the trash changes only the status; the body of the request is ignored.
            page.Status = "current";
            page.Version = version;
            return ok(page);
        }

        if (title.Length is 0 or > 255)
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", "Title must be 1 to 255 characters.", v2);
        }

        if (parentId is not null && parentId != page.ParentId && ParentProblem(page.Space, parentId, page.Id) is { } parentProblem)
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", parentProblem, v2);
        }

        if (TitleTaken(page.Space, title, page.Id))
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", "A page with this title already exists: A page already exists with the same TITLE in this space", v2);
        }

        if (StorageProblem(storage) is { } problem)
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", "Error parsing xhtml: " + problem, v2);
        }

        page.Title = title;
        page.Body = WithoutDanglingAnchors(page.Space, storage);
        page.ParentId = parentId ?? page.ParentId;
        page.Version = version;
        page.VersionMessage = message;
        return ok(page);
    }

    private Reply DeletePage(FakeConfluencePage page, bool purge, bool v2)
    {
        if (purge)
        {
            if (page.Status != "trashed")
            {
                return Error(400, "INVALID_REQUEST_PARAMETER", "Only a trashed page can be purged; trash it first.", v2);
            }

            page.Status = "deleted";
            return new Reply(204, null);
        }

        if (page.Status == "trashed")
        {
            return Error(404, "NOT_FOUND", "The page is already in the trash.", v2);
        }

        if (page.Space.HomepageId == page.Id)
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", "The home page of a space cannot be deleted.", v2);
        }

        foreach (var child in CurrentChildren(page.Id).ToList())
        {
            if (Options.TrashChildrenWithParent)
            {
                child.Status = "trashed";
            }
            else
            {
                child.ParentId = page.ParentId;
            }
        }

        page.Status = "trashed";
        return new Reply(204, null);
    }

    private Reply CreateProperty(FakeConfluencePage page, JsonNode? body, bool v2)
    {
        var key = Str(body, "key");
        if (key is null || body?["value"] is not { } value)
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", "A property needs a key and a value.", v2);
        }

        if (page.Properties.Any(p => p.Key == key))
        {
            // v1 documents 400 for an existing key; for v2 the fake follows MARK's fake (409), as the real code is unverified.
            return v2
                ? V2Error(409, "CONFLICT", $"A property with key '{key}' already exists on this content.")
                : V1Error(400, $"Cannot add a property with key '{key}': one already exists.");
        }

        var json = value.ToJsonString();
        if (Encoding.UTF8.GetByteCount(json) > Options.MaxPropertyBytes)
        {
            return Error(413, "REQUEST_ENTITY_TOO_LARGE", $"The property value is larger than {Options.MaxPropertyBytes} bytes.", v2);
        }

        var property = new FakeConfluenceProperty(NewId(), key) { ValueJson = json };
        page.Properties.Add(property);
        return new Reply(200, v2 ? PropertyJsonV2(property) : PropertyJsonV1(property));
    }

    private Reply UpdateProperty(FakeConfluenceProperty property, JsonNode? body, bool v2)
    {
        var version = body?["version"]?["number"]?.GetValue<int>();
        if (body?["value"] is not { } value || version is null)
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", "A property update needs a value and a version.", v2);
        }

        if (Str(body, "key") is { } key && key != property.Key)
        {
            return Error(400, "INVALID_REQUEST_PARAMETER", "The key of a property cannot change.", v2);
        }

        if (version != property.Version + 1)
        {
            return Error(409, "CONFLICT", $"Version must be incremented on update. Current version is: {property.Version}", v2);
        }

        var json = value.ToJsonString();
        if (Encoding.UTF8.GetByteCount(json) > Options.MaxPropertyBytes)
        {
            return Error(413, "REQUEST_ENTITY_TOO_LARGE", $"The property value is larger than {Options.MaxPropertyBytes} bytes.", v2);
        }

        property.ValueJson = json;
        property.Version = version.Value;
        return new Reply(200, v2 ? PropertyJsonV2(property) : PropertyJsonV1(property));
    }

    private string? ParentProblem(FakeConfluenceSpace space, string? parentId, string? pageId)
    {
        if (parentId is null)
        {
            return null;
        }

        if (!_pages.TryGetValue(parentId, out var parent) || parent.Status != "current")
        {
            return $"The parent page {parentId} does not exist or is not current.";
        }

        if (parent.Space != space)
        {
            return "A page cannot be moved to a parent in another space.";
        }

        for (var current = parent; current is not null; current = current.ParentId is { } up ? _pages.GetValueOrDefault(up) : null)
        {
            if (current.Id == pageId)
            {
                return "A page cannot be moved under itself or one of its descendants.";
            }
        }

        return null;
    }

    private static bool Missed(FakeConfluencePage page)
    {
        if (page.MissedReads <= 0)
        {
            return false;
        }

        page.MissedReads--;
        return true;
    }

    // Confluence keeps titles unique per space ignoring case: "Overview" blocks "OVERVIEW".
    private bool TitleTaken(FakeConfluenceSpace space, string title, string? exceptId) =>
        _pages.Values.Any(p => p.Space == space && p.Id != exceptId && p.Status is "current" or "archived" or "trashed" &&
            string.Equals(p.Title, title, StringComparison.OrdinalIgnoreCase));

    private IEnumerable<FakeConfluencePage> CurrentChildren(string pageId) =>
        _pages.Values.Where(p => p.ParentId == pageId && p.Status == "current").OrderBy(p => p.Position);

    private FakeConfluencePage Insert(FakeConfluenceSpace space, string? parentId, string title, string body)
    {
        var page = new FakeConfluencePage(NewId(), space) { ParentId = parentId, Title = title, Body = body, Position = _nextId };
        _pages.Add(page.Id, page);
        return page;
    }

    private string NewId() => (++_nextId).ToString(CultureInfo.InvariantCulture);

    private string WithoutDanglingAnchors(FakeConfluenceSpace space, string storage)
    {
        if (!Options.DropAnchorsToMissingPages || !storage.Contains("ac:anchor=", StringComparison.Ordinal))
        {
            return storage;
        }

        XNamespace ac = AcNamespace;
        XNamespace ri = RiNamespace;
        var document = $"<!DOCTYPE root [{EntityDeclarations}]><root xmlns:ac=\"{AcNamespace}\" xmlns:ri=\"{RiNamespace}\">{storage}</root>";
        using var reader = XmlReader.Create(new StringReader(document), new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, XmlResolver = null });
        var root = XElement.Load(reader);
        var dropped = false;
        foreach (var link in root.Descendants(ac + "link"))
        {
            if (link.Attribute(ac + "anchor") is { } anchor && link.Element(ri + "page")?.Attribute(ri + "content-title")?.Value is { } title &&
                !_pages.Values.Any(p => p.Space == space && p.Status == "current" && p.Title == title))
            {
                anchor.Remove();
                dropped = true;
            }
        }

        return dropped
            ? string.Concat(root.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)))
                .Replace($" xmlns:ac=\"{AcNamespace}\"", string.Empty, StringComparison.Ordinal)
                .Replace($" xmlns:ri=\"{RiNamespace}\"", string.Empty, StringComparison.Ordinal)
            : storage;
    }

    /// <summary>Checks a storage body the way Confluence does: well-formed XML with the ac/ri namespaces and XHTML entities.</summary>
    /// <param name="storage">The body.</param>
    /// <returns>The parser's complaint, or <see langword="null"/> when the body is well formed.</returns>
    public static string? StorageProblem(string storage)
    {
        var document = $"<!DOCTYPE root [{EntityDeclarations}]><root xmlns:ac=\"{AcNamespace}\" xmlns:ri=\"{RiNamespace}\">{storage}</root>";
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, XmlResolver = null, MaxCharactersFromEntities = 10_000 };
        try
        {
            using var reader = XmlReader.Create(new StringReader(document), settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Prefix.Length > 0 && reader.NamespaceURI is not (AcNamespace or RiNamespace))
                {
                    return $"Unknown namespace prefix '{reader.Prefix}'.";
                }
            }

            return null;
        }
        catch (XmlException e)
        {
            return e.Message;
        }
    }

    // ---------------------------------------------------------------- JSON

    private Reply Paged<T>(HttpRequest request, string prefix, IReadOnlyList<T> items, Func<T, JsonObject> map)
    {
        var limit = Math.Clamp(Int(request.Query["limit"].ToString(), 25), 1, 250);
        var offset = 0;
        if (request.Query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            try
            {
                offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':')[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException)
            {
                return V2Error(400, "INVALID_REQUEST_PARAMETER", "The cursor is not valid.");
            }
        }

        var links = BaseLinks();
        string? link = null;
        if (offset + limit < items.Count)
        {
            var next = Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{offset + limit}"));
            var query = request.Query.Where(q => q.Key is not ("cursor")).Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}").Append($"cursor={Uri.EscapeDataString(next)}");
            var nextLink = $"{prefix}{request.Path.Value![(request.Path.Value!.IndexOf("/api/v2/", StringComparison.Ordinal))..]}?{string.Join('&', query)}";
            links["next"] = nextLink;
            link = $"<{nextLink}>; rel=\"next\", <{Server.BaseAddress.AbsoluteUri.TrimEnd('/')}/wiki>; rel=\"base\"";
        }

        return new Reply(200, new JsonObject { ["results"] = new JsonArray([.. items.Skip(offset).Take(limit).Select(map)]), ["_links"] = links }, link);
    }

    private JsonObject BaseLinks() => new() { ["base"] = Server.BaseAddress.AbsoluteUri.TrimEnd('/') + (Options.Mode == FakeConfluenceMode.Cloud ? "/wiki" : string.Empty) };

    private Reply V1Paged<T>(IReadOnlyList<T> items, int start, int limit, Func<T, JsonObject> map)
    {
        var results = items.Skip(start).Take(limit).Select(map).ToList();
        return new Reply(200, new JsonObject
        {
            ["results"] = new JsonArray([.. results]),
            ["start"] = start,
            ["limit"] = limit,
            ["size"] = results.Count,
            ["_links"] = BaseLinks(),
        });
    }

    private static JsonObject SpaceJson(FakeConfluenceSpace space) => new()
    {
        ["id"] = space.Id, ["key"] = space.Key, ["name"] = space.Name, ["type"] = "global", ["status"] = "current", ["homepageId"] = space.HomepageId,
    };

    private static JsonObject PageJson(FakeConfluencePage page, bool withBody)
    {
        var json = new JsonObject
        {
            ["id"] = page.Id,
            ["status"] = page.Status,
            ["title"] = page.Title,
            ["spaceId"] = page.Space.Id,
            ["parentId"] = page.ParentId,
            ["parentType"] = page.ParentId is null ? null : "page",
            ["position"] = page.Position,
            ["version"] = new JsonObject { ["number"] = page.Version, ["message"] = page.VersionMessage ?? string.Empty, ["minorEdit"] = false },
            ["_links"] = new JsonObject { ["webui"] = $"/spaces/{page.Space.Key}/pages/{page.Id}" },
        };
        if (withBody)
        {
            json["body"] = new JsonObject { ["storage"] = new JsonObject { ["representation"] = "storage", ["value"] = page.Body } };
        }

        return json;
    }

    private JsonObject ContentJson(FakeConfluencePage page, string expand)
    {
        var json = new JsonObject
        {
            ["id"] = page.Id,
            ["type"] = "page",
            ["status"] = page.Status,
            ["title"] = page.Title,
            ["space"] = new JsonObject { ["key"] = page.Space.Key },
        };
        if (expand.Contains("version", StringComparison.Ordinal))
        {
            json["version"] = new JsonObject { ["number"] = page.Version, ["message"] = page.VersionMessage ?? string.Empty, ["minorEdit"] = false };
        }

        if (expand.Contains("ancestors", StringComparison.Ordinal))
        {
            var ancestors = new List<JsonNode?>();
            for (var parent = page.ParentId is { } p ? _pages.GetValueOrDefault(p) : null; parent is not null; parent = parent.ParentId is { } up ? _pages.GetValueOrDefault(up) : null)
            {
                ancestors.Insert(0, new JsonObject { ["id"] = parent.Id, ["type"] = "page", ["title"] = parent.Title });
            }

            json["ancestors"] = new JsonArray([.. ancestors]);
        }

        if (expand.Contains("body.storage", StringComparison.Ordinal))
        {
            json["body"] = new JsonObject { ["storage"] = new JsonObject { ["representation"] = "storage", ["value"] = page.Body } };
        }

        return json;
    }

    private static JsonObject PropertyJsonV2(FakeConfluenceProperty property) => new()
    {
        ["id"] = property.Id,
        ["key"] = property.Key,
        ["value"] = JsonNode.Parse(property.ValueJson),
        ["version"] = new JsonObject { ["number"] = property.Version, ["message"] = string.Empty, ["minorEdit"] = false },
    };

    private static JsonObject PropertyJsonV1(FakeConfluenceProperty property) => new()
    {
        ["id"] = property.Id,
        ["key"] = property.Key,
        ["value"] = JsonNode.Parse(property.ValueJson),
        ["version"] = new JsonObject { ["number"] = property.Version, ["minorEdit"] = false },
    };

    private static JsonObject AttachmentJsonV2(FakeConfluencePage page, FakeConfluenceAttachment attachment) => new()
    {
        ["id"] = attachment.Id,
        ["status"] = attachment.Status,
        ["title"] = attachment.Title,
        ["pageId"] = page.Id,
        ["mediaType"] = attachment.MediaType,
        ["fileSize"] = attachment.Content.Length,
        ["comment"] = attachment.Comment,
        ["version"] = new JsonObject { ["number"] = attachment.Version },
        ["downloadLink"] = $"/download/attachments/{page.Id}/{Uri.EscapeDataString(attachment.Title)}?version={attachment.Version}&api=v2",
    };

    private static JsonObject AttachmentJsonV1(FakeConfluencePage page, FakeConfluenceAttachment attachment) => new()
    {
        ["id"] = attachment.Id,
        ["type"] = "attachment",
        ["status"] = attachment.Status,
        ["title"] = attachment.Title,
        ["version"] = new JsonObject { ["number"] = attachment.Version },
        ["metadata"] = new JsonObject { ["mediaType"] = attachment.MediaType, ["comment"] = attachment.Comment },
        ["extensions"] = new JsonObject { ["mediaType"] = attachment.MediaType, ["fileSize"] = attachment.Content.Length, ["comment"] = attachment.Comment },
        ["_links"] = new JsonObject { ["download"] = $"/download/attachments/{page.Id}/{Uri.EscapeDataString(attachment.Title)}?version={attachment.Version}&api=v2" },
    };

    private static JsonObject LabelJson(string label) => new() { ["prefix"] = "global", ["name"] = label, ["id"] = LabelId(label), ["label"] = label };

    private static string LabelId(string label) => ((uint)StringComparer.Ordinal.GetHashCode(label) % 1_000_000).ToString(CultureInfo.InvariantCulture);

    private static JsonObject Operation(string operation, string targetType) => new() { ["operation"] = operation, ["targetType"] = targetType };

    private static HashSet<string> Statuses(string requested, params string[] defaults) =>
        requested.Length == 0 ? [.. defaults] : [.. requested.Split(',', StringSplitOptions.RemoveEmptyEntries)];

    private static string? Str(JsonNode? node, string name) => node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? BodyValue(JsonNode? body) =>
        body?["body"] is JsonObject b
            ? (b["value"] ?? b["storage"]?["value"]) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null
            : null;

    private static int Int(string text, int fallback) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static Reply Error(int status, string code, string message, bool v2) => v2 ? V2Error(status, code, message) : V1Error(status, message);

    private static Reply V2Error(int status, string code, string message) =>
        new(status, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["status"] = status, ["code"] = code, ["title"] = message, ["detail"] = null }) });

    private static Reply V1Error(int status, string message) => new(status, new JsonObject
    {
        ["statusCode"] = status,
        ["data"] = new JsonObject { ["authorized"] = status != 403, ["valid"] = true, ["errors"] = new JsonArray(), ["successful"] = false },
        ["message"] = message,
    });

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message, bool v2) =>
        WriteJsonAsync(context, status, (v2 ? V2Error(status, code, message) : V1Error(status, message)).Json!);

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private sealed record Reply(int Status, JsonNode? Json, string? Link = null);
}
