using CodeDoc.Testing;

namespace CodeDoc.FakeServers.Git;

/// <summary>
/// A real repository for Git host fakes to serve: several commits on <c>main</c> with a modification, a rename, a
/// deletion and an addition between <see cref="BaseCommit"/> and <see cref="HeadCommit"/>, a binary file, a symbolic
/// link, a submodule (gitlink), an annotated tag, a branch with a slash in its name, and a branch whose name starts
/// with <c>main</c> (to catch prefix matches).
/// </summary>
public sealed class HostedSampleRepository : IDisposable
{
    /// <summary>The default branch.</summary>
    public const string DefaultBranch = "main";

    /// <summary>A branch whose name starts with the default branch's name, pointing at <see cref="BaseCommit"/>.</summary>
    public const string PrefixTrapBranch = "main-old";

    /// <summary>A branch with a slash in its name, one commit ahead of <see cref="HeadCommit"/>.</summary>
    public const string FeatureBranch = "feature/login";

    /// <summary>An annotated tag on <see cref="HeadCommit"/>.</summary>
    public const string Tag = "v1.0";

    /// <summary>A file modified between <see cref="BaseCommit"/> and <see cref="HeadCommit"/>.</summary>
    public const string ModifiedFile = "src/app.cs";

    /// <summary>The path of the renamed file at <see cref="BaseCommit"/>.</summary>
    public const string RenamedFrom = "docs/old-name.md";

    /// <summary>The path of the renamed file at <see cref="HeadCommit"/>.</summary>
    public const string RenamedTo = "docs/guide.md";

    /// <summary>A file deleted between <see cref="BaseCommit"/> and <see cref="HeadCommit"/>.</summary>
    public const string DeletedFile = "obsolete.txt";

    /// <summary>A file added between <see cref="BaseCommit"/> and <see cref="HeadCommit"/>.</summary>
    public const string AddedFile = "src/feature/login.cs";

    /// <summary>A binary file (a PNG header and NUL bytes).</summary>
    public const string BinaryFile = "assets/logo.png";

    /// <summary>A symbolic link to <c>README.md</c>.</summary>
    public const string SymbolicLink = "readme-link";

    /// <summary>A submodule (gitlink).</summary>
    public const string Submodule = "vendor/lib";

    private HostedSampleRepository(TemporaryGitRepository repository, string initialCommit, string baseCommit, string headCommit, string featureCommit)
    {
        Repository = repository;
        Facts = new GitRepositoryFacts(repository);
        InitialCommit = initialCommit;
        BaseCommit = baseCommit;
        HeadCommit = headCommit;
        FeatureCommit = featureCommit;
    }

    /// <summary>Gets the repository.</summary>
    public TemporaryGitRepository Repository { get; }

    /// <summary>Gets the git facts of the repository.</summary>
    public GitRepositoryFacts Facts { get; }

    /// <summary>Gets the first commit.</summary>
    public string InitialCommit { get; }

    /// <summary>Gets the commit before the modification, rename, deletion and addition.</summary>
    public string BaseCommit { get; }

    /// <summary>Gets the head of <c>main</c>.</summary>
    public string HeadCommit { get; }

    /// <summary>Gets the head of <see cref="FeatureBranch"/>.</summary>
    public string FeatureCommit { get; }

    /// <summary>Gets the files (not links or submodules) at <see cref="HeadCommit"/>.</summary>
    public IReadOnlyList<string> FilesAtHead => [.. Facts.ListRecursive(HeadCommit)
        .Where(e => e.Type == "blob" && !e.IsSymbolicLink)
        .Select(e => e.Path)
        .Order(StringComparer.Ordinal)];

    /// <summary>Creates the repository in a temporary folder.</summary>
    /// <returns>The repository; dispose it to delete the folder.</returns>
    public static HostedSampleRepository Create()
    {
        var repository = TemporaryGitRepository.Init(DefaultBranch);
        try
        {
            var guide = string.Join('\n', Enumerable.Range(1, 40).Select(i => $"Guide line {i}: how to use the sample service.")) + "\n";
            var initial = repository
                .Write("README.md", "# Sample\n\nA sample service.\n")
                .Write(".gitignore", "*.log\n")
                .Write(ModifiedFile, "class App\n{\n    static void Main() { }\n}\n")
                .Write("src/util.cs", "static class Util { }\n")
                .Commit("initial");
            repository
                .Write(RenamedFrom, guide)
                .Write(DeletedFile, "to be removed\n")
                .Write(BinaryFile, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3])
                .Symlink(SymbolicLink, "README.md")
                .Commit("docs, assets and a link");

            // An unpopulated submodule, as a clone without --recurse-submodules leaves it: an empty folder.
            Directory.CreateDirectory(Path.Combine(repository.Path, Submodule));
            repository.Git("update-index", "--add", "--cacheinfo", "160000," + initial + "," + Submodule);
            repository.Git("commit", "--quiet", "--message", "submodule");
            repository.Git("branch", PrefixTrapBranch);
            var baseCommit = repository.Head();

            File.Move(Path.Combine(repository.Path, RenamedFrom), Path.Combine(repository.Path, RenamedTo));
            File.Delete(Path.Combine(repository.Path, DeletedFile));
            var head = repository
                .Write(ModifiedFile, "class App\n{\n    static void Main() => Util.Run();\n}\n")
                .Write(AddedFile, "class Login { }\n")
                .Commit("rename the guide, drop the obsolete file, add login");
            repository.Git("tag", "--annotate", Tag, "--message", "release " + Tag);

            repository.Git("checkout", "--quiet", "-b", FeatureBranch);
            var feature = repository.Write(AddedFile, "class Login\n{\n    bool Check() => true;\n}\n").Commit("login check");
            repository.Git("checkout", "--quiet", DefaultBranch);
            return new HostedSampleRepository(repository, initial, baseCommit, head, feature);
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Repository.Dispose();
}
