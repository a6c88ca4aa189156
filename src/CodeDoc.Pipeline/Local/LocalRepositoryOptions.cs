namespace CodeDoc.Pipeline;

/// <summary>
/// Options of the local repository provider (kind <c>local</c>), which serves local folders and git repositories
/// named by path. The default registration binds them from <c>CodeDoc:Local</c>.
/// </summary>
public sealed class LocalRepositoryOptions
{
    /// <summary>The name of the configuration section below <c>CodeDoc</c> the default registration binds.</summary>
    public const string SectionName = "Local";

    /// <summary>
    /// Gets the folders repositories may be read from. Empty (the default) serves any path the process can read.
    /// When any is listed, a path that is not one of them or below one is refused; set this in hosted use, where
    /// webhooks or stored jobs name the paths. Entries are absolute paths of existing folders; symbolic links are
    /// resolved on both sides before comparing, so a link cannot lead out of a root.
    /// </summary>
    public IList<string> AllowedRoots { get; } = [];

    /// <summary>
    /// Gets or sets a value indicating whether a folder inside a git work tree is read from the repository's commits
    /// (the default: refs, history and comparisons work, and uncommitted changes are left out), or, when
    /// <see langword="false"/>, as it is on disk like any plain folder.
    /// </summary>
    public bool PreferGit { get; set; } = true;
}
