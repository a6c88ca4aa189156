namespace CodeDoc.Core;

/// <summary>How a path changed between two commits.</summary>
public enum ChangeKind
{
    /// <summary>The path is new.</summary>
    Added,

    /// <summary>The content (or mode) changed.</summary>
    Modified,

    /// <summary>The path is gone.</summary>
    Deleted,

    /// <summary>The path moved; <see cref="ChangedPath.OldPath"/> holds where it was.</summary>
    Renamed,
}

/// <summary>One changed path.</summary>
/// <param name="Path">The path at the newer commit (for deletions, the deleted path).</param>
/// <param name="Kind">How it changed.</param>
/// <param name="OldPath">For renames, the path at the older commit.</param>
public sealed record ChangedPath(string Path, ChangeKind Kind, string? OldPath = null);

/// <summary>The changes between two commits, as a direct (two-dot) comparison.</summary>
/// <param name="BaseSha">The older commit.</param>
/// <param name="HeadSha">The newer commit.</param>
/// <param name="Changes">Every changed path the host reported.</param>
/// <param name="IsComplete">
/// <see langword="false"/> when the host capped or truncated the list (GitHub's 300 files, GitLab's collapsed diffs,
/// Azure's <c>allChangesIncluded:false</c>) or when <paramref name="BaseSha"/> is not an ancestor of
/// <paramref name="HeadSha"/>; callers then regenerate everything.
/// </param>
/// <param name="IncompleteReason">Why the list is incomplete, for the run report.</param>
public sealed record CommitComparison(
    string BaseSha,
    string HeadSha,
    IReadOnlyList<ChangedPath> Changes,
    bool IsComplete,
    string? IncompleteReason = null);
