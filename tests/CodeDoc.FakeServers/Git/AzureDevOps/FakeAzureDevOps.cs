using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodeDoc.FakeServers.Git.AzureDevOps;

/// <summary>
/// A fake Azure DevOps Server below a virtual directory (<c>/tfs/</c>), serving a real repository in the Git REST
/// API's wire format: <c>{"count","value"}</c> lists paged with <c>x-ms-continuationtoken</c>, <c>refs?filter=</c>
/// prefix matches with <c>peelTags</c>, <c>items?$format=zip</c> at a commit, <c>diffs/commits</c> (merge base unless
/// <c>diffCommonCommit=false</c>, folders among the changes, <c>$top</c>/<c>$skip</c>), TF error bodies, the sign-in
/// page (203) when <c>X-TFS-FedAuthRedirect: Suppress</c> is missing, and throttling headers on successful responses.
/// </summary>
public sealed partial class FakeAzureDevOps : IAsyncDisposable
{
    /// <summary>The virtual directory the server is installed under.</summary>
    public const string VirtualDirectory = "tfs";

    /// <summary>The collection (organization on Services).</summary>
    public const string Collection = "acme";

    /// <summary>The project; its space must be escaped.</summary>
    public const string Project = "Sample Project";

    /// <summary>The repository name.</summary>
    public const string RepositoryName = "sample";

    /// <summary>The repository id.</summary>
    public const string RepositoryId = "278d5cd2-584d-4b63-824a-2ba458937249";

    private readonly HostedSampleRepository _repository;
    private int _throttledResponses;

    private FakeAzureDevOps(HostedSampleRepository repository) => _repository = repository;

    /// <summary>Gets the underlying server (requests, faults).</summary>
    public FakeHttpServer Server { get; private set; } = null!;

    /// <summary>Gets the address collections follow, ending with '/'.</summary>
    public Uri BaseAddress => new(Server.BaseAddress, VirtualDirectory + "/");

    /// <summary>Gets the repository's web URL.</summary>
    public string RepositoryUrl => new Uri(BaseAddress, $"{Collection}/{Uri.EscapeDataString(Project)}/_git/{RepositoryName}").AbsoluteUri;

    /// <summary>Gets or sets the only <c>Authorization</c> value accepted; <see langword="null"/> serves anonymous requests too.</summary>
    public string? AcceptedAuthorization { get; set; }

    /// <summary>Gets or sets bytes served as the zip instead of the real one (hostile archives).</summary>
    public ReadOnlyMemory<byte>? ZipBody { get; set; }

    /// <summary>Gets or sets the largest page of refs and changes, whatever <c>$top</c> asks for.</summary>
    public int MaxPageLength { get; set; } = 1000;

    /// <summary>Gets or sets the number of successful responses that carry <c>Retry-After</c> and <c>X-RateLimit-*</c> headers.</summary>
    public int ThrottledResponses
    {
        get => _throttledResponses;
        set => _throttledResponses = value;
    }

    /// <summary>Starts the fake.</summary>
    /// <param name="repository">The repository to serve.</param>
    /// <param name="options">Server options (HTTPS).</param>
    /// <returns>The fake.</returns>
    public static async Task<FakeAzureDevOps> StartAsync(HostedSampleRepository repository, FakeServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var fake = new FakeAzureDevOps(repository);
        fake.Server = await FakeHttpServer.StartAsync(app => app.Run(fake.HandleAsync), options).ConfigureAwait(false);
        return fake;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static Task ErrorAsync(HttpContext context, int status, string message, string typeKey)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["$id"] = "1",
            ["innerException"] = null,
            ["message"] = message,
            ["typeName"] = $"Microsoft.TeamFoundation.Git.Server.{typeKey}, Microsoft.TeamFoundation.Git.Server",
            ["typeKey"] = typeKey,
            ["errorCode"] = 0,
            ["eventId"] = 3000,
        });
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Sha();

    private async Task HandleAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments is ["_signin", ..])
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync("<html><body>Sign in to Azure DevOps</body></html>").ConfigureAwait(false);
            return;
        }

        if (AcceptedAuthorization is not null && context.Request.Headers.Authorization.ToString() != AcceptedAuthorization)
        {
            if (context.Request.Headers["X-TFS-FedAuthRedirect"] != "Suppress")
            {
                context.Response.StatusCode = 203;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync("<html><body>Azure DevOps Services | Sign In</body></html>").ConfigureAwait(false);
                return;
            }

            await ErrorAsync(context, 401, "TF400813: The user '' is not authorized to access this resource.", "UnauthorizedRequestException").ConfigureAwait(false);
            return;
        }

        if (Interlocked.Decrement(ref _throttledResponses) >= 0)
        {
            context.Response.Headers.RetryAfter = "2";
            context.Response.Headers["X-RateLimit-Resource"] = "Core";
            context.Response.Headers["X-RateLimit-Delay"] = "0.5";
            context.Response.Headers["X-RateLimit-Limit"] = "200";
            context.Response.Headers["X-RateLimit-Remaining"] = "0";
            context.Response.Headers["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            Interlocked.Exchange(ref _throttledResponses, 0);
        }

        switch (segments)
        {
            case [VirtualDirectory, Collection, "_apis", "connectionData"]:
                await context.Response.WriteAsJsonAsync(new { authenticatedUser = new { id = "a56cba4a-dc80-4dd2-91fa-6fe7047fea7c", providerDisplayName = "Sample User" } }).ConfigureAwait(false);
                return;
            case [VirtualDirectory, Collection, Project, "_apis", "git", "repositories", var repository, .. var rest]
                when repository is RepositoryName or RepositoryId:
                await RepositoryAsync(context, rest).ConfigureAwait(false);
                return;
            case [VirtualDirectory, Collection, _, "_apis", "git", "repositories", var repository, ..]:
                await ErrorAsync(context, 404, $"TF401019: The Git repository with name or identifier {repository} does not exist or you do not have permissions for the operation you are attempting.", "GitRepositoryNotFoundException").ConfigureAwait(false);
                return;
            default:
                await ErrorAsync(context, 404, "TF400898: An Internal Error Occurred.", "NotFoundException").ConfigureAwait(false);
                return;
        }
    }

    private async Task RepositoryAsync(HttpContext context, string[] rest)
    {
        var facts = _repository.Facts;
        var query = context.Request.Query;
        if (string.IsNullOrEmpty(query["api-version"]))
        {
            await ErrorAsync(context, 400, "VS800075: The project with id ... No api-version was supplied for the GET request.", "VssVersionNotSpecifiedException").ConfigureAwait(false);
            return;
        }

        switch (rest)
        {
            case []:
                await context.Response.WriteAsJsonAsync(new
                {
                    id = RepositoryId,
                    name = RepositoryName,
                    url = new Uri(BaseAddress, $"{Collection}/_apis/git/repositories/{RepositoryId}").AbsoluteUri,
                    project = new { id = "be9b3917-87e6-42a4-a549-2bc06a7a878f", name = Project, state = "wellFormed" },
                    defaultBranch = "refs/heads/" + facts.DefaultBranch,
                    size = 1024,
                    remoteUrl = RepositoryUrl,
                    webUrl = RepositoryUrl,
                    isDisabled = false,
                }).ConfigureAwait(false);
                return;
            case ["refs"]:
                var filter = "refs/" + query["filter"];
                var peel = string.Equals(query["peelTags"], "true", StringComparison.OrdinalIgnoreCase);
                var refs = facts.Refs().Where(r => r.Name.StartsWith(filter, StringComparison.Ordinal)).Select(r => (object)new
                {
                    name = r.Name,
                    objectId = r.ObjectId,
                    peeledObjectId = peel && r.ObjectId != r.CommitId ? r.CommitId : null,
                    creator = new { displayName = "Sample User" },
                    url = new Uri(BaseAddress, $"{Collection}/_apis/git/repositories/{RepositoryId}/refs?filter={Uri.EscapeDataString(r.Name[5..])}").AbsoluteUri,
                }).ToList();
                await ContinuationPageAsync(context, refs).ConfigureAwait(false);
                return;
            case ["commits", var id]:
                if (Sha().IsMatch(id) && facts.ResolveCommit(id) is { } commit)
                {
                    await context.Response.WriteAsJsonAsync(new { commitId = commit, comment = "a commit" }).ConfigureAwait(false);
                }
                else
                {
                    await ErrorAsync(context, 404, $"TF401175:The version descriptor <Commit: {id}> could not be resolved to a version in the repository {RepositoryName}", "GitUnresolvableToCommitException").ConfigureAwait(false);
                }

                return;
            case ["diffs", "commits"]:
                await DiffsAsync(context).ConfigureAwait(false);
                return;
            case ["items"]:
                await ItemsAsync(context).ConfigureAwait(false);
                return;
            default:
                await ErrorAsync(context, 404, "TF400898: An Internal Error Occurred.", "NotFoundException").ConfigureAwait(false);
                return;
        }
    }

    private async Task ItemsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["$format"] != "zip" || query["path"] != "/" || query["versionDescriptor.versionType"] != "commit")
        {
            await ErrorAsync(context, 400, "The fake serves only the zip of the root at a commit.", "InvalidArgumentValueException").ConfigureAwait(false);
            return;
        }

        if (_repository.Facts.ResolveCommit(query["versionDescriptor.version"].ToString()) is not { } commit)
        {
            await ErrorAsync(context, 404, "TF401175: The version descriptor could not be resolved to a version in the repository.", "GitUnresolvableToCommitException").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/zip";
        context.Response.Headers.ContentDisposition = $"attachment; filename={RepositoryName}.zip";
        await context.Response.Body.WriteAsync(ZipBody ?? _repository.Facts.Archive("zip", commit)).ConfigureAwait(false);
    }

    private async Task DiffsAsync(HttpContext context)
    {
        var facts = _repository.Facts;
        var query = context.Request.Query;
        if (facts.ResolveCommit(query["baseVersion"].ToString()) is not { } baseCommit || facts.ResolveCommit(query["targetVersion"].ToString()) is not { } target)
        {
            await ErrorAsync(context, 404, "TF401175: The version descriptor could not be resolved to a version in the repository.", "GitUnresolvableToCommitException").ConfigureAwait(false);
            return;
        }

        var common = facts.MergeBase(baseCommit, target);
        var from = string.Equals(query["diffCommonCommit"], "false", StringComparison.OrdinalIgnoreCase) ? baseCommit : common ?? baseCommit;
        var files = facts.Diff(from, target);
        var all = new List<object>();
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in files)
        {
            var parent = change.Path.Contains('/', StringComparison.Ordinal) ? change.Path[..change.Path.LastIndexOf('/')] : null;
            if (parent is not null && folders.Add(parent))
            {
                all.Add(new { item = new { objectId = "0000000000000000000000000000000000000000", gitObjectType = "tree", path = "/" + parent, isFolder = true }, changeType = "edit" });
            }

            all.Add(change.Status switch
            {
                'A' => (object)new { item = new { gitObjectType = "blob", path = "/" + change.Path }, changeType = "add" },
                'D' => new { item = new { gitObjectType = "blob", path = "/" + change.Path }, changeType = "delete" },
                'R' => new { item = new { gitObjectType = "blob", path = "/" + change.Path }, changeType = "rename", originalPath = "/" + change.OldPath },
                _ => new { item = new { gitObjectType = "blob", path = "/" + change.Path }, changeType = "edit" },
            });
        }

        var top = Math.Clamp(int.TryParse(query["$top"], out var asked) ? asked : 100, 1, MaxPageLength);
        var skip = int.TryParse(query["$skip"], out var skipped) ? skipped : 0;
        await context.Response.WriteAsJsonAsync(new
        {
            allChangesIncluded = skip + top >= all.Count,
            changeCounts = files.GroupBy(f => f.Status switch { 'A' => "Add", 'D' => "Delete", 'R' => "Rename", _ => "Edit" }).ToDictionary(g => g.Key, g => g.Count()),
            changes = all.Skip(skip).Take(top),
            commonCommit = common,
            baseCommit,
            targetCommit = target,
            aheadCount = facts.CommitsBetween(target, baseCommit).Count,
            behindCount = facts.CommitsBetween(baseCommit, target).Count,
        }).ConfigureAwait(false);
    }

    private async Task ContinuationPageAsync(HttpContext context, List<object> all)
    {
        var query = context.Request.Query;
        var top = Math.Clamp(int.TryParse(query["$top"], out var asked) ? asked : 1000, 1, MaxPageLength);
        var start = int.TryParse(query["continuationToken"], out var token) ? token : 0;
        var values = all.Skip(start).Take(top).ToList();
        if (start + values.Count < all.Count)
        {
            context.Response.Headers["x-ms-continuationtoken"] = (start + values.Count).ToString(CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsJsonAsync(new { value = values, count = values.Count }).ConfigureAwait(false);
    }
}
