using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using CodeDoc.Core;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Pipeline;

/// <summary>
/// Serves local paths: a git repository (read by commit from its object database, with refs, history and
/// comparisons), a folder inside one (documented as that sub-folder), or a plain folder (read as it is on disk).
/// </summary>
/// <remarks>
/// What a path is gets decided afresh for every operation, and every operation opens its own repository handle
/// (a tree keeps its own until disposed), because a LibGit2Sharp repository is not thread-safe. The work is
/// synchronous local I/O; the tasks complete when it is done.
/// </remarks>
internal sealed class LocalGitProvider : IGitProvider
{
    /// <summary>The provider kind.</summary>
    internal const string ProviderKind = "local";

    private const string PathProperty = "path";

    private readonly string[] _allowedRoots;
    private readonly string _allowedRootsField;
    private readonly bool _preferGit;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="LocalGitProvider"/> class.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="options">Validated options; copied, so later changes do not apply.</param>
    /// <param name="allowedRootsField">The configuration field of the allowed roots, named when a path is refused.</param>
    /// <param name="logger">The logger.</param>
    public LocalGitProvider(string name, LocalRepositoryOptions options, string allowedRootsField, ILogger<LocalGitProvider> logger)
    {
        Metadata = new ProviderMetadata(name, ProviderKind, "Local folders and git repositories", Endpoint: null);
        _allowedRoots = options.AllowedRoots.Select(LocalPaths.Canonicalize).ToArray();
        _allowedRootsField = allowedRootsField;
        _preferGit = options.PreferGit;
        _logger = logger;
    }

    /// <inheritdoc />
    public ProviderMetadata Metadata { get; }

    /// <inheritdoc />
    public bool TryParseRepository(string location, [NotNullWhen(true)] out RepositoryReference? repository)
    {
        ArgumentNullException.ThrowIfNull(location);
        repository = null;
        if (LocalPaths.TryGetFullPath(location) is not { } path)
        {
            return false;
        }

        repository = new RepositoryReference(location.Trim(), LocalPaths.ToId(path), LocalPaths.ToDisplayName(path))
        {
            ProviderName = Metadata.Name,
            Properties = new Dictionary<string, string>(StringComparer.Ordinal) { [PathProperty] = path },
        };
        return true;
    }

    /// <inheritdoc />
    public Task<AccessCheckResult> CheckAccessAsync(RepositoryReference? repository, CancellationToken cancellationToken = default) =>
        Complete(() => repository is null ? CheckCredentials() : CheckRepository(PathOf(repository)), cancellationToken);

    /// <inheritdoc />
    public Task<RepositoryInfo> GetRepositoryAsync(RepositoryReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return Complete(() => Execute("GetRepository", repository, path => ReadInfo(repository, path)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ResolvedRef> ResolveRefAsync(RepositoryReference repository, string? reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return Complete(() => Execute("ResolveRef", repository, path => Resolve(path, reference, cancellationToken)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<RepositoryTree> OpenTreeAsync(RepositoryReference repository, string commitSha, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(commitSha);
        return Complete<RepositoryTree>(() => Execute("OpenTree", repository, path => OpenTree(path, commitSha)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<CommitComparison> CompareAsync(RepositoryReference repository, string baseSha, string headSha, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseSha);
        ArgumentException.ThrowIfNullOrWhiteSpace(headSha);
        return Complete(() => Execute("Compare", repository, path => Compare(path, baseSha, headSha)), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A local source has no web page: the link is relative (<c>src/app.cs#L10-L20</c>), escaped for Markdown links.</remarks>
    public string GetPermalink(RepositoryReference repository, string commitSha, string path, LineRange? lines = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(commitSha);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var escaped = string.Join('/', path.Replace('\\', '/').TrimStart('/').Split('/').Select(Uri.EscapeDataString));
        return lines is { } range ? $"{escaped}#{range}" : escaped;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<BranchInfo> ListBranchesAsync(RepositoryReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return ListBranchesCoreAsync(repository, cancellationToken);
    }

    // The work is synchronous; failures travel in the task like any async method's, and cancellation cancels it.
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Every failure is handed to the caller through the task.")]
    private static Task<T> Complete<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            return Task.FromResult(work());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    private async IAsyncEnumerable<BranchInfo> ListBranchesCoreAsync(RepositoryReference repository, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Read them all at once so no repository handle stays open while the caller awaits between items.
        var branches = Execute("ListBranches", repository, path =>
        {
            using var source = LocalSource.Open(path, _preferGit);
            return source.Repository is { } git ? GitOperations.ListBranches(git) : [];
        });
        foreach (var branch in branches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return branch;
        }
    }

    private AccessCheckResult CheckCredentials()
    {
        var checks = new List<AccessCheckItem> { new("Credentials", true, "Local folders and repositories need no credentials.") };
        if (_allowedRoots.Length > 0)
        {
            checks.Add(new("Allowed roots", true, $"Only paths under {DescribeRoots()} are served."));
        }

        return new AccessCheckResult(checks);
    }

    private AccessCheckResult CheckRepository(string path)
    {
        var checks = new List<AccessCheckItem>();
        if (_allowedRoots.Length > 0)
        {
            var allowed = IsAllowed(path);
            checks.Add(new("Allowed roots", allowed, allowed ? $"'{path}' is under {DescribeRoots()}." : RefusalMessage(path)));
            if (!allowed)
            {
                return new AccessCheckResult(checks);
            }
        }

        if (!Directory.Exists(path))
        {
            checks.Add(new("Folder", false, File.Exists(path)
                ? $"'{path}' is a file: give the folder of the repository instead."
                : $"The folder '{path}' does not exist. Check the path (a relative path is resolved against the current directory, '{Environment.CurrentDirectory}')."));
            return new AccessCheckResult(checks);
        }

        checks.Add(new("Folder", true, $"'{path}' exists."));
        try
        {
            using var listing = Directory.EnumerateFileSystemEntries(path).GetEnumerator();
            listing.MoveNext();
            checks.Add(new("Readable", true, "The folder can be listed."));
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            checks.Add(new("Readable", false, $"The folder cannot be listed: {ex.Message} Grant this process read access to it."));
            return new AccessCheckResult(checks);
        }

        checks.Add(CheckSource(path));
        return new AccessCheckResult(checks);
    }

    private AccessCheckItem CheckSource(string path)
    {
        try
        {
            using var source = LocalSource.Open(path, _preferGit);
            if (source.Repository is not { } git)
            {
                return new("Repository", true, source.IsGitWorkTreeReadAsFolder
                    ? "The folder is in a git work tree but PreferGit is false: it is read as it is on disk, without history."
                    : "A plain folder (not a git repository): it is read as it is on disk, and without history every run regenerates everything.");
            }

            if (git.Info.IsHeadUnborn)
            {
                return new("Repository", false, "A git repository with no commits yet: commit something, then run again.");
            }

            var head = git.Head.Tip;
            var on = GitOperations.CurrentBranch(git) is { } branch ? $"on branch '{branch}'" : "(detached HEAD)";
            if (source.Subtree.Length > 0 && GitOperations.FindTree(head, source.Subtree) is null)
            {
                return new("Repository", false, GitOperations.SubtreeMissing(source.Subtree, head.Sha));
            }

            var what = source.Subtree.Length > 0 ? $"The folder '{source.Subtree}' of a git repository" : "A git repository";
            return new("Repository", true, $"{what}; HEAD is commit {GitOperations.Short(head.Sha)} {on}.");
        }
        catch (Exception ex) when (ex is GitProviderException or LibGit2SharpException)
        {
            return new("Repository", false, ex.Message);
        }
    }

    private RepositoryInfo ReadInfo(RepositoryReference repository, string path)
    {
        using var source = LocalSource.Open(path, _preferGit);
        var name = LocalPaths.ToDisplayName(path);
        if (source.Repository is not { } git)
        {
            var note = source.IsGitWorkTreeReadAsFolder
                ? "Read as it is on disk because PreferGit is false: refs and history are not used, so every run regenerates everything."
                : "Not a git repository: the folder is read as it is on disk, and without history every run regenerates everything.";
            return new RepositoryInfo(repository, name, DefaultBranch: null, WebUrl: null) { Notes = [note] };
        }

        var notes = new List<string>();
        if (git.Info.IsHeadUnborn)
        {
            notes.Add("The repository has no commits yet: there is nothing to document until something is committed.");
        }
        else if (source.Subtree.Length > 0 && GitOperations.FindTree(git.Head.Tip, source.Subtree) is null)
        {
            notes.Add(GitOperations.SubtreeMissing(source.Subtree, git.Head.Tip.Sha));
        }

        if (GitOperations.DescribeWorkingTreeChanges(git, source.Subtree) is { } changes)
        {
            notes.Add(changes);
        }

        return new RepositoryInfo(repository, name, GitOperations.CurrentBranch(git), WebUrl: null) { Notes = notes };
    }

    private ResolvedRef Resolve(string path, string? reference, CancellationToken cancellationToken)
    {
        using var source = LocalSource.Open(path, _preferGit);
        ResolvedRef resolved;
        if (source.Repository is { } git)
        {
            resolved = GitOperations.ResolveRef(git, path, reference);
        }
        else
        {
            var fingerprint = FolderWalker.Fingerprint(path, cancellationToken);
            if (reference is not null && !string.Equals(reference.Trim(), fingerprint, StringComparison.OrdinalIgnoreCase))
            {
                throw new GitProviderNotFoundException(
                    $"'{path}' is read as a plain folder, which has no branches or tags, and '{reference}' is not its current fingerprint " +
                    $"({fingerprint}). Leave the ref out to read the folder as it is now{(source.IsGitWorkTreeReadAsFolder ? ", or set PreferGit to true to read commits" : string.Empty)}.");
            }

            resolved = new ResolvedRef(reference?.Trim() ?? "(working folder)", fingerprint, RefKind.Commit);
        }

        _logger.LocalRefResolved(resolved.Reference, path, resolved.CommitSha, resolved.Kind);
        return resolved;
    }

    private EntryRepositoryTree OpenTree(string path, string commitSha)
    {
        using var source = LocalSource.Open(path, _preferGit);
        if (source.Repository is not { } git)
        {
            // The fingerprint is not checked again: the folder is read as it is when the entries are enumerated.
            _logger.LocalTreeOpened(path, commitSha, "folder on disk");
            return new EntryRepositoryTree(commitSha, (shouldEnter, ct) => FolderWalker.EnumerateAsync(path, shouldEnter, ct));
        }

        var commit = GitOperations.FindCommit(git, path, commitSha);
        var tree = GitOperations.FindTree(commit, source.Subtree)
            ?? throw new GitProviderNotFoundException(GitOperations.SubtreeMissing(source.Subtree, commit.Sha));
        var session = new GitTreeSession(source.DetachRepository(), tree.Id);
        _logger.LocalTreeOpened(path, commit.Sha, "git object database");
        return new EntryRepositoryTree(commit.Sha, session.EnumerateAsync, session);
    }

    private CommitComparison Compare(string path, string baseSha, string headSha)
    {
        using var source = LocalSource.Open(path, _preferGit);
        if (source.Repository is not { } git)
        {
            throw new GitProviderException(source.IsGitWorkTreeReadAsFolder
                ? $"Comparing commits needs a git repository, and '{path}' is read as a plain folder because PreferGit is false. Set PreferGit to true, or regenerate everything."
                : $"Comparing commits needs a git repository, and '{path}' is a plain folder. Run 'git init' and commit to get incremental runs, or regenerate everything.");
        }

        var comparison = GitOperations.Compare(git, path, source.Subtree, baseSha, headSha);
        _logger.LocalCompared(comparison.BaseSha, comparison.HeadSha, path, comparison.Changes.Count);
        if (!comparison.IsComplete)
        {
            _logger.LocalNotAncestor(comparison.BaseSha, comparison.HeadSha, path);
        }

        return comparison;
    }

    // Runs an operation on the path behind a reference: refuses paths outside the allowed roots, and adds the
    // provider's name and the operation to every error, translating LibGit2Sharp's.
    private T Execute<T>(string operation, RepositoryReference repository, Func<string, T> work)
    {
        var path = PathOf(repository);
        try
        {
            if (!IsAllowed(path))
            {
                _logger.LocalPathRefused(Metadata.Name, path);
                throw new GitProviderException(RefusalMessage(path));
            }

            return work(path);
        }
        catch (GitProviderNotFoundException ex) when (ex.ProviderName is null)
        {
            throw new GitProviderNotFoundException(ex.Message, ex) { ProviderName = Metadata.Name, OperationName = operation };
        }
        catch (GitProviderException ex) when (ex.ProviderName is null)
        {
            throw new GitProviderException(ex.Message, ex) { ProviderName = Metadata.Name, OperationName = operation };
        }
        catch (RepositoryNotFoundException ex)
        {
            throw new GitProviderNotFoundException($"No git repository was found at '{path}': {ex.Message}", ex) { ProviderName = Metadata.Name, OperationName = operation };
        }
        catch (LibGit2SharpException ex)
        {
            throw new GitProviderException($"Reading the git repository at '{path}' failed: {ex.Message}", ex) { ProviderName = Metadata.Name, OperationName = operation };
        }
    }

    private static string PathOf(RepositoryReference repository)
    {
        if (repository.Properties.TryGetValue(PathProperty, out var path) && Path.IsPathFullyQualified(path))
        {
            return path;
        }

        return LocalPaths.TryGetFullPath(repository.Location) ?? throw new ArgumentException(
            $"The repository '{repository.Id}' is not a local path, so the local provider cannot read it. Parse locations with TryParseRepository of the provider that serves them.",
            nameof(repository));
    }

    private bool IsAllowed(string path)
    {
        if (_allowedRoots.Length == 0)
        {
            return true;
        }

        var canonical = LocalPaths.Canonicalize(path);
        return _allowedRoots.Any(root => LocalPaths.IsUnder(canonical, root));
    }

    private string RefusalMessage(string path) =>
        $"'{path}' is outside the folders this provider may read ({DescribeRoots()}). Move the repository under one of them, " +
        $"or add its folder to {_allowedRootsField}.";

    private string DescribeRoots() => string.Join(", ", _allowedRoots.Select(static r => $"'{r}'"));
}
