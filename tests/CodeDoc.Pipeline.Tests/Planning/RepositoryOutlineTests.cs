using CodeDoc.Core;

namespace CodeDoc.Pipeline.Tests.Planning;

public sealed class RepositoryOutlineTests
{
    [Fact]
    public void FindModules_SeveralProjects_OneModulePerProjectAndTestsTogether()
    {
        var snapshot = CostForecasterTests.Snapshot(
            ("src/App.Core/App.Core.csproj", 100),
            ("src/App.Core/Model.cs", 900),
            ("src/App.Web/App.Web.csproj", 100),
            ("src/App.Web/Program.cs", 500),
            ("tests/App.Core.Tests/App.Core.Tests.csproj", 50),
            ("tests/App.Core.Tests/ModelTests.cs", 300),
            ("tests/App.Web.Tests/App.Web.Tests.csproj", 50),
            ("docs/guide.md", 40),
            ("README.md", 10));

        var modules = RepositoryOutline.FindModules(snapshot.Files);

        Assert.Equal(["src/App.Core", "src/App.Web", "tests", "docs"], modules.Select(m => m.Path));
        Assert.Equal(3, modules.Single(m => m.Path == "tests").Files.Count);
    }

    [Fact]
    public void FindModules_NoProjects_GroupsByTopFolder()
    {
        var snapshot = CostForecasterTests.Snapshot(("lib/a.py", 10), ("lib/sub/b.py", 20), ("scripts/run.sh", 5), ("README.md", 3));

        var modules = RepositoryOutline.FindModules(snapshot.Files);

        Assert.Equal(["lib", "scripts"], modules.Select(m => m.Path));
    }

    [Fact]
    public void FindModules_OneFolderHoldsMostCode_SplitIntoSubfolders()
    {
        var snapshot = CostForecasterTests.Snapshot(
            ("src/parser/p.c", 500), ("src/parser/deep/q.c", 100), ("src/vm/v.c", 400), ("src/main.c", 50), ("tools/t.sh", 20), (".github/ci.yml", 5));

        var modules = RepositoryOutline.FindModules(snapshot.Files);

        Assert.Equal(["src/parser", "src/vm", "src", "tools"], modules.Select(m => m.Path));
    }

    [Fact]
    public void FindModules_ChainOfSingleSubfolders_FollowedToWhereItBranches()
    {
        var snapshot = CostForecasterTests.Snapshot(
            ("plugins/README.md", 10), ("plugins/python-build/bin/build", 300), ("plugins/python-build/share/defs", 900), ("libexec/x", 50));

        var modules = RepositoryOutline.FindModules(snapshot.Files);

        Assert.Equal(["plugins/python-build/share", "plugins/python-build/bin", "libexec", "plugins"], modules.Select(m => m.Path));
    }

    [Fact]
    public void FindModules_TooManyFolders_MergesTheSmallest()
    {
        var files = Enumerable.Range(0, RepositoryOutline.MaxModulePages + 10).Select(i => ($"f{i:D3}/x.c", 100 + i)).ToArray();

        var modules = RepositoryOutline.FindModules(CostForecasterTests.Snapshot(files).Files);

        Assert.Equal(RepositoryOutline.MaxModulePages, modules.Count);
        Assert.Equal(11, modules.Single(m => m.Path == "(other folders)").Files.Count);
        Assert.Equal(files.Length, modules.Sum(m => m.Files.Count));
    }

    [Fact]
    public void Build_TypicalRepository_WikiPagesWithValidUniqueKeysAndParents()
    {
        var snapshot = CostForecasterTests.Snapshot(
            ("README.md", 100), ("src/a/a.csproj", 10), ("src/a/A.cs", 100), ("src/b/b.csproj", 10), ("src/b/B.cs", 100),
            ("src/a/appsettings.json", 10), ("Dockerfile", 10), (".github/workflows/ci.yml", 10));

        var pages = PresetOutline.Build(CostForecasterTests.Presets.Get("wiki"), snapshot, RepositoryOutline.FindModules(snapshot.Files), steering: null, maxPages: 100).Pages;

        Assert.Equal(
            ["overview", "getting-started", "architecture", "modules", "module-src-a", "module-src-b", "data-flow", "configuration", "deployment"],
            pages.Select(p => p.Key));
        Assert.All(pages, p => Assert.True(DocumentSetValidator.IsValidKey(p.Key), p.Key));
        Assert.All(pages.Where(p => p.Kind == "module"), p => Assert.Equal("modules", p.ParentKey));
        Assert.Contains("Dockerfile", pages.Single(p => p.Key == "deployment").SourceFiles);
        Assert.Contains("src/a/appsettings.json", pages.Single(p => p.Key == "configuration").SourceFiles);
        Assert.Equal(["README.md"], pages.Single(p => p.Key == "overview").SourceFiles);
    }

    [Fact]
    public void Build_NoConfigurationOrDeployment_OmitsThosePages()
    {
        var snapshot = CostForecasterTests.Snapshot(("lib/a.py", 10));

        var pages = PresetOutline.Build(CostForecasterTests.Presets.Get("wiki"), snapshot, RepositoryOutline.FindModules(snapshot.Files), steering: null, maxPages: 100).Pages;

        Assert.DoesNotContain(pages, p => p.Key is "configuration" or "deployment");
    }

    [Theory]
    [InlineData("src/My.App", "src-my-app")]
    [InlineData("(other folders)", "other-folders")]
    [InlineData("...", "other")]
    public void Slug_Text_LowercaseDashes(string text, string expected) => Assert.Equal(expected, RepositoryOutline.Slug(text));
}
