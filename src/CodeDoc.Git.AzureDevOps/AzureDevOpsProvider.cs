using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>
/// Azure DevOps Services or Server through the Git REST API. Refs are resolved to SHAs first (<c>refs?filter=</c> is a
/// prefix match, so only the exact name counts); the tree at a SHA is one zip (<c>items?path=/&amp;$format=zip</c>
/// with a commit version descriptor); compares use <c>diffs/commits</c> with <c>diffCommonCommit=false</c>, paged with
/// <c>$top</c>/<c>$skip</c>.
/// </summary>
internal sealed partial class AzureDevOpsProvider : IGitProvider
{
    private const string OrganizationProperty = "organization";
    private const string ProjectProperty = "project";
    private const string RepositoryProperty = "repository";
    private const string RefHintProperty = "ref";
    private const int PageLength = 100;
    private const int DiffPageLength = 100;

    // A bound on the pages of one comparison, so a misbehaving server cannot keep a run paging forever.
    private const int MaxDiffPages = 1000;

    private readonly AzureDevOpsConnection _connection;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="AzureDevOpsProvider"/> class.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="connection">The connection.</param>
    /// <param name="logger">The logger.</param>
    public AzureDevOpsProvider(string name, AzureDevOpsConnection connection, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        var product = connection.IsServices ? "Azure DevOps Services" : $"Azure DevOps Server ({connection.BaseAddress.Authority})";
        Metadata = new ProviderMetadata(name, AzureDevOpsProviders.Kind, product, connection.BaseAddress);
    }

    /// <inheritdoc />
    public ProviderMetadata Metadata { get; }

    private Uri Base => _connection.BaseAddress;

    private string Product => _connection.IsServices ? "Azure DevOps Services" : "Azure DevOps Server";

    /// <inheritdoc />
    public bool TryParseRepository(string location, [NotNullWhen(true)] out RepositoryReference? repository)
    {
        ArgumentNullException.ThrowIfNull(location);
        repository = null;
        var text = location.Trim();
        string[]? parts = null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
        {
            var segments = Segments(uri.AbsolutePath);
            if (SameOrigin(uri, Base))
            {
                var prefix = Segments(Base.AbsolutePath);
                if (segments.Length > prefix.Length && prefix.Select((p, i) => string.Equals(p, segments[i], StringComparison.OrdinalIgnoreCase)).All(same => same))
                {
                    parts = GitPath(segments[prefix.Length..]);
                }
            }
            else if (_connection.IsServices && uri.Host.EndsWith(".visualstudio.com", StringComparison.OrdinalIgnoreCase))
            {
                // Legacy https://{org}.visualstudio.com/[DefaultCollection/]{project}/_git/{repo}.
                var organization = uri.Host[..^".visualstudio.com".Length];
                var rest = segments is ["DefaultCollection", ..] ? segments[1..] : segments;
                parts = GitPath([organization, .. rest]);
            }
        }
        else if (_connection.IsServices && SshPath().Match(text) is { Success: true } ssh)
        {
            // git@ssh.dev.azure.com:v3/{org}/{project}/{repo}
            parts = [.. ssh.Groups["path"].Value.Split('/').Select(Uri.UnescapeDataString)];
        }

        if (parts is not [var org, var project, var repo] || !Name().IsMatch(org) || project.Length == 0 || repo.Length == 0 ||
            project.Any(char.IsControl) || repo.Any(char.IsControl) || project.Contains('/', StringComparison.Ordinal) || repo.Contains('/', StringComparison.Ordinal))
        {
            return false;
        }

        var root = (Base.Authority + Uri.UnescapeDataString(Base.AbsolutePath)).TrimEnd('/');
        var display = $"{org}/{project}/{repo}";
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OrganizationProperty] = org,
            [ProjectProperty] = project,
            [RepositoryProperty] = repo,
        };
        if (uri is not null && RefOfVersion(uri) is { } hint)
        {
            properties[RefHintProperty] = hint;
        }

        repository = new RepositoryReference(
            new Uri(Base, $"{Uri.EscapeDataString(org)}/{Uri.EscapeDataString(project)}/_git/{Uri.EscapeDataString(repo)}").AbsoluteUri,
            $"{root}/{display}".ToLowerInvariant(),
            display)
        {
            ProviderName = Metadata.Name,
            Properties = properties,
        };
        return true;
    }

    /// <inheritdoc />
    public async Task<AccessCheckResult> CheckAccessAsync(RepositoryReference? repository, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var credentials = _connection.Credentials;
        var checks = new List<AccessCheckItem>();
        if (!credentials.IsSet)
        {
            checks.Add(new("Credentials", true, "No credentials are set: only public projects can be read. Set Token to a personal access token with scope Code (Read), or a service principal."));
        }

        if (repository is null)
        {
            if (credentials.IsSet)
            {
                checks.Add(new("Credentials", true, $"{Capitalize(credentials.Description)} is set; Azure DevOps checks credentials per organization, so give a repository URL to check them."));
            }

            return new AccessCheckResult(checks);
        }

        var (organization, project, name) = Parts(repository);
        if (credentials.IsSet)
        {
            try
            {
                var connection = await _connection.CallAsync("CheckAccess", $"the organization '{organization}'", ct => _connection.Api.GetConnectionDataAsync(organization, ct), cancellationToken).ConfigureAwait(false);
                var user = connection.AuthenticatedUser?.ProviderDisplayName;
                checks.Add(new("Credentials", true, $"{Product} accepts {credentials.Description}{(user is null ? string.Empty : $" (user '{user}')")} in '{organization}'."));
            }
            catch (GitProviderException ex)
            {
                checks.Add(new("Credentials", false, ex.Message));
                return new AccessCheckResult(checks);
            }
        }

        try
        {
            var info = await _connection.CallAsync("CheckAccess", Describe(repository), ct => _connection.Api.GetRepositoryAsync(organization, project, name, _connection.ApiVersion, ct), cancellationToken).ConfigureAwait(false);
            if (info.IsDisabled == true)
            {
                checks.Add(new("Repository", false, $"{repository.DisplayName} is disabled: a project administrator must enable it before it can be read."));
            }
            else if (info.DefaultBranch is null)
            {
                checks.Add(new("Repository", false, $"{repository.DisplayName} is empty (it has no default branch): push a commit first."));
            }
            else
            {
                checks.Add(new("Repository", true, $"{repository.DisplayName} is readable; its default branch is '{ShortBranch(info.DefaultBranch)}'. Trees are read as one zip."));
            }
        }
        catch (GitProviderException ex)
        {
            checks.Add(new("Repository", false, ex.Message));
        }

        return new AccessCheckResult(checks);
    }

    /// <inheritdoc />
    public async Task<RepositoryInfo> GetRepositoryAsync(RepositoryReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var info = await GetInfoAsync(repository, "GetRepository", cancellationToken).ConfigureAwait(false);
        var web = Uri.TryCreate(info.WebUrl, UriKind.Absolute, out var link) ? link : new Uri(repository.Location);
        return new RepositoryInfo(repository, info.Name ?? Parts(repository).Repository, info.DefaultBranch is null ? null : ShortBranch(info.DefaultBranch), web);
    }

    /// <inheritdoc />
    public async Task<ResolvedRef> ResolveRefAsync(RepositoryReference repository, string? reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ResolvedRef resolved;

        // A pasted link to a branch, tag or commit (?version=GBmain) names the ref when none is given.
        if (string.IsNullOrWhiteSpace(reference) && repository.Properties.TryGetValue(RefHintProperty, out var hint))
        {
            reference = hint;
        }

        if (string.IsNullOrWhiteSpace(reference))
        {
            var info = await GetInfoAsync(repository, "ResolveRef", cancellationToken).ConfigureAwait(false);
            var main = info.DefaultBranch ?? throw NotFound($"{repository.DisplayName} on {Product} is empty: it has no default branch. Push a commit, or give a ref.");
            resolved = await FindRefAsync(repository, main, RefKind.Branch, ShortBranch(main), cancellationToken).ConfigureAwait(false)
                ?? throw NotFound($"The default branch '{ShortBranch(main)}' of {repository.DisplayName} does not exist on {Product}.");
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
        ThrowIfNotSha(commitSha, nameof(commitSha));
        var (organization, project, name) = Parts(repository);
        var subject = $"the zip of {Describe(repository)} at {commitSha}";
        var address = new Uri(
            $"{Uri.EscapeDataString(organization)}/{Uri.EscapeDataString(project)}/_apis/git/repositories/{Uri.EscapeDataString(name)}/items" +
            $"?path=%2F&versionDescriptor.version={commitSha}&versionDescriptor.versionType=commit&resolveLfs=true&$format=zip&download=true&api-version={Uri.EscapeDataString(_connection.ApiVersion)}",
            UriKind.Relative);
        var response = await _connection.GetStreamAsync("OpenTree", subject, address, "application/zip", cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentType?.MediaType is { } type && (type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || type.Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            response.Dispose();
            throw _connection.Malformed("OpenTree", subject, $"it answered {type} instead of a zip archive");
        }

        Log.TreeOpened(_logger, Metadata.Name, repository.Id, commitSha);

        // The zip of the root folder holds the repository's entries at its top level.
        return new ArchiveRepositoryTree(commitSha, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), ArchiveFormat.Zip, hasTopLevelFolder: false);
    }

    /// <inheritdoc />
    public async Task<CommitComparison> CompareAsync(RepositoryReference repository, string baseSha, string headSha, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ThrowIfNotSha(baseSha, nameof(baseSha));
        ThrowIfNotSha(headSha, nameof(headSha));
        cancellationToken.ThrowIfCancellationRequested();
        if (string.Equals(baseSha, headSha, StringComparison.OrdinalIgnoreCase))
        {
            return new CommitComparison(baseSha, headSha, [], IsComplete: true);
        }

        var (organization, project, name) = Parts(repository);
        var subject = $"the changes {baseSha}..{headSha} of {Describe(repository)}";
        var changes = new List<ChangedPath>();
        string? commonCommit = null;
        string? incomplete = null;
        var skip = 0;
        for (var page = 0; ; page++)
        {
            if (page == MaxDiffPages)
            {
                incomplete = $"more than {MaxDiffPages * DiffPageLength} changes";
                break;
            }

            // Without diffCommonCommit=false Azure DevOps diffs from the merge base, not from the base commit.
            var offset = skip;
            var diffs = await _connection.CallAsync(
                "Compare",
                subject,
                ct => _connection.Api.GetCommitDiffsAsync(organization, project, name, baseSha, "commit", headSha, "commit", "false", DiffPageLength, offset, _connection.ApiVersion, ct),
                cancellationToken).ConfigureAwait(false);
            commonCommit ??= diffs.CommonCommit;
            var items = diffs.Changes ?? [];
            foreach (var change in items)
            {
                if (ToChange(change) is { } path)
                {
                    changes.Add(path);
                }
                else if (change.Item?.IsFolder != true && change.Item?.GitObjectType is not ("tree" or "commit"))
                {
                    throw _connection.Malformed("Compare", subject, "a change has no path or an unknown change type");
                }
            }

            // The server may cap $top below what was asked: page on by what came back until it says it has sent all.
            skip += items.Count;
            if (items.Count == 0 || (diffs.AllChangesIncluded ?? items.Count < DiffPageLength))
            {
                break;
            }
        }

        if (incomplete is null && commonCommit is not null && !string.Equals(commonCommit, baseSha, StringComparison.OrdinalIgnoreCase))
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
    /// <remarks>
    /// Azure DevOps's scheme: <c>{base}/{org}/{project}/_git/{repo}?path=/x&amp;version=GC{sha}&amp;line=10&amp;lineEnd=21&amp;lineStartColumn=1&amp;lineEndColumn=1</c>
    /// for lines 10 to 20. The selection ends at column 1 of the line after the range, as the site's own "copy link"
    /// writes it: ending at column 1 of line 20 would leave line 20 out.
    /// </remarks>
    public string GetPermalink(RepositoryReference repository, string commitSha, string path, LineRange? lines = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(commitSha);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Parts(repository);
        var escaped = "/" + string.Join('/', path.Replace('\\', '/').Trim('/').Split('/').Select(Uri.EscapeDataString));
        var link = $"{repository.Location}?path={escaped}&version=GC{Uri.EscapeDataString(commitSha)}";
        return lines is { } range
            ? string.Create(CultureInfo.InvariantCulture, $"{link}&line={range.Start}&lineEnd={range.End + 1}&lineStartColumn=1&lineEndColumn=1")
            : link;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<BranchInfo> ListBranchesAsync(RepositoryReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return ListBranchesCoreAsync(repository, cancellationToken);
    }

    private static string[] Segments(string path) => [.. path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString)];

    // {org}/{project}/_git/{repo}[/...], or {org}/_git/{repo} for a repository named like its project.
    private static string[]? GitPath(string[] segments) => segments switch
    {
        [var org, var project, "_git", var repo, ..] => [org, project, WithoutGit(repo)],
        [var org, "_git", var repo, ..] => [org, WithoutGit(repo), WithoutGit(repo)],
        _ => null,
    };

    private static string WithoutGit(string name) => name.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;

    private static bool SameOrigin(Uri uri, Uri origin) =>
        string.Equals(uri.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(uri.IdnHost, origin.IdnHost, StringComparison.OrdinalIgnoreCase) && uri.Port == origin.Port;

    private static string ShortBranch(string name) => name.StartsWith("refs/heads/", StringComparison.Ordinal) ? name["refs/heads/".Length..] : name;

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static bool IsFullSha(string? text) => text is { Length: 40 } && text.All(char.IsAsciiHexDigit);

    private static void ThrowIfNotSha(string sha, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sha, parameter);
        if (!IsFullSha(sha))
        {
            throw new ArgumentException($"'{sha}' is not a full commit SHA: resolve refs with ResolveRefAsync first.", parameter);
        }
    }

    private static (string Organization, string Project, string Repository) Parts(RepositoryReference repository) =>
        repository.Properties.TryGetValue(OrganizationProperty, out var organization) &&
        repository.Properties.TryGetValue(ProjectProperty, out var project) &&
        repository.Properties.TryGetValue(RepositoryProperty, out var name)
            ? (organization, project, name)
            : throw new ArgumentException($"'{repository.Id}' was not parsed by an Azure DevOps provider: resolve it with TryParseRepository first.", nameof(repository));

    private static string Describe(RepositoryReference repository) => $"the repository '{repository.DisplayName}'";

    private static ChangedPath? ToChange(AzureChange change)
    {
        if (change.Item is not { Path: { Length: > 0 } rawPath } item || item.IsFolder == true || item.GitObjectType is "tree" or "commit")
        {
            return null;
        }

        var path = rawPath.TrimStart('/');
        var flags = (change.ChangeType ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var original = (change.OriginalPath ?? change.SourceServerItem)?.TrimStart('/');
        if (flags.Contains("delete", StringComparer.OrdinalIgnoreCase))
        {
            return new ChangedPath(path, ChangeKind.Deleted);
        }

        if (flags.Contains("rename", StringComparer.OrdinalIgnoreCase) && original is { Length: > 0 } && original != path)
        {
            return new ChangedPath(path, ChangeKind.Renamed, original);
        }

        if (flags.Contains("add", StringComparer.OrdinalIgnoreCase))
        {
            return new ChangedPath(path, ChangeKind.Added);
        }

        return flags.Length == 0 ? null : new ChangedPath(path, ChangeKind.Modified);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex(@"^(?:ssh://)?[^@/\s]+@ssh\.dev\.azure\.com[:/]v3/(?<path>[^\s]+?)/?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SshPath();

    private Task<AzureRepository> GetInfoAsync(RepositoryReference repository, string operation, CancellationToken cancellationToken)
    {
        var (organization, project, name) = Parts(repository);
        return _connection.CallAsync(operation, Describe(repository), ct => _connection.Api.GetRepositoryAsync(organization, project, name, _connection.ApiVersion, ct), cancellationToken);
    }

    // The web UI's version parameter: GB{branch}, GT{tag} or GC{commit}.
    private static string? RefOfVersion(Uri uri)
    {
        var version = System.Web.HttpUtility.ParseQueryString(uri.Query)["version"];
        return version is { Length: > 2 } && !version.Any(char.IsControl)
            ? version[..2] switch
            {
                "GB" => "refs/heads/" + version[2..],
                "GT" => "refs/tags/" + version[2..],
                "GC" => version[2..],
                _ => null,
            }
            : null;
    }

    private async Task<ResolvedRef> ResolveNamedAsync(RepositoryReference repository, string reference, CancellationToken cancellationToken)
    {
        if (reference.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            return await FindRefAsync(repository, reference, RefKind.Branch, reference["refs/heads/".Length..], cancellationToken).ConfigureAwait(false) ?? throw UnknownRef(repository, reference);
        }

        if (reference.StartsWith("refs/tags/", StringComparison.Ordinal))
        {
            return await FindRefAsync(repository, reference, RefKind.Tag, reference["refs/tags/".Length..], cancellationToken).ConfigureAwait(false) ?? throw UnknownRef(repository, reference);
        }

        if (IsFullSha(reference))
        {
            return await CommitAsync(repository, reference, cancellationToken).ConfigureAwait(false) ?? throw UnknownRef(repository, reference);
        }

        return await FindRefAsync(repository, "refs/heads/" + reference, RefKind.Branch, reference, cancellationToken).ConfigureAwait(false)
            ?? await FindRefAsync(repository, "refs/tags/" + reference, RefKind.Tag, reference, cancellationToken).ConfigureAwait(false)
            ?? throw UnknownRef(repository, reference);
    }

    private async Task<ResolvedRef?> CommitAsync(RepositoryReference repository, string sha, CancellationToken cancellationToken)
    {
        var (organization, project, name) = Parts(repository);
        try
        {
            var commit = await _connection.CallAsync("ResolveRef", $"the commit {sha} of {Describe(repository)}", ct => _connection.Api.GetCommitAsync(organization, project, name, sha, _connection.ApiVersion, ct), cancellationToken).ConfigureAwait(false);
            return IsFullSha(commit.CommitId) ? new ResolvedRef(sha, commit.CommitId!.ToLowerInvariant(), RefKind.Commit) : null;
        }
        catch (GitProviderNotFoundException)
        {
            return null;
        }
    }

    private async Task<ResolvedRef?> FindRefAsync(RepositoryReference repository, string fullName, RefKind kind, string reference, CancellationToken cancellationToken)
    {
        // filter is a prefix match ("heads/main" also finds "heads/main-old"): only the exact name counts.
        var (organization, project, name) = Parts(repository);
        var subject = $"the refs of {Describe(repository)} named like '{fullName}'";
        string? continuation = null;
        do
        {
            var token = continuation;
            var response = await _connection.CallAsync(
                "ResolveRef",
                subject,
                ct => _connection.Api.ListRefsAsync(organization, project, name, fullName["refs/".Length..], "true", PageLength, token, _connection.ApiVersion, ct),
                cancellationToken).ConfigureAwait(false);
            if ((response.Content?.Value ?? []).FirstOrDefault(r => r.Name == fullName) is { } match)
            {
                var sha = match.PeeledObjectId ?? match.ObjectId;
                return IsFullSha(sha)
                    ? new ResolvedRef(reference, sha!.ToLowerInvariant(), kind)
                    : throw _connection.Malformed("ResolveRef", subject, "the ref has no object id");
            }

            continuation = Continuation(response);
        }
        while (continuation is not null);
        return null;
    }

    private async IAsyncEnumerable<BranchInfo> ListBranchesCoreAsync(RepositoryReference repository, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (organization, project, name) = Parts(repository);
        var subject = $"the branches of {Describe(repository)}";
        var info = await GetInfoAsync(repository, "ListBranches", cancellationToken).ConfigureAwait(false);
        string? continuation = null;
        do
        {
            var token = continuation;
            var response = await _connection.CallAsync(
                "ListBranches",
                subject,
                ct => _connection.Api.ListRefsAsync(organization, project, name, "heads/", "false", PageLength, token, _connection.ApiVersion, ct),
                cancellationToken).ConfigureAwait(false);
            foreach (var branch in response.Content?.Value ?? [])
            {
                if (branch.Name is { } full && full.StartsWith("refs/heads/", StringComparison.Ordinal) && IsFullSha(branch.ObjectId))
                {
                    yield return new BranchInfo(ShortBranch(full), branch.ObjectId!.ToLowerInvariant(), full == info.DefaultBranch);
                }
            }

            continuation = Continuation(response);
        }
        while (continuation is not null);
    }

    private static string? Continuation(Refit.ApiResponse<AzureList<AzureRef>> response) =>
        response.Headers is { } headers && headers.TryGetValues("x-ms-continuationtoken", out var values) && values.FirstOrDefault() is { Length: > 0 } token ? token : null;

    private GitProviderNotFoundException UnknownRef(RepositoryReference repository, string reference) =>
        NotFound($"'{reference}' is not a branch, tag or commit of {repository.DisplayName} on {Product}. Check the name (case-sensitive); give commits as full 40-character SHAs.");

    private GitProviderNotFoundException NotFound(string message) =>
        new(message) { ProviderName = Metadata.Name, OperationName = "ResolveRef" };
}
