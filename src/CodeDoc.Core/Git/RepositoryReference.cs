namespace CodeDoc.Core;

/// <summary>
/// A repository as one Git provider understands it. Created by <see cref="IGitProvider.TryParseRepository"/>;
/// the <see cref="Id"/> is stable across runs and never contains credentials.
/// </summary>
public sealed record RepositoryReference
{
    /// <summary>Initializes a new instance of the <see cref="RepositoryReference"/> class.</summary>
    /// <param name="location">The location as given by the user (a path or URL), with any credentials removed.</param>
    /// <param name="id">A normalized identity such as <c>github.com/owner/repo</c> or <c>local/home/me/src/app</c>.</param>
    /// <param name="displayName">A short name for reports, e.g. <c>owner/repo</c>.</param>
    public RepositoryReference(string location, string id, string displayName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        Location = location;
        Id = id;
        DisplayName = displayName;
    }

    /// <summary>Gets the location as given by the user, without credentials.</summary>
    public string Location { get; }

    /// <summary>Gets the stable, normalized identity of the repository.</summary>
    public string Id { get; }

    /// <summary>Gets a short name for reports.</summary>
    public string DisplayName { get; }

    /// <summary>Gets the name of the provider registration that parsed this reference.</summary>
    public string? ProviderName { get; init; }

    /// <summary>Gets provider-specific parts parsed from the location (owner, project, collection, ...).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <inheritdoc />
    public override string ToString() => Id;
}

/// <summary>What kind of ref a name resolved to.</summary>
public enum RefKind
{
    /// <summary>A branch (<c>refs/heads/...</c>).</summary>
    Branch,

    /// <summary>A tag (<c>refs/tags/...</c>).</summary>
    Tag,

    /// <summary>A commit SHA given directly.</summary>
    Commit,
}

/// <summary>A ref resolved to the commit it points at.</summary>
/// <param name="Reference">The ref as asked for (or the default branch name when none was given).</param>
/// <param name="CommitSha">The full commit SHA. Everything after resolution is read by this SHA.</param>
/// <param name="Kind">Whether the ref is a branch, a tag or a commit.</param>
public sealed record ResolvedRef(string Reference, string CommitSha, RefKind Kind);

/// <summary>Metadata of a repository.</summary>
/// <param name="Repository">The repository.</param>
/// <param name="Name">The repository's name.</param>
/// <param name="DefaultBranch">The default branch, or <see langword="null"/> for an empty repository or a plain folder.</param>
/// <param name="WebUrl">The repository's web page, when it has one.</param>
public sealed record RepositoryInfo(RepositoryReference Repository, string Name, string? DefaultBranch, Uri? WebUrl)
{
    /// <summary>Gets the repository's description, when the host has one.</summary>
    public string? Description { get; init; }

    /// <summary>Gets a value indicating whether the repository is private, when the host says.</summary>
    public bool? IsPrivate { get; init; }

    /// <summary>Gets notes for the user, e.g. that a working tree has uncommitted changes a snapshot will not include.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>A branch and the commit it points at.</summary>
/// <param name="Name">The branch name without <c>refs/heads/</c>.</param>
/// <param name="CommitSha">The commit at its head.</param>
/// <param name="IsDefault">Whether it is the repository's default branch.</param>
public sealed record BranchInfo(string Name, string CommitSha, bool IsDefault);

/// <summary>An inclusive, 1-based range of lines.</summary>
public readonly record struct LineRange
{
    /// <summary>Initializes a new instance of the <see cref="LineRange"/> struct.</summary>
    /// <param name="start">The first line, 1-based.</param>
    /// <param name="end">The last line, at least <paramref name="start"/>.</param>
    public LineRange(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(start, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        Start = start;
        End = end;
    }

    /// <summary>Gets the first line.</summary>
    public int Start { get; }

    /// <summary>Gets the last line.</summary>
    public int End { get; }

    /// <inheritdoc />
    public override string ToString() => Start == End ? $"L{Start}" : $"L{Start}-L{End}";
}
