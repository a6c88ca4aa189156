using System.Globalization;
using System.Text.RegularExpressions;
using CodeDoc.FakeServers.Git;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers.Git.Bitbucket;

/// <summary>How the fake answers Bitbucket Cloud's web archive (<c>/{workspace}/{repo}/get/{sha}.tar.gz</c>).</summary>
public enum WebArchiveMode
{
    /// <summary>Serves the archive, with Bitbucket's top-level folder <c>{workspace}-{repo}-{sha12}/</c>.</summary>
    Serve,

    /// <summary>Redirects to the login page, which answers HTML (what Bitbucket does for credentials it refuses there).</summary>
    LoginPage,

    /// <summary>Answers 403.</summary>
    Forbidden,

    /// <summary>Redirects (302) to <see cref="FakeBitbucketCloud.ArchiveRedirectTarget"/>, another origin.</summary>
    RedirectElsewhere,
}

/// <summary>
/// A fake Bitbucket Cloud: the web site (<c>/{workspace}/{repo}/get/...</c>, <c>/account/signin/</c>) and REST API 2.0
/// (<c>/2.0/...</c>) on one origin, serving a real repository in Bitbucket's wire format: paged <c>values</c> with
/// absolute <c>next</c> links, <c>/src</c> listings and raw files, <c>diffstat/{new}..{old}</c> (the reverse of
/// <c>git diff</c>; a three-dot diff unless <c>topic=false</c>), <c>commits?include=&amp;exclude=</c>, and Cloud's
/// error body with <c>WWW-Authenticate</c> on 401.
/// </summary>
public sealed partial class FakeBitbucketCloud : IAsyncDisposable
{
    /// <summary>The workspace the repository is in.</summary>
    public const string Workspace = "acme";

    /// <summary>The repository slug.</summary>
    public const string Slug = "sample";

    private readonly HostedSampleRepository _repository;

    private FakeBitbucketCloud(HostedSampleRepository repository) => _repository = repository;

    /// <summary>Gets the underlying server (requests, faults).</summary>
    public FakeHttpServer Server { get; private set; } = null!;

    /// <summary>Gets the web address (<c>https://bitbucket.org/</c> in real life).</summary>
    public Uri WebAddress => Server.BaseAddress;

    /// <summary>Gets the REST API address (<c>https://api.bitbucket.org/2.0/</c> in real life).</summary>
    public Uri ApiAddress => new(Server.BaseAddress, "2.0/");

    /// <summary>Gets the repository's web URL.</summary>
    public string RepositoryUrl => new Uri(WebAddress, $"{Workspace}/{Slug}").AbsoluteUri;

    /// <summary>Gets or sets the only <c>Authorization</c> value accepted; <see langword="null"/> serves anonymous requests too.</summary>
    public string? AcceptedAuthorization { get; set; }

    /// <summary>Gets or sets how the web archive is answered.</summary>
    public WebArchiveMode WebArchive { get; set; } = WebArchiveMode.Serve;

    /// <summary>Gets or sets where <see cref="WebArchiveMode.RedirectElsewhere"/> points (another origin serving the archive).</summary>
    public Uri? ArchiveRedirectTarget { get; set; }

    /// <summary>Gets or sets bytes served as the web archive instead of the real one (hostile archives).</summary>
    public ReadOnlyMemory<byte>? WebArchiveBody { get; set; }

    /// <summary>Gets or sets the largest page the API returns, whatever <c>pagelen</c> asks for.</summary>
    public int MaxPageLength { get; set; } = 100;

    /// <summary>Gets or sets a callback run for every <c>/src</c> directory listing (to move a fake clock).</summary>
    public Action? DirectoryListed { get; set; }

    /// <summary>Starts the fake.</summary>
    /// <param name="repository">The repository to serve.</param>
    /// <param name="options">Server options (HTTPS).</param>
    /// <returns>The fake.</returns>
    public static async Task<FakeBitbucketCloud> StartAsync(HostedSampleRepository repository, FakeServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var fake = new FakeBitbucketCloud(repository);
        fake.Server = await FakeHttpServer.StartAsync(app => app.Run(fake.HandleAsync), options).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Makes the web archive of a commit as Bitbucket names it: a tar.gz with one top-level folder.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="commit">The commit.</param>
    /// <returns>The archive.</returns>
    public static byte[] WebArchiveOf(HostedSampleRepository repository, string commit)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(commit);
        return repository.Facts.Archive("tar.gz", commit, $"{Workspace}-{Slug}-{commit[..12]}/");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { type = "error", error = new { message } });
    }

    [GeneratedRegex("^[0-9a-f]{7,40}$")]
    private static partial Regex Hex();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments is ["account", "signin", ..])
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync("<html><body>Log in to Bitbucket</body></html>").ConfigureAwait(false);
            return;
        }

        var authorized = AcceptedAuthorization is null || context.Request.Headers.Authorization.ToString() == AcceptedAuthorization;
        if (segments is [Workspace, Slug, "get", var file] && file.EndsWith(".tar.gz", StringComparison.Ordinal))
        {
            await WebArchiveAsync(context, file[..^".tar.gz".Length], authorized).ConfigureAwait(false);
            return;
        }

        if (segments is not ["2.0", .. var api])
        {
            await ErrorAsync(context, 404, "Resource not found").ConfigureAwait(false);
            return;
        }

        if (!authorized)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Bitbucket.org HTTP\"";
            await ErrorAsync(context, 401, "Unauthorized").ConfigureAwait(false);
            return;
        }

        switch (api)
        {
            case ["user"]:
                await context.Response.WriteAsJsonAsync(new { type = "user", display_name = "Sample User", account_id = "5b10ac8d82e05b22cc7d4ef5" }).ConfigureAwait(false);
                return;
            case ["repositories", var workspace, var slug, .. var rest] when workspace == Workspace && slug == Slug:
                await RepositoryAsync(context, rest).ConfigureAwait(false);
                return;
            case ["repositories", _, _, ..]:
                await ErrorAsync(context, 404, "Repository not found").ConfigureAwait(false);
                return;
            default:
                await ErrorAsync(context, 404, "Resource not found").ConfigureAwait(false);
                return;
        }
    }

    private async Task WebArchiveAsync(HttpContext context, string revision, bool authorized)
    {
        var facts = _repository.Facts;
        var mode = authorized ? WebArchive : WebArchiveMode.LoginPage;
        switch (mode)
        {
            case WebArchiveMode.LoginPage:
                context.Response.Redirect(new Uri(WebAddress, "account/signin/?next=" + Uri.EscapeDataString(context.Request.Path)).AbsoluteUri);
                return;
            case WebArchiveMode.Forbidden:
                context.Response.StatusCode = 403;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html>Forbidden</html>").ConfigureAwait(false);
                return;
            case WebArchiveMode.RedirectElsewhere:
                context.Response.Redirect(ArchiveRedirectTarget?.AbsoluteUri ?? throw new InvalidOperationException("Set ArchiveRedirectTarget."));
                return;
        }

        if (facts.ResolveCommit(revision) is not { } commit)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/x-gzip";
        context.Response.Headers.ContentDisposition = $"attachment; filename={Workspace}-{Slug}-{commit[..12]}.tar.gz";
        await context.Response.Body.WriteAsync(WebArchiveBody ?? WebArchiveOf(_repository, commit)).ConfigureAwait(false);
    }

    private async Task RepositoryAsync(HttpContext context, string[] rest)
    {
        var facts = _repository.Facts;
        var query = context.Request.Query;
        switch (rest)
        {
            case []:
                await context.Response.WriteAsJsonAsync(new
                {
                    type = "repository",
                    name = Slug,
                    full_name = $"{Workspace}/{Slug}",
                    uuid = "{7708d810-964c-403f-8b4e-38fd9b5a4d4a}",
                    is_private = true,
                    description = "A sample service.",
                    mainbranch = new { type = "branch", name = facts.DefaultBranch },
                    links = new { html = new { href = RepositoryUrl } },
                }).ConfigureAwait(false);
                return;
            case ["refs", "branches"]:
                await PageAsync(context, facts.Branches().Select(RefJson).ToList()).ConfigureAwait(false);
                return;
            case ["refs", "branches" or "tags", .. var nameParts] when nameParts.Length > 0:
                var full = (rest[1] == "branches" ? "refs/heads/" : "refs/tags/") + string.Join('/', nameParts);
                if (facts.Refs().FirstOrDefault(r => r.Name == full) is { } found)
                {
                    await context.Response.WriteAsJsonAsync(RefJson(found)).ConfigureAwait(false);
                }
                else
                {
                    await ErrorAsync(context, 404, $"{(rest[1] == "branches" ? "Branch" : "Tag")} \"{string.Join('/', nameParts)}\" does not exist").ConfigureAwait(false);
                }

                return;
            case ["commit", var sha] when Hex().IsMatch(sha) && facts.ResolveCommit(sha) is { } commit:
                await context.Response.WriteAsJsonAsync(new { type = "commit", hash = commit }).ConfigureAwait(false);
                return;
            case ["commits"]:
                var include = query["include"].ToString();
                var exclude = query["exclude"].ToString();
                if (facts.ResolveCommit(include) is not { } from || (exclude.Length > 0 && facts.ResolveCommit(exclude) is null))
                {
                    await ErrorAsync(context, 404, "Commit not found").ConfigureAwait(false);
                    return;
                }

                await PageAsync(context, facts.CommitsBetween(from, exclude.Length > 0 ? exclude : null).Select(c => (object)new { type = "commit", hash = c }).ToList()).ConfigureAwait(false);
                return;
            case ["src", var sha, .. var pathParts]:
                await SourceAsync(context, sha, string.Join('/', pathParts)).ConfigureAwait(false);
                return;
            case ["diffstat", var spec]:
                await DiffStatAsync(context, spec).ConfigureAwait(false);
                return;
            default:
                await ErrorAsync(context, 404, "Resource not found").ConfigureAwait(false);
                return;
        }
    }

    private async Task SourceAsync(HttpContext context, string sha, string path)
    {
        var facts = _repository.Facts;
        // Bitbucket takes a branch name in place of the commit here too.
        var known = Hex().IsMatch(sha) || facts.Branches().Any(b => b.ShortName == sha);
        if (!known || facts.ResolveCommit(sha) is not { } commit)
        {
            await ErrorAsync(context, 404, $"Commit not found: {sha}").ConfigureAwait(false);
            return;
        }

        var entry = facts.Entry(commit, path);
        if (entry is null)
        {
            await ErrorAsync(context, 404, $"No such file or directory: {path}").ConfigureAwait(false);
            return;
        }

        if (!entry.IsDirectory)
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(facts.ReadBlob(commit, path)).ConfigureAwait(false);
            return;
        }

        DirectoryListed?.Invoke();
        var items = facts.ListDirectory(commit, path)!.Select(e => e.IsDirectory
            ? (object)new { type = "commit_directory", path = e.Path, commit = new { type = "commit", hash = commit } }
            : new
            {
                type = "commit_file",
                path = e.Path,
                size = e.Size ?? 0,
                attributes = e.IsSubmodule ? new[] { "subrepository" } : e.IsSymbolicLink ? ["link"] : e.Mode == "100755" ? ["executable"] : Array.Empty<string>(),
                commit = new { type = "commit", hash = commit },
            }).ToList();
        await PageAsync(context, items).ConfigureAwait(false);
    }

    private async Task DiffStatAsync(HttpContext context, string spec)
    {
        var facts = _repository.Facts;
        var parts = spec.Split("..");
        if (parts.Length != 2 || facts.ResolveCommit(parts[0]) is not { } newer || facts.ResolveCommit(parts[1]) is not { } older)
        {
            await ErrorAsync(context, 404, "Commit not found").ConfigureAwait(false);
            return;
        }

        // The first commit holds the changes to preview; without topic=false Bitbucket diffs from the merge base.
        var from = context.Request.Query["topic"] == "false" ? older : facts.MergeBase(newer, older) ?? older;
        var values = facts.Diff(from, newer).Select(c => (object)(c.Status switch
        {
            'A' => new { type = "diffstat", status = "added", lines_added = 1, lines_removed = 0, old = (object?)null, @new = (object?)new { path = c.Path, type = "commit_file" } },
            'D' => new { type = "diffstat", status = "removed", lines_added = 0, lines_removed = 1, old = (object?)new { path = c.Path, type = "commit_file" }, @new = (object?)null },
            'R' => new { type = "diffstat", status = "renamed", lines_added = 0, lines_removed = 0, old = (object?)new { path = c.OldPath, type = "commit_file" }, @new = (object?)new { path = c.Path, type = "commit_file" } },
            _ => new { type = "diffstat", status = "modified", lines_added = 1, lines_removed = 1, old = (object?)new { path = c.Path, type = "commit_file" }, @new = (object?)new { path = c.Path, type = "commit_file" } },
        })).ToList();
        await PageAsync(context, values).ConfigureAwait(false);
    }

    private async Task PageAsync(HttpContext context, List<object> all)
    {
        var query = context.Request.Query;
        var length = Math.Clamp(int.TryParse(query["pagelen"], out var asked) ? asked : 10, 1, MaxPageLength);
        var page = int.TryParse(query["page"], out var number) && number > 0 ? number : 1;
        var values = all.Skip((page - 1) * length).Take(length).ToList();
        string? next = null;
        if (page * length < all.Count)
        {
            var builder = new UriBuilder(new Uri(Server.BaseAddress, context.Request.Path.Value!.TrimStart('/')));
            var pairs = query.Where(q => q.Key is not "page" and not "pagelen").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append($"pagelen={length}").Append($"page={(page + 1).ToString(CultureInfo.InvariantCulture)}");
            builder.Query = string.Join('&', pairs);
            next = builder.Uri.AbsoluteUri;
        }

        await context.Response.WriteAsJsonAsync(new { pagelen = length, size = all.Count, page, values, next }).ConfigureAwait(false);
    }

    private object RefJson(GitRef reference) => new
    {
        type = reference.IsBranch ? "branch" : "tag",
        name = reference.ShortName,
        target = new { type = "commit", hash = reference.CommitId },
        links = new { html = new { href = RepositoryUrl + "/branch/" + reference.ShortName } },
    };
}
