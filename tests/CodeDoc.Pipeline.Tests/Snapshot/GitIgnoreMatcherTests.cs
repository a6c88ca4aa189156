using System.Text;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>The ignore matcher on the cases git's documentation describes.</summary>
public sealed class GitIgnoreMatcherTests
{
    [Theory]
    [InlineData("*.log", "a.log", true)]
    [InlineData("*.log", "deep/dir/b.log", true)]
    [InlineData("*.log", "a.log.txt", false)]
    [InlineData("/build", "build", true)]
    [InlineData("/build", "src/build", false)]
    [InlineData("build/", "src/build/out.txt", true)]
    [InlineData("build/", "build", false)]
    [InlineData("doc/frotz", "doc/frotz", true)]
    [InlineData("doc/frotz", "a/doc/frotz", false)]
    [InlineData("**/foo", "a/b/foo", true)]
    [InlineData("**/foo", "foo", true)]
    [InlineData("foo/**", "foo/a/b", true)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/*.c", "a/b/c.c", false)]
    [InlineData("a/*.c", "a/c.c", true)]
    [InlineData("?.txt", "a.txt", true)]
    [InlineData("?.txt", "ab.txt", false)]
    [InlineData("[a-c].txt", "b.txt", true)]
    [InlineData("[a-c].txt", "d.txt", false)]
    [InlineData("[!a].txt", "a.txt", false)]
    [InlineData("[!a].txt", "b.txt", true)]
    [InlineData("[[:digit:]]*", "7up", true)]
    [InlineData("\\#file", "#file", true)]
    [InlineData("#file", "#file", false)]
    [InlineData("\\!important", "!important", true)]
    [InlineData("foo   ", "foo", true)]
    [InlineData("foo\\ ", "foo ", true)]
    [InlineData("foo\\ ", "foo", false)]
    [InlineData("?", "é", false)]
    [InlineData("??", "é", true)]
    [InlineData("*", "anything/at/all", true)]
    public void Evaluate_SinglePattern_MatchesAsGit(string pattern, string path, bool excluded)
    {
        var rules = Rules(("", pattern));

        Assert.Equal(excluded, rules.Evaluate(ByteString.FromText(path), isDirectory: false) is not null);
    }

    [Fact]
    public void Evaluate_NegationAfterMatch_ReIncludes()
    {
        var rules = Rules(("", "*.log\n!important.log"));

        Assert.NotNull(rules.Evaluate("debug.log", false));
        Assert.Null(rules.Evaluate("important.log", false));
    }

    [Fact]
    public void Evaluate_FileBelowExcludedDirectory_CannotBeReIncluded()
    {
        var excludedDirectory = Rules(("", "logs/\n!logs/keep.txt"));
        var excludedContents = Rules(("", "logs/*\n!logs/keep.txt"));

        var match = excludedDirectory.Evaluate("logs/keep.txt", false);
        Assert.NotNull(match);
        Assert.Equal("logs", match.Directory);
        Assert.Equal(".gitignore:1 logs/", match.Pattern.Describe());
        Assert.Null(excludedContents.Evaluate("logs/keep.txt", false));
        Assert.NotNull(excludedContents.Evaluate("logs/other.txt", false));
    }

    [Fact]
    public void Evaluate_NestedFiles_DeeperFileWins()
    {
        var rules = Rules(("", "*.txt"), ("sub", "!keep.txt"), ("sub/deeper", "keep.txt"));

        Assert.NotNull(rules.Evaluate("keep.txt", false));
        Assert.Null(rules.Evaluate("sub/keep.txt", false));
        Assert.NotNull(rules.Evaluate("sub/deeper/keep.txt", false));
        Assert.Equal("sub/deeper/.gitignore:1 keep.txt", rules.Evaluate("sub/deeper/keep.txt", false)!.Pattern.Describe());
    }

    [Fact]
    public void Evaluate_NestedFile_AppliesOnlyBelowItsDirectory()
    {
        var rules = Rules(("sub", "/x.txt\n*.md"));

        Assert.Null(rules.Evaluate("x.txt", false));
        Assert.Null(rules.Evaluate("a.md", false));
        Assert.NotNull(rules.Evaluate("sub/x.txt", false));
        Assert.Null(rules.Evaluate("sub/inner/x.txt", false));
        Assert.NotNull(rules.Evaluate("sub/inner/a.md", false));
    }

    [Fact]
    public void Evaluate_LastMatchingLineWins_AcrossFastPathsAndGlobs()
    {
        var rules = Rules(("", "*.js\n!keep.js\nkeep*\n!*.js"));

        Assert.Null(rules.Evaluate("keep.js", false));
        Assert.NotNull(rules.Evaluate("keeper", false));
    }

    [Fact]
    public void Parse_CarriageReturnsBomAndComments_AreHandledAsGitDoes()
    {
        var content = Encoding.UTF8.GetBytes("\uFEFF# comment\r\n*.tmp\r\n\r\n   \r\n/only-root\r\nlast-without-newline");
        var list = IgnoreList.Parse(string.Empty, ".gitignore", content);
        var rules = new IgnoreRules();
        rules.Add(list);

        Assert.Equal(3, list.Count);
        Assert.NotNull(rules.Evaluate("a.tmp", false));
        Assert.NotNull(rules.Evaluate("only-root", false));
        Assert.NotNull(rules.Evaluate("last-without-newline", false));
        Assert.Equal(".gitignore:5 /only-root", rules.Evaluate("only-root", false)!.Pattern.Describe());
    }

    [Fact]
    public void Evaluate_DirectoryOnlyPattern_MatchesDirectoriesWhenAsked()
    {
        var rules = Rules(("", "cache/"));

        Assert.NotNull(rules.Evaluate("cache", isDirectory: true));
        Assert.Null(rules.Evaluate("cache", isDirectory: false));
    }

    [Fact]
    public void Evaluate_RulesAddedLater_InvalidateCachedDirectoryVerdicts()
    {
        var rules = Rules(("", "*.tmp"));
        Assert.Null(rules.Evaluate("gen/a.cs", false));

        rules.Add(IgnoreList.Parse("", ".gitignore", "gen/\n"u8));

        Assert.NotNull(rules.Evaluate("gen/a.cs", false));
    }

    private static IgnoreRules Rules(params (string Directory, string Content)[] files)
    {
        var rules = new IgnoreRules();
        foreach (var (directory, content) in files)
        {
            var source = directory.Length == 0 ? ".gitignore" : directory + "/.gitignore";
            rules.Add(IgnoreList.Parse(ByteString.FromText(directory), source, Encoding.UTF8.GetBytes(content)));
        }

        return rules;
    }
}
