using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.GitHub;

/// <summary>
/// Compares two commits. GitHub's compare endpoint is three-dot (from the merge base) and lists at most 300 files, on
/// its first page only; when the base is not an ancestor or the list is capped, the two recursive trees are diffed
/// instead, which is a direct (two-dot) diff with exact renames, complete unless GitHub truncates a tree.
/// </summary>
internal sealed partial class GitHubGitProvider
{
    /// <summary>The most files GitHub's compare lists.</summary>
    internal const int CompareFileCap = 300;

    /// <inheritdoc />
    public async Task<CommitComparison> CompareAsync(RepositoryReference repository, string baseSha, string headSha, CancellationToken cancellationToken = default)
    {
        var target = Target(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseSha);
        ArgumentException.ThrowIfNullOrWhiteSpace(headSha);
        cancellationToken.ThrowIfCancellationRequested();
        if (string.Equals(baseSha, headSha, StringComparison.OrdinalIgnoreCase))
        {
            return new CommitComparison(baseSha, headSha, [], IsComplete: true);
        }

        var (status, files, firstPageFiles) = await ReadComparisonAsync(target, baseSha, headSha, cancellationToken).ConfigureAwait(false);
        CommitComparison result;
        if (status == "identical")
        {
            result = new CommitComparison(baseSha, headSha, [], IsComplete: true);
        }
        else if (status is "ahead" && firstPageFiles < CompareFileCap)
        {
            result = new CommitComparison(baseSha, headSha, files.Select(ToChange).OfType<ChangedPath>().ToList(), IsComplete: true);
        }
        else
        {
            var notAncestor = status is not "ahead";
            var reason = notAncestor
                ? $"{Short(baseSha)} is not an ancestor of {Short(headSha)} (GitHub says '{_failures.Scrub(status)}'; a force push?)"
                : $"GitHub's compare lists at most {CompareFileCap} files";
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.GitHubCompareByTrees(Metadata.Name, Describe(target), reason);
            }

            result = await CompareTreesAsync(target, baseSha, headSha, notAncestor ? reason : null, cancellationToken).ConfigureAwait(false)
                ?? new CommitComparison(baseSha, headSha, files.Select(ToChange).OfType<ChangedPath>().ToList(), IsComplete: false,
                    $"{reason}, and GitHub truncated a recursive tree, so the changed paths could not all be listed.");
        }

        if (!result.IsComplete && _logger.IsEnabled(LogLevel.Warning))
        {
            _logger.GitHubCompareIncomplete(Metadata.Name, Describe(target), result.IncompleteReason ?? string.Empty);
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.GitHubCompared(Metadata.Name, Short(baseSha), Short(headSha), Describe(target), result.Changes.Count, result.IsComplete);
        }
        return result;
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static ChangedPath? ToChange(GitHubChangedFile file) => file.Status switch
    {
        "added" or "copied" => new ChangedPath(file.Filename, ChangeKind.Added),
        "removed" => new ChangedPath(file.Filename, ChangeKind.Deleted),
        "renamed" when file.PreviousFilename is { Length: > 0 } previous => new ChangedPath(file.Filename, ChangeKind.Renamed, previous),
        "unchanged" => null,
        _ => new ChangedPath(file.Filename, ChangeKind.Modified),
    };

    private async Task<(string Status, List<GitHubChangedFile> Files, int FirstPageFiles)> ReadComparisonAsync(
        (string Owner, string Name) target, string baseSha, string headSha, CancellationToken cancellationToken)
    {
        var basehead = $"{baseSha}...{headSha}";
        var subject = $"the comparison {Short(baseSha)}...{Short(headSha)} of {Describe(target)}";
        var files = new List<GitHubChangedFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? status = null;
        var firstPageFiles = 0;
        int? page = 1;
        for (var pages = 0; page is { } current && pages < MaxPages; pages++)
        {
            var authorization = await AuthorizeAsync(target, cancellationToken).ConfigureAwait(false);
            using var response = await GitHubCalls.SendAsync(
                () => _api.CompareAsync(target.Owner, target.Name, basehead, current, PageSize, authorization, cancellationToken), _failures, "Compare", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || response.Error is not null || response.Content is null)
            {
                throw GitHubCalls.Failure(response, _failures, "Compare", subject);
            }

            status ??= response.Content.Status;
            var pageFiles = response.Content.Files ?? [];
            if (current == 1)
            {
                firstPageFiles = pageFiles.Count;
            }

            files.AddRange(pageFiles.Where(f => seen.Add(f.Filename)));

            // The file list is on the first page; later pages page the commits, which a direct diff does not need.
            page = pageFiles.Count > 0 && LinkHeader.NextPage(response.Headers) is { } next && next > current ? next : null;
        }

        return (status ?? "unknown", files, firstPageFiles);
    }

    /// <summary>Diffs the recursive trees of two commits; <see langword="null"/> when GitHub truncated one.</summary>
    private async Task<CommitComparison?> CompareTreesAsync(
        (string Owner, string Name) target, string baseSha, string headSha, string? incompleteReason, CancellationToken cancellationToken)
    {
        var before = await GetTreeAsync(target, baseSha, cancellationToken).ConfigureAwait(false);
        var after = await GetTreeAsync(target, headSha, cancellationToken).ConfigureAwait(false);
        if (before is null || after is null)
        {
            return null;
        }

        var deleted = before.Keys.Where(path => !after.ContainsKey(path)).Order(StringComparer.Ordinal).ToList();
        var added = after.Keys.Where(path => !before.ContainsKey(path)).Order(StringComparer.Ordinal).ToList();
        var changes = after
            .Where(entry => before.TryGetValue(entry.Key, out var old) && old != entry.Value)
            .Select(entry => new ChangedPath(entry.Key, ChangeKind.Modified))
            .ToList();

        // Exact renames: a deleted blob that reappears unchanged under a new path.
        var deletedBySha = deleted.GroupBy(path => before[path].Sha).ToDictionary(g => g.Key, g => new Queue<string>(g), StringComparer.Ordinal);
        var renamedFrom = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in added)
        {
            if (deletedBySha.TryGetValue(after[path].Sha, out var sources) && sources.Count > 0)
            {
                var source = sources.Dequeue();
                renamedFrom.Add(source);
                changes.Add(new ChangedPath(path, ChangeKind.Renamed, source));
            }
            else
            {
                changes.Add(new ChangedPath(path, ChangeKind.Added));
            }
        }

        changes.AddRange(deleted.Where(path => !renamedFrom.Contains(path)).Select(path => new ChangedPath(path, ChangeKind.Deleted)));
        changes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new CommitComparison(baseSha, headSha, changes, IsComplete: incompleteReason is null, incompleteReason);
    }

    private async Task<Dictionary<string, (string Sha, string Mode)>?> GetTreeAsync((string Owner, string Name) target, string sha, CancellationToken cancellationToken)
    {
        var tree = await GetJsonAsync(
            target, "Compare", $"the tree of commit {Short(sha)} in {Describe(target)}", (auth, ct) => _api.GetTreeAsync(target.Owner, target.Name, sha, auth, ct), cancellationToken).ConfigureAwait(false);
        if (tree.Truncated)
        {
            return null;
        }

        // Files, links and submodules change; directories only contain them.
        return tree.Tree
            .Where(entry => entry.Type is "blob" or "commit")
            .GroupBy(entry => entry.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.First().Sha, g.First().Mode), StringComparer.Ordinal);
    }
}
