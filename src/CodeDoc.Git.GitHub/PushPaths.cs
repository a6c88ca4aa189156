using System.Text.Json;
using CodeDoc.Core;

namespace CodeDoc.Git.GitHub;

/// <summary>
/// Folds the per-commit <c>added</c>/<c>removed</c>/<c>modified</c> lists of a push payload into the net change of
/// each path (added then removed is nothing; removed then added is a modification). A hint only: the compare API is
/// the truth, and payloads never report renames.
/// </summary>
internal static class PushPaths
{
    /// <summary>GitHub lists at most this many commits in a push payload.</summary>
    internal const int MaxListedCommits = 2048;

    /// <summary>Folds the commits of a payload.</summary>
    /// <param name="root">The payload.</param>
    /// <returns>The net changes, or <see langword="null"/> when the payload lists no commits or may have left some out.</returns>
    public static IReadOnlyList<ChangedPath>? FromCommits(JsonElement root)
    {
        if (!root.TryGetProperty("commits", out var commits) || commits.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var count = commits.GetArrayLength();
        if (count == 0 || count >= MaxListedCommits)
        {
            return null;
        }

        var states = new Dictionary<string, (bool Before, bool After)>(StringComparer.Ordinal);
        foreach (var commit in commits.EnumerateArray())
        {
            Apply(commit, "added", states, existedBefore: false, existsAfter: true);
            Apply(commit, "modified", states, existedBefore: true, existsAfter: true);
            Apply(commit, "removed", states, existedBefore: true, existsAfter: false);
        }

        return states
            .Select(pair => (pair.Key, pair.Value.Before, pair.Value.After) switch
            {
                (var path, false, true) => new ChangedPath(path, ChangeKind.Added),
                (var path, true, false) => new ChangedPath(path, ChangeKind.Deleted),
                (var path, true, true) => new ChangedPath(path, ChangeKind.Modified),
                _ => null,
            })
            .OfType<ChangedPath>()
            .OrderBy(change => change.Path, StringComparer.Ordinal)
            .ToList();
    }

    private static void Apply(JsonElement commit, string list, Dictionary<string, (bool Before, bool After)> states, bool existedBefore, bool existsAfter)
    {
        if (commit.ValueKind != JsonValueKind.Object || !commit.TryGetProperty(list, out var paths) || paths.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var entry in paths.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.String && entry.GetString() is { Length: > 0 } path)
            {
                // The first mention tells whether the path existed before the push; the last whether it exists after.
                states[path] = states.TryGetValue(path, out var state) ? (state.Before, existsAfter) : (existedBefore, existsAfter);
            }
        }
    }
}
