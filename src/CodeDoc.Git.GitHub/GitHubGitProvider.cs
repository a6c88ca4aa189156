using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CodeDoc.Core;
using CodeDoc.Transport;
using Microsoft.Extensions.Logging;
using Refit;

namespace CodeDoc.Git.GitHub;

/// <summary>
/// Reads repositories of one GitHub instance (github.com, GHE.com or GitHub Enterprise Server) through its REST API:
/// refs resolve to SHAs first, the tree at a SHA is the tarball GitHub redirects to (streamed, never buffered), and
/// compares are direct diffs with GitHub's 300-file cap worked around by diffing the two trees.
/// </summary>
internal sealed partial class GitHubGitProvider : IGitProvider
{
    /// <summary>The provider kind.</summary>
    internal const string ProviderKind = "github";

    private const string OwnerProperty = "owner";
    private const string NameProperty = "repo";
    private const string RefHintProperty = "ref";
    private const int PageSize = 100;
    private const int MaxPages = 10_000;

    private readonly GitHubEndpoints _endpoints;
    private readonly IGitHubApi _api;
    private readonly GitHubCredentials _credentials;
    private readonly GitHubFailures _failures;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="GitHubGitProvider"/> class.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="httpClient">The instance's client (base address, default headers and resilience set up).</param>
    /// <param name="tokenField">The configuration field of the credentials, named in advice.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public GitHubGitProvider(string name, GitHubOptions options, HttpClient httpClient, string tokenField, TimeProvider timeProvider, ILogger<GitHubGitProvider> logger)
    {
        _endpoints = GitHubEndpoints.From(options);
        Metadata = new ProviderMetadata(name, ProviderKind, _endpoints.DisplayName, _endpoints.Api);
        _api = RestService.For<IGitHubApi>(httpClient, GitHubJson.RefitSettings);
        _credentials = new GitHubCredentials(options, timeProvider, logger);
        _failures = new GitHubFailures(name, _endpoints, tokenField, options.Token is { Length: > 0 } token ? [token] : []);
        _logger = logger;
    }

    /// <inheritdoc />
    public ProviderMetadata Metadata { get; }

    /// <inheritdoc />
    public bool TryParseRepository(string location, [NotNullWhen(true)] out RepositoryReference? repository)
    {
        ArgumentNullException.ThrowIfNull(location);
        repository = null;
        if (!GitHubRepositoryLocation.TryParse(location, _endpoints, out var parsed))
        {
            return false;
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OwnerProperty] = parsed.Owner,
            [NameProperty] = parsed.Name,
        };
        if (parsed.RefHint is { Length: > 0 } hint)
        {
            properties[RefHintProperty] = hint;
        }

        var id = $"{_endpoints.Web.Authority}{_endpoints.Web.AbsolutePath}{parsed.Owner}/{parsed.Name}".ToLowerInvariant();
        repository = new RepositoryReference(parsed.Location, id, $"{parsed.Owner}/{parsed.Name}")
        {
            ProviderName = Metadata.Name,
            Properties = properties,
        };
        return true;
    }

    /// <inheritdoc />
    public async Task<RepositoryInfo> GetRepositoryAsync(RepositoryReference repository, CancellationToken cancellationToken = default)
    {
        var target = Target(repository);
        var info = await GetRepositoryDataAsync(target, "GetRepository", cancellationToken).ConfigureAwait(false);
        var notes = new List<string>();
        if (info.Archived)
        {
            notes.Add("The repository is archived (read-only) on GitHub.");
        }

        if (info.DefaultBranch is null)
        {
            notes.Add("The repository has no default branch yet: it is probably empty.");
        }

        return new RepositoryInfo(repository, info.Name, info.DefaultBranch, WebUrl(target, info.HtmlUrl))
        {
            Description = info.Description,
            IsPrivate = info.Private,
            Notes = notes,
        };
    }

    /// <inheritdoc />
    public async Task<ResolvedRef> ResolveRefAsync(RepositoryReference repository, string? reference, CancellationToken cancellationToken = default)
    {
        var target = Target(repository);
        cancellationToken.ThrowIfCancellationRequested();
        ResolvedRef resolved;
        if (!string.IsNullOrWhiteSpace(reference))
        {
            resolved = await TryResolveAsync(target, reference.Trim(), cancellationToken).ConfigureAwait(false)
                ?? throw NotFound("ResolveRef", $"The ref '{reference}' does not exist in {Describe(target)}: give a branch, a tag or a commit SHA of the repository.");
        }
        else if (repository.Properties.TryGetValue(RefHintProperty, out var hint))
        {
            resolved = await ResolveHintAsync(target, hint, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var info = await GetRepositoryDataAsync(target, "ResolveRef", cancellationToken).ConfigureAwait(false);
            var defaultBranch = info.DefaultBranch
                ?? throw new GitProviderConflictException($"{Describe(target)} has no default branch, so it is probably empty: push a first commit, or give a ref.")
                {
                    ProviderName = Metadata.Name,
                    OperationName = "ResolveRef",
                };
            resolved = await TryResolveAsync(target, defaultBranch, cancellationToken).ConfigureAwait(false)
                ?? throw NotFound("ResolveRef", $"The default branch '{defaultBranch}' of {Describe(target)} has no commit: push a first commit, or give a ref.");
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.GitHubRefResolved(Metadata.Name, resolved.Reference, Describe(target), resolved.CommitSha, resolved.Kind);
        }

        return resolved;
    }

    /// <inheritdoc />
    public async Task<RepositoryTree> OpenTreeAsync(RepositoryReference repository, string commitSha, CancellationToken cancellationToken = default)
    {
        var target = Target(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(commitSha);
        cancellationToken.ThrowIfCancellationRequested();
        var authorization = await AuthorizeAsync(target, cancellationToken).ConfigureAwait(false);

        // GitHub answers 302 with a short-lived codeload address; the handler follows it and drops Authorization on the way.
        var response = await GitHubCalls.SendAsync(
            () => _api.GetTarballAsync(target.Owner, target.Name, commitSha, authorization, cancellationToken), _failures, "OpenTree", cancellationToken).ConfigureAwait(false);
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await GitHubCalls.FailureAsync(response, _failures, "OpenTree", $"the tarball of commit {commitSha} in {Describe(target)}", cancellationToken).ConfigureAwait(false);
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is not null && (mediaType.Contains("html", StringComparison.OrdinalIgnoreCase) || mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)))
            {
                throw _failures.Unexpected("OpenTree", $"the tarball request returned '{mediaType}' instead of a gzip archive.", response.RequestMessage?.RequestUri);
            }

            var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.GitHubTreeOpened(Metadata.Name, Describe(target), commitSha);
            }

            return new ArchiveRepositoryTree(commitSha, new ResponseStream(content, response), ArchiveFormat.TarGz, hasTopLevelFolder: true);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public string GetPermalink(RepositoryReference repository, string commitSha, string path, LineRange? lines = null)
    {
        var target = Target(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(commitSha);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var escaped = string.Join('/', path.Replace('\\', '/').Trim('/').Split('/').Select(Uri.EscapeDataString));
        var link = $"{_endpoints.Web.AbsoluteUri}{Uri.EscapeDataString(target.Owner)}/{Uri.EscapeDataString(target.Name)}/blob/{Uri.EscapeDataString(commitSha)}/{escaped}";
        if (lines is not { } range)
        {
            return link;
        }

        // GitHub renders Markdown and similar files, where line anchors only work on the source view.
        var plain = RenderedMarkup().IsMatch(path) ? "?plain=1" : string.Empty;
        return $"{link}{plain}#{range}";
    }

    /// <inheritdoc />
    public IAsyncEnumerable<BranchInfo> ListBranchesAsync(RepositoryReference repository, CancellationToken cancellationToken = default) =>
        ListBranchesCoreAsync(Target(repository), cancellationToken);

    /// <summary>Gets the owner and name of a reference this provider parsed.</summary>
    private static (string Owner, string Name) Target(RepositoryReference repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return repository.Properties.TryGetValue(OwnerProperty, out var owner) && repository.Properties.TryGetValue(NameProperty, out var name)
            ? (owner, name)
            : throw new ArgumentException($"The repository '{repository.Id}' was not parsed by a GitHub provider: parse it with TryParseRepository first.", nameof(repository));
    }

    private static string Describe((string Owner, string Name) target) => $"{target.Owner}/{target.Name}";

    private Uri? WebUrl((string Owner, string Name) target, string? htmlUrl) =>
        htmlUrl is not null && Uri.TryCreate(htmlUrl, UriKind.Absolute, out var web) ? web : new Uri(_endpoints.Web, $"{target.Owner}/{target.Name}");

    private ValueTask<string?> AuthorizeAsync((string Owner, string Name) target, CancellationToken cancellationToken) =>
        _credentials.AuthorizeAsync(_api, _failures, target, cancellationToken);

    private GitProviderNotFoundException NotFound(string operation, string message) =>
        new(message) { ProviderName = Metadata.Name, OperationName = operation };

    private async Task<T> GetJsonAsync<T>(
        (string Owner, string Name)? target,
        string operation,
        string subject,
        Func<string?, CancellationToken, Task<IApiResponse<T>>> call,
        CancellationToken cancellationToken)
        where T : class
    {
        var authorization = await _credentials.AuthorizeAsync(_api, _failures, target, cancellationToken).ConfigureAwait(false);
        using var response = await GitHubCalls.SendAsync(() => call(authorization, cancellationToken), _failures, operation, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && response.Error is null && response.Content is not null)
        {
            return response.Content;
        }

        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            _credentials.Invalidate();
        }

        throw GitHubCalls.Failure(response, _failures, operation, subject);
    }

    // A lookup that may legitimately find nothing: 404 (and 422 for malformed names) mean "not this kind of ref".
    private async Task<T?> FindJsonAsync<T>(
        (string Owner, string Name) target,
        string operation,
        string subject,
        Func<string?, CancellationToken, Task<IApiResponse<T>>> call,
        CancellationToken cancellationToken)
        where T : class
    {
        var authorization = await AuthorizeAsync(target, cancellationToken).ConfigureAwait(false);
        using var response = await GitHubCalls.SendAsync(() => call(authorization, cancellationToken), _failures, operation, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && response.Error is null && response.Content is not null)
        {
            return response.Content;
        }

        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.UnprocessableEntity)
        {
            return null;
        }

        throw GitHubCalls.Failure(response, _failures, operation, subject);
    }

    private Task<GitHubRepository> GetRepositoryDataAsync((string Owner, string Name) target, string operation, CancellationToken cancellationToken) =>
        GetJsonAsync(target, operation, $"repository '{Describe(target)}'", (auth, ct) => _api.GetRepositoryAsync(target.Owner, target.Name, auth, ct), cancellationToken);

    private async Task<ResolvedRef?> TryResolveAsync((string Owner, string Name) target, string reference, CancellationToken cancellationToken)
    {
        if (reference.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            return await TryBranchAsync(target, reference["refs/heads/".Length..], cancellationToken).ConfigureAwait(false);
        }

        if (reference.StartsWith("refs/tags/", StringComparison.Ordinal))
        {
            return await TryTagAsync(target, reference["refs/tags/".Length..], cancellationToken).ConfigureAwait(false);
        }

        if (FullSha().IsMatch(reference))
        {
            return await TryCommitAsync(target, reference, cancellationToken).ConfigureAwait(false);
        }

        return await TryBranchAsync(target, reference, cancellationToken).ConfigureAwait(false)
            ?? await TryTagAsync(target, reference, cancellationToken).ConfigureAwait(false)
            ?? (AbbreviatedSha().IsMatch(reference) ? await TryCommitAsync(target, reference, cancellationToken).ConfigureAwait(false) : null);
    }

    private async Task<ResolvedRef?> TryBranchAsync((string Owner, string Name) target, string branch, CancellationToken cancellationToken)
    {
        var found = await FindJsonAsync(
            target, "ResolveRef", $"branch '{branch}' of {Describe(target)}", (auth, ct) => _api.GetRefAsync(target.Owner, target.Name, "heads/" + branch, auth, ct), cancellationToken).ConfigureAwait(false);
        return found is null ? null : new ResolvedRef(branch, found.Object.Sha, RefKind.Branch);
    }

    private async Task<ResolvedRef?> TryTagAsync((string Owner, string Name) target, string tag, CancellationToken cancellationToken)
    {
        var found = await FindJsonAsync(
            target, "ResolveRef", $"tag '{tag}' of {Describe(target)}", (auth, ct) => _api.GetRefAsync(target.Owner, target.Name, "tags/" + tag, auth, ct), cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        // Annotated tags point at tag objects; peel them (a tag may tag a tag) down to the commit.
        var current = found.Object;
        for (var depth = 0; current.Type == "tag" && depth < 10; depth++)
        {
            var sha = current.Sha;
            var tagObject = await GetJsonAsync<GitHubGitTag>(
                target, "ResolveRef", $"tag object {sha} of {Describe(target)}", (auth, ct) => _api.GetTagObjectAsync(target.Owner, target.Name, sha, auth, ct), cancellationToken).ConfigureAwait(false);
            current = tagObject.Object;
        }

        return current.Type == "commit"
            ? new ResolvedRef(tag, current.Sha, RefKind.Tag)
            : throw new GitProviderNotFoundException($"The tag '{tag}' of {Describe(target)} points at a {current.Type}, not a commit: give a tag or branch that names a commit.")
            {
                ProviderName = Metadata.Name,
                OperationName = "ResolveRef",
            };
    }

    private async Task<ResolvedRef?> TryCommitAsync((string Owner, string Name) target, string sha, CancellationToken cancellationToken)
    {
        var authorization = await AuthorizeAsync(target, cancellationToken).ConfigureAwait(false);
        using var response = await GitHubCalls.SendAsync(
            () => _api.GetCommitShaAsync(target.Owner, target.Name, sha, authorization, cancellationToken), _failures, "ResolveRef", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.UnprocessableEntity)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await GitHubCalls.FailureAsync(response, _failures, "ResolveRef", $"commit '{sha}' of {Describe(target)}", cancellationToken).ConfigureAwait(false);
        }

        var text = (await GitHubFailures.ReadAsync(response, cancellationToken).ConfigureAwait(false)).Body.Trim();
        return FullSha().IsMatch(text)
            ? new ResolvedRef(sha, text.ToLowerInvariant(), RefKind.Commit)
            : throw _failures.Unexpected("ResolveRef", $"the commit lookup for '{sha}' did not return a 40-character SHA.", response.RequestMessage?.RequestUri);
    }

    // "/tree/feature/x/src" may mean branch "feature/x" with path "src": try the longest candidate first, as GitHub does.
    private async Task<ResolvedRef> ResolveHintAsync((string Owner, string Name) target, string hint, CancellationToken cancellationToken)
    {
        var segments = hint.Split('/');
        for (var count = Math.Min(segments.Length, 20); count > 0; count--)
        {
            var candidate = string.Join('/', segments[..count]);
            if (await TryResolveAsync(target, candidate, cancellationToken).ConfigureAwait(false) is { } resolved)
            {
                return resolved;
            }
        }

        throw NotFound("ResolveRef", $"The URL names '{hint}' after /tree/, /blob/ or /commit/, but no branch, tag or commit of {Describe(target)} matches it: give the ref explicitly.");
    }

    private async IAsyncEnumerable<BranchInfo> ListBranchesCoreAsync((string Owner, string Name) target, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = await GetRepositoryDataAsync(target, "ListBranches", cancellationToken).ConfigureAwait(false);
        int? page = 1;
        for (var pages = 0; page is { } current && pages < MaxPages; pages++)
        {
            var authorization = await AuthorizeAsync(target, cancellationToken).ConfigureAwait(false);
            using var response = await GitHubCalls.SendAsync(
                () => _api.ListBranchesAsync(target.Owner, target.Name, current, PageSize, authorization, cancellationToken), _failures, "ListBranches", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || response.Error is not null || response.Content is null)
            {
                throw GitHubCalls.Failure(response, _failures, "ListBranches", $"the branches of {Describe(target)} (page {current})");
            }

            foreach (var branch in response.Content)
            {
                yield return new BranchInfo(branch.Name, branch.Commit.Sha, string.Equals(branch.Name, info.DefaultBranch, StringComparison.Ordinal));
            }

            // A next page must move forward, or a misbehaving server could keep the loop going forever.
            page = LinkHeader.NextPage(response.Headers) is { } next && next > current ? next : null;
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex FullSha();

    [GeneratedRegex("^[0-9a-fA-F]{7,39}$")]
    private static partial Regex AbbreviatedSha();

    [GeneratedRegex(@"\.(md|markdown|mdown|mkdn|mkd|rst|adoc|asciidoc|asc|org|textile|rdoc|creole|mediawiki|wiki|pod)$", RegexOptions.IgnoreCase)]
    private static partial Regex RenderedMarkup();
}
