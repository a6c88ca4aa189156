using CodeDoc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeDoc.Pipeline.Tests.Facts;

public sealed class SymbolIndexBuilderTests
{
    internal static SnapshotFile File(string path, string content) =>
        new(path, content.Length, content.Split('\n').Length, content.Length / 4) { Content = content };

    internal static RepositorySnapshot Snapshot(params SnapshotFile[] files) =>
        new() { CommitSha = "0123456789abcdef0123456789abcdef01234567", Files = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(), Excluded = [] };

    [Fact]
    public async Task BuildAsync_MixedRepository_IndexesEveryLanguageAndReportsDepth()
    {
        var snapshot = Snapshot(
            File("src/Shop/Cart.cs", "namespace Shop;\npublic class CartBase { public void Clear() { } }\npublic sealed class Cart : CartBase { public int Count { get; } }\n"),
            File("web/cart.ts", "export function addItem(id: string): void {}\n"),
            File("tools/report.py", "def render_report(rows):\n    return rows\n"),
            File("native/io.rs", "pub fn read() {}\n"),
            File("README.md", "# Shop\n"));

        var index = await new SymbolIndexBuilder(NullLogger<SymbolIndexBuilder>.Instance).BuildAsync(snapshot, TestContext.Current.CancellationToken);

        Assert.True(index.Contains("Shop.Cart"));
        Assert.True(index.Contains("Cart.Clear"));
        Assert.True(index.Contains("addItem"));
        Assert.True(index.Contains("render_report"));
        Assert.False(index.Contains("Cart.Checkout"));
        Assert.False(index.Contains("read"));
        Assert.Contains(index.Coverage, c => c.Language == "rust" && c.Depth == SymbolIndexBuilder.FileLevelDepth);
        Assert.Contains(index.Coverage, c => c.Language == "csharp" && c.Depth == SymbolIndexBuilder.SymbolsDepth);
    }

    [Fact]
    public async Task BuildAsync_SnapshotWithoutContent_ThrowsNamingTheOption()
    {
        var snapshot = Snapshot(new SnapshotFile("a.cs", 10, 1, 2));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new SymbolIndexBuilder(NullLogger<SymbolIndexBuilder>.Instance).BuildAsync(snapshot, TestContext.Current.CancellationToken));

        Assert.Contains("RetainContent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DotNetProjects_ResolvesTargetsPackagesAndReferences()
    {
        var projects = ProjectManifests.Read(
        [
            File("src/App/App.csproj", """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFrameworks>net8.0;net10.0</TargetFrameworks></PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Serilog" Version="4.0.0" />
                    <ProjectReference Include="..\Lib\Lib.csproj" />
                  </ItemGroup>
                </Project>
                """),
            File("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>"),
        ]);

        var app = Assert.Single(projects, p => p.Path == "src/App/App.csproj");
        Assert.Equal("dotnet", app.Kind);
        Assert.Equal(["net8.0", "net10.0"], app.Targets);
        Assert.Contains(("Serilog", "4.0.0"), app.Packages);
        Assert.Equal(["src/Lib/Lib.csproj"], app.ProjectReferences);
    }

    [Fact]
    public void Read_NpmWorkspaceAndGoModule_MapsPackageNamesToManifests()
    {
        var projects = ProjectManifests.Read(
        [
            File("packages/api/package.json", """{ "name": "@acme/api", "dependencies": { "@acme/core": "workspace:*", "express": "^4.19.0" } }"""),
            File("packages/core/package.json", """{ "name": "@acme/core" }"""),
            File("svc/go.mod", "module example.com/svc\n\ngo 1.22\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n)\n"),
        ]);

        var api = Assert.Single(projects, p => p.Name == "@acme/api");
        Assert.Equal(["packages/core/package.json"], api.ProjectReferences);
        Assert.Contains(api.Packages, p => p.Name == "express");
        var go = Assert.Single(projects, p => p.Kind == "go");
        Assert.Contains(("github.com/google/uuid", "v1.6.0"), go.Packages);
    }

    [Fact]
    public void Read_BrokenManifest_KeepsTheProjectWithoutDetails()
    {
        var projects = ProjectManifests.Read([File("src/Bad/Bad.csproj", "<Project><PropertyGroup>")]);

        var project = Assert.Single(projects);
        Assert.Equal("src/Bad/Bad.csproj", project.Path);
        Assert.Empty(project.Packages);
    }
}
