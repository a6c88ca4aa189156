using System.Text;
using CodeDoc.Testing;

namespace CodeDoc.FakeServers.Git;

/// <summary>
/// A real repository for a host's tests, built once per test run: several commits with a rename, a deletion and a
/// binary file, an annotated and a lightweight tag, a branch with a slash, and 120 more branches for paging. Each test
/// project derives its assembly fixture from it, naming where its fake serves it.
/// </summary>
public class BranchySampleRepository : IDisposable
{
    /// <summary>The number of <c>topic-NNN</c> branches besides <c>main</c> and <c>feature/login</c>.</summary>
    public const int ExtraBranches = 120;

    public BranchySampleRepository()
    {
        Repository = TemporaryGitRepository.Init();
        First = Repository
            .Write("README.md", "# Widgets\n\nA sample repository.\n")
            .Write("src/app.cs", AppSource(1))
            .Write("docs/guide.md", "# Guide\n\nHow to use widgets.\n")
            .Write("notes/old-name.txt", string.Concat(Enumerable.Range(1, 20).Select(i => $"note line {i}\n")))
            .Write("assets/logo.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0xFF, 0x00, 0x10])
            .Commit("first");
        Repository.Git("tag", "light", First);

        File.Move(Path.Combine(Repository.Path, "notes", "old-name.txt"), Path.Combine(Repository.Path, "notes", "new-name.txt"));
        File.Delete(Path.Combine(Repository.Path, "docs", "guide.md"));
        Second = Repository
            .Write("src/app.cs", AppSource(2))
            .Write("src/util.cs", "static class Util { }\n")
            .Commit("second: rename, delete, add");
        Repository.Git("tag", "-a", "v1.0", "-m", "release 1.0", Second);

        Head = Repository.Write("README.md", "# Widgets\n\nA sample repository, now documented.\n").Commit("third");

        Repository.Git("checkout", "--quiet", "-b", "feature/login");
        Feature = Repository.Write("src/login.cs", "class Login { }\n").Commit("login");
        Repository.Git("checkout", "--quiet", "main");

        var refs = new StringBuilder();
        for (var i = 0; i < ExtraBranches; i++)
        {
            refs.Append("create refs/heads/topic-").Append(i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').Append(First).Append('\n');
        }

        Repository.Run(Repository.Path, Encoding.UTF8.GetBytes(refs.ToString()), "update-ref", "--stdin");
    }

    public TemporaryGitRepository Repository { get; }

    /// <summary>Gets the first commit (tag <c>light</c>).</summary>
    public string First { get; }

    /// <summary>Gets the second commit (annotated tag <c>v1.0</c>): notes/old-name.txt renamed, docs/guide.md deleted, src/util.cs added.</summary>
    public string Second { get; }

    /// <summary>Gets the head of <c>main</c>.</summary>
    public string Head { get; }

    /// <summary>Gets the head of <c>feature/login</c>.</summary>
    public string Feature { get; }

    public static string AppSource(int version) =>
        string.Concat(Enumerable.Range(1, 30).Select(i => $"// line {i} of version {(i == 15 ? version : 1)}\n"));

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Deletes the repository.</summary>
    /// <param name="disposing">Whether this is a call to <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Repository.Dispose();
        }
    }
}
