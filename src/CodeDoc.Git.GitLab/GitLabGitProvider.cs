using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CodeDoc.Core;
using CodeDoc.Transport;
using Microsoft.Extensions.Logging;
using Refit;

namespace CodeDoc.Git.GitLab;

/// <summary>
/// Reads projects of one GitLab instance (gitlab.com or self-managed) through its REST API v4: refs resolve to SHAs
/// first, the tree at a SHA is the project's archive (streamed, never buffered), and compares are direct
/// (<c>straight=true</c>) diffs, flagged incomplete when GitLab timed out or the base is not an ancestor.
/// </summary>
internal sealed partial class GitLabGitProvider : IGitProvider
{
    /// <summary>The provider kind.</summary>
    internal const string ProviderKind = "gitlab";

    /// <summary>GitLab's default <c>diff_max_files</c>: a compare listing this many diffs may have left some out.</summary>
    internal const int CompareFileLimit = 1000;

    private const string ProjectProperty = "project";
    private const string RefHintProperty = "ref";
    private const int PageSize = 100;
    private const int MaxPages = 10_000;

    private readonly GitLabEndpoints _endpoints;
    private readonly IGitLabApi _api;
    private readonly GitLabFailures _failures;
    private readonly bool _hasToken;
    private readonly ILogger _logger;

    // Projects given by id learn their path from the first API answer, so permalinks can name it.
    private readonly ConcurrentDictionary<string, string> _projectPaths = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="GitLabGitProvider"/> class.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="httpClient">The instance's client (base address, token, resilience set up).</param>
    /// <param name="tokenField">The configuration field of the token, named in advice.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public GitLabGitProvider(string name, GitLabOptions options, HttpClient httpClient, string tokenField, TimeProvider timeProvider, ILogger<GitLabGitProvider> logger)
    {
        _endpoints = GitLabEndpoints.From(options);
        Metadata = new ProviderMetadata(name, ProviderKind, _endpoints.DisplayName, _endpoints.Api);
        _api = RestService.For<IGitLabApi>(httpClient, GitLabJson.RefitSettings);
        _hasToken = !string.IsNullOrEmpty(options.Token);
        _failures = new GitLabFailures(name, _endpoints, tokenField, _hasToken ? [options.Token!] : [], timeProvider);
        _logger = logger;
    }

    /// <inheritdoc />
    public ProviderMetadata Metadata { get; }

    /// <inheritdoc />
    public bool TryParseRepository(string location, [NotNullWhen(true)] out RepositoryReference? repository)
    {
        ArgumentNullException.ThrowIfNull(location);
        repository = null;
        if (!GitLabRepositoryLocation.TryParse(location, _endpoints, out var parsed))
        {
            return false;
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { [ProjectProperty] = parsed.Project };
        if (parsed.RefHint is { Length: > 0 } hint)
        {
            properties[RefHintProperty] = hint;
        }

        var key = parsed.IsId ? $"projects/{parsed.Project}" : parsed.Project.ToLowerInvariant();
        repository = new RepositoryReference(parsed.Location, $"{_endpoints.Web.Authority}{_endpoints.Web.AbsolutePath}{key}".ToLowerInvariant(), parsed.IsId ? $"project {parsed.Project}" : parsed.Project)
        {
            ProviderName = Metadata.Name,
            Properties = properties,
        };
        return true;
    }

    /// <inheritdoc />
    public async Task<RepositoryInfo> GetRepositoryAsync(RepositoryReference repository, CancellationToken cancellationToken = default)
    {
        var project = Target(repository);
        cancellationToken.ThrowIfCancellationRequested();
        var info = await GetProjectAsync(project, "GetRepository", cancellationToken).ConfigureAwait(false);
        var notes = new List<string>();
        if (info.Archived)
        {
            notes.Add("The project is archived (read-only) on GitLab.");
        }

        if (info.EmptyRepo == true || info.DefaultBranch is null)
        {
            notes.Add("The project's repository is empty: push a first commit.");
        }

        var web = info.WebUrl is not null && Uri.TryCreate(info.WebUrl, UriKind.Absolute, out var url) ? url : new Uri(_endpoints.Web, info.PathWithNamespace);
        return new RepositoryInfo(repository, info.Name, info.DefaultBranch, web)
        {
            Description = info.Description,
            IsPrivate = info.Visibility is null ? null : info.Visibility != "public",
            Notes = notes,
        };
    }

    /// <inheritdoc />
    public async Task<ResolvedRef> ResolveRefAsync(RepositoryReference repository, string? reference, CancellationToken cancellationToken = default)
    {
        var project = Target(repository);
        cancellationToken.ThrowIfCancellationRequested();
        if (IsId(project) && !_projectPaths.ContainsKey(project))
        {
            await GetProjectAsync(project, "ResolveRef", cancellationToken).ConfigureAwait(false);
        }

        ResolvedRef resolved;
        if (!string.IsNullOrWhiteSpace(reference))
        {
            resolved = await TryResolveAsync(project, reference.Trim(), cancellationToken).ConfigureAwait(false)
                ?? throw NotFound("ResolveRef", $"The ref '{reference}' does not exist in {Describe(project)}: give a branch, a tag or a commit SHA of the project.");
        }
        else if (repository.Properties.TryGetValue(RefHintProperty, out var hint))
        {
            resolved = await ResolveHintAsync(project, hint, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var info = await GetProjectAsync(project, "ResolveRef", cancellationToken).ConfigureAwait(false);
            if (info.DefaultBranch is not { Length: > 0 } defaultBranch || info.EmptyRepo == true)
            {
                throw new GitProviderConflictException($"{Describe(project)} has no commits yet (its repository is empty): push a first commit, or give a ref.")
                {
                    ProviderName = Metadata.Name,
                    OperationName = "ResolveRef",
                };
            }

            resolved = await TryBranchAsync(project, defaultBranch, cancellationToken).ConfigureAwait(false)
                ?? throw NotFound("ResolveRef", $"The default branch '{defaultBranch}' of {Describe(project)} does not exist: push a first commit, or give a ref.");
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.GitLabRefResolved(Metadata.Name, resolved.Reference, Describe(project), resolved.CommitSha, resolved.Kind);
        }

        return resolved;
    }

    /// <inheritdoc />
    public async Task<RepositoryTree> OpenTreeAsync(RepositoryReference repository, string commitSha, CancellationToken cancellationToken = default)
    {
        var project = Target(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(commitSha);
        cancellationToken.ThrowIfCancellationRequested();
        var response = await _failures.SendAsync(() => _api.GetArchiveAsync(project, commitSha, cancellationToken), "OpenTree", cancellationToken).ConfigureAwait(false);
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                var failure = await GitLabFailures.ReadAsync(response, cancellationToken).ConfigureAwait(false);
                throw _failures.Translate(failure, "OpenTree", $"the archive of commit {commitSha} in {Describe(project)}");
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is not null && (mediaType.Contains("html", StringComparison.OrdinalIgnoreCase) || mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)))
            {
                throw _failures.Unexpected("OpenTree", $"the archive request returned '{mediaType}' instead of a gzip archive.", response.RequestMessage?.RequestUri);
            }

            var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.GitLabTreeOpened(Metadata.Name, Describe(project), commitSha);
            }

            // GitLab puts everything under "{project}-{sha}/"; the reader strips that one folder.
            return new ArchiveRepositoryTree(commitSha, new ResponseStream(content, response), ArchiveFormat.TarGz, hasTopLevelFolder: true);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<CommitComparison> CompareAsync(RepositoryReference repository, string baseSha, string headSha, CancellationToken cancellationToken = default)
    {
        var project = Target(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseSha);
        ArgumentException.ThrowIfNullOrWhiteSpace(headSha);
        cancellationToken.ThrowIfCancellationRequested();
        if (string.Equals(baseSha, headSha, StringComparison.OrdinalIgnoreCase))
        {
            return new CommitComparison(baseSha, headSha, [], IsComplete: true);
        }

        // straight=true: a direct diff between the two commits, not from their merge base (GitLab's default).
        var comparison = await GetJsonAsync(
            "Compare", $"the comparison {Short(baseSha)}..{Short(headSha)} in {Describe(project)}", ct => _api.CompareAsync(project, baseSha, headSha, ct), cancellationToken).ConfigureAwait(false);
        var diffs = comparison.Diffs ?? [];
        var changes = diffs.Select(ToChange).ToList();
        var mergeBase = await GetJsonAsync(
            "Compare", $"the merge base of {Short(baseSha)} and {Short(headSha)} in {Describe(project)}", ct => _api.GetMergeBaseAsync(project, [baseSha, headSha], ct), cancellationToken).ConfigureAwait(false);

        string? reason = null;
        if (!string.Equals(mergeBase.Id, baseSha, StringComparison.OrdinalIgnoreCase))
        {
            reason = $"{Short(baseSha)} is not an ancestor of {Short(headSha)} (a force push?)";
        }
        else if (comparison.CompareTimeout == true)
        {
            reason = "GitLab timed out computing the diff (compare_timeout)";
        }
        else if (diffs.Count >= CompareFileLimit)
        {
            reason = $"GitLab lists at most {CompareFileLimit.ToString(CultureInfo.InvariantCulture)} changed files by default (diff_max_files)";
        }

        var result = new CommitComparison(baseSha, headSha, changes, reason is null, reason);
        if (reason is not null && _logger.IsEnabled(LogLevel.Warning))
        {
            _logger.GitLabCompareIncomplete(Metadata.Name, Describe(project), reason);
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.GitLabCompared(Metadata.Name, Short(baseSha), Short(headSha), Describe(project), changes.Count, result.IsComplete);
        }

        return result;
    }

    /// <inheritdoc />
    public string GetPermalink(RepositoryReference repository, string commitSha, string path, LineRange? lines = null)
    {
        var project = Target(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(commitSha);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var projectPath = IsId(project) ? _projectPaths.GetValueOrDefault(project) : project;
        var escaped = string.Join('/', path.Replace('\\', '/').Trim('/').Split('/').Select(Uri.EscapeDataString));

        // A project known only by id: /projects/ID redirects to the project; the blob path is kept for the reader.
        var projectPart = projectPath is null ? $"projects/{project}" : string.Join('/', projectPath.Split('/').Select(Uri.EscapeDataString));
        var link = $"{_endpoints.Web.AbsoluteUri}{projectPart}/-/blob/{Uri.EscapeDataString(commitSha)}/{escaped}";
        return lines is not { } range ? link
            : range.Start == range.End ? $"{link}#L{range.Start.ToString(CultureInfo.InvariantCulture)}"
            : $"{link}#L{range.Start.ToString(CultureInfo.InvariantCulture)}-{range.End.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <inheritdoc />
    public IAsyncEnumerable<BranchInfo> ListBranchesAsync(RepositoryReference repository, CancellationToken cancellationToken = default) =>
        ListBranchesCoreAsync(Target(repository), cancellationToken);

    /// <summary>Gets the project (path or id) of a reference this provider parsed.</summary>
    private static string Target(RepositoryReference repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return repository.Properties.TryGetValue(ProjectProperty, out var project)
            ? project
            : throw new ArgumentException($"The repository '{repository.Id}' was not parsed by a GitLab provider: parse it with TryParseRepository first.", nameof(repository));
    }

    private static bool IsId(string project) => project.All(char.IsAsciiDigit);

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static ChangedPath ToChange(GitLabDiff diff) => diff switch
    {
        { NewFile: true } => new ChangedPath(diff.NewPath, ChangeKind.Added),
        { DeletedFile: true } => new ChangedPath(diff.OldPath, ChangeKind.Deleted),
        { RenamedFile: true } => new ChangedPath(diff.NewPath, ChangeKind.Renamed, diff.OldPath),
        _ => new ChangedPath(diff.NewPath, ChangeKind.Modified),
    };

    private string Describe(string project) =>
        IsId(project) ? _projectPaths.TryGetValue(project, out var path) ? $"'{path}' (project {project})" : $"project {project}" : $"'{project}'";

    private GitProviderNotFoundException NotFound(string operation, string message) =>
        new(message) { ProviderName = Metadata.Name, OperationName = operation };

    private async Task<T> GetJsonAsync<T>(string operation, string subject, Func<CancellationToken, Task<IApiResponse<T>>> call, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await _failures.SendAsync(() => call(cancellationToken), operation, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode && response.Error is null && response.Content is not null
            ? response.Content
            : throw _failures.Failure(response, operation, subject);
    }

    // A lookup that may legitimately find nothing: 404 means "not this kind of ref". A missing project is also a 404,
    // so a ref that matches nothing is reported after the project itself was found.
    private async Task<T?> FindJsonAsync<T>(string operation, string subject, Func<CancellationToken, Task<IApiResponse<T>>> call, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await _failures.SendAsync(() => call(cancellationToken), operation, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && response.Error is null && response.Content is not null)
        {
            return response.Content;
        }

        return response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest ? null : throw _failures.Failure(response, operation, subject);
    }

    private async Task<GitLabProject> GetProjectAsync(string project, string operation, CancellationToken cancellationToken)
    {
        var info = await GetJsonAsync(operation, $"project {Describe(project)}", ct => _api.GetProjectAsync(project, ct), cancellationToken).ConfigureAwait(false);
        _projectPaths[info.Id.ToString(CultureInfo.InvariantCulture)] = info.PathWithNamespace;
        return info;
    }

    private async Task<ResolvedRef?> TryResolveAsync(string project, string reference, CancellationToken cancellationToken)
    {
        ResolvedRef? resolved;
        if (reference.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            resolved = await TryBranchAsync(project, reference["refs/heads/".Length..], cancellationToken).ConfigureAwait(false);
        }
        else if (reference.StartsWith("refs/tags/", StringComparison.Ordinal))
        {
            resolved = await TryTagAsync(project, reference["refs/tags/".Length..], cancellationToken).ConfigureAwait(false);
        }
        else if (FullSha().IsMatch(reference))
        {
            resolved = await TryCommitAsync(project, reference, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            resolved = await TryBranchAsync(project, reference, cancellationToken).ConfigureAwait(false)
                ?? await TryTagAsync(project, reference, cancellationToken).ConfigureAwait(false)
                ?? (AbbreviatedSha().IsMatch(reference) ? await TryCommitAsync(project, reference, cancellationToken).ConfigureAwait(false) : null);
        }

        if (resolved is null)
        {
            // Every lookup answered 404: make sure the project itself is there, so a missing project is not reported as a missing ref.
            await GetProjectAsync(project, "ResolveRef", cancellationToken).ConfigureAwait(false);
        }

        return resolved;
    }

    private async Task<ResolvedRef?> TryBranchAsync(string project, string branch, CancellationToken cancellationToken)
    {
        var found = await FindJsonAsync("ResolveRef", $"branch '{branch}' of {Describe(project)}", ct => _api.GetBranchAsync(project, branch, ct), cancellationToken).ConfigureAwait(false);
        return found is null ? null : new ResolvedRef(branch, found.Commit.Id, RefKind.Branch);
    }

    private async Task<ResolvedRef?> TryTagAsync(string project, string tag, CancellationToken cancellationToken)
    {
        // GitLab peels annotated tags: commit.id is the commit, whatever the tag object is.
        var found = await FindJsonAsync("ResolveRef", $"tag '{tag}' of {Describe(project)}", ct => _api.GetTagAsync(project, tag, ct), cancellationToken).ConfigureAwait(false);
        return found is null ? null : new ResolvedRef(tag, found.Commit.Id, RefKind.Tag);
    }

    private async Task<ResolvedRef?> TryCommitAsync(string project, string sha, CancellationToken cancellationToken)
    {
        var found = await FindJsonAsync("ResolveRef", $"commit '{sha}' of {Describe(project)}", ct => _api.GetCommitAsync(project, sha, ct), cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        return FullSha().IsMatch(found.Id)
            ? new ResolvedRef(sha, found.Id.ToLowerInvariant(), RefKind.Commit)
            : throw _failures.Unexpected("ResolveRef", $"the commit lookup for '{sha}' did not return a 40-character SHA.", null);
    }

    // "/-/tree/feature/x/src" may mean branch "feature/x" with path "src": try the longest candidate first, as GitLab does.
    private async Task<ResolvedRef> ResolveHintAsync(string project, string hint, CancellationToken cancellationToken)
    {
        var segments = hint.Split('/');
        for (var count = Math.Min(segments.Length, 20); count > 0; count--)
        {
            var candidate = string.Join('/', segments[..count]);
            if (await TryResolveAsync(project, candidate, cancellationToken).ConfigureAwait(false) is { } resolved)
            {
                return resolved;
            }
        }

        throw NotFound("ResolveRef", $"The URL names '{hint}' after /-/tree/, /-/blob/ or /-/commit/, but no branch, tag or commit of {Describe(project)} matches it: give the ref explicitly.");
    }

    private async IAsyncEnumerable<BranchInfo> ListBranchesCoreAsync(string project, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int? page = 1;
        for (var pages = 0; page is { } current && pages < MaxPages; pages++)
        {
            using var response = await _failures.SendAsync(() => _api.ListBranchesAsync(project, current, PageSize, cancellationToken), "ListBranches", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || response.Error is not null || response.Content is null)
            {
                throw _failures.Failure(response, "ListBranches", $"the branches of {Describe(project)} (page {current})");
            }

            foreach (var branch in response.Content)
            {
                yield return new BranchInfo(branch.Name, branch.Commit.Id, branch.Default);
            }

            // x-next-page is empty on the last page; a next page must move forward, or a misbehaving server could loop forever.
            page = response.Headers.TryGetValues("x-next-page", out var values)
                && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var next) && next > current
                ? next
                : null;
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex FullSha();

    [GeneratedRegex("^[0-9a-fA-F]{7,39}$")]
    private static partial Regex AbbreviatedSha();
}
