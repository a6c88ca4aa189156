using System.Collections.Frozen;
using System.Text.RegularExpressions;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>A built-in exclusion decided from a path.</summary>
/// <param name="Reason">Why.</param>
/// <param name="Detail">Which rule.</param>
/// <param name="Directory">The excluded directory when the rule covers a whole directory; <see langword="null"/> for a single file.</param>
internal readonly record struct BuiltInMatch(ExclusionReason Reason, string Detail, string? Directory);

/// <summary>
/// The built-in lists: vendored dependencies, build output, version-control metadata, generated code, lock files,
/// minified code and binary file types, decided from the path alone with dictionary look-ups (no globbing).
/// </summary>
/// <remarks>
/// A wrong exclusion hides real source, which is worse than reading a little noise, so directory names that are also
/// common names of hand-written folders are only excluded where their meaning is unambiguous:
/// <list type="bullet">
/// <item><c>bin</c> only as <c>bin/Debug</c> or <c>bin/Release</c> (MSBuild output): Ruby, Node and shell projects keep scripts in <c>bin/</c>.</item>
/// <item><c>build</c> only with a child that build tools create (<c>classes</c>, <c>intermediates</c>, <c>CMakeFiles</c>, <c>bdist.*</c>, ...):
/// Nuke, Cake and Chromium keep build logic in <c>build/</c>, and <c>docs/build.md</c> or <c>src/Build/</c> are not output.</item>
/// <item><c>target</c> only with a Maven, Cargo or sbt child (<c>classes</c>, <c>debug</c>, <c>release</c>, <c>CACHEDIR.TAG</c>, ...): compilers have <c>target/</c> source folders.</item>
/// <item><c>dist</c> only for bundle output files (<c>.js</c>, <c>.css</c>, <c>.d.ts</c>, ...) below it: Go's <c>cmd/dist</c> and packaging scripts in <c>dist/</c> stay.</item>
/// <item><c>coverage</c> only with report files (<c>lcov-report/</c>, <c>lcov.info</c>, ...): coverage.py's package folder is <c>coverage/</c>.</item>
/// <item><c>venv</c> only with a virtual environment's layout (<c>lib</c>, <c>Scripts</c>, <c>pyvenv.cfg</c>, ...): CPython has <c>Lib/venv/</c> source.</item>
/// <item><c>packages</c> only as a legacy NuGet folder (<c>Id.1.2.3/</c> children or <c>repositories.config</c>): JavaScript monorepos keep their packages there.</item>
/// <item><c>out</c>, <c>artifacts</c> and <c>deps</c> only at the repository root, where tools put them.</item>
/// </list>
/// Names are compared case-sensitively, as git does (LLVM's <c>lib/Target/</c> is source).
/// Version-control metadata is excluded even when the built-in lists are off: it is never source and may hold credentials.
/// </remarks>
internal static partial class BuiltInExclusions
{
    private const string Vendored = "vendored dependencies";
    private const string Output = "build output";

    private static readonly FrozenDictionary<string, (ExclusionReason Reason, string What)> AnyDepthDirectories =
        new Dictionary<string, (ExclusionReason, string)>(StringComparer.Ordinal)
        {
            [".git"] = (ExclusionReason.VersionControl, "version control metadata"),
            [".svn"] = (ExclusionReason.VersionControl, "version control metadata"),
            [".hg"] = (ExclusionReason.VersionControl, "version control metadata"),
            [".bzr"] = (ExclusionReason.VersionControl, "version control metadata"),
            ["node_modules"] = (ExclusionReason.Vendored, Vendored),
            ["bower_components"] = (ExclusionReason.Vendored, Vendored),
            ["jspm_packages"] = (ExclusionReason.Vendored, Vendored),
            ["web_modules"] = (ExclusionReason.Vendored, Vendored),
            [".yarn"] = (ExclusionReason.Vendored, Vendored),
            [".pnpm-store"] = (ExclusionReason.Vendored, Vendored),
            ["vendor"] = (ExclusionReason.Vendored, Vendored),
            ["third_party"] = (ExclusionReason.Vendored, Vendored),
            ["third-party"] = (ExclusionReason.Vendored, Vendored),
            ["thirdparty"] = (ExclusionReason.Vendored, Vendored),
            ["3rdparty"] = (ExclusionReason.Vendored, Vendored),
            ["Pods"] = (ExclusionReason.Vendored, Vendored),
            ["Carthage"] = (ExclusionReason.Vendored, Vendored),
            [".venv"] = (ExclusionReason.Vendored, "Python virtual environment"),
            ["site-packages"] = (ExclusionReason.Vendored, Vendored),
            ["elm-stuff"] = (ExclusionReason.Vendored, Vendored),
            ["obj"] = (ExclusionReason.BuildOutput, Output),
            ["__pycache__"] = (ExclusionReason.BuildOutput, Output),
            [".pytest_cache"] = (ExclusionReason.BuildOutput, "tool cache"),
            [".mypy_cache"] = (ExclusionReason.BuildOutput, "tool cache"),
            [".ruff_cache"] = (ExclusionReason.BuildOutput, "tool cache"),
            [".tox"] = (ExclusionReason.BuildOutput, "tool cache"),
            [".nox"] = (ExclusionReason.BuildOutput, "tool cache"),
            [".eggs"] = (ExclusionReason.BuildOutput, Output),
            [".gradle"] = (ExclusionReason.BuildOutput, "tool cache"),
            [".next"] = (ExclusionReason.BuildOutput, Output),
            [".nuxt"] = (ExclusionReason.BuildOutput, Output),
            [".svelte-kit"] = (ExclusionReason.BuildOutput, Output),
            [".angular"] = (ExclusionReason.BuildOutput, "tool cache"),
            [".parcel-cache"] = (ExclusionReason.BuildOutput, "tool cache"),
            [".turbo"] = (ExclusionReason.BuildOutput, "tool cache"),
            [".docusaurus"] = (ExclusionReason.BuildOutput, Output),
            [".dart_tool"] = (ExclusionReason.BuildOutput, "tool cache"),
            [".stack-work"] = (ExclusionReason.BuildOutput, Output),
            [".terraform"] = (ExclusionReason.BuildOutput, "tool cache"),
            [".serverless"] = (ExclusionReason.BuildOutput, Output),
            [".nyc_output"] = (ExclusionReason.BuildOutput, "coverage output"),
            ["htmlcov"] = (ExclusionReason.BuildOutput, "coverage output"),
            ["TestResults"] = (ExclusionReason.BuildOutput, "test output"),
            ["_build"] = (ExclusionReason.BuildOutput, Output),
            [".build"] = (ExclusionReason.BuildOutput, Output),
            ["DerivedData"] = (ExclusionReason.BuildOutput, Output),
            [".vs"] = (ExclusionReason.BuildOutput, "IDE cache"),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, (ExclusionReason Reason, string What)> RootOnlyDirectories =
        new Dictionary<string, (ExclusionReason, string)>(StringComparer.Ordinal)
        {
            ["out"] = (ExclusionReason.BuildOutput, Output),
            ["artifacts"] = (ExclusionReason.BuildOutput, Output),
            ["deps"] = (ExclusionReason.Vendored, Vendored),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    // Directory name -> the children that prove it is tool output. A child ending in '*' is a prefix.
    private static readonly FrozenDictionary<string, (ExclusionReason Reason, string What, StringComparer Comparer, string[] Children)> EvidenceDirectories =
        new Dictionary<string, (ExclusionReason, string, StringComparer, string[])>(StringComparer.Ordinal)
        {
            ["bin"] = (ExclusionReason.BuildOutput, Output, StringComparer.OrdinalIgnoreCase, ["Debug", "Release"]),
            ["build"] = (ExclusionReason.BuildOutput, Output, StringComparer.Ordinal,
                ["classes", "intermediates", "generated", "tmp", "outputs", "kotlin", "libs", "test-results", "reports", "CMakeFiles", "CMakeCache.txt", "bdist.*", "lib.*", "temp.*", "scripts-*"]),
            ["target"] = (ExclusionReason.BuildOutput, Output, StringComparer.Ordinal,
                ["classes", "test-classes", "generated-sources", "generated-test-sources", "maven-status", "maven-archiver", "surefire-reports", "failsafe-reports", "debug", "release", "CACHEDIR.TAG", ".rustc_info.json", "scala-*", "streams"]),
            ["coverage"] = (ExclusionReason.BuildOutput, "coverage output", StringComparer.Ordinal,
                ["lcov-report", "lcov.info", "coverage-final.json", "coverage-summary.json", "clover.xml", "cobertura-coverage.xml"]),
            ["venv"] = (ExclusionReason.Vendored, "Python virtual environment", StringComparer.Ordinal,
                ["lib", "lib64", "Lib", "Scripts", "Include", "include", "pyvenv.cfg"]),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> LockFiles = new[]
    {
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "shrinkwrap.yaml", "bun.lock", "bun.lockb",
        "deno.lock", "packages.lock.json", "paket.lock", "project.assets.json", "Cargo.lock", "poetry.lock", "Pipfile.lock",
        "pdm.lock", "uv.lock", "pixi.lock", "Gemfile.lock", "composer.lock", "go.sum", "go.work.sum", "mix.lock",
        "pubspec.lock", "Podfile.lock", "Package.resolved", "flake.lock", "gradle.lockfile", ".terraform.lock.hcl",
        "conan.lock", "stack.yaml.lock", "cabal.project.freeze", "renv.lock", "Berksfile.lock",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Extension -> suffix rules for file names; one dictionary look-up on the extension, then a few EndsWith.
    private static readonly FrozenDictionary<string, (string Suffix, ExclusionReason Reason, string What)[]> SuffixRules = BuildSuffixRules();

    private static readonly FrozenSet<string> BundleExtensions = new[]
    {
        ".js", ".mjs", ".cjs", ".jsx", ".css", ".map", ".ts", ".mts", ".cts", ".html", ".wasm",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Decides the built-in exclusion of a file.</summary>
    /// <param name="path">The file's relative path.</param>
    /// <param name="useBuiltInLists">Whether the lists apply (version-control metadata is excluded either way).</param>
    /// <returns>The exclusion, or <see langword="null"/>.</returns>
    public static BuiltInMatch? MatchFile(string path, bool useBuiltInLists)
    {
        var slash = path.LastIndexOf('/');
        if (slash > 0 && MatchDirectories(path, slash, pathIsDirectory: false, useBuiltInLists) is { } directoryMatch)
        {
            return directoryMatch;
        }

        var name = path.AsSpan(slash + 1);
        if (name is ".git")
        {
            return new BuiltInMatch(ExclusionReason.VersionControl, "built-in: version control metadata (.git)", null);
        }

        if (!useBuiltInLists)
        {
            return null;
        }

        if (LockFiles.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
        {
            return new BuiltInMatch(ExclusionReason.LockFile, $"built-in: dependency lock file ({name})", null);
        }

        var dot = name.LastIndexOf('.');
        if (dot >= 0 && SuffixRules.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name[dot..], out var rules))
        {
            foreach (var (suffix, reason, what) in rules)
            {
                if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && name.Length > suffix.Length)
                {
                    return new BuiltInMatch(reason, $"built-in: {what} (*{suffix})", null);
                }
            }
        }

        if (name.Contains(".generated.", StringComparison.OrdinalIgnoreCase))
        {
            return new BuiltInMatch(ExclusionReason.Generated, "built-in: generated code (*.generated.*)", null);
        }

        if (dot >= 0 && BundleExtensions.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name[dot..]) && IsBelowDist(path, slash))
        {
            return new BuiltInMatch(ExclusionReason.BuildOutput, "built-in: build output (bundle file in dist/)", null);
        }

        return null;
    }

    /// <summary>Decides the built-in exclusion of a whole directory, so a walk need not enter it.</summary>
    /// <param name="path">The directory's relative path.</param>
    /// <param name="useBuiltInLists">Whether the lists apply (version-control metadata is excluded either way).</param>
    /// <returns>The exclusion, or <see langword="null"/>.</returns>
    public static BuiltInMatch? MatchDirectory(string path, bool useBuiltInLists) =>
        MatchDirectories(path, path.Length, pathIsDirectory: true, useBuiltInLists);

    // Checks the directory components in path[..end] from the root down; the first excluded one decides.
    private static BuiltInMatch? MatchDirectories(string path, int end, bool pathIsDirectory, bool useBuiltInLists)
    {
        var anyDepth = AnyDepthDirectories.GetAlternateLookup<ReadOnlySpan<char>>();
        var start = 0;
        var depth = 0;
        while (start < end)
        {
            var slash = path.IndexOf('/', start, end - start);
            var stop = slash < 0 ? end : slash;
            var name = path.AsSpan(start, stop - start);
            if (anyDepth.TryGetValue(name, out var rule) && (useBuiltInLists || rule.Reason == ExclusionReason.VersionControl))
            {
                return Directory(path, stop, rule.Reason, $"{rule.What} ({name}/)");
            }

            if (useBuiltInLists)
            {
                if (depth == 0 && RootOnlyDirectories.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out rule))
                {
                    return Directory(path, stop, rule.Reason, $"{rule.What} ({name}/ at the root)");
                }

                if (stop < path.Length && EvidenceMatch(path, name, stop + 1) is { } found)
                {
                    // The child is the evidence: a child directory is excluded whole, a child file alone.
                    var childEnd = path.IndexOf('/', stop + 1);
                    if (childEnd < 0 && pathIsDirectory)
                    {
                        childEnd = path.Length;
                    }

                    return childEnd < 0
                        ? new BuiltInMatch(found.Reason, $"built-in: {found.What} ({name}/{found.Child})", null)
                        : Directory(path, childEnd, found.Reason, $"{found.What} ({name}/{found.Child}/)");
                }
            }

            depth++;
            start = stop + 1;
        }

        return null;
    }

    private static BuiltInMatch Directory(string path, int end, ExclusionReason reason, string what) =>
        new(reason, $"built-in: {what}", path[..end]);

    private static (ExclusionReason Reason, string What, string Child)? EvidenceMatch(string path, ReadOnlySpan<char> name, int childStart)
    {
        var childEnd = path.IndexOf('/', childStart);
        var child = childEnd < 0 ? path[childStart..] : path[childStart..childEnd];
        if (name is "packages")
        {
            return child == "repositories.config" || NuGetPackageFolder().IsMatch(child)
                ? (ExclusionReason.Vendored, "legacy NuGet packages folder", child)
                : null;
        }

        if (!EvidenceDirectories.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var rule))
        {
            return null;
        }

        foreach (var candidate in rule.Children)
        {
            if (candidate.EndsWith('*')
                ? child.StartsWith(candidate[..^1], StringComparison.Ordinal)
                : rule.Comparer.Equals(child, candidate))
            {
                return (rule.Reason, rule.What, child);
            }
        }

        return null;
    }

    private static bool IsBelowDist(string path, int lastSlash)
    {
        if (lastSlash <= 0)
        {
            return false;
        }

        var directories = path.AsSpan(0, lastSlash);
        foreach (var range in directories.Split('/'))
        {
            if (directories[range] is "dist")
            {
                return true;
            }
        }

        return false;
    }

    private static FrozenDictionary<string, (string Suffix, ExclusionReason Reason, string What)[]> BuildSuffixRules()
    {
        var rules = new List<(string Suffix, ExclusionReason Reason, string What)>();
        foreach (var suffix in new[]
        {
            ".designer.cs", ".designer.vb", ".g.cs", ".g.i.cs", ".g.vb", ".g.i.vb", "_pb2.py", "_pb2.pyi", "_pb2_grpc.py",
            ".pb.go", ".pb.gw.go", ".pb.cc", ".pb.h", ".pb.c", ".pb-c.c", ".pb-c.h", ".pb.swift", ".grpc.swift", "_pb.js",
            "_pb.d.ts", "_grpc_pb.js", "_grpc_pb.d.ts", ".pb.dart", ".pbenum.dart", ".pbgrpc.dart", ".pbjson.dart",
            ".pbserver.dart", ".freezed.dart", ".g.dart",
        })
        {
            rules.Add((suffix, ExclusionReason.Generated, "generated code"));
        }

        foreach (var suffix in new[] { ".min.js", ".min.mjs", ".min.cjs", ".min.css", ".bundle.js", ".chunk.js", ".chunk.css", ".map" })
        {
            rules.Add((suffix, ExclusionReason.Minified, "minified or bundled code"));
        }

        foreach (var extension in new[]
        {
            ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".icns", ".webp", ".avif", ".tif", ".tiff", ".psd", ".heic",
            ".woff", ".woff2", ".ttf", ".otf", ".eot", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".zst", ".jar",
            ".war", ".ear", ".nupkg", ".snupkg", ".whl", ".egg", ".apk", ".aab", ".ipa", ".deb", ".rpm", ".dmg", ".iso",
            ".msi", ".exe", ".dll", ".so", ".dylib", ".a", ".lib", ".o", ".pyc", ".pyo", ".class", ".wasm", ".mp3", ".mp4",
            ".m4a", ".wav", ".ogg", ".flac", ".avi", ".mov", ".mkv", ".webm", ".pdf", ".doc", ".docx", ".xls", ".xlsx",
            ".ppt", ".pptx", ".odt", ".sqlite", ".snk", ".pfx", ".p12", ".jks", ".keystore",
        })
        {
            rules.Add((extension, ExclusionReason.Binary, "binary file type"));
        }

        return rules
            .GroupBy(r => r.Suffix[r.Suffix.LastIndexOf('.')..], StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(r => r.Suffix.Length).ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]*?\.\d+\.\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NuGetPackageFolder();
}
