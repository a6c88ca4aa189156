using System.Text;
using CodeDoc.Testing;
using CsCheck;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>
/// The ignore matcher against real git: random trees with random nested .gitignore files are written to disk, git
/// lists the files it does not ignore, and every file's verdict must agree.
/// </summary>
public sealed class GitIgnoreOracleTests
{
    private const int CasesPerRepository = 25;

    private static readonly string[] Names =
    [
        "a", "b", "ab", "a.txt", "b.log", "x.log", "Foo", "foo", "a b", "#x", "!x", "[a]", "a*", "q?", "t ", "é", "日本",
        "-z", ".hidden", "build", "logs", "keep.txt",
    ];

    private static readonly string[] Pieces =
    [
        "a", "b", "ab", "*", "?", "**", "*.log", "*.txt", "a*", "[ab]", "[!a]*", "[a-c]", "[^b]", "[[:alpha:]]*", "\\#x",
        "\\!x", "\\[a]", "foo", "Foo", "build", "logs", "é", "??", "?*", "a\\ b", "t\\ ", "*b", ".hidden", "[é]", "keep.txt",
        "[]a]", "*[!.]*", "\\*", "q\\?",
    ];

    private static readonly Gen<string> PathGen = Gen.OneOf(Names).Array[1, 3].Select(parts => string.Join('/', parts));

    private static readonly Gen<string> LineGen = Gen.Select(
        Gen.Int[0, 9],
        Gen.Int[0, 5],
        Gen.OneOf(Pieces).Array[1, 2],
        Gen.Int[0, 4],
        Gen.Int[0, 11],
        static (negate, anchor, pieces, slash, tail) =>
        {
            var body = string.Join('/', pieces);
            var line = anchor switch
            {
                0 => "/" + body,
                1 => "**/" + body,
                2 => body + "/**",
                _ => body,
            };
            line = (negate < 2 ? "!" : string.Empty) + line + (slash == 0 ? "/" : string.Empty);
            return tail switch
            {
                0 => line + "   ",
                1 => "# " + line,
                2 => string.Empty,
                _ => line,
            };
        });

    private static readonly Gen<TreeCase> CaseGen = Gen.Select(
        PathGen.Array[2, 8],
        Gen.Select(Gen.Int[0, 100], LineGen.Array[1, 6]).Array[1, 3],
        static (paths, ignoreFiles) => TreeCase.Create(paths, ignoreFiles));

    [Fact]
    public void Evaluate_RandomTrees_AgreesWithGit()
    {
        CaseGen.Array[CasesPerRepository].Sample(AssertAgreesWithGit, iter: 12, threads: 1, print: Describe);
    }

    private static void AssertAgreesWithGit(TreeCase[] cases)
    {
        using var repository = TemporaryGitRepository.Init();
        for (var i = 0; i < cases.Length; i++)
        {
            cases[i].WriteTo(repository, $"c{i}");
        }

        var notIgnored = Encoding.UTF8.GetString(repository.GitBytes("ls-files", "--others", "--exclude-standard", "-z"))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);

        for (var i = 0; i < cases.Length; i++)
        {
            var rules = cases[i].BuildRules();
            foreach (var file in cases[i].AllFiles)
            {
                var match = rules.Evaluate(ByteString.FromText(file), isDirectory: false);
                var gitIgnores = !notIgnored.Contains($"c{i}/{file}");
                if (gitIgnores != match is not null)
                {
                    throw new InvalidOperationException(
                        $"'{file}': git says {(gitIgnores ? "ignored" : "not ignored")}, the matcher says {(match is null ? "not ignored" : "ignored by " + match.Pattern.Describe())}.");
                }
            }
        }
    }

    private static string Describe(TreeCase[] cases) => string.Join("\n---\n", cases.Select(c => c.ToString()));

    private sealed class TreeCase
    {
        private TreeCase(string[] files, (string Directory, string[] Lines)[] ignoreFiles)
        {
            Files = files;
            IgnoreFiles = ignoreFiles;
        }

        public string[] Files { get; }

        public (string Directory, string[] Lines)[] IgnoreFiles { get; }

        public IEnumerable<string> AllFiles => Files.Concat(IgnoreFiles.Select(f => IgnorePath(f.Directory)));

        public static TreeCase Create(string[] paths, (int Directory, string[] Lines)[] ignoreFiles)
        {
            // Keep only paths that can coexist on disk: no file where another path needs a directory.
            var files = new List<string>();
            foreach (var path in paths.Distinct(StringComparer.Ordinal))
            {
                if (files.All(f => !path.StartsWith(f + "/", StringComparison.Ordinal) && !f.StartsWith(path + "/", StringComparison.Ordinal)))
                {
                    files.Add(path);
                }
            }

            var directories = files
                .SelectMany(f => Enumerable.Range(0, f.Count(c => c == '/')).Select(n => string.Join('/', f.Split('/').Take(n + 1))))
                .Prepend(string.Empty)
                .Distinct(StringComparer.Ordinal)
                .ToArray();
            var ignores = ignoreFiles
                .Select(f => (Directory: directories[f.Directory % directories.Length], f.Lines))
                .DistinctBy(f => f.Directory)
                .ToArray();
            return new TreeCase([.. files], ignores);
        }

        public void WriteTo(TemporaryGitRepository repository, string root)
        {
            foreach (var file in Files)
            {
                repository.Write($"{root}/{file}", "x\n");
            }

            foreach (var (directory, lines) in IgnoreFiles)
            {
                repository.Write($"{root}/{IgnorePath(directory)}", string.Join('\n', lines) + "\n");
            }
        }

        public IgnoreRules BuildRules()
        {
            var rules = new IgnoreRules();
            foreach (var (directory, lines) in IgnoreFiles)
            {
                rules.Add(IgnoreList.Parse(ByteString.FromText(directory), IgnorePath(directory), Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n")));
            }

            return rules;
        }

        public override string ToString() =>
            string.Join("\n", Files) + "\n" + string.Join("\n", IgnoreFiles.Select(f => $"[{IgnorePath(f.Directory)}]\n  " + string.Join("\n  ", f.Lines)));

        private static string IgnorePath(string directory) => directory.Length == 0 ? ".gitignore" : directory + "/.gitignore";
    }
}
