using System.Text.RegularExpressions;
using CodeDoc.Core;
using LibGit2Sharp;
using ChangeKind = CodeDoc.Core.ChangeKind;
using GitChangeKind = LibGit2Sharp.ChangeKind;

namespace CodeDoc.Pipeline;

/// <summary>The read-only git operations of the local provider, on a repository opened for one operation.</summary>
internal static partial class GitOperations
{
    private const int NotedPathsShown = 5;

    /// <summary>Resolves a ref the way <c>git rev-parse</c> does: a full SHA, then refs, then an abbreviated SHA.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="path">The folder the user named, for messages.</param>
    /// <param name="reference">The ref, or <see langword="null"/> for HEAD.</param>
    /// <returns>The resolved ref.</returns>
    public static ResolvedRef ResolveRef(Repository repository, string path, string? reference)
    {
        if (reference is null or "HEAD")
        {
            return ResolveHead(repository, path);
        }

        var name = reference.Trim();
        if (name.Length == 0)
        {
            throw new ArgumentException("The ref is empty: give a branch, tag or commit SHA, or null for HEAD.", nameof(reference));
        }

        if (ObjectId.TryParse(name, out var id) && repository.Lookup(id) is { } byFullSha)
        {
            return new ResolvedRef(name, PeelToCommit(byFullSha, name, path).Sha, RefKind.Commit);
        }

        foreach (var (canonicalName, kind) in RefCandidates(name))
        {
            if (!Reference.IsValidName(canonicalName) ||
                repository.Refs[canonicalName]?.ResolveToDirectReference()?.Target is not { } target)
            {
                continue;
            }

            return new ResolvedRef(name, PeelToCommit(target, name, path).Sha, kind);
        }

        if (AbbreviatedSha().IsMatch(name))
        {
            GitObject? byPrefix;
            try
            {
                byPrefix = repository.Lookup(name);
            }
            catch (AmbiguousSpecificationException ex)
            {
                throw new GitProviderException(
                    $"The abbreviated SHA '{name}' matches several objects in the repository at '{path}': give more of its characters.", ex);
            }

            if (byPrefix is not null)
            {
                return new ResolvedRef(name, PeelToCommit(byPrefix, name, path).Sha, RefKind.Commit);
            }
        }

        throw new GitProviderNotFoundException(
            $"No branch, tag or commit named '{name}' exists in the repository at '{path}'. List the valid names with " +
            $"'git -C \"{path}\" branch --all' and 'git -C \"{path}\" tag', or give a commit SHA from 'git -C \"{path}\" log'.");
    }

    /// <summary>Finds a commit by (full or abbreviated) SHA.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="path">The folder the user named, for messages.</param>
    /// <param name="sha">The SHA.</param>
    /// <returns>The commit.</returns>
    public static Commit FindCommit(Repository repository, string path, string sha)
    {
        var text = sha.Trim();
        GitObject? found = null;
        if (AbbreviatedSha().IsMatch(text))
        {
            try
            {
                found = repository.Lookup(text);
            }
            catch (AmbiguousSpecificationException ex)
            {
                throw new GitProviderException($"The abbreviated SHA '{text}' matches several objects in the repository at '{path}': give the full SHA.", ex);
            }
        }

        return found as Commit ?? throw new GitProviderNotFoundException(
            $"The commit '{text}' does not exist in the repository at '{path}'. Resolve a branch or tag to a commit first, " +
            "or fetch the commit if it was pushed from elsewhere.");
    }

    /// <summary>Finds the tree of the documented folder at a commit.</summary>
    /// <param name="commit">The commit.</param>
    /// <param name="subtree">The folder inside the repository, or empty for the root.</param>
    /// <returns>The tree, or <see langword="null"/> when the folder is not in the commit.</returns>
    public static Tree? FindTree(Commit commit, string subtree) =>
        subtree.Length == 0 ? commit.Tree : commit[subtree]?.Target as Tree;

    /// <summary>Builds the message for a folder that is not in a commit.</summary>
    /// <param name="subtree">The folder inside the repository.</param>
    /// <param name="commitSha">The commit.</param>
    /// <returns>The message.</returns>
    public static string SubtreeMissing(string subtree, string commitSha) =>
        $"The folder '{subtree}' is not in commit {Short(commitSha)} (it may be untracked, ignored or added later). " +
        "Commit it, give the repository's root folder, or set PreferGit to false to read the folder as it is on disk.";

    /// <summary>Compares two commits directly, with rename detection, limited to the documented folder.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="path">The folder the user named, for messages.</param>
    /// <param name="subtree">The folder inside the repository, or empty for the root.</param>
    /// <param name="baseSha">The older commit.</param>
    /// <param name="headSha">The newer commit.</param>
    /// <returns>The comparison.</returns>
    public static CommitComparison Compare(Repository repository, string path, string subtree, string baseSha, string headSha)
    {
        var baseCommit = FindCommit(repository, path, baseSha);
        var headCommit = FindCommit(repository, path, headSha);

        // Comparing the folder's own trees keeps paths relative to it; a move across its edge is an add or a delete.
        using var changes = repository.Diff.Compare<TreeChanges>(
            FindTree(baseCommit, subtree),
            FindTree(headCommit, subtree),
            new CompareOptions { Similarity = SimilarityOptions.Renames });
        var list = new List<ChangedPath>();
        foreach (var change in changes)
        {
            var changed = change.Status switch
            {
                GitChangeKind.Added or GitChangeKind.Copied => new ChangedPath(ToSlashes(change.Path), ChangeKind.Added),
                GitChangeKind.Deleted => new ChangedPath(ToSlashes(change.Path), ChangeKind.Deleted),
                GitChangeKind.Modified or GitChangeKind.TypeChanged => new ChangedPath(ToSlashes(change.Path), ChangeKind.Modified),
                GitChangeKind.Renamed => new ChangedPath(ToSlashes(change.Path), ChangeKind.Renamed, ToSlashes(change.OldPath)),
                _ => null,
            };
            if (changed is not null)
            {
                list.Add(changed);
            }
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        var isAncestor = baseCommit.Id == headCommit.Id || repository.ObjectDatabase.FindMergeBase(baseCommit, headCommit)?.Id == baseCommit.Id;
        return isAncestor
            ? new CommitComparison(baseCommit.Sha, headCommit.Sha, list, IsComplete: true)
            : new CommitComparison(
                baseCommit.Sha,
                headCommit.Sha,
                list,
                IsComplete: false,
                $"Commit {Short(baseCommit.Sha)} is not an ancestor of {Short(headCommit.Sha)}: the history was rewritten (a force push, " +
                "rebase or amend), so the changes since the last run are unknown and everything is regenerated.");
    }

    /// <summary>Lists the local branches, marking the one HEAD is on.</summary>
    /// <param name="repository">The repository.</param>
    /// <returns>The branches, by name.</returns>
    public static List<BranchInfo> ListBranches(Repository repository) =>
        repository.Branches
            .Where(static b => !b.IsRemote && b.Tip is not null)
            .Select(static b => new BranchInfo(b.FriendlyName, b.Tip.Sha, b.IsCurrentRepositoryHead))
            .OrderBy(static b => b.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Gets the branch HEAD is on, or <see langword="null"/> when it is detached or has no commit yet.</summary>
    /// <param name="repository">The repository.</param>
    /// <returns>The branch name.</returns>
    public static string? CurrentBranch(Repository repository) =>
        repository.Info.IsHeadDetached || repository.Info.IsHeadUnborn ? null : repository.Head.FriendlyName;

    /// <summary>Describes the uncommitted and untracked changes of the documented folder, which a snapshot leaves out.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="subtree">The folder inside the repository, or empty for the root.</param>
    /// <returns>A note, or <see langword="null"/> when the folder is clean (or the repository is bare).</returns>
    public static string? DescribeWorkingTreeChanges(Repository repository, string subtree)
    {
        if (repository.Info.IsBare || repository.Info.IsHeadUnborn)
        {
            return null;
        }

        var options = new StatusOptions
        {
            IncludeUntracked = true,
            RecurseUntrackedDirs = false,
            IncludeIgnored = false,
            ExcludeSubmodules = true,
            DetectRenamesInIndex = false,
            DetectRenamesInWorkDir = false,
        };
        if (subtree.Length > 0)
        {
            options.PathSpec = [subtree + "/"];
        }

        var changed = repository.RetrieveStatus(options)
            .Where(static e => e.State is not (FileStatus.Unaltered or FileStatus.Ignored))
            .Select(e => RelativeToSubtree(ToSlashes(e.FilePath), subtree))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (changed.Count == 0)
        {
            return null;
        }

        var shown = string.Join(", ", changed.Take(NotedPathsShown).Select(static p => $"'{p}'"));
        var more = changed.Count > NotedPathsShown ? $" and {changed.Count - NotedPathsShown} more" : string.Empty;
        return $"{changed.Count} uncommitted or untracked change{(changed.Count == 1 ? string.Empty : "s")} in the working tree " +
            $"({shown}{more}) {(changed.Count == 1 ? "is" : "are")} not included: the snapshot reads commit {Short(repository.Head.Tip.Sha)} (HEAD). " +
            "Commit them to include them, or set PreferGit to false to read the folder as it is on disk.";
    }

    /// <summary>Shortens a SHA for messages.</summary>
    /// <param name="sha">The SHA.</param>
    /// <returns>Its first seven characters.</returns>
    public static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static ResolvedRef ResolveHead(Repository repository, string path)
    {
        if (repository.Info.IsHeadUnborn)
        {
            throw new GitProviderNotFoundException($"The repository at '{path}' has no commits yet: commit something, then run again.");
        }

        var tip = repository.Head.Tip.Sha;
        return repository.Info.IsHeadDetached
            ? new ResolvedRef("HEAD", tip, RefKind.Commit)
            : new ResolvedRef(repository.Head.FriendlyName, tip, RefKind.Branch);
    }

    // git's own order (gitrevisions(7)): a full ref name, a name below refs/, then tags, branches and remote-tracking branches.
    private static IEnumerable<(string CanonicalName, RefKind Kind)> RefCandidates(string name)
    {
        if (name.StartsWith("refs/", StringComparison.Ordinal))
        {
            yield return (name, KindOf(name));
            yield break;
        }

        yield return ("refs/" + name, KindOf("refs/" + name));
        yield return ("refs/tags/" + name, RefKind.Tag);
        yield return ("refs/heads/" + name, RefKind.Branch);
        yield return ("refs/remotes/" + name, RefKind.Branch);
        yield return ("refs/remotes/" + name + "/HEAD", RefKind.Branch);
    }

    private static RefKind KindOf(string canonicalName) =>
        canonicalName.StartsWith("refs/tags/", StringComparison.Ordinal) ? RefKind.Tag
        : canonicalName.StartsWith("refs/heads/", StringComparison.Ordinal) || canonicalName.StartsWith("refs/remotes/", StringComparison.Ordinal) ? RefKind.Branch
        : RefKind.Commit;

    // Annotated tags (even tags of tags) lead to the commit they were made for.
    private static Commit PeelToCommit(GitObject target, string name, string path)
    {
        var current = target;
        while (current is TagAnnotation annotation)
        {
            current = annotation.Target;
        }

        return current as Commit ?? throw new GitProviderNotFoundException(
            $"'{name}' in the repository at '{path}' points at a {current.GetType().Name.ToLowerInvariant()}, not a commit: give a branch, tag or SHA of a commit.");
    }

    private static string RelativeToSubtree(string path, string subtree) =>
        subtree.Length > 0 && path.StartsWith(subtree + "/", StringComparison.Ordinal) ? path[(subtree.Length + 1)..] : path;

    private static string ToSlashes(string path) => path.Replace(Path.DirectorySeparatorChar, '/');

    [GeneratedRegex("^[0-9a-fA-F]{4,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex AbbreviatedSha();
}
