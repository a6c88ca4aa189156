using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.Bitbucket.DataCenter;

/// <summary>
/// Bitbucket Data Center (and Server) through <c>rest/api/latest</c> below the configured address and context path.
/// The tree at a SHA is one <c>archive?format=tar.gz</c> request, whose entries have no top-level folder (no
/// <c>prefix</c> is asked for). Compares use <c>compare/changes</c> with from = new and to = old.
/// </summary>
internal sealed partial class BitbucketDataCenterProvider : IGitProvider
{
    private const string ProjectProperty = "project";
    private const string SlugProperty = "slug";
    private const int PageLength = 100;
    private const int ChangesPageLength = 1000;

    private readonly BitbucketConnection _connection;
    private readonly IBitbucketDataCenterApi _api;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="BitbucketDataCenterProvider"/> class.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="connection">The connection.</param>
    /// <param name="logger">The logger.</param>
    public BitbucketDataCenterProvider(string name, BitbucketConnection connection, ILogger logger)
    {
        _connection = connection;
        _api = connection.CreateApi<IBitbucketDataCenterApi>();
        _logger = logger;
        Metadata = new ProviderMetadata(name, BitbucketProviders.Kind, $"Bitbucket Data Center ({connection.Endpoints.WebAddress.Authority})", connection.Endpoints.WebAddress);
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

        (string Key, string Slug)? parts = null;
        if (remote.IsWebOn(Web))
        {
            parts = remote.After(Web) switch
            {
                ["projects", var key, "repos", var slug, ..] => (key, slug),
                ["users", var user, "repos", var slug, ..] => ("~" + user, slug),
                ["scm", var key, var slug, ..] => (key, RemoteLocation.WithoutGitSuffix(slug)),
                _ => null,
            };
        }
        else if (remote.IsSsh && string.Equals(remote.Host, Web.IdnHost, StringComparison.OrdinalIgnoreCase) && remote.Segments is [var key, var slug])
        {
            // ssh://git@host:7999/key/slug.git: Data Center's SSH port differs from the web port, and has no context path.
            parts = (key, RemoteLocation.WithoutGitSuffix(slug));
        }

        if (parts is not var (rawKey, rawSlug) || !Key().IsMatch(rawKey) || !Slug().IsMatch(rawSlug))
        {
            return false;
        }

        var projectKey = rawKey.StartsWith('~') ? rawKey.ToLowerInvariant() : rawKey.ToUpperInvariant();
        var repositorySlug = rawSlug.ToLowerInvariant();
        var root = Web.GetComponents(UriComponents.HostAndPort | UriComponents.Path, UriFormat.Unescaped).TrimEnd('/').ToLowerInvariant();
        repository = new RepositoryReference(remote.Display, $"{root}/projects/{projectKey}/repos/{repositorySlug}", $"{projectKey}/{repositorySlug}")
        {
            ProviderName = Metadata.Name,
            Properties = new Dictionary<string, string>(StringComparer.Ordinal) { [ProjectProperty] = projectKey, [SlugProperty] = repositorySlug },
        };
        return true;
    }

    /// <inheritdoc />
    public async Task<AccessCheckResult> CheckAccessAsync(RepositoryReference? repository, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var checks = new List<AccessCheckItem>();
        try
        {
            var server = await _connection.CallAsync("CheckAccess", "the server's application properties", ct => _api.GetApplicationPropertiesAsync(ct), cancellationToken).ConfigureAwait(false);
            checks.Add(new("Server", true, $"{server.DisplayName ?? "Bitbucket"} {server.Version} answers at {EndpointRules.SafeDisplay(Web)}."));
        }
        catch (GitProviderNotFoundException)
        {
            checks.Add(new("Server", false, $"{EndpointRules.SafeDisplay(Web)} does not answer like Bitbucket Data Center (rest/api/latest/application-properties is missing): check BaseAddress and its context path (e.g. https://host/bitbucket/)."));
            return new AccessCheckResult(checks);
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("Server", false, ex.Message));
            return new AccessCheckResult(checks);
        }

        var credentials = _connection.Credentials;
        if (!credentials.IsSet)
        {
            checks.Add(new("Credentials", true, "No token is set: only repositories open to anonymous users can be read. Set Token to an HTTP access token for the others."));
        }
        else
        {
            try
            {
                var user = await _connection.CallAsync("CheckAccess", "the repository list", AuthenticatedUserAsync, cancellationToken).ConfigureAwait(false);
                checks.Add(new("Credentials", true, user is null
                    ? $"Bitbucket Data Center accepts {credentials.Description}."
                    : $"Bitbucket Data Center accepts {credentials.Description} (user '{user}')."));
            }
            catch (GitProviderException ex)
            {
                checks.Add(new("Credentials", false, ex.Message));
                return new AccessCheckResult(checks);
            }
        }

        if (repository is null)
        {
            return new AccessCheckResult(checks);
        }

        var (key, slug) = Parts(repository);
        try
        {
            var info = await _connection.CallAsync("CheckAccess", Describe(repository), ct => _api.GetRepositoryAsync(key, slug, ct), cancellationToken).ConfigureAwait(false);
            checks.Add(new("Repository", true, $"'{info.Project?.Key}/{info.Slug}' is visible to {credentials.Description} ({(info.Public == true ? "public" : "private")})."));
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("Repository", false, ex.Message));
            return new AccessCheckResult(checks);
        }

        try
        {
            var main = await DefaultBranchAsync(key, slug, repository, cancellationToken).ConfigureAwait(false);
            checks.Add(main is null
                ? new("Contents", false, $"{repository.DisplayName} is empty (it has no default branch): push a commit first.")
                : new("Contents", true, $"The default branch '{main.DisplayId}' is at {main.LatestCommit}; trees are read as one tar.gz archive."));
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
        var (key, slug) = Parts(repository);
        var info = await _connection.CallAsync("GetRepository", Describe(repository), ct => _api.GetRepositoryAsync(key, slug, ct), cancellationToken).ConfigureAwait(false);
        var main = await DefaultBranchAsync(key, slug, repository, cancellationToken).ConfigureAwait(false);
        var self = info.Links?.Self is { Count: > 0 } links ? links[0].Href : null;
        var webUrl = Uri.TryCreate(self, UriKind.Absolute, out var link) ? link : new Uri(Web, RepositoryPath(key, slug) + "/browse");
        return new RepositoryInfo(repository, info.Name ?? slug, main?.DisplayId, webUrl)
        {
            Description = string.IsNullOrWhiteSpace(info.Description) ? null : info.Description,
            IsPrivate = info.Public is { } isPublic ? !isPublic : null,
        };
    }

    /// <inheritdoc />
    public async Task<ResolvedRef> ResolveRefAsync(RepositoryReference repository, string? reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var (key, slug) = Parts(repository);
        ResolvedRef resolved;
        if (string.IsNullOrWhiteSpace(reference))
        {
            var main = await DefaultBranchAsync(key, slug, repository, cancellationToken).ConfigureAwait(false)
                ?? throw NotFound($"{repository.DisplayName} on Bitbucket Data Center is empty: it has no default branch. Push a commit, or give a ref.");
            resolved = new ResolvedRef(main.DisplayId ?? "default", CommitOf(main, Describe(repository)), RefKind.Branch);
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
        var (key, slug) = Parts(repository);
        var subject = $"the archive of {Describe(repository)} at {commitSha}";
        var address = new Uri($"{RepositoryPath(key, slug)}/archive?at={commitSha}&format=tar.gz", UriKind.Relative);
        var response = await _connection.GetStreamAsync("OpenTree", subject, address, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType?.MediaType is { } type && (type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || type.Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            response.Dispose();
            throw _connection.Malformed("OpenTree", subject, $"it answered {type} instead of a tar.gz archive", address);
        }

        Log.TreeOpened(_logger, Metadata.Name, repository.Id, commitSha, "the archive");

        // Without a prefix parameter Data Center's archive has no top-level folder.
        return new ArchiveRepositoryTree(commitSha, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), ArchiveFormat.TarGz, hasTopLevelFolder: false);
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

        var (key, slug) = Parts(repository);
        var subject = $"the changes {baseSha}..{headSha} of {Describe(repository)}";
        var changes = new List<ChangedPath>();
        var start = 0;
        while (true)
        {
            // "Changes in from but not in to": from is the newer commit.
            var page = await _connection.CallAsync("Compare", subject, ct => _api.CompareChangesAsync(key, slug, headSha, baseSha, start, ChangesPageLength, ct), cancellationToken).ConfigureAwait(false);
            foreach (var change in page.Values ?? [])
            {
                if (ToChange(change) is { } path)
                {
                    changes.Add(path);
                }
                else if (change.NodeType != "DIRECTORY")
                {
                    throw _connection.Malformed("Compare", subject, "a change has no path");
                }
            }

            if (page.IsLastPage || page.NextPageStart is not { } next || next <= start)
            {
                break;
            }

            start = next;
        }

        // Commits reachable from base but not from head: none exactly when base is an ancestor of head.
        var behind = await _connection.CallAsync("Compare", subject, ct => _api.CompareCommitsAsync(key, slug, baseSha, headSha, 1, ct), cancellationToken).ConfigureAwait(false);
        if (behind.Values is { Count: > 0 })
        {
            var reason = $"{baseSha} is not an ancestor of {headSha} (a force push or diverged branches)";
            Log.CompareIncomplete(_logger, Metadata.Name, repository.Id, baseSha, headSha, reason);
            return new CommitComparison(baseSha, headSha, changes, IsComplete: false, reason);
        }

        Log.Compared(_logger, Metadata.Name, repository.Id, baseSha, headSha, changes.Count);
        return new CommitComparison(baseSha, headSha, changes, IsComplete: true);
    }

    /// <inheritdoc />
    /// <remarks>Data Center's scheme: <c>{base}/projects/KEY/repos/slug/browse/{path}?at={sha}#10-20</c> (<c>/users/name/repos/...</c> for personal repositories).</remarks>
    public string GetPermalink(RepositoryReference repository, string commitSha, string path, LineRange? lines = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(commitSha);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var (key, slug) = Parts(repository);
        var escaped = string.Join('/', path.Replace('\\', '/').Trim('/').Split('/').Select(Uri.EscapeDataString));
        var link = new Uri(Web, $"{WebRepositoryPath(key, slug)}/browse/{escaped}?at={Uri.EscapeDataString(commitSha)}").AbsoluteUri;
        return lines is { } range
            ? range.Start == range.End ? $"{link}#{range.Start}" : $"{link}#{range.Start}-{range.End}"
            : link;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<BranchInfo> ListBranchesAsync(RepositoryReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return ListBranchesCoreAsync(repository, cancellationToken);
    }

    private static (string Key, string Slug) Parts(RepositoryReference repository) =>
        repository.Properties.TryGetValue(ProjectProperty, out var key) && repository.Properties.TryGetValue(SlugProperty, out var slug)
            ? (key, slug)
            : throw new ArgumentException($"'{repository.Id}' was not parsed by a Bitbucket Data Center provider: resolve it with TryParseRepository first.", nameof(repository));

    private static string Describe(RepositoryReference repository) => $"the repository '{repository.DisplayName}'";

    private static string RepositoryPath(string key, string slug) => $"projects/{Uri.EscapeDataString(key)}/repos/{Uri.EscapeDataString(slug)}";

    private static string WebRepositoryPath(string key, string slug) =>
        key.StartsWith('~') ? $"users/{Uri.EscapeDataString(key[1..])}/repos/{Uri.EscapeDataString(slug)}" : RepositoryPath(key, slug);

    private static ChangedPath? ToChange(DataCenterChange change)
    {
        if (change.NodeType == "DIRECTORY" || change.Path?.Text is not { Length: > 0 } path)
        {
            return null;
        }

        return change.Type switch
        {
            "ADD" or "COPY" => new ChangedPath(path, ChangeKind.Added),
            "DELETE" => new ChangedPath(path, ChangeKind.Deleted),
            "MOVE" when change.SrcPath?.Text is { Length: > 0 } source && source != path => new ChangedPath(path, ChangeKind.Renamed, source),

            // MODIFY, UNKNOWN and a move in place: the content differs.
            _ => new ChangedPath(path, ChangeKind.Modified),
        };
    }

    [GeneratedRegex(@"^~?[A-Za-z0-9_][A-Za-z0-9_.@-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Key();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Slug();

    private string CommitOf(DataCenterRef found, string subject) =>
        Shas.IsFull(found.LatestCommit) ? found.LatestCommit!.ToLowerInvariant() : throw _connection.Malformed("ResolveRef", subject, $"the ref '{found.DisplayId}' has no full latestCommit");

    private async Task<DataCenterRef?> DefaultBranchAsync(string key, string slug, RepositoryReference repository, CancellationToken cancellationToken)
    {
        // Newer versions also offer /default-branch; /branches/default still answers on every version.
        try
        {
            return await _connection.CallAsync("ResolveRef", $"the default branch of {Describe(repository)}", ct => _api.GetDefaultBranchAsync(key, slug, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (GitProviderNotFoundException)
        {
            // An empty repository has no default branch; a missing repository is reported as such.
            await _connection.CallAsync("ResolveRef", Describe(repository), ct => _api.GetRepositoryAsync(key, slug, ct), cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    private async Task<string?> AuthenticatedUserAsync(CancellationToken cancellationToken)
    {
        using var response = await _api.ListRepositoriesAsync(1, cancellationToken).ConfigureAwait(false);
        if (response.Error is { } error)
        {
            throw error;
        }

        // Data Center names the authenticated user in X-AUSERNAME; older versions or proxies may not send it.
        return response.Headers is { } headers && headers.TryGetValues("X-AUSERNAME", out var names) ? names.FirstOrDefault() : null;
    }

    private async Task<ResolvedRef> ResolveNamedAsync(RepositoryReference repository, string reference, CancellationToken cancellationToken)
    {
        var (key, slug) = Parts(repository);
        if (reference.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            return await FindRefAsync(repository, reference["refs/heads/".Length..], RefKind.Branch, cancellationToken).ConfigureAwait(false) ?? throw UnknownRef(repository, reference);
        }

        if (reference.StartsWith("refs/tags/", StringComparison.Ordinal))
        {
            return await FindRefAsync(repository, reference["refs/tags/".Length..], RefKind.Tag, cancellationToken).ConfigureAwait(false) ?? throw UnknownRef(repository, reference);
        }

        if (!Shas.IsFull(reference))
        {
            var named = await FindRefAsync(repository, reference, RefKind.Branch, cancellationToken).ConfigureAwait(false)
                ?? await FindRefAsync(repository, reference, RefKind.Tag, cancellationToken).ConfigureAwait(false);
            if (named is not null || !Shas.IsAbbreviation(reference))
            {
                return named ?? throw UnknownRef(repository, reference);
            }
        }

        try
        {
            var commit = await _connection.CallAsync("ResolveRef", $"the commit {reference} of {Describe(repository)}", ct => _api.GetCommitAsync(key, slug, reference, ct), cancellationToken).ConfigureAwait(false);
            return Shas.IsFull(commit.Id)
                ? new ResolvedRef(reference, commit.Id!.ToLowerInvariant(), RefKind.Commit)
                : throw _connection.Malformed("ResolveRef", $"the commit {reference}", "it has no full id");
        }
        catch (GitProviderNotFoundException)
        {
            throw UnknownRef(repository, reference);
        }
    }

    private async Task<ResolvedRef?> FindRefAsync(RepositoryReference repository, string name, RefKind kind, CancellationToken cancellationToken)
    {
        // filterText matches substrings; only an exact display name (or full ref) counts.
        var (key, slug) = Parts(repository);
        var what = kind == RefKind.Branch ? "branches" : "tags";
        var subject = $"the {what} of {Describe(repository)} named like '{name}'";
        var fullName = (kind == RefKind.Branch ? "refs/heads/" : "refs/tags/") + name;
        var start = 0;
        while (true)
        {
            var page = await _connection.CallAsync(
                "ResolveRef",
                subject,
                ct => kind == RefKind.Branch
                    ? _api.ListBranchesAsync(key, slug, name, "true", start, PageLength, ct)
                    : _api.ListTagsAsync(key, slug, name, start, PageLength, ct),
                cancellationToken).ConfigureAwait(false);
            if ((page.Values ?? []).FirstOrDefault(r => r.DisplayId == name || r.Id == fullName) is { } match)
            {
                return new ResolvedRef(name, CommitOf(match, subject), kind);
            }

            if (page.IsLastPage || page.NextPageStart is not { } next || next <= start)
            {
                return null;
            }

            start = next;
        }
    }

    private async IAsyncEnumerable<BranchInfo> ListBranchesCoreAsync(RepositoryReference repository, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (key, slug) = Parts(repository);
        var subject = $"the branches of {Describe(repository)}";
        var start = 0;
        while (true)
        {
            var page = await _connection.CallAsync("ListBranches", subject, ct => _api.ListBranchesAsync(key, slug, null, null, start, PageLength, ct), cancellationToken).ConfigureAwait(false);
            foreach (var branch in page.Values ?? [])
            {
                if (branch.DisplayId is { Length: > 0 } name && Shas.IsFull(branch.LatestCommit))
                {
                    yield return new BranchInfo(name, branch.LatestCommit!.ToLowerInvariant(), branch.IsDefault);
                }
            }

            if (page.IsLastPage || page.NextPageStart is not { } next || next <= start)
            {
                yield break;
            }

            start = next;
        }
    }

    private GitProviderNotFoundException UnknownRef(RepositoryReference repository, string reference) =>
        NotFound($"'{reference}' is not a branch, tag or commit of {repository.DisplayName} on Bitbucket Data Center. Check the name (branch and tag names are case-sensitive), or list the branches.");

    private GitProviderNotFoundException NotFound(string message) =>
        new(message) { ProviderName = Metadata.Name, OperationName = "ResolveRef" };
}
