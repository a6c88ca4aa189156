using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CodeDoc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers.GitHub;

/// <summary>How a fake GitHub behaves.</summary>
public sealed class FakeGitHubOptions
{
    /// <summary>Gets or sets the repository's owner.</summary>
    public string Owner { get; set; } = "acme";

    /// <summary>Gets or sets the repository's name.</summary>
    public string Name { get; set; } = "widgets";

    /// <summary>
    /// Gets or sets a value indicating whether the fake is a GitHub Enterprise Server: the API lives under
    /// <c>/api/v3</c> of the same origin as the web pages. Otherwise it answers at the root, like api.github.com.
    /// </summary>
    public bool Enterprise { get; set; }

    /// <summary>Gets the tokens the fake accepts (classic or fine-grained, as <see cref="ClassicScopes"/> says).</summary>
    public ISet<string> Tokens { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the scopes reported for <see cref="Tokens"/> (<c>X-OAuth-Scopes</c>); <see langword="null"/> for fine-grained tokens.</summary>
    public IReadOnlyList<string>? ClassicScopes { get; set; } = ["repo"];

    /// <summary>Gets or sets a token that sees the repository but lacks Contents: Read (a fine-grained token without it).</summary>
    public string? TokenWithoutContents { get; set; }

    /// <summary>Gets or sets a value indicating whether the repository is private (invisible without a token).</summary>
    public bool IsPrivate { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the API answers /rate_limit with 404 (rate limiting disabled, GHES default).</summary>
    public bool RateLimitDisabled { get; set; }

    /// <summary>Gets or sets the GitHub App whose JSON Web Tokens the fake accepts (its public key).</summary>
    public RSA? AppKey { get; set; }

    /// <summary>Gets or sets the app's id, which tokens must name as issuer.</summary>
    public string AppId { get; set; } = "4242";

    /// <summary>Gets or sets the installation of the app on the repository.</summary>
    public long InstallationId { get; set; } = 77;

    /// <summary>Gets or sets how long issued installation tokens are valid.</summary>
    public TimeSpan InstallationTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the most files the compare lists (GitHub's cap is 300).</summary>
    public int CompareFileCap { get; set; } = 300;

    /// <summary>Gets or sets a value indicating whether recursive trees come back with <c>truncated: true</c>.</summary>
    public bool TruncateTrees { get; set; }

    /// <summary>Gets or sets the HTTP options of both servers (HTTPS, each with its own private CA).</summary>
    public FakeServerOptions Server { get; set; } = new();

    /// <summary>Gets or sets the clock the fake checks JSON Web Tokens and token expiry against.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
}

/// <summary>
/// A fake GitHub REST API over a real git repository: refs, annotated tags, commits by SHA, tarballs that redirect
/// (302) to a second origin standing in for codeload.github.com, three-dot compares with the 300-file cap, recursive
/// trees, paged branches, GitHub App JWT and installation tokens, and GitHub's error bodies. The codeload origin
/// records what reaches it, so tests can prove no credential follows the redirect.
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    private const string Gzip = "application/x-gzip";

    private readonly FakeGitHubOptions _options;
    private readonly GitQueries _git;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _installationTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _downloadTokens = new(StringComparer.Ordinal);
    private FakeHttpServer _api = null!;
    private FakeHttpServer _codeload = null!;

    private FakeGitHub(TemporaryGitRepository repository, FakeGitHubOptions options)
    {
        _git = new GitQueries(repository);
        _options = options;
    }

    /// <summary>Gets the API server (requests, faults).</summary>
    public FakeHttpServer Api => _api;

    /// <summary>Gets the second origin the tarball redirects to.</summary>
    public FakeHttpServer Codeload => _codeload;

    /// <summary>Gets the REST API's base address (ending with '/').</summary>
    public Uri ApiBaseAddress => _options.Enterprise ? new Uri(_api.BaseAddress, "api/v3/") : _api.BaseAddress;

    /// <summary>Gets the web address (for GitHub Enterprise Server, the same origin as the API).</summary>
    public Uri WebBaseAddress => _api.BaseAddress;

    /// <summary>Gets the repository's web URL on the fake.</summary>
    public string RepositoryUrl => $"{WebBaseAddress}{_options.Owner}/{_options.Name}";

    /// <summary>Gets the installation tokens issued so far.</summary>
    public IReadOnlyCollection<string> IssuedInstallationTokens => [.. _installationTokens.Keys];

    /// <summary>Gets or sets a tarball to serve instead of <c>git archive</c> output (hostile archives).</summary>
    public byte[]? TarballOverride { get; set; }

    /// <summary>Starts the fake.</summary>
    /// <param name="repository">The repository it serves.</param>
    /// <param name="options">How it behaves.</param>
    /// <returns>The started fake.</returns>
    public static async Task<FakeGitHub> StartAsync(TemporaryGitRepository repository, FakeGitHubOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var fake = new FakeGitHub(repository, options ?? new FakeGitHubOptions());
        fake._codeload = await FakeHttpServer.StartAsync(app => app.MapGet("/{owner}/{repo}/legacy.tar.gz/{sha}", fake.CodeloadAsync), fake._options.Server).ConfigureAwait(false);
        fake._api = await FakeHttpServer.StartAsync(app => fake.Map(app), fake._options.Server).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Exports an app key as PEM, the form GitHub hands out and the provider's options take.</summary>
    /// <param name="key">The private key.</param>
    /// <returns>PEM text of the key.</returns>
    public static string ExportPem(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportRSAPrivateKeyPem();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync().ConfigureAwait(false);
        await _codeload.DisposeAsync().ConfigureAwait(false);
    }

    private static IResult Json(object value, int status = 200) => Results.Json(value, statusCode: status);

    private static IResult Error(int status, string message) =>
        Results.Json(new { message, documentation_url = "https://docs.github.com/rest" }, statusCode: status);

    private void Map(WebApplication app)
    {
        var api = app.MapGroup(_options.Enterprise ? "/api/v3" : string.Empty);
        api.MapGet("/user", UserAsync);
        api.MapGet("/rate_limit", (HttpContext context) => RateLimit(context));
        api.MapGet("/app", (HttpContext context) => VerifyJwt(context) ? Json(new { slug = "codedoc-app", name = "CodeDoc App" }) : Error(401, "A JSON web token could not be decoded"));
        api.MapGet("/repos/{owner}/{repo}/installation", (HttpContext context, string owner, string repo) =>
            !VerifyJwt(context) ? Error(401, "A JSON web token could not be decoded")
            : !IsRepository(owner, repo) ? Error(404, "Not Found")
            : Json(new { id = _options.InstallationId }));
        api.MapPost("/app/installations/{id:long}/access_tokens", (HttpContext context, long id) => IssueInstallationToken(context, id));
        api.MapGet("/repos/{owner}/{repo}", (HttpContext context, string owner, string repo) => Guard(context, owner, repo, contents: false) ?? Repository());
        api.MapGet("/repos/{owner}/{repo}/git/ref/{**reference}", (HttpContext context, string owner, string repo, string reference) =>
            Guard(context, owner, repo) ?? Ref(reference));
        api.MapGet("/repos/{owner}/{repo}/git/tags/{sha}", (HttpContext context, string owner, string repo, string sha) =>
            Guard(context, owner, repo) ?? TagObject(sha));
        api.MapGet("/repos/{owner}/{repo}/commits/{**reference}", (HttpContext context, string owner, string repo, string reference) =>
            Guard(context, owner, repo) ?? CommitSha(context, reference));
        api.MapGet("/repos/{owner}/{repo}/tarball/{**reference}", (HttpContext context, string owner, string repo, string reference) =>
            Guard(context, owner, repo) ?? Tarball(reference));
        api.MapGet("/repos/{owner}/{repo}/compare/{basehead}", (HttpContext context, string owner, string repo, string basehead) =>
            Guard(context, owner, repo) ?? Compare(context, basehead));
        api.MapGet("/repos/{owner}/{repo}/git/trees/{sha}", (HttpContext context, string owner, string repo, string sha) =>
            Guard(context, owner, repo) ?? Tree(sha));
        api.MapGet("/repos/{owner}/{repo}/branches", (HttpContext context, string owner, string repo) =>
            Guard(context, owner, repo, contents: false) ?? Branches(context));
    }

    private bool IsRepository(string owner, string repo) =>
        string.Equals(owner, _options.Owner, StringComparison.OrdinalIgnoreCase) && string.Equals(repo, _options.Name, StringComparison.OrdinalIgnoreCase);

    private static string? Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..]
            : header.StartsWith("token ", StringComparison.Ordinal) ? header[6..]
            : null;
    }

    private enum Caller
    {
        Anonymous,
        Invalid,
        Token,
        InstallationToken,
        TokenWithoutContents,
    }

    private Caller Identify(HttpContext context) => Bearer(context) switch
    {
        null => Caller.Anonymous,
        var token when _options.Tokens.Contains(token) => Caller.Token,
        var token when token == _options.TokenWithoutContents => Caller.TokenWithoutContents,
        var token when _installationTokens.TryGetValue(token, out var expires) && expires > _options.Clock.GetUtcNow() => Caller.InstallationToken,
        _ => Caller.Invalid,
    };

    // GitHub's answers for who may see what: 401 for bad credentials, 404 for a repository the caller may not see.
    private IResult? Guard(HttpContext context, string owner, string repo, bool contents = true)
    {
        var caller = Identify(context);
        if (caller == Caller.Invalid)
        {
            return Error(401, "Bad credentials");
        }

        if (!IsRepository(owner, repo) || (caller == Caller.Anonymous && _options.IsPrivate))
        {
            return Error(404, "Not Found");
        }

        if (contents && caller == Caller.TokenWithoutContents)
        {
            return Error(403, "Resource not accessible by personal access token");
        }

        return contents && _git.RevParse("HEAD") is null ? Error(409, "Git Repository is empty.") : null;
    }

    private async Task UserAsync(HttpContext context)
    {
        var caller = Identify(context);
        IResult result;
        if (caller is Caller.Invalid or Caller.Anonymous)
        {
            result = Error(401, caller == Caller.Anonymous ? "Requires authentication" : "Bad credentials");
        }
        else if (caller == Caller.InstallationToken)
        {
            result = Error(403, "Resource not accessible by integration");
        }
        else
        {
            if (caller == Caller.Token && _options.ClassicScopes is { } scopes)
            {
                context.Response.Headers["X-OAuth-Scopes"] = string.Join(", ", scopes);
            }

            result = Json(new { login = "codedoc-bot", id = 1 });
        }

        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    private IResult RateLimit(HttpContext context)
    {
        if (_options.RateLimitDisabled)
        {
            return Error(404, "Not Found");
        }

        if (Identify(context) == Caller.Invalid)
        {
            return Error(401, "Bad credentials");
        }

        var reset = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
        return Json(new { resources = new { core = new { limit = 5000, remaining = 4990, reset, used = 10 } }, rate = new { limit = 5000, remaining = 4990, reset } });
    }

    private IResult IssueInstallationToken(HttpContext context, long id)
    {
        if (!VerifyJwt(context))
        {
            return Error(401, "A JSON web token could not be decoded");
        }

        if (id != _options.InstallationId)
        {
            return Error(404, "Not Found");
        }

        var token = "ghs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        var expires = _options.Clock.GetUtcNow().Add(_options.InstallationTokenLifetime);
        _installationTokens[token] = expires;
        return Json(new { token, expires_at = expires.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) }, 201);
    }

    // RS256 over "header.payload" with the app's key; issued a minute early at most, valid for at most ten minutes.
    private bool VerifyJwt(HttpContext context)
    {
        if (_options.AppKey is not { } key || Bearer(context) is not { } jwt)
        {
            return false;
        }

        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        try
        {
            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!key.VerifyData(signed, System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return false;
            }

            using var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
            var root = payload.RootElement;
            var now = _options.Clock.GetUtcNow().ToUnixTimeSeconds();
            var issuedAt = root.GetProperty("iat").GetInt64();
            var expires = root.GetProperty("exp").GetInt64();
            var issuer = root.GetProperty("iss").ToString();
            return issuer == _options.AppId && issuedAt <= now + 60 && expires > now && expires - issuedAt <= 600;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException or CryptographicException)
        {
            return false;
        }
    }

    private IResult Repository()
    {
        var head = _git.RevParse("HEAD");
        return Json(new
        {
            id = 1296269,
            name = _options.Name,
            full_name = $"{_options.Owner}/{_options.Name}",
            @private = _options.IsPrivate,
            html_url = RepositoryUrl,
            description = "A repository served by the fake GitHub.",
            default_branch = head is null ? null : _git.Repository.Git("symbolic-ref", "--short", "HEAD"),
            archived = false,
            permissions = new { admin = false, push = false, pull = true },
        });
    }

    private IResult Ref(string reference)
    {
        if (!reference.StartsWith("heads/", StringComparison.Ordinal) && !reference.StartsWith("tags/", StringComparison.Ordinal))
        {
            return Error(404, "Not Found");
        }

        var full = "refs/" + reference;
        return _git.RevParse(full) is { } sha
            ? Json(new { @ref = full, node_id = "REF_1", @object = new { sha, type = _git.ObjectType(sha) } })
            : Error(404, "Not Found");
    }

    private IResult TagObject(string sha)
    {
        if (_git.RevParse(sha) is null || _git.ObjectType(sha) != "tag")
        {
            return Error(404, "Not Found");
        }

        var (target, type) = _git.TagTarget(sha);
        return Json(new { sha, tag = "tag", @object = new { sha = target, type } });
    }

    private IResult CommitSha(HttpContext context, string reference)
    {
        if (_git.Commit(reference) is not { } sha)
        {
            return Error(422, $"No commit found for SHA: {reference}");
        }

        return context.Request.Headers.Accept.ToString().Contains("application/vnd.github.sha", StringComparison.Ordinal)
            ? Results.Text(sha, "application/vnd.github.sha")
            : Json(new { sha });
    }

    private IResult Tarball(string reference)
    {
        if (_git.Commit(reference) is not { } sha)
        {
            return Error(404, "Not Found");
        }

        // Like codeload's address: a short-lived token in the query, nothing else needed.
        var download = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _downloadTokens[download] = sha;
        return Results.Redirect($"{_codeload.BaseAddress}{_options.Owner}/{_options.Name}/legacy.tar.gz/{sha}?token={download}");
    }

    private IResult CodeloadAsync(HttpContext context, string owner, string repo, string sha)
    {
        var token = context.Request.Query["token"].ToString();
        if (!_downloadTokens.TryRemove(token, out var allowed) || allowed != sha || !IsRepository(owner, repo))
        {
            return Results.NotFound();
        }

        var bytes = TarballOverride ?? _git.Repository.Archive("tar.gz", prefix: $"{_options.Owner}-{_options.Name}-{sha[..7]}/", treeish: sha);
        context.Response.Headers.ContentDisposition = $"attachment; filename={_options.Owner}-{_options.Name}-{sha[..7]}.tar.gz";
        return Results.Bytes(bytes, Gzip);
    }

    private IResult Compare(HttpContext context, string basehead)
    {
        var parts = basehead.Split("...");
        if (parts.Length != 2 || _git.Commit(parts[0]) is not { } baseSha || _git.Commit(parts[1]) is not { } headSha)
        {
            return Error(404, "Not Found");
        }

        if (_git.MergeBase(baseSha, headSha) is not { } mergeBase)
        {
            return Error(404, $"No common ancestor between {parts[0]} and {parts[1]}.");
        }

        var (ahead, behind) = _git.AheadBehind(baseSha, headSha);
        var status = baseSha == headSha ? "identical" : behind == 0 ? "ahead" : ahead == 0 ? "behind" : "diverged";
        var page = PageOf(context, out var perPage);
        var commits = _git.CommitsBetween(mergeBase, headSha);
        var pageCommits = commits.Skip((page - 1) * perPage).Take(perPage).Select(sha => new { sha }).ToList();
        if (page * perPage < commits.Count)
        {
            SetNextLink(context, page + 1, perPage);
        }

        // Three-dot: changes from the merge base, listed on the first page only and capped, as GitHub does.
        var files = page == 1
            ? _git.Diff(mergeBase, headSha).Take(_options.CompareFileCap).Select(ToFile).ToList()
            : [];
        return Json(new
        {
            status,
            ahead_by = ahead,
            behind_by = behind,
            total_commits = ahead,
            merge_base_commit = new { sha = mergeBase },
            commits = pageCommits,
            files,
        });
    }

    private static object ToFile(GitDiffEntry entry) => entry.Status switch
    {
        'A' => new { filename = entry.Path, status = "added" },
        'D' => new { filename = entry.Path, status = "removed" },
        'R' => new { filename = entry.Path, status = "renamed", previous_filename = entry.OldPath },
        'C' => new { filename = entry.Path, status = "copied", previous_filename = entry.OldPath },
        'T' => (object)new { filename = entry.Path, status = "changed" },
        _ => new { filename = entry.Path, status = "modified" },
    };

    private IResult Tree(string sha)
    {
        if (_git.Commit(sha) is not { } commit)
        {
            return Error(404, "Not Found");
        }

        var entries = _git.Tree(commit).Select(e => new { path = e.Path, mode = e.Mode, type = e.Type, sha = e.Sha }).ToList();
        return Json(new { sha = _git.RevParse(commit + "^{tree}"), tree = _options.TruncateTrees ? entries.Take(1).ToList() : entries, truncated = _options.TruncateTrees });
    }

    private IResult Branches(HttpContext context)
    {
        var page = PageOf(context, out var perPage);
        var branches = _git.Branches();
        if (page * perPage < branches.Count)
        {
            SetNextLink(context, page + 1, perPage);
        }

        return Json(branches.Skip((page - 1) * perPage).Take(perPage).Select(b => new { name = b.Name, commit = new { sha = b.Sha }, @protected = false }).ToList());
    }

    private static int PageOf(HttpContext context, out int perPage)
    {
        perPage = int.TryParse(context.Request.Query["per_page"], CultureInfo.InvariantCulture, out var size) ? Math.Clamp(size, 1, 100) : 30;
        return int.TryParse(context.Request.Query["page"], CultureInfo.InvariantCulture, out var page) && page > 0 ? page : 1;
    }

    private static void SetNextLink(HttpContext context, int page, int perPage)
    {
        var request = context.Request;
        var next = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?per_page={perPage}&page={page}";
        context.Response.Headers["Link"] = $"<{next}>; rel=\"next\"";
    }
}
