using System.Text;
using CodeDoc.Testing;

namespace CodeDoc.FakeServers.Git;

/// <summary>One entry of a tree as git lists it.</summary>
/// <param name="Path">The full path from the repository root, '/'-separated.</param>
/// <param name="Mode">The git mode, e.g. <c>100644</c>, <c>100755</c>, <c>120000</c> (link), <c>160000</c> (submodule), <c>040000</c>.</param>
/// <param name="Type">The object type: <c>blob</c>, <c>tree</c> or <c>commit</c> (submodule).</param>
/// <param name="ObjectId">The object's SHA.</param>
/// <param name="Size">The blob's size; <see langword="null"/> for trees and submodules.</param>
public sealed record GitTreeEntry(string Path, string Mode, string Type, string ObjectId, long? Size)
{
    /// <summary>Gets the last path segment.</summary>
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>Gets a value indicating whether the entry is a directory.</summary>
    public bool IsDirectory => Type == "tree";

    /// <summary>Gets a value indicating whether the entry is a symbolic link.</summary>
    public bool IsSymbolicLink => Mode == "120000";

    /// <summary>Gets a value indicating whether the entry is a submodule (gitlink).</summary>
    public bool IsSubmodule => Type == "commit";
}

/// <summary>One path changed between two commits, as <c>git diff --name-status -M</c> reports it.</summary>
/// <param name="Status">The status letter: <c>A</c>, <c>M</c>, <c>D</c>, <c>R</c>, <c>T</c> or <c>C</c>.</param>
/// <param name="Path">The path at the newer commit (for deletions, the deleted path).</param>
/// <param name="OldPath">For renames and copies, the path at the older commit.</param>
public sealed record GitChange(char Status, string Path, string? OldPath);

/// <summary>A branch or tag and the commit it points at.</summary>
/// <param name="Name">The full ref name, e.g. <c>refs/heads/main</c>.</param>
/// <param name="ObjectId">The object the ref points at (a tag object for annotated tags).</param>
/// <param name="CommitId">The commit it resolves to.</param>
public sealed record GitRef(string Name, string ObjectId, string CommitId)
{
    /// <summary>Gets the short name, e.g. <c>main</c> or <c>v1.0</c>.</summary>
    public string ShortName => Name.StartsWith("refs/heads/", StringComparison.Ordinal) ? Name["refs/heads/".Length..]
        : Name.StartsWith("refs/tags/", StringComparison.Ordinal) ? Name["refs/tags/".Length..]
        : Name;

    /// <summary>Gets a value indicating whether the ref is a branch.</summary>
    public bool IsBranch => Name.StartsWith("refs/heads/", StringComparison.Ordinal);
}

/// <summary>
/// Answers what Git host fakes need to know about a real repository, by running the git CLI on it: refs, trees,
/// blobs, archives and comparisons. Everything a fake serves comes from here, so it is what git computes.
/// </summary>
/// <param name="repository">The repository.</param>
public sealed class GitRepositoryFacts(TemporaryGitRepository repository)
{
    /// <summary>Gets the repository.</summary>
    public TemporaryGitRepository Repository { get; } = repository ?? throw new ArgumentNullException(nameof(repository));

    /// <summary>Gets the branch HEAD points at.</summary>
    public string DefaultBranch => Repository.Git("symbolic-ref", "--short", "HEAD");

    /// <summary>Resolves any revision (SHA, abbreviated SHA, branch, tag, <c>refs/...</c>) to a commit.</summary>
    /// <param name="revision">The revision.</param>
    /// <returns>The full commit SHA, or <see langword="null"/> when it does not name a commit.</returns>
    public string? ResolveCommit(string revision)
    {
        if (string.IsNullOrEmpty(revision) || revision.StartsWith('-'))
        {
            return null;
        }

        try
        {
            return Repository.Git("rev-parse", "--verify", "--quiet", revision + "^{commit}");
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Lists branches and tags.</summary>
    /// <returns>The refs, ordered by name.</returns>
    public IReadOnlyList<GitRef> Refs()
    {
        var text = Repository.Git("for-each-ref", "--format=%(refname)%09%(objectname)%09%(*objectname)", "refs/heads", "refs/tags");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(parts => new GitRef(parts[0], parts[1], parts[2].Length > 0 ? parts[2] : parts[1]))
            .OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    /// <summary>Lists the branches.</summary>
    /// <returns>The branches, ordered by name.</returns>
    public IReadOnlyList<GitRef> Branches() => [.. Refs().Where(r => r.IsBranch)];

    /// <summary>Lists the tags.</summary>
    /// <returns>The tags, ordered by name.</returns>
    public IReadOnlyList<GitRef> Tags() => [.. Refs().Where(r => !r.IsBranch)];

    /// <summary>Gets the tree SHA of a commit.</summary>
    /// <param name="commit">The commit.</param>
    /// <returns>The tree SHA.</returns>
    public string TreeOf(string commit) => Repository.Git("rev-parse", commit + "^{tree}");

    /// <summary>Lists the direct children of a directory at a commit.</summary>
    /// <param name="commit">The commit.</param>
    /// <param name="directory">The directory, '/'-separated, empty for the root.</param>
    /// <returns>The entries, or <see langword="null"/> when the directory does not exist.</returns>
    public IReadOnlyList<GitTreeEntry>? ListDirectory(string commit, string directory)
    {
        var trimmed = directory.Trim('/');
        if (trimmed.Length > 0 && Entry(commit, trimmed) is not { IsDirectory: true })
        {
            return null;
        }

        return ParseTree(Repository.GitBytes("ls-tree", "-l", "-z", commit, "--", trimmed.Length == 0 ? "." : trimmed + "/"));
    }

    /// <summary>Lists every entry of a commit's tree, directories included.</summary>
    /// <param name="commit">The commit.</param>
    /// <returns>The entries in git's order.</returns>
    public IReadOnlyList<GitTreeEntry> ListRecursive(string commit) =>
        ParseTree(Repository.GitBytes("ls-tree", "-r", "-t", "-l", "-z", commit));

    /// <summary>Finds one entry at a commit.</summary>
    /// <param name="commit">The commit.</param>
    /// <param name="path">The path.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public GitTreeEntry? Entry(string commit, string path)
    {
        var trimmed = path.Trim('/');
        if (trimmed.Length == 0)
        {
            return new GitTreeEntry(string.Empty, "040000", "tree", TreeOf(commit), null);
        }

        return ParseTree(Repository.GitBytes("ls-tree", "-l", "-z", commit, "--", trimmed)).FirstOrDefault(e => e.Path == trimmed);
    }

    /// <summary>Reads a blob's bytes (a link's target for symbolic links).</summary>
    /// <param name="commit">The commit.</param>
    /// <param name="path">The file's path.</param>
    /// <returns>The bytes.</returns>
    public byte[] ReadBlob(string commit, string path) => Repository.GitBytes("cat-file", "blob", $"{commit}:{path.Trim('/')}");

    /// <summary>Makes an archive of a commit with <c>git archive</c>.</summary>
    /// <param name="format"><c>tar</c>, <c>tar.gz</c> or <c>zip</c>.</param>
    /// <param name="commit">The commit.</param>
    /// <param name="prefix">A folder every entry is put in, ending with '/', or <see langword="null"/>.</param>
    /// <returns>The archive.</returns>
    public byte[] Archive(string format, string commit, string? prefix = null) => Repository.Archive(format, prefix, commit);

    /// <summary>Compares two commits directly, with rename detection, as <c>git diff --name-status -M</c>.</summary>
    /// <param name="from">The older commit.</param>
    /// <param name="to">The newer commit.</param>
    /// <returns>The changes in git's order.</returns>
    public IReadOnlyList<GitChange> Diff(string from, string to)
    {
        var fields = Encoding.UTF8.GetString(Repository.GitBytes("diff", "--name-status", "-M", "-z", from, to)).Split('\0');
        var changes = new List<GitChange>();
        for (var i = 0; i < fields.Length && fields[i].Length > 0;)
        {
            var status = fields[i][0];
            if (status is 'R' or 'C')
            {
                changes.Add(new GitChange(status, fields[i + 2], fields[i + 1]));
                i += 3;
            }
            else
            {
                changes.Add(new GitChange(status, fields[i + 1], null));
                i += 2;
            }
        }

        return changes;
    }

    /// <summary>Finds the merge base of two commits.</summary>
    /// <param name="first">One commit.</param>
    /// <param name="second">The other.</param>
    /// <returns>The merge base, or <see langword="null"/> when the histories are unrelated.</returns>
    public string? MergeBase(string first, string second)
    {
        try
        {
            return Repository.Git("merge-base", first, second);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Lists the commits reachable from one commit but not from another, newest first.</summary>
    /// <param name="include">The commit whose history is listed.</param>
    /// <param name="exclude">The commit whose history is left out, or <see langword="null"/>.</param>
    /// <returns>The SHAs.</returns>
    public IReadOnlyList<string> CommitsBetween(string include, string? exclude) =>
        Repository.Git(exclude is null ? ["rev-list", include] : ["rev-list", include, "^" + exclude])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static List<GitTreeEntry> ParseTree(byte[] output)
    {
        // "<mode> SP <type> SP <object> SP+ <size or -> TAB <path> NUL"
        var entries = new List<GitTreeEntry>();
        foreach (var record in Encoding.UTF8.GetString(output).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = record.IndexOf('\t', StringComparison.Ordinal);
            var meta = record[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long? size = long.TryParse(meta[3], out var parsed) ? parsed : null;
            entries.Add(new GitTreeEntry(record[(tab + 1)..], meta[0], meta[1], meta[2], size));
        }

        return entries;
    }
}
