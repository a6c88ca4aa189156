using CodeDoc.Core;
using static CodeDoc.Pipeline.Tests.Snapshot.SnapshotTestHost;

namespace CodeDoc.Pipeline.Tests.Snapshot;

public sealed class BuiltInExclusionTests
{
    [Theory]
    [InlineData("node_modules/left-pad/index.js", ExclusionReason.Vendored, "node_modules")]
    [InlineData("web/node_modules/x/y.js", ExclusionReason.Vendored, "web/node_modules")]
    [InlineData("vendor/github.com/x/y.go", ExclusionReason.Vendored, "vendor")]
    [InlineData("third_party/zlib/zlib.h", ExclusionReason.Vendored, "third_party")]
    [InlineData("ios/Pods/AFNetworking/A.m", ExclusionReason.Vendored, "ios/Pods")]
    [InlineData(".yarn/releases/yarn-4.js", ExclusionReason.Vendored, ".yarn")]
    [InlineData("packages/Newtonsoft.Json.13.0.1/lib/net45/Newtonsoft.Json.xml", ExclusionReason.Vendored, "packages/Newtonsoft.Json.13.0.1")]
    [InlineData("packages/repositories.config", ExclusionReason.Vendored, null)]
    [InlineData(".venv/lib/python3.12/site-packages/x.py", ExclusionReason.Vendored, ".venv")]
    [InlineData("venv/lib/python3.12/x.py", ExclusionReason.Vendored, "venv/lib")]
    [InlineData("deps/jemalloc/src/a.c", ExclusionReason.Vendored, "deps")]
    [InlineData("src/App/bin/Debug/net10.0/App.deps.json", ExclusionReason.BuildOutput, "src/App/bin/Debug")]
    [InlineData("src/App/bin/release/App.xml", ExclusionReason.BuildOutput, "src/App/bin/release")]
    [InlineData("src/App/obj/project.assets.json", ExclusionReason.BuildOutput, "src/App/obj")]
    [InlineData("build/classes/java/main/A.java", ExclusionReason.BuildOutput, "build/classes")]
    [InlineData("app/build/intermediates/x.txt", ExclusionReason.BuildOutput, "app/build/intermediates")]
    [InlineData("build/lib.linux-x86_64-3.12/pkg/a.py", ExclusionReason.BuildOutput, "build/lib.linux-x86_64-3.12")]
    [InlineData("target/debug/build/x.txt", ExclusionReason.BuildOutput, "target/debug")]
    [InlineData("module/target/classes/A.txt", ExclusionReason.BuildOutput, "module/target/classes")]
    [InlineData("target/CACHEDIR.TAG", ExclusionReason.BuildOutput, null)]
    [InlineData("dist/index.js", ExclusionReason.BuildOutput, null)]
    [InlineData("packages/ui/dist/esm/index.d.ts", ExclusionReason.BuildOutput, null)]
    [InlineData("out/main.js", ExclusionReason.BuildOutput, "out")]
    [InlineData("artifacts/bin/x.txt", ExclusionReason.BuildOutput, "artifacts")]
    [InlineData("coverage/lcov-report/index.html", ExclusionReason.BuildOutput, "coverage/lcov-report")]
    [InlineData("coverage/lcov.info", ExclusionReason.BuildOutput, null)]
    [InlineData("pkg/__pycache__/a.cpython-312.txt", ExclusionReason.BuildOutput, "pkg/__pycache__")]
    [InlineData("TestResults/run.trx", ExclusionReason.BuildOutput, "TestResults")]
    [InlineData(".next/server/page.js", ExclusionReason.BuildOutput, ".next")]
    [InlineData(".gradle/8.5/x.txt", ExclusionReason.BuildOutput, ".gradle")]
    [InlineData(".git/config", ExclusionReason.VersionControl, ".git")]
    [InlineData("sub/.git", ExclusionReason.VersionControl, null)]
    [InlineData(".svn/entries", ExclusionReason.VersionControl, ".svn")]
    [InlineData("Forms/Form1.Designer.cs", ExclusionReason.Generated, null)]
    [InlineData("Views/Index.g.cs", ExclusionReason.Generated, null)]
    [InlineData("Views/Index.g.i.cs", ExclusionReason.Generated, null)]
    [InlineData("api/service_pb2.py", ExclusionReason.Generated, null)]
    [InlineData("api/service.pb.go", ExclusionReason.Generated, null)]
    [InlineData("api/service.pb.cc", ExclusionReason.Generated, null)]
    [InlineData("api/service.pb.h", ExclusionReason.Generated, null)]
    [InlineData("src/Schema.generated.ts", ExclusionReason.Generated, null)]
    [InlineData("package-lock.json", ExclusionReason.LockFile, null)]
    [InlineData("web/yarn.lock", ExclusionReason.LockFile, null)]
    [InlineData("pnpm-lock.yaml", ExclusionReason.LockFile, null)]
    [InlineData("src/App/packages.lock.json", ExclusionReason.LockFile, null)]
    [InlineData("Cargo.lock", ExclusionReason.LockFile, null)]
    [InlineData("poetry.lock", ExclusionReason.LockFile, null)]
    [InlineData("Gemfile.lock", ExclusionReason.LockFile, null)]
    [InlineData("composer.lock", ExclusionReason.LockFile, null)]
    [InlineData("go.sum", ExclusionReason.LockFile, null)]
    [InlineData("Pipfile.lock", ExclusionReason.LockFile, null)]
    [InlineData("mix.lock", ExclusionReason.LockFile, null)]
    [InlineData("js/app.min.js", ExclusionReason.Minified, null)]
    [InlineData("css/site.min.css", ExclusionReason.Minified, null)]
    [InlineData("js/app.js.map", ExclusionReason.Minified, null)]
    [InlineData("img/logo.png", ExclusionReason.Binary, null)]
    [InlineData("fonts/Inter.woff2", ExclusionReason.Binary, null)]
    [InlineData("lib/native.DLL", ExclusionReason.Binary, null)]
    public void MatchFile_KnownNoise_IsExcluded(string path, ExclusionReason reason, string? directory)
    {
        var match = BuiltInExclusions.MatchFile(path, useBuiltInLists: true);

        Assert.NotNull(match);
        Assert.Equal(reason, match.Value.Reason);
        Assert.Equal(directory, match.Value.Directory);
        Assert.StartsWith("built-in: ", match.Value.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("build/Build.cs")]
    [InlineData("build/scripts/build.ps1")]
    [InlineData("build/lib/compile.ts")]
    [InlineData("docs/build.md")]
    [InlineData("src/Build/Targets.cs")]
    [InlineData("bin/rails")]
    [InlineData("bin/cli.js")]
    [InlineData("cmd/dist/main.go")]
    [InlineData("src/cmd/dist/build.go")]
    [InlineData("dist/debian/rules")]
    [InlineData("coverage/__init__.py")]
    [InlineData("coverage/html.py")]
    [InlineData("Lib/venv/__init__.py")]
    [InlineData("packages/ui/src/index.ts")]
    [InlineData("packages/core/package.json")]
    [InlineData("src/out/Writer.cs")]
    [InlineData("src/artifacts/Store.cs")]
    [InlineData("llvm/lib/Target/X86/X86.cpp")]
    [InlineData("compiler/target/src/lib.rs")]
    [InlineData("Directory.Build.props")]
    [InlineData("docs/node_modules.md")]
    [InlineData("src/Generated.cs")]
    [InlineData("src/map.ts")]
    [InlineData("index.js")]
    [InlineData("README")]
    [InlineData(".gitignore")]
    [InlineData(".github/workflows/build.yml")]
    public void MatchFile_SourceWithAmbiguousNames_IsKept(string path)
    {
        Assert.Null(BuiltInExclusions.MatchFile(path, useBuiltInLists: true));
    }

    [Theory]
    [InlineData("node_modules/x/index.js", null)]
    [InlineData("yarn.lock", null)]
    [InlineData("a.min.js", null)]
    [InlineData(".git/config", ExclusionReason.VersionControl)]
    [InlineData("sub/.hg/store/x", ExclusionReason.VersionControl)]
    public void MatchFile_ListsTurnedOff_StillExcludesVersionControl(string path, ExclusionReason? reason)
    {
        Assert.Equal(reason, BuiltInExclusions.MatchFile(path, useBuiltInLists: false)?.Reason);
    }

    [Theory]
    [InlineData("node_modules", "node_modules")]
    [InlineData("a/node_modules/b", "a/node_modules")]
    [InlineData("build", null)]
    [InlineData("build/classes", "build/classes")]
    [InlineData("src/bin/Release", "src/bin/Release")]
    [InlineData("src/bin", null)]
    [InlineData("dist", null)]
    [InlineData("out", "out")]
    [InlineData("src/out", null)]
    public void MatchDirectory_DecidesWhetherAWalkCanSkipIt(string path, string? excludedDirectory)
    {
        Assert.Equal(excludedDirectory, BuiltInExclusions.MatchDirectory(path, useBuiltInLists: true)?.Directory);
    }

    [Fact]
    public async Task ReadAsync_VendoredDirectory_IsOneEntryCountingItsFiles()
    {
        var tar = new TarBuilder()
            .File("node_modules/a/index.js", "a")
            .File("node_modules/b/index.js", "bb")
            .File("node_modules/b/lib/x.js", "ccc")
            .File("src/app.js", "app")
            .Build();

        var snapshot = await ReadTarAsync(tar);

        var vendored = Assert.Single(snapshot.Excluded);
        Assert.Equal("node_modules", vendored.Path);
        Assert.True(vendored.IsDirectory);
        Assert.Equal(3, vendored.FileCount);
        Assert.Equal(6, vendored.Bytes);
        Assert.Equal(4, snapshot.FilesSeen);
    }

    [Fact]
    public async Task ReadAsync_ListsTurnedOff_ReadsVendoredAndLockFiles()
    {
        var tar = new TarBuilder().File("node_modules/a/index.js", "a").File("yarn.lock", "# lock").File(".git/config", "[core]").Build();

        var snapshot = await ReadTarAsync(tar, new SnapshotOptions { UseBuiltInExclusions = false });

        Assert.Equal(["node_modules/a/index.js", "yarn.lock"], snapshot.Paths());
        Assert.Equal(ExclusionReason.VersionControl, snapshot.Excluded(".git").Reason);
    }
}
