using System.Globalization;
using CodeDoc.Core;

namespace CodeDoc.Git.Bitbucket.Cloud;

/// <summary>
/// Reads a Bitbucket Cloud tree without an archive: lists every directory of <c>/src/{sha}/</c> (paged, one level per
/// request, because a deep <c>max_depth</c> times out with 555), checks that reading each file once fits the hourly
/// allowance, estimates the time from the listing's pace, then hands the entries to the snapshot reader, which opens
/// only the files it keeps.
/// </summary>
internal sealed class CloudTreeWalk
{
    private const int PageLength = 100;

    private readonly BitbucketConnection _connection;
    private readonly IBitbucketCloudApi _api;
    private readonly string _workspace;
    private readonly string _slug;
    private readonly string _commitSha;
    private readonly string _repository;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, List<CloudTreeItem>> _directories = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="CloudTreeWalk"/> class.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="api">The API.</param>
    /// <param name="workspace">The workspace.</param>
    /// <param name="slug">The repository slug.</param>
    /// <param name="commitSha">The commit.</param>
    /// <param name="repository">The repository, for messages.</param>
    /// <param name="time">The clock.</param>
    public CloudTreeWalk(BitbucketConnection connection, IBitbucketCloudApi api, string workspace, string slug, string commitSha, string repository, TimeProvider time)
    {
        _connection = connection;
        _api = api;
        _workspace = workspace;
        _slug = slug;
        _commitSha = commitSha;
        _repository = repository;
        _time = time;
    }

    /// <summary>Gets the number of files the listing found (links and submodules are not read, so not counted).</summary>
    public int FileCount { get; private set; }

    /// <summary>Gets the number of directories listed.</summary>
    public int DirectoryCount => _directories.Count;

    /// <summary>Gets the requests reading every file once would take.</summary>
    public int RequestsNeeded => FileCount;

    /// <summary>Gets the estimated time of reading every file, for the log.</summary>
    public string Estimate { get; private set; } = "unknown";

    /// <summary>Lists the tree, checks it against the allowance, and returns it as entries.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="GitProviderQuotaExceededException">Reading the tree would take more requests than the hourly allowance.</exception>
    public async Task<EntryRepositoryTree> ListAsync(CancellationToken cancellationToken)
    {
        var limit = _connection.HourlyRequestLimit;
        var started = _time.GetTimestamp();
        var requests = 0;
        var pending = new Queue<string>();
        pending.Enqueue(string.Empty);
        while (pending.TryDequeue(out var directory))
        {
            var subject = $"the directory '/{directory}' of {_repository} at {_commitSha}";
            var children = new List<CloudTreeItem>();
            var page = await _connection.CallAsync(
                "OpenTree",
                subject,
                ct => _api.ListDirectoryAsync(_workspace, _slug, _commitSha, directory.Length == 0 ? string.Empty : directory + "/", PageLength, ct),
                cancellationToken).ConfigureAwait(false);
            requests++;
            while (true)
            {
                foreach (var item in page.Values ?? [])
                {
                    if (item.Path is not { Length: > 0 } path)
                    {
                        throw _connection.Malformed("OpenTree", subject, "an entry has no path");
                    }

                    children.Add(item);
                    if (IsDirectory(item))
                    {
                        pending.Enqueue(path.TrimEnd('/'));
                    }
                    else if (!IsLink(item) && !IsSubmodule(item))
                    {
                        FileCount++;
                    }
                }

                if (requests + FileCount > limit)
                {
                    throw TooLarge(requests, listingComplete: pending.Count == 0 && page.Next is not { Length: > 0 });
                }

                if (page.Next is not { Length: > 0 } next)
                {
                    break;
                }

                page = await _connection.GetJsonAsync<CloudPage<CloudTreeItem>>("OpenTree", subject, next, cancellationToken).ConfigureAwait(false);
                requests++;
            }

            _directories[directory] = children;
        }

        var perRequest = _time.GetElapsedTime(started) / requests;
        Estimate = Describe(perRequest * FileCount);
        return new EntryRepositoryTree(_commitSha, (shouldEnterDirectory, ct) => Enumerate(shouldEnterDirectory, ct).ToAsyncEnumerable());
    }

    private static bool IsDirectory(CloudTreeItem item) => item.Type == "commit_directory" && !IsSubmodule(item);

    private static bool IsLink(CloudTreeItem item) => item.Attributes?.Contains("link") == true;

    private static bool IsSubmodule(CloudTreeItem item) => item.Attributes?.Contains("subrepository") == true;

    private static string Describe(TimeSpan time) =>
        time < TimeSpan.FromMinutes(1) ? "under a minute"
        : time < TimeSpan.FromHours(1) ? $"{Math.Ceiling(time.TotalMinutes).ToString(CultureInfo.InvariantCulture)} minutes"
        : $"{time.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} hours";

    private GitProviderQuotaExceededException TooLarge(int requests, bool listingComplete)
    {
        var limit = _connection.HourlyRequestLimit;
        var found = listingComplete ? $"its {FileCount} files" : $"more than {FileCount} files (the listing stopped after {requests} requests)";
        var hours = Math.Ceiling((requests + (double)FileCount) / limit).ToString(CultureInfo.InvariantCulture);
        return new GitProviderQuotaExceededException(
            $"Bitbucket Cloud has no archive API and its web archive was not served to these credentials, so {_repository} would be read file by file: " +
            $"{found} need more requests than the hourly allowance of {limit} (HourlyRequestLimit), at least {hours} hours of it. " +
            "Document a local clone instead (codedoc plan <path>), use an API token with Email (which the web archive accepts), " +
            "or raise HourlyRequestLimit if the workspace's allowance is higher.")
        {
            ProviderName = _connection.ProviderName,
            OperationName = "OpenTree",
        };
    }

    private IEnumerable<RepositoryEntry> Enumerate(Func<string, bool> shouldEnterDirectory, CancellationToken cancellationToken)
    {
        var pending = new Stack<string>();
        pending.Push(string.Empty);
        while (pending.TryPop(out var directory))
        {
            // Each directory's .gitignore first, so the reader knows its rules before the other entries.
            foreach (var item in _directories[directory].OrderBy(i => i.Path!.EndsWith("/.gitignore", StringComparison.Ordinal) || i.Path == ".gitignore" ? 0 : 1))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = item.Path!.TrimEnd('/');
                if (IsSubmodule(item))
                {
                    yield return new RepositoryEntry(path, RepositoryEntryKind.Submodule);
                }
                else if (IsDirectory(item))
                {
                    yield return new RepositoryEntry(path, RepositoryEntryKind.Directory);
                    if (_directories.ContainsKey(path) && shouldEnterDirectory(path))
                    {
                        pending.Push(path);
                    }
                }
                else if (IsLink(item))
                {
                    yield return new RepositoryEntry(path, RepositoryEntryKind.SymbolicLink, item.Size);
                }
                else
                {
                    yield return new RepositoryEntry(path, RepositoryEntryKind.File, item.Size, ct => OpenFileAsync(path, ct));
                }
            }
        }
    }

    private async ValueTask<Stream> OpenFileAsync(string path, CancellationToken cancellationToken)
    {
        var address = new Uri(
            $"repositories/{Uri.EscapeDataString(_workspace)}/{Uri.EscapeDataString(_slug)}/src/{_commitSha}/{BitbucketCloudProvider.EscapePath(path)}",
            UriKind.Relative);
        var response = await _connection.GetStreamAsync("OpenTree", $"the file '{path}' of {_repository} at {_commitSha}", address, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }
}
