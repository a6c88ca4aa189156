using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using CodeDoc.FakeServers.GitHub;
using CodeDoc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers.GitLab;

/// <summary>How a fake GitLab behaves.</summary>
public sealed class FakeGitLabOptions
{
    /// <summary>Gets or sets the project's full path.</summary>
    public string ProjectPath { get; set; } = "acme/platform/widgets";

    /// <summary>Gets or sets the project's numeric id.</summary>
    public long ProjectId { get; set; } = 4242;

    /// <summary>Gets or sets the relative URL root the instance is served under, e.g. <c>/gitlab</c>; empty for the root.</summary>
    public string RelativeRoot { get; set; } = string.Empty;

    /// <summary>Gets the tokens the fake accepts, with their scopes.</summary>
    public IDictionary<string, string[]> Tokens { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal);

    /// <summary>Gets tokens that exist but have expired (401 <c>Token has expired.</c>).</summary>
    public ISet<string> ExpiredTokens { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets or sets a value indicating whether the project is private (anonymous callers get 404).</summary>
    public bool IsPrivate { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the instance predates <c>/personal_access_tokens/self</c> (GitLab before 15.5).</summary>
    public bool LegacyInstance { get; set; }

    /// <summary>Gets or sets a value indicating whether archives redirect (302) to a second origin standing in for object storage.</summary>
    public bool ArchiveRedirect { get; set; }

    /// <summary>Gets or sets a value indicating whether compares come back with <c>compare_timeout: true</c>.</summary>
    public bool CompareTimeout { get; set; }

    /// <summary>Gets or sets the HTTP options of both servers.</summary>
    public FakeServerOptions Server { get; set; } = new();
}

/// <summary>
/// A fake GitLab REST API v4 over a real git repository: projects by id or URL-encoded path, branches, tags (peeled),
/// commits, archives made by <c>git archive</c> (optionally redirected to a second origin), compares computed by git
/// (merge-base by default, direct with <c>straight=true</c>), merge bases, offset-paged branch lists with
/// <c>x-next-page</c>, token introspection, and GitLab's error bodies.
/// </summary>
public sealed class FakeGitLab : IAsyncDisposable
{
    private readonly FakeGitLabOptions _options;
    private readonly GitQueries _git;
    private readonly ConcurrentDictionary<string, string> _downloads = new(StringComparer.Ordinal);
    private FakeHttpServer _server = null!;
    private FakeHttpServer _storage = null!;

    private FakeGitLab(TemporaryGitRepository repository, FakeGitLabOptions options)
    {
        _git = new GitQueries(repository);
        _options = options;
    }

    private enum Caller
    {
        Anonymous,
        Invalid,
        Expired,
        Token,
        TokenWithoutApiScope,
    }

    /// <summary>Gets the GitLab server (requests, faults).</summary>
    public FakeHttpServer Server => _server;

    /// <summary>Gets the second origin archives redirect to when <see cref="FakeGitLabOptions.ArchiveRedirect"/> is set.</summary>
    public FakeHttpServer Storage => _storage;

    /// <summary>Gets the instance's web address (ending with '/'), including the relative root.</summary>
    public Uri WebBaseAddress => new(_server.BaseAddress, _options.RelativeRoot.Trim('/').Length == 0 ? string.Empty : _options.RelativeRoot.Trim('/') + "/");

    /// <summary>Gets the project's web URL on the fake.</summary>
    public string ProjectUrl => $"{WebBaseAddress}{_options.ProjectPath}";

    /// <summary>Gets or sets an archive to serve instead of <c>git archive</c> output (hostile archives).</summary>
    public byte[]? ArchiveOverride { get; set; }

    /// <summary>Starts the fake.</summary>
    /// <param name="repository">The repository it serves.</param>
    /// <param name="options">How it behaves.</param>
    /// <returns>The started fake.</returns>
    public static async Task<FakeGitLab> StartAsync(TemporaryGitRepository repository, FakeGitLabOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var fake = new FakeGitLab(repository, options ?? new FakeGitLabOptions());
        fake._storage = await FakeHttpServer.StartAsync(app => app.MapGet("/archives/{download}", fake.Download), fake._options.Server).ConfigureAwait(false);
        fake._server = await FakeHttpServer.StartAsync(fake.Map, fake._options.Server).ConfigureAwait(false);
        return fake;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        await _storage.DisposeAsync().ConfigureAwait(false);
    }

    private static IResult Message(int status, string message) => Results.Json(new { message }, statusCode: status);

    private static string Decode(string value) => Uri.UnescapeDataString(value);

    private void Map(WebApplication app)
    {
        var root = _options.RelativeRoot.Trim('/');
        var api = app.MapGroup(root.Length == 0 ? "/api/v4" : $"/{root}/api/v4");
        api.MapGet("/personal_access_tokens/self", (HttpContext context) => TokenSelf(context));
        api.MapGet("/user", (HttpContext context) => Identify(context) switch
        {
            Caller.Token or Caller.TokenWithoutApiScope => Results.Json(new { id = 7, username = "codedoc-bot", bot = false }),
            Caller.Expired => Expired(),
            _ => Message(401, "401 Unauthorized"),
        });
        api.MapGet("/projects/{project}", (HttpContext context, string project) => Guard(context, project, contents: false) ?? Project());
        api.MapGet("/projects/{project}/repository/branches/{branch}", (HttpContext context, string project, string branch) =>
            Guard(context, project) ?? Branch(Decode(branch)));
        api.MapGet("/projects/{project}/repository/tags/{tag}", (HttpContext context, string project, string tag) =>
            Guard(context, project) ?? Tag(Decode(tag)));
        api.MapGet("/projects/{project}/repository/commits/{sha}", (HttpContext context, string project, string sha) =>
            Guard(context, project) ?? (_git.Commit(Decode(sha)) is { } commit ? Results.Json(new { id = commit, short_id = commit[..8] }) : Message(404, "404 Commit Not Found")));
        api.MapGet("/projects/{project}/repository/archive.tar.gz", (HttpContext context, string project) => Guard(context, project) ?? Archive(context));
        api.MapGet("/projects/{project}/repository/compare", (HttpContext context, string project) => Guard(context, project) ?? Compare(context));
        api.MapGet("/projects/{project}/repository/merge_base", (HttpContext context, string project) => Guard(context, project) ?? MergeBase(context));
        api.MapGet("/projects/{project}/repository/branches", (HttpContext context, string project) => Guard(context, project) ?? Branches(context));
    }

    private Caller Identify(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..]
            : context.Request.Headers["PRIVATE-TOKEN"].ToString() is { Length: > 0 } header ? header
            : null;
        return token switch
        {
            null => Caller.Anonymous,
            _ when _options.ExpiredTokens.Contains(token) => Caller.Expired,
            _ when _options.Tokens.TryGetValue(token, out var scopes) => scopes.Contains("api") || scopes.Contains("read_api") ? Caller.Token : Caller.TokenWithoutApiScope,
            _ => Caller.Invalid,
        };
    }

    private static IResult Expired() => Results.Json(new { error = "invalid_token", error_description = "Token has expired." }, statusCode: 401);

    // GitLab's answers for who may see what: 401 for bad tokens, 403 for a missing scope, 404 for an invisible project.
    private IResult? Guard(HttpContext context, string project, bool contents = true)
    {
        switch (Identify(context))
        {
            case Caller.Invalid:
                return Message(401, "401 Unauthorized");
            case Caller.Expired:
                return Expired();
            case Caller.TokenWithoutApiScope:
                return Results.Json(
                    new { error = "insufficient_scope", error_description = "The request requires higher privileges than provided by the access token.", scope = "api read_api" },
                    statusCode: 403);
            case Caller.Anonymous when _options.IsPrivate:
                return Message(404, "404 Project Not Found");
        }

        var decoded = Decode(project);
        if (!string.Equals(decoded, _options.ProjectPath, StringComparison.OrdinalIgnoreCase) && decoded != _options.ProjectId.ToString(CultureInfo.InvariantCulture))
        {
            return Message(404, "404 Project Not Found");
        }

        return contents && _git.RevParse("HEAD") is null ? Message(404, "404 Branch Not Found") : null;
    }

    private IResult TokenSelf(HttpContext context)
    {
        if (_options.LegacyInstance)
        {
            return Message(404, "404 Not Found");
        }

        var caller = Identify(context);
        if (caller == Caller.Expired)
        {
            return Expired();
        }

        if (caller is Caller.Anonymous or Caller.Invalid)
        {
            return Message(401, "401 Unauthorized");
        }

        var token = context.Request.Headers.Authorization.ToString() is { Length: > 7 } bearer && bearer.StartsWith("Bearer ", StringComparison.Ordinal)
            ? bearer[7..]
            : context.Request.Headers["PRIVATE-TOKEN"].ToString();
        return Results.Json(new
        {
            id = 11,
            name = "codedoc",
            revoked = false,
            active = true,
            scopes = _options.Tokens[token],
            user_id = 7,
            expires_at = "2099-01-31",
            created_at = "2026-01-01T00:00:00.000Z",
        });
    }

    private IResult Project()
    {
        var empty = _git.RevParse("HEAD") is null;
        return Results.Json(new
        {
            id = _options.ProjectId,
            name = _options.ProjectPath.Split('/')[^1],
            path_with_namespace = _options.ProjectPath,
            default_branch = empty ? null : _git.Repository.Git("symbolic-ref", "--short", "HEAD"),
            web_url = ProjectUrl,
            description = "A project served by the fake GitLab.",
            visibility = _options.IsPrivate ? "private" : "public",
            archived = false,
            empty_repo = empty,
        });
    }

    private IResult Branch(string name) =>
        _git.RevParse("refs/heads/" + name) is { } sha
            ? Results.Json(new { name, commit = new { id = sha }, @default = name == _git.Repository.Git("symbolic-ref", "--short", "HEAD"), @protected = false })
            : Message(404, "404 Branch Not Found");

    private IResult Tag(string name)
    {
        if (_git.RevParse("refs/tags/" + name) is not { } target)
        {
            return Message(404, "404 Tag Not Found");
        }

        return Results.Json(new { name, target, commit = new { id = _git.Commit("refs/tags/" + name) } });
    }

    private IResult Archive(HttpContext context)
    {
        var requested = context.Request.Query["sha"].ToString();
        if (_git.Commit(requested.Length == 0 ? "HEAD" : requested) is not { } sha)
        {
            return Message(404, "404 Not Found");
        }

        if (_options.ArchiveRedirect)
        {
            var download = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            _downloads[download] = sha;
            return Results.Redirect($"{_storage.BaseAddress}archives/{download}?X-Amz-Signature={download}");
        }

        return ArchiveOf(sha);
    }

    private IResult Download(string download) =>
        _downloads.TryRemove(download, out var sha) ? ArchiveOf(sha) : Results.NotFound();

    // GitLab's folder for an archive by SHA: "{project}-{sha}/".
    private IResult ArchiveOf(string sha) =>
        Results.Bytes(ArchiveOverride ?? _git.Repository.Archive("tar.gz", prefix: $"{_options.ProjectPath.Split('/')[^1]}-{sha}/", treeish: sha), "application/octet-stream");

    private IResult Compare(HttpContext context)
    {
        if (_git.Commit(context.Request.Query["from"].ToString()) is not { } from || _git.Commit(context.Request.Query["to"].ToString()) is not { } to)
        {
            return Message(404, "404 Ref Not Found");
        }

        // Default (straight=false): from the merge base, like "git diff from...to"; straight=true: the direct diff.
        var straight = string.Equals(context.Request.Query["straight"], "true", StringComparison.OrdinalIgnoreCase);
        var start = straight ? from : _git.MergeBase(from, to) ?? from;
        var diffs = _git.Diff(start, to).Select(entry => new
        {
            old_path = entry.OldPath ?? entry.Path,
            new_path = entry.Path,
            a_mode = entry.Status == 'A' ? "0" : "100644",
            b_mode = entry.Status == 'D' ? "0" : "100644",
            new_file = entry.Status is 'A' or 'C',
            renamed_file = entry.Status == 'R',
            deleted_file = entry.Status == 'D',
            diff = string.Empty,
            too_large = false,
            collapsed = false,
        }).ToList();
        var commits = _git.CommitsBetween(start, to).Select(id => new { id }).ToList();
        return Results.Json(new
        {
            commit = new { id = to },
            commits,
            diffs,
            compare_timeout = _options.CompareTimeout,
            compare_same_ref = from == to,
            web_url = $"{ProjectUrl}/-/compare/{from}...{to}",
        });
    }

    private IResult MergeBase(HttpContext context)
    {
        var refs = context.Request.Query["refs[]"];
        if (refs.Count != 2 || _git.Commit(refs[0]!) is not { } a || _git.Commit(refs[1]!) is not { } b)
        {
            return Message(400, "Provide exactly two refs");
        }

        return _git.MergeBase(a, b) is { } mergeBase ? Results.Json(new { id = mergeBase }) : Message(404, "404 Merge Base Not Found");
    }

    private IResult Branches(HttpContext context)
    {
        var perPage = int.TryParse(context.Request.Query["per_page"], CultureInfo.InvariantCulture, out var size) ? Math.Clamp(size, 1, 100) : 20;
        var page = int.TryParse(context.Request.Query["page"], CultureInfo.InvariantCulture, out var number) && number > 0 ? number : 1;
        var branches = _git.Branches();
        var head = _git.Repository.Git("symbolic-ref", "--short", "HEAD");
        var pages = Math.Max(1, (branches.Count + perPage - 1) / perPage);
        var headers = context.Response.Headers;
        headers["x-page"] = page.ToString(CultureInfo.InvariantCulture);
        headers["x-per-page"] = perPage.ToString(CultureInfo.InvariantCulture);
        headers["x-total"] = branches.Count.ToString(CultureInfo.InvariantCulture);
        headers["x-total-pages"] = pages.ToString(CultureInfo.InvariantCulture);
        headers["x-next-page"] = page < pages ? (page + 1).ToString(CultureInfo.InvariantCulture) : string.Empty;
        headers["x-prev-page"] = page > 1 ? (page - 1).ToString(CultureInfo.InvariantCulture) : string.Empty;
        return Results.Json(branches.Skip((page - 1) * perPage).Take(perPage)
            .Select(b => new { name = b.Name, commit = new { id = b.Sha }, @default = b.Name == head, @protected = false, merged = false })
            .ToList());
    }
}
