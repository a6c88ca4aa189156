using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CodeDoc.Core;
using CodeDoc.Transport;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.Bitbucket.Cloud;

/// <summary>
/// Bitbucket Cloud through its REST API 2.0. Refs are resolved to SHAs first; the tree at a SHA comes from the web
/// archive (<c>/{workspace}/{repo}/get/{sha}.tar.gz</c>) when Bitbucket serves it to these credentials, and otherwise
/// from a walk of <c>/src/{sha}/</c> (see <see cref="CloudTreeWalk"/>). Compares use <c>diffstat/{new}..{old}</c> with
/// <c>topic=false</c>, the reverse of <c>git diff</c>'s order.
/// </summary>
internal sealed partial class BitbucketCloudProvider : IGitProvider
{
    private const string WorkspaceProperty = "workspace";
    private const string SlugProperty = "slug";
    private const int PageLength = 100;

    // Bitbucket's own page size for diffstat is 500; larger is refused.
    private const int DiffStatPageLength = 500;

    private readonly BitbucketConnection _connection;
    private readonly IBitbucketCloudApi _api;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="BitbucketCloudProvider"/> class.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="connection">The connection.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="time">The clock, for the tree walk's estimate.</param>
    public BitbucketCloudProvider(string name, BitbucketConnection connection, ILogger logger, TimeProvider time)
    {
        _connection = connection;
        _api = connection.CreateApi<IBitbucketCloudApi>();
        _logger = logger;
        _time = time;
        Metadata = new ProviderMetadata(name, BitbucketProviders.Kind, "Bitbucket Cloud", connection.Endpoints.ApiAddress);
    }

    /// <inheritdoc />
    public ProviderMetadata Metadata { get; }

    private Uri Web => _connection.Endpoints.WebAddress;

    /// <inheritdoc />
    public bool TryParseRepository(string location, [NotNullWhen(true)] out RepositoryReference? repository)
    {
        ArgumentNullException.ThrowIfNull(location);
        repository = null;
        if (RemoteLocation.Parse(location) is not { } remote)
        {
            return false;
        }

        IReadOnlyList<string>? rest = null;
        if (remote.IsWebOn(Web))
        {
            rest = remote.After(Web);
        }
        else if (remote.IsWebOn(_connection.Endpoints.ApiAddress) && remote.After(_connection.Endpoints.ApiAddress) is { Count: > 0 } apiPath && apiPath[0] == "repositories")
        {
            rest = [.. apiPath.Skip(1)];
        }
        else if (remote.IsSsh && string.Equals(remote.Host, Web.IdnHost, StringComparison.OrdinalIgnoreCase))
        {
            rest = remote.Segments;
        }

        if (rest is not [var workspace, var repo, ..])
        {
            return false;
        }

        var slug = RemoteLocation.WithoutGitSuffix(repo);
        if (!Name().IsMatch(workspace) || !Name().IsMatch(slug))
        {
            return false;
        }

        workspace = workspace.ToLowerInvariant();
        slug = slug.ToLowerInvariant();
        repository = new RepositoryReference(remote.Display, $"{Web.Authority.ToLowerInvariant()}/{workspace}/{slug}", $"{workspace}/{slug}")
        {
            ProviderName = Metadata.Name,
            Properties = new Dictionary<string, string>(StringComparer.Ordinal) { [WorkspaceProperty] = workspace, [SlugProperty] = slug },
        };
        return true;
    }

    /// <inheritdoc />
    public async Task<AccessCheckResult> CheckAccessAsync(RepositoryReference? repository, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var checks = new List<AccessCheckItem>();
        var credentials = _connection.Credentials;
        if (!credentials.IsSet)
        {
            checks.Add(new("Credentials", true, "No token is set: only public repositories can be read, at 60 requests per hour. Set Token (and Email for an API token) for private repositories."));
        }
        else if (repository is not null && credentials.IsAccessToken)
        {
            checks.Add(new("Credentials", true, "An access token is set; it is checked against the repository below (access tokens cannot read a user profile)."));
        }
        else if (await CheckCredentialsAsync(cancellationToken).ConfigureAwait(false) is { } credentialCheck)
        {
            checks.Add(credentialCheck);
            if (!credentialCheck.Passed)
            {
                return new AccessCheckResult(checks);
            }
        }

        if (repository is null)
        {
            return new AccessCheckResult(checks);
        }

        var (workspace, slug) = Parts(repository);
        CloudRepository info;
        try
        {
            info = await _connection.CallAsync("CheckAccess", Describe(repository), ct => _api.GetRepositoryAsync(workspace, slug, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("Repository", false, ex.Message));
            return new AccessCheckResult(checks);
        }

        var visibility = info.IsPrivate == true ? "private" : "public";
        checks.Add(new("Repository", true, $"'{info.FullName ?? repository.DisplayName}' is visible to {credentials.Description} ({visibility})."));
        if (info.MainBranch?.Name is not { Length: > 0 } mainBranch)
        {
            checks.Add(new("Contents", false, $"{repository.DisplayName} is empty (it has no main branch): push a commit first."));
            return new AccessCheckResult(checks);
        }

        try
        {
            await _connection.CallAsync("CheckAccess", $"the file list of {Describe(repository)}", ct => _api.ListDirectoryAsync(workspace, slug, mainBranch, string.Empty, 1, ct), cancellationToken).ConfigureAwait(false);
            checks.Add(new("Contents", true, $"The files of branch '{mainBranch}' can be read. Trees are read from the web archive when Bitbucket serves it, otherwise file by file."));
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("Contents", false, ex.Message));
        }

        return new AccessCheckResult(checks);
    }

    /// <inheritdoc />
    public async Task<RepositoryInfo> GetRepositoryAsync(RepositoryReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var (workspace, slug) = Parts(repository);
        var info = await _connection.CallAsync("GetRepository", Describe(repository), ct => _api.GetRepositoryAsync(workspace, slug, ct), cancellationToken).ConfigureAwait(false);
        var webUrl = Uri.TryCreate(info.Links?.Html?.Href, UriKind.Absolute, out var html) ? html : new Uri(Web, $"{Uri.EscapeDataString(workspace)}/{Uri.EscapeDataString(slug)}");
        return new RepositoryInfo(repository, info.Name ?? slug, info.MainBranch?.Name, webUrl)
        {
            Description = string.IsNullOrWhiteSpace(info.Description) ? null : info.Description,
            IsPrivate = info.IsPrivate,
        };
    }

    /// <inheritdoc />
    public async Task<ResolvedRef> ResolveRefAsync(RepositoryReference repository, string? reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var (workspace, slug) = Parts(repository);
        ResolvedRef resolved;
        if (string.IsNullOrWhiteSpace(reference))
        {
            var info = await _connection.CallAsync("ResolveRef", Describe(repository), ct => _api.GetRepositoryAsync(workspace, slug, ct), cancellationToken).ConfigureAwait(false);
            var main = info.MainBranch?.Name is { Length: > 0 } name
                ? name
                : throw NotFound($"{repository.DisplayName} on Bitbucket Cloud is empty: it has no main branch. Push a commit, or give a ref.");
            resolved = await BranchAsync(repository, main, cancellationToken).ConfigureAwait(false)
                ?? throw NotFound($"The main branch '{main}' of {repository.DisplayName} does not exist on Bitbucket Cloud.");
        }
        else
        {
            resolved = await ResolveNamedAsync(repository, reference.Trim(), cancellationToken).ConfigureAwait(false);
        }

        Log.RefResolved(_logger, Metadata.Name, repository.Id, resolved.Reference, resolved.CommitSha, resolved.Kind);
        return resolved;
    }

    /// <inheritdoc />
    public async Task<RepositoryTree> OpenTreeAsync(RepositoryReference repository, string commitSha, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        Shas.ThrowIfInvalid(commitSha, nameof(commitSha));
        var (workspace, slug) = Parts(repository);
        var subject = $"the archive of {Describe(repository)} at {commitSha}";

        // The web archive is not part of the REST API and its handling of tokens differs by token type: take it when
        // it is a gzip stream, and walk the tree on any refusal (a login page, 401/403/404) except a rate limit.
        var archive = new Uri(Web, $"{Uri.EscapeDataString(workspace)}/{Uri.EscapeDataString(slug)}/get/{commitSha}.tar.gz");
        string reason;
        try
        {
            var response = await _connection.SendAsync("OpenTree", subject, archive, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                using (response)
                {
                    throw await _connection.FromResponseAsync("OpenTree", subject, response, cancellationToken).ConfigureAwait(false);
                }
            }

            if (response.IsSuccessStatusCode)
            {
                var content = await PeekedStream.PeekAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), 2, cancellationToken).ConfigureAwait(false);
                if (content.Head.Span is [0x1f, 0x8b])
                {
                    Log.TreeOpened(_logger, Metadata.Name, repository.Id, commitSha, "the web archive");

                    // Bitbucket wraps the archive in one folder ({workspace}-{repo}-{sha12}/ by reports); the reader strips whatever it is.
                    return new ArchiveRepositoryTree(commitSha, content, ArchiveFormat.TarGz, hasTopLevelFolder: true);
                }

                await content.DisposeAsync().ConfigureAwait(false);
                reason = $"it answered {response.Content.Headers.ContentType?.MediaType ?? "an unknown type"} instead of a gzip archive";
            }
            else
            {
                reason = $"it answered {(int)response.StatusCode}";
            }

            response.Dispose();
        }
        catch (GitProviderException ex) when (ex is not GitProviderRateLimitedException)
        {
            reason = ex.Message;
        }

        Log.WebArchiveUnavailable(_logger, Metadata.Name, repository.Id, reason);
        var walk = new CloudTreeWalk(_connection, _api, workspace, slug, commitSha, Describe(repository), _time);
        var tree = await walk.ListAsync(cancellationToken).ConfigureAwait(false);
        Log.TreeWalkPlanned(_logger, Metadata.Name, repository.Id, walk.FileCount, walk.DirectoryCount, walk.RequestsNeeded, _connection.HourlyRequestLimit, walk.Estimate);
        Log.TreeOpened(_logger, Metadata.Name, repository.Id, commitSha, "a walk of /src");
        return tree;
    }

    /// <inheritdoc />
    public async Task<CommitComparison> CompareAsync(RepositoryReference repository, string baseSha, string headSha, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        Shas.ThrowIfInvalid(baseSha, nameof(baseSha));
        Shas.ThrowIfInvalid(headSha, nameof(headSha));
        cancellationToken.ThrowIfCancellationRequested();
        if (string.Equals(baseSha, headSha, StringComparison.OrdinalIgnoreCase))
        {
            return new CommitComparison(baseSha, headSha, [], IsComplete: true);
        }

        var (workspace, slug) = Parts(repository);
        var subject = $"the changes {baseSha}..{headSha} of {Describe(repository)}";

        // Bitbucket compares in the reverse order of git diff, and against the merge base unless topic=false.
        var changes = new List<ChangedPath>();
        string? incomplete = null;
        try
        {
            var page = await _connection.CallAsync("Compare", subject, ct => _api.GetDiffStatAsync(workspace, slug, $"{headSha}..{baseSha}", "false", DiffStatPageLength, ct), cancellationToken).ConfigureAwait(false);
            while (true)
            {
                changes.AddRange((page.Values ?? []).Select(v => ToChange(v) ?? throw _connection.Malformed("Compare", subject, "a change has no path")));
                if (page.Next is not { Length: > 0 } next)
                {
                    break;
                }

                page = await _connection.GetJsonAsync<CloudPage<CloudDiffStat>>("Compare", subject, next, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (GitProviderException ex) when (ex.StatusCode == (HttpStatusCode)555)
        {
            incomplete = "Bitbucket Cloud timed out computing the diff (555), so the list of changes is partial";
        }

        if (incomplete is null && !await IsAncestorAsync(workspace, slug, baseSha, headSha, subject, cancellationToken).ConfigureAwait(false))
        {
            incomplete = $"{baseSha} is not an ancestor of {headSha} (a force push or diverged branches)";
        }

        if (incomplete is null)
        {
            Log.Compared(_logger, Metadata.Name, repository.Id, baseSha, headSha, changes.Count);
        }
        else
        {
            Log.CompareIncomplete(_logger, Metadata.Name, repository.Id, baseSha, headSha, incomplete);
        }

        return new CommitComparison(baseSha, headSha, changes, incomplete is null, incomplete);
    }

    /// <inheritdoc />
    /// <remarks>Bitbucket Cloud's scheme: <c>https://bitbucket.org/{workspace}/{repo}/src/{sha}/{path}#lines-10:20</c>.</remarks>
    public string GetPermalink(RepositoryReference repository, string commitSha, string path, LineRange? lines = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(commitSha);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (workspace, slug) = Parts(repository);
        var link = new Uri(Web, $"{Uri.EscapeDataString(workspace)}/{Uri.EscapeDataString(slug)}/src/{Uri.EscapeDataString(commitSha)}/{EscapePath(path)}").AbsoluteUri;
        return lines is { } range
            ? range.Start == range.End ? $"{link}#lines-{range.Start}" : $"{link}#lines-{range.Start}:{range.End}"
            : link;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<BranchInfo> ListBranchesAsync(RepositoryReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return ListBranchesCoreAsync(repository, cancellationToken);
    }

    /// <summary>Escapes each segment of a repository path for a URL, keeping the slashes.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The escaped path.</returns>
    internal static string EscapePath(string path) =>
        string.Join('/', path.Replace('\\', '/').Trim('/').Split('/').Select(Uri.EscapeDataString));

    private static (string Workspace, string Slug) Parts(RepositoryReference repository) =>
        repository.Properties.TryGetValue(WorkspaceProperty, out var workspace) && repository.Properties.TryGetValue(SlugProperty, out var slug)
            ? (workspace, slug)
            : throw new ArgumentException($"'{repository.Id}' was not parsed by a Bitbucket Cloud provider: resolve it with TryParseRepository first.", nameof(repository));

    private static string Describe(RepositoryReference repository) => $"the repository '{repository.DisplayName}'";

    private static ChangedPath? ToChange(CloudDiffStat stat)
    {
        var newPath = stat.New?.Path;
        var oldPath = stat.Old?.Path;
        return stat.Status switch
        {
            "added" when newPath is not null => new ChangedPath(newPath, ChangeKind.Added),
            "removed" when oldPath is not null => new ChangedPath(oldPath, ChangeKind.Deleted),
            "renamed" when newPath is not null && oldPath is not null && oldPath != newPath => new ChangedPath(newPath, ChangeKind.Renamed, oldPath),

            // "modified", a rename without a move, and the conflict states ("merge conflict", "local deleted", ...)
            // all mean the path's content differs.
            _ when (newPath ?? oldPath) is { } path => new ChangedPath(path, ChangeKind.Modified),
            _ => null,
        };
    }

    [GeneratedRegex(@"^(\{[0-9A-Fa-f-]{36}\}|[A-Za-z0-9_][A-Za-z0-9_.-]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    private async Task<AccessCheckItem> CheckCredentialsAsync(CancellationToken cancellationToken)
    {
        var credentials = _connection.Credentials;
        try
        {
            var user = await _connection.CallAsync("CheckAccess", "the authenticated user", ct => _api.GetUserAsync(ct), cancellationToken).ConfigureAwait(false);
            return new("Credentials", true, $"Bitbucket Cloud accepts {credentials.Description} (account '{user.DisplayName ?? user.AccountId ?? "unknown"}').");
        }
        catch (GitProviderAuthenticationException ex) when (credentials.IsAccessToken && ex.StatusCode == HttpStatusCode.Forbidden)
        {
            return new("Credentials", true, "Bitbucket Cloud accepts the access token (it may not read a user profile, as expected of repository, project and workspace access tokens); check access with a repository URL to test its permissions.");
        }
        catch (GitProviderException ex)
        {
            var hint = credentials.IsAccessToken && ex.StatusCode == HttpStatusCode.Unauthorized
                ? " If this is a repository, project or workspace access token, it may be unable to read /user: check access with a repository URL to be sure."
                : string.Empty;
            return new("Credentials", false, ex.Message + hint);
        }
    }

    private async Task<ResolvedRef> ResolveNamedAsync(RepositoryReference repository, string reference, CancellationToken cancellationToken)
    {
        if (reference.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            return await BranchAsync(repository, reference["refs/heads/".Length..], cancellationToken).ConfigureAwait(false) ?? throw UnknownRef(repository, reference);
        }

        if (reference.StartsWith("refs/tags/", StringComparison.Ordinal))
        {
            return await TagAsync(repository, reference["refs/tags/".Length..], cancellationToken).ConfigureAwait(false) ?? throw UnknownRef(repository, reference);
        }

        if (Shas.IsFull(reference))
        {
            return await CommitAsync(repository, reference, cancellationToken).ConfigureAwait(false) ?? throw UnknownRef(repository, reference);
        }

        return await BranchAsync(repository, reference, cancellationToken).ConfigureAwait(false)
            ?? await TagAsync(repository, reference, cancellationToken).ConfigureAwait(false)
            ?? (Shas.IsAbbreviation(reference) ? await CommitAsync(repository, reference, cancellationToken).ConfigureAwait(false) : null)
            ?? throw UnknownRef(repository, reference);
    }

    private Task<ResolvedRef?> BranchAsync(RepositoryReference repository, string name, CancellationToken cancellationToken) =>
        FindAsync(repository, $"the branch '{name}' of {Describe(repository)}", RefKind.Branch, name, (w, s, ct) => _api.GetBranchAsync(w, s, name, ct), r => r.Target?.Hash, cancellationToken);

    private Task<ResolvedRef?> TagAsync(RepositoryReference repository, string name, CancellationToken cancellationToken) =>
        FindAsync(repository, $"the tag '{name}' of {Describe(repository)}", RefKind.Tag, name, (w, s, ct) => _api.GetTagAsync(w, s, name, ct), r => r.Target?.Hash, cancellationToken);

    private Task<ResolvedRef?> CommitAsync(RepositoryReference repository, string sha, CancellationToken cancellationToken) =>
        FindAsync(repository, $"the commit {sha} of {Describe(repository)}", RefKind.Commit, sha, (w, s, ct) => _api.GetCommitAsync(w, s, sha, ct), c => c.Hash, cancellationToken);

    private async Task<ResolvedRef?> FindAsync<T>(
        RepositoryReference repository,
        string subject,
        RefKind kind,
        string reference,
        Func<string, string, CancellationToken, Task<T>> call,
        Func<T, string?> sha,
        CancellationToken cancellationToken)
    {
        var (workspace, slug) = Parts(repository);
        try
        {
            var found = await _connection.CallAsync("ResolveRef", subject, ct => call(workspace, slug, ct), cancellationToken).ConfigureAwait(false);
            return Shas.IsFull(sha(found))
                ? new ResolvedRef(reference, sha(found)!.ToLowerInvariant(), kind)
                : throw _connection.Malformed("ResolveRef", subject, "it has no full commit hash");
        }
        catch (GitProviderNotFoundException)
        {
            return null;
        }
    }

    private async Task<bool> IsAncestorAsync(string workspace, string slug, string baseSha, string headSha, string subject, CancellationToken cancellationToken)
    {
        // Commits reachable from base but not from head: none exactly when base is an ancestor of head.
        var page = await _connection.CallAsync("Compare", subject, ct => _api.ListCommitsAsync(workspace, slug, baseSha, headSha, 1, ct), cancellationToken).ConfigureAwait(false);
        return page.Values is not { Count: > 0 };
    }

    private async IAsyncEnumerable<BranchInfo> ListBranchesCoreAsync(RepositoryReference repository, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (workspace, slug) = Parts(repository);
        var subject = $"the branches of {Describe(repository)}";
        var info = await _connection.CallAsync("ListBranches", Describe(repository), ct => _api.GetRepositoryAsync(workspace, slug, ct), cancellationToken).ConfigureAwait(false);
        var page = await _connection.CallAsync("ListBranches", subject, ct => _api.ListBranchesAsync(workspace, slug, PageLength, ct), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            foreach (var branch in page.Values ?? [])
            {
                if (branch.Name is { Length: > 0 } name && Shas.IsFull(branch.Target?.Hash))
                {
                    yield return new BranchInfo(name, branch.Target!.Hash!.ToLowerInvariant(), name == info.MainBranch?.Name);
                }
            }

            if (page.Next is not { Length: > 0 } next)
            {
                yield break;
            }

            page = await _connection.GetJsonAsync<CloudPage<CloudRef>>("ListBranches", subject, next, cancellationToken).ConfigureAwait(false);
        }
    }

    private GitProviderNotFoundException UnknownRef(RepositoryReference repository, string reference) =>
        NotFound($"'{reference}' is not a branch, tag or commit of {repository.DisplayName} on Bitbucket Cloud. Check the name (branch and tag names are case-sensitive), or list the branches.");

    private GitProviderNotFoundException NotFound(string message) =>
        new(message) { ProviderName = Metadata.Name, OperationName = "ResolveRef" };
}
