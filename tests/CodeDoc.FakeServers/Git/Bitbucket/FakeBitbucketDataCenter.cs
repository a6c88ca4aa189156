using System.Text.RegularExpressions;
using CodeDoc.FakeServers.Git;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers.Git.Bitbucket;

/// <summary>
/// A fake Bitbucket Data Center below a context path (<c>/bitbucket/</c>), serving a real repository in its wire
/// format: REST API <c>rest/api/latest</c> with <c>start</c>/<c>limit</c> pages (<c>isLastPage</c>,
/// <c>nextPageStart</c>), <c>filterText</c> substring matches, <c>compare/changes</c> and <c>compare/commits</c>
/// ("in <c>from</c> but not in <c>to</c>"), the <c>archive</c> without a top-level folder, <c>X-AUSERNAME</c>, and the
/// <c>{"errors":[...]}</c> error body.
/// </summary>
public sealed partial class FakeBitbucketDataCenter : IAsyncDisposable
{
    /// <summary>The context path the server is installed under.</summary>
    public const string ContextPath = "bitbucket";

    /// <summary>The project key.</summary>
    public const string ProjectKey = "ACME";

    /// <summary>The repository slug.</summary>
    public const string Slug = "sample";

    /// <summary>The user the accepted token belongs to.</summary>
    public const string UserName = "jdoe";

    private readonly HostedSampleRepository _repository;

    private FakeBitbucketDataCenter(HostedSampleRepository repository) => _repository = repository;

    /// <summary>Gets the underlying server (requests, faults).</summary>
    public FakeHttpServer Server { get; private set; } = null!;

    /// <summary>Gets the server's address with its context path, ending with '/'.</summary>
    public Uri BaseAddress => new(Server.BaseAddress, ContextPath + "/");

    /// <summary>Gets the repository's web URL.</summary>
    public string RepositoryUrl => new Uri(BaseAddress, $"projects/{ProjectKey}/repos/{Slug}/browse").AbsoluteUri;

    /// <summary>Gets or sets the only <c>Authorization</c> value accepted; <see langword="null"/> serves anonymous requests too.</summary>
    public string? AcceptedAuthorization { get; set; }

    /// <summary>Gets or sets the largest page the API returns, whatever <c>limit</c> asks for.</summary>
    public int MaxPageLength { get; set; } = 1000;

    /// <summary>Starts the fake.</summary>
    /// <param name="repository">The repository to serve.</param>
    /// <param name="options">Server options (HTTPS).</param>
    /// <returns>The fake.</returns>
    public static async Task<FakeBitbucketDataCenter> StartAsync(HostedSampleRepository repository, FakeServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var fake = new FakeBitbucketDataCenter(repository);
        fake.Server = await FakeHttpServer.StartAsync(app => app.Run(fake.HandleAsync), options).ConfigureAwait(false);
        return fake;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static Task ErrorAsync(HttpContext context, int status, string message, string exception)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { errors = new[] { new { context = (string?)null, message, exceptionName = exception } } });
    }

    private static object PathJson(string path)
    {
        var components = path.Split('/');
        return new
        {
            components,
            parent = string.Join('/', components[..^1]),
            name = components[^1],
            extension = Path.GetExtension(path).TrimStart('.'),
            toString = path,
        };
    }

    [GeneratedRegex("^[0-9a-f]{7,40}$")]
    private static partial Regex Hex();

    private async Task HandleAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments is not [ContextPath, "rest", "api", "latest" or "1.0", .. var api])
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>Page not found</html>").ConfigureAwait(false);
            return;
        }

        if (AcceptedAuthorization is not null && context.Request.Headers.Authorization.ToString() != AcceptedAuthorization)
        {
            await ErrorAsync(context, 401, "Authentication failed. Please check your credentials and try again.", "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException").ConfigureAwait(false);
            return;
        }

        if (AcceptedAuthorization is not null)
        {
            context.Response.Headers["X-AUSERNAME"] = UserName;
        }

        switch (api)
        {
            case ["application-properties"]:
                await context.Response.WriteAsJsonAsync(new { version = "9.4.2", buildNumber = "9004002", buildDate = "1700000000000", displayName = "Bitbucket" }).ConfigureAwait(false);
                return;
            case ["repos"]:
                await PageAsync(context, [RepositoryJson()]).ConfigureAwait(false);
                return;
            case ["projects", ProjectKey, "repos", Slug, .. var rest]:
                await RepositoryAsync(context, rest).ConfigureAwait(false);
                return;
            case ["projects", var key, "repos", var slug, ..]:
                await ErrorAsync(context, 404, $"Repository {key}/{slug} does not exist.", "com.atlassian.bitbucket.repository.NoSuchRepositoryException").ConfigureAwait(false);
                return;
            default:
                await ErrorAsync(context, 404, "Not found.", "com.atlassian.bitbucket.NoSuchEntityException").ConfigureAwait(false);
                return;
        }
    }

    private async Task RepositoryAsync(HttpContext context, string[] rest)
    {
        var facts = _repository.Facts;
        var query = context.Request.Query;
        switch (rest)
        {
            case []:
                await context.Response.WriteAsJsonAsync(RepositoryJson()).ConfigureAwait(false);
                return;
            case ["branches", "default"]:
                await context.Response.WriteAsJsonAsync(RefJson(facts.Branches().Single(b => b.ShortName == facts.DefaultBranch))).ConfigureAwait(false);
                return;
            case ["branches" or "tags"]:
                var filter = query["filterText"].ToString();
                var refs = (rest[0] == "branches" ? facts.Branches() : facts.Tags()).Where(r => r.ShortName.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
                if (query["boostMatches"] == "true")
                {
                    refs = [.. refs.OrderBy(r => r.ShortName == filter ? 0 : 1)];
                }

                await PageAsync(context, [.. refs.Select(RefJson)]).ConfigureAwait(false);
                return;
            case ["commits", var id]:
                // Since 2.11 only commit ids are accepted here, not ref names.
                if (Hex().IsMatch(id) && facts.ResolveCommit(id) is { } commit)
                {
                    await context.Response.WriteAsJsonAsync(new { id = commit, displayId = commit[..11] }).ConfigureAwait(false);
                }
                else
                {
                    await ErrorAsync(context, 404, $"Commit '{id}' does not exist in repository '{Slug}'.", "com.atlassian.bitbucket.commit.NoSuchCommitException").ConfigureAwait(false);
                }

                return;
            case ["compare", "changes" or "commits"]:
                if (facts.ResolveCommit(query["from"].ToString()) is not { } from || facts.ResolveCommit(query["to"].ToString()) is not { } to)
                {
                    await ErrorAsync(context, 404, "Commit does not exist.", "com.atlassian.bitbucket.commit.NoSuchCommitException").ConfigureAwait(false);
                    return;
                }

                if (rest[1] == "commits")
                {
                    await PageAsync(context, [.. facts.CommitsBetween(from, to).Select(c => (object)new { id = c, displayId = c[..11] })]).ConfigureAwait(false);
                    return;
                }

                // The changes in from but not in to: a diff from their merge base to from.
                var changes = facts.Diff(facts.MergeBase(from, to) ?? to, from).Select(c => (object)new
                {
                    contentId = Guid.NewGuid().ToString("N"),
                    path = PathJson(c.Path),
                    srcPath = c.OldPath is null ? null : PathJson(c.OldPath),
                    type = c.Status switch { 'A' => "ADD", 'D' => "DELETE", 'R' => "MOVE", 'C' => "COPY", _ => "MODIFY" },
                    nodeType = "FILE",
                    executable = false,
                    percentUnchanged = -1,
                }).ToList();
                await PageAsync(context, changes).ConfigureAwait(false);
                return;
            case ["archive"]:
                if (query["format"] != "tar.gz")
                {
                    await ErrorAsync(context, 400, "Unsupported archive format.", "com.atlassian.bitbucket.scm.ArchiveFormatException").ConfigureAwait(false);
                    return;
                }

                if (facts.ResolveCommit(query["at"].ToString()) is not { } at)
                {
                    await ErrorAsync(context, 404, "The repository does not contain the requested commit.", "com.atlassian.bitbucket.commit.NoSuchCommitException").ConfigureAwait(false);
                    return;
                }

                context.Response.ContentType = "application/x-gzip";
                context.Response.Headers.ContentDisposition = $"attachment; filename={Slug}-{at}.tar.gz";
                await context.Response.Body.WriteAsync(facts.Archive("tar.gz", at)).ConfigureAwait(false);
                return;
            default:
                await ErrorAsync(context, 404, "Not found.", "com.atlassian.bitbucket.NoSuchEntityException").ConfigureAwait(false);
                return;
        }
    }

    private async Task PageAsync(HttpContext context, List<object> all)
    {
        var query = context.Request.Query;
        var limit = Math.Clamp(int.TryParse(query["limit"], out var asked) ? asked : 25, 1, MaxPageLength);
        var start = int.TryParse(query["start"], out var from) && from > 0 ? from : 0;
        var values = all.Skip(start).Take(limit).ToList();
        var isLastPage = start + values.Count >= all.Count;
        await context.Response.WriteAsJsonAsync(new
        {
            size = values.Count,
            limit,
            isLastPage,
            start,
            nextPageStart = isLastPage ? (int?)null : start + values.Count,
            values,
        }).ConfigureAwait(false);
    }

    private object RepositoryJson() => new
    {
        slug = Slug,
        id = 1,
        name = "Sample",
        description = "A sample service.",
        scmId = "git",
        state = "AVAILABLE",
        @public = false,
        project = new { key = ProjectKey, id = 1, name = "Acme", type = "NORMAL" },
        links = new
        {
            clone = new[]
            {
                new { href = new Uri(BaseAddress, $"scm/{ProjectKey.ToLowerInvariant()}/{Slug}.git").AbsoluteUri, name = "http" },
                new { href = $"ssh://git@{Server.BaseAddress.Host}:7999/{ProjectKey.ToLowerInvariant()}/{Slug}.git", name = "ssh" },
            },
            self = new[] { new { href = RepositoryUrl } },
        },
    };

    private object RefJson(GitRef reference) => new
    {
        id = reference.Name,
        displayId = reference.ShortName,
        type = reference.IsBranch ? "BRANCH" : "TAG",
        latestCommit = reference.CommitId,
        latestChangeset = reference.CommitId,
        hash = reference.IsBranch ? null : reference.ObjectId,
        isDefault = reference.IsBranch && reference.ShortName == _repository.Facts.DefaultBranch,
    };
}
