using System.Text;
using CodeDoc.Testing;

namespace CodeDoc.FakeServers.GitHub;

/// <summary>One path of a diff as git computed it.</summary>
/// <param name="Status">git's letter: A, M, D, R (renamed), C (copied), T (type changed).</param>
/// <param name="Path">The path at the newer commit.</param>
/// <param name="OldPath">The path at the older commit, for renames and copies.</param>
public sealed record GitDiffEntry(char Status, string Path, string? OldPath);

/// <summary>One entry of <c>git ls-tree</c>.</summary>
/// <param name="Mode">The mode, e.g. <c>100644</c>.</param>
/// <param name="Type">blob, tree or commit.</param>
/// <param name="Sha">The object id.</param>
/// <param name="Path">The path.</param>
public sealed record GitTreeEntry(string Mode, string Type, string Sha, string Path);

/// <summary>
/// What fake Git hosts ask a real repository: refs, objects, diffs, trees and archives, all computed by the git CLI,
/// so the fakes serve the same answers a host running git would.
/// </summary>
/// <param name="repository">The repository.</param>
public sealed class GitQueries(TemporaryGitRepository repository)
{
    /// <summary>Gets the repository.</summary>
    public TemporaryGitRepository Repository { get; } = repository;

    /// <summary>Resolves a revision to a full object id, or <see langword="null"/> when it does not exist.</summary>
    /// <param name="revision">Anything <c>git rev-parse</c> accepts, e.g. <c>refs/heads/main</c> or <c>v1^{commit}</c>.</param>
    /// <returns>The id.</returns>
    public string? RevParse(string revision)
    {
        if (revision.StartsWith('-'))
        {
            return null;
        }

        try
        {
            return Repository.Git("rev-parse", "--verify", "--quiet", revision);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Resolves a revision to the commit it names, or <see langword="null"/>.</summary>
    /// <param name="revision">A branch, tag or (abbreviated) SHA.</param>
    /// <returns>The commit id.</returns>
    public string? Commit(string revision) => RevParse(revision + "^{commit}");

    /// <summary>Gets an object's type (commit, tag, tree, blob).</summary>
    /// <param name="id">The object id.</param>
    /// <returns>The type.</returns>
    public string ObjectType(string id) => Repository.Git("cat-file", "-t", id);

    /// <summary>Gets the object a tag object points at.</summary>
    /// <param name="tagId">The tag object's id.</param>
    /// <returns>The target's id and type.</returns>
    public (string Sha, string Type) TagTarget(string tagId)
    {
        var lines = Repository.Git("cat-file", "-p", tagId).Split('\n');
        return (lines.First(l => l.StartsWith("object ", StringComparison.Ordinal))[7..], lines.First(l => l.StartsWith("type ", StringComparison.Ordinal))[5..]);
    }

    /// <summary>Lists the branches and their commits, ordered by name.</summary>
    /// <returns>The branches.</returns>
    public IReadOnlyList<(string Name, string Sha)> Branches() =>
        Lines(Repository.Git("for-each-ref", "--sort=refname", "--format=%(refname:short) %(objectname)", "refs/heads"))
            .Select(line => (line[..line.LastIndexOf(' ')], line[(line.LastIndexOf(' ') + 1)..]))
            .ToList();

    /// <summary>Gets the merge base of two commits, or <see langword="null"/> when they share no history.</summary>
    /// <param name="a">One commit.</param>
    /// <param name="b">The other.</param>
    /// <returns>The merge base.</returns>
    public string? MergeBase(string a, string b)
    {
        try
        {
            return Repository.Git("merge-base", a, b);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Counts the commits only in <paramref name="head"/> (ahead) and only in <paramref name="baseSha"/> (behind).</summary>
    /// <param name="baseSha">The base.</param>
    /// <param name="head">The head.</param>
    /// <returns>The counts.</returns>
    public (int Ahead, int Behind) AheadBehind(string baseSha, string head)
    {
        var parts = Repository.Git("rev-list", "--left-right", "--count", $"{baseSha}...{head}").Split('\t', ' ');
        return (int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Lists the commits in <paramref name="head"/> but not in <paramref name="baseSha"/>, oldest first.</summary>
    /// <param name="baseSha">The base.</param>
    /// <param name="head">The head.</param>
    /// <returns>The commit ids.</returns>
    public IReadOnlyList<string> CommitsBetween(string baseSha, string head) =>
        Lines(Repository.Git("rev-list", "--reverse", $"{baseSha}..{head}"));

    /// <summary>Diffs two commits directly, with rename detection, as hosts do.</summary>
    /// <param name="from">The older commit.</param>
    /// <param name="to">The newer commit.</param>
    /// <returns>The changed paths in git's order.</returns>
    public IReadOnlyList<GitDiffEntry> Diff(string from, string to)
    {
        var fields = Encoding.UTF8.GetString(Repository.GitBytes("diff", "--name-status", "-z", "-M", "--no-color", from, to)).Split('\0');
        var entries = new List<GitDiffEntry>();
        for (var i = 0; i + 1 < fields.Length && fields[i].Length > 0;)
        {
            var status = fields[i][0];
            if (status is 'R' or 'C')
            {
                entries.Add(new GitDiffEntry(status, fields[i + 2], fields[i + 1]));
                i += 3;
            }
            else
            {
                entries.Add(new GitDiffEntry(status, fields[i + 1], null));
                i += 2;
            }
        }

        return entries;
    }

    /// <summary>Lists a commit's tree recursively, directories included.</summary>
    /// <param name="commit">The commit.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<GitTreeEntry> Tree(string commit) =>
        Encoding.UTF8.GetString(Repository.GitBytes("ls-tree", "-r", "-t", "-z", "--full-tree", commit))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(line =>
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                var meta = line[..tab].Split(' ');
                return new GitTreeEntry(meta[0], meta[1], meta[2], line[(tab + 1)..]);
            })
            .ToList();

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
