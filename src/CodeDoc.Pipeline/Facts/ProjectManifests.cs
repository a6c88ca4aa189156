using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// Reads project manifests into <see cref="ProjectFact"/>s: .NET projects (with central package versions and
/// shared properties from <c>Directory.Packages.props</c>/<c>Directory.Build.props</c>), <c>package.json</c>,
/// <c>go.mod</c>, <c>pyproject.toml</c>/<c>setup.cfg</c>/<c>requirements.txt</c>, <c>pom.xml</c>,
/// <c>build.gradle(.kts)</c> and <c>Cargo.toml</c>. References between projects become repository paths of the
/// referenced manifests. A manifest that cannot be parsed still yields a project (named after its folder).
/// </summary>
internal static class ProjectManifests
{
    private static readonly XmlReaderSettings SafeXml = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        MaxCharactersInDocument = 4 * 1024 * 1024,
    };

    private static readonly string[] DotNetExtensions = [".csproj", ".fsproj", ".vbproj"];

    private static readonly string[] GradleConfigurations =
        ["implementation", "api", "compileOnly", "runtimeOnly", "testImplementation", "testRuntimeOnly", "testCompileOnly", "annotationProcessor", "kapt", "ksp", "compile", "testCompile"];

    /// <summary>Tells whether a path is a manifest this reader understands.</summary>
    /// <param name="path">The path.</param>
    /// <returns>Whether it is a manifest.</returns>
    public static bool IsManifest(string path)
    {
        var name = FileName(path);
        return DotNetExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase))
            || name is "package.json" or "go.mod" or "pyproject.toml" or "setup.cfg" or "requirements.txt" or "pom.xml" or "build.gradle" or "build.gradle.kts" or "Cargo.toml";
    }

    /// <summary>Reads every manifest among the files.</summary>
    /// <param name="files">The snapshot's files, with content.</param>
    /// <returns>The projects, ordered by manifest path.</returns>
    public static IReadOnlyList<ProjectFact> Read(IReadOnlyList<SnapshotFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var manifests = files.Where(f => IsManifest(f.Path) && f.Content is not null).ToList();
        var npmNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var projects = new List<ProjectFact>(manifests.Count);

        // A folder with a pyproject.toml or setup.cfg is one Python project; its requirements.txt adds packages to it.
        var pythonRoots = manifests.Where(m => FileName(m.Path) is "pyproject.toml" or "setup.cfg").Select(m => DirectoryOf(m.Path)).ToHashSet(StringComparer.Ordinal);
        foreach (var manifest in manifests)
        {
            var name = FileName(manifest.Path);
            ProjectFact? project;
            try
            {
                project = name switch
                {
                    "package.json" => ReadPackageJson(manifest, npmNames),
                    "go.mod" => ReadGoMod(manifest, byPath),
                    "pyproject.toml" => ReadPyProject(manifest, byPath),
                    "setup.cfg" => pythonRoots.Contains(DirectoryOf(manifest.Path)) && byPath.ContainsKey(Combine(DirectoryOf(manifest.Path), "pyproject.toml")) ? null : ReadSetupCfg(manifest, byPath),
                    "requirements.txt" => pythonRoots.Contains(DirectoryOf(manifest.Path)) ? null : ReadRequirementsProject(manifest),
                    "pom.xml" => ReadPom(manifest),
                    "build.gradle" or "build.gradle.kts" => ReadGradle(manifest, byPath),
                    "Cargo.toml" => ReadCargo(manifest, byPath),
                    _ => ReadDotNetProject(manifest, byPath),
                };
            }
            catch (Exception exception) when (exception is XmlException or JsonException or FormatException or InvalidOperationException)
            {
                project = new ProjectFact(FolderName(manifest.Path), manifest.Path, KindOf(name));
            }

            if (project is not null)
            {
                projects.Add(project);
            }
        }

        // npm workspaces reference each other by package name; map names to manifests now that all are known.
        for (var i = 0; i < projects.Count; i++)
        {
            var project = projects[i];
            if (project.Kind == "npm" && project.ProjectReferences.Count > 0)
            {
                projects[i] = project with
                {
                    ProjectReferences = project.ProjectReferences
                        .Select(r => npmNames.TryGetValue(r, out var path) ? path : null)
                        .OfType<string>()
                        .Where(p => p != project.Path)
                        .Distinct(StringComparer.Ordinal)
                        .ToList(),
                };
            }
        }

        return projects.OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
    }

    private static ProjectFact ReadDotNetProject(SnapshotFile manifest, Dictionary<string, SnapshotFile> files)
    {
        var project = LoadXml(manifest.Content!);
        var directory = DirectoryOf(manifest.Path);
        var properties = InheritedProperties(directory, files);
        foreach (var property in project.Descendants().Where(e => e.Parent?.Name.LocalName == "PropertyGroup"))
        {
            properties[property.Name.LocalName] = property.Value.Trim();
        }

        var centralVersions = CentralVersions(directory, files);
        var targets = (properties.GetValueOrDefault("TargetFrameworks") ?? properties.GetValueOrDefault("TargetFramework") ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(t => !t.Contains("$(", StringComparison.Ordinal))
            .ToList();
        var packages = project.Descendants()
            .Where(e => e.Name.LocalName == "PackageReference")
            .Select(e => (Name: (string?)e.Attribute("Include") ?? (string?)e.Attribute("Update"), Version: (string?)e.Attribute("Version") ?? e.Elements().FirstOrDefault(c => c.Name.LocalName == "Version")?.Value))
            .Where(p => !string.IsNullOrWhiteSpace(p.Name))
            .Select(p => (p.Name!, p.Version ?? centralVersions.GetValueOrDefault(p.Name!)))
            .ToList();
        var references = project.Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>()
            .Select(r => Resolve(directory, r))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var fileName = FileName(manifest.Path);
        var name = properties.GetValueOrDefault("AssemblyName") is { Length: > 0 } assembly && !assembly.Contains("$(", StringComparison.Ordinal)
            ? assembly
            : fileName[..fileName.LastIndexOf('.')];
        return new ProjectFact(name, manifest.Path, "dotnet") { Targets = targets, Packages = packages, ProjectReferences = references };
    }

    /// <summary>Properties from the nearest <c>Directory.Build.props</c> above a project (MSBuild stops at the first).</summary>
    private static Dictionary<string, string> InheritedProperties(string directory, Dictionary<string, SnapshotFile> files)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Nearest(directory, "Directory.Build.props", files) is { Content: { } content })
        {
            try
            {
                foreach (var property in LoadXml(content).Descendants().Where(e => e.Parent?.Name.LocalName == "PropertyGroup"))
                {
                    properties[property.Name.LocalName] = property.Value.Trim();
                }
            }
            catch (XmlException)
            {
                // A broken shared file leaves the project's own properties to speak.
            }
        }

        return properties;
    }

    private static Dictionary<string, string> CentralVersions(string directory, Dictionary<string, SnapshotFile> files)
    {
        var versions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Nearest(directory, "Directory.Packages.props", files) is { Content: { } content })
        {
            try
            {
                foreach (var version in LoadXml(content).Descendants().Where(e => e.Name.LocalName == "PackageVersion"))
                {
                    if ((string?)version.Attribute("Include") is { } name && (string?)version.Attribute("Version") is { } value)
                    {
                        versions[name] = value;
                    }
                }
            }
            catch (XmlException)
            {
                // Without readable central versions, packages are listed without versions.
            }
        }

        return versions;
    }

    private static ProjectFact ReadPackageJson(SnapshotFile manifest, Dictionary<string, string> npmNames)
    {
        using var document = JsonDocument.Parse(manifest.Content!, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        var root = document.RootElement;
        var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : FolderName(manifest.Path);
        npmNames.TryAdd(name, manifest.Path);
        var packages = new List<(string, string?)>();
        var workspaceReferences = new List<string>();
        foreach (var section in (string[])["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"])
        {
            if (!root.TryGetProperty(section, out var dependencies) || dependencies.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var dependency in dependencies.EnumerateObject())
            {
                var version = dependency.Value.ValueKind == JsonValueKind.String ? dependency.Value.GetString() : null;
                if (version is not null && (version.StartsWith("workspace:", StringComparison.Ordinal) || version.StartsWith("file:", StringComparison.Ordinal) || version.StartsWith("link:", StringComparison.Ordinal)))
                {
                    workspaceReferences.Add(dependency.Name);
                    continue;
                }

                packages.Add((dependency.Name, version));
            }
        }

        var targets = new List<string>();
        if (root.TryGetProperty("engines", out var engines) && engines.ValueKind == JsonValueKind.Object)
        {
            targets.AddRange(engines.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.String).Select(e => $"{e.Name} {e.Value.GetString()}"));
        }

        return new ProjectFact(name, manifest.Path, "npm") { Targets = targets, Packages = packages, ProjectReferences = workspaceReferences };
    }

    private static ProjectFact ReadGoMod(SnapshotFile manifest, Dictionary<string, SnapshotFile> files)
    {
        var directory = DirectoryOf(manifest.Path);
        string? module = null;
        var targets = new List<string>();
        var packages = new List<(string, string?)>();
        var references = new List<string>();
        string? block = null;
        foreach (var rawLine in manifest.Content!.Split('\n'))
        {
            var line = StripComment(rawLine, "//").Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (block is not null)
            {
                if (line == ")")
                {
                    block = null;
                    continue;
                }

                ReadGoDirective(block, line, directory, files, packages, references);
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = space < 0 ? line : line[..space];
            var rest = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            switch (keyword)
            {
                case "module":
                    module = rest.Trim('"');
                    break;
                case "go":
                    targets.Add("go" + rest);
                    break;
                case "toolchain":
                    targets.Add(rest);
                    break;
                case "require" or "replace" when rest == "(":
                    block = keyword;
                    break;
                case "require" or "replace":
                    ReadGoDirective(keyword, rest, directory, files, packages, references);
                    break;
                case "exclude" or "retract" or "tool" or "godebug" when rest == "(":
                    block = keyword;
                    break;
            }
        }

        return new ProjectFact(module ?? FolderName(manifest.Path), manifest.Path, "go") { Targets = targets, Packages = packages, ProjectReferences = references };
    }

    private static void ReadGoDirective(string directive, string line, string directory, Dictionary<string, SnapshotFile> files, List<(string, string?)> packages, List<string> references)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (directive == "require" && parts.Length >= 2)
        {
            packages.Add((parts[0], parts[1]));
        }
        else if (directive == "replace" && line.Contains("=>", StringComparison.Ordinal))
        {
            var target = line[(line.IndexOf("=>", StringComparison.Ordinal) + 2)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (target is not null && (target.StartsWith("./", StringComparison.Ordinal) || target.StartsWith("../", StringComparison.Ordinal)) && Resolve(directory, target + "/go.mod") is { } path && files.ContainsKey(path))
            {
                references.Add(path);
            }
        }
    }

    private static ProjectFact ReadPyProject(SnapshotFile manifest, Dictionary<string, SnapshotFile> files)
    {
        var toml = TomlLite.Parse(manifest.Content!);
        var name = toml.String("project", "name") ?? toml.String("tool.poetry", "name") ?? FolderName(manifest.Path);
        var targets = new List<string>();
        if (toml.String("project", "requires-python") is { } python)
        {
            targets.Add("python " + python);
        }

        var packages = toml.Array("project", "dependencies").Select(PythonRequirement).OfType<(string, string?)>().ToList();
        foreach (var (key, value) in toml.Table("tool.poetry.dependencies"))
        {
            if (key == "python")
            {
                targets.Add("python " + TomlLite.Unquote(value));
            }
            else
            {
                packages.Add((key, TomlLite.InlineVersion(value)));
            }
        }

        AddRequirementsFile(manifest.Path, files, packages);
        return new ProjectFact(name, manifest.Path, "python") { Targets = targets, Packages = packages.DistinctBy(p => p.Item1, StringComparer.OrdinalIgnoreCase).ToList() };
    }

    private static ProjectFact ReadSetupCfg(SnapshotFile manifest, Dictionary<string, SnapshotFile> files)
    {
        var sections = IniSections(manifest.Content!);
        var name = sections.GetValueOrDefault("metadata")?.GetValueOrDefault("name") ?? FolderName(manifest.Path);
        var options = sections.GetValueOrDefault("options");
        var targets = options?.GetValueOrDefault("python_requires") is { } python ? new List<string> { "python " + python } : [];
        var packages = (options?.GetValueOrDefault("install_requires") ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(PythonRequirement)
            .OfType<(string, string?)>()
            .ToList();
        AddRequirementsFile(manifest.Path, files, packages);
        return new ProjectFact(name, manifest.Path, "python") { Targets = targets, Packages = packages.DistinctBy(p => p.Item1, StringComparer.OrdinalIgnoreCase).ToList() };
    }

    private static ProjectFact ReadRequirementsProject(SnapshotFile manifest) =>
        new(FolderName(manifest.Path), manifest.Path, "python") { Packages = RequirementLines(manifest.Content!).ToList() };

    private static void AddRequirementsFile(string manifestPath, Dictionary<string, SnapshotFile> files, List<(string, string?)> packages)
    {
        if (files.TryGetValue(Combine(DirectoryOf(manifestPath), "requirements.txt"), out var requirements) && requirements.Content is not null)
        {
            packages.AddRange(RequirementLines(requirements.Content));
        }
    }

    private static IEnumerable<(string, string?)> RequirementLines(string content) =>
        content.Split('\n')
            .Select(l => StripComment(l, "#").Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('-'))
            .Select(PythonRequirement)
            .OfType<(string, string?)>();

    /// <summary>A PEP 508 requirement (<c>requests[socks]&gt;=2.31; python_version&lt;"3.12"</c>) as name and version constraint.</summary>
    private static (string, string?)? PythonRequirement(string requirement)
    {
        var text = requirement.Split(';')[0].Trim();
        var nameEnd = 0;
        while (nameEnd < text.Length && (char.IsLetterOrDigit(text[nameEnd]) || text[nameEnd] is '-' or '_' or '.'))
        {
            nameEnd++;
        }

        if (nameEnd == 0)
        {
            return null;
        }

        var rest = text[nameEnd..].Trim();
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            rest = close < 0 ? string.Empty : rest[(close + 1)..].Trim();
        }

        rest = rest.Trim('(', ')').Trim();
        return (text[..nameEnd], rest.Length == 0 || rest.StartsWith('@') ? null : rest);
    }

    private static ProjectFact ReadPom(SnapshotFile manifest)
    {
        var project = LoadXml(manifest.Content!);
        var root = project.Root!;
        string? Child(XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
        var name = Child(root, "artifactId") ?? FolderName(manifest.Path);
        var properties = root.Elements().FirstOrDefault(e => e.Name.LocalName == "properties");
        var targets = new List<string>();
        foreach (var key in (string[])["maven.compiler.release", "maven.compiler.source", "java.version"])
        {
            if (properties is not null && Child(properties, key) is { Length: > 0 } value)
            {
                targets.Add("java " + value);
                break;
            }
        }

        var packages = root.Elements()
            .Where(e => e.Name.LocalName is "dependencies" or "dependencyManagement")
            .SelectMany(e => e.Descendants().Where(d => d.Name.LocalName == "dependency"))
            .Select(d => (Name: $"{Child(d, "groupId")}:{Child(d, "artifactId")}", Version: Child(d, "version")))
            .Where(d => d.Name.Length > 1)
            .Select(d => (d.Name, d.Version))
            .ToList();
        var directory = DirectoryOf(manifest.Path);
        var modules = root.Elements()
            .Where(e => e.Name.LocalName == "modules")
            .SelectMany(e => e.Elements().Where(m => m.Name.LocalName == "module"))
            .Select(m => Resolve(directory, m.Value.Trim() + "/pom.xml"))
            .OfType<string>()
            .ToList();
        return new ProjectFact(name, manifest.Path, "maven") { Targets = targets, Packages = packages, ProjectReferences = modules };
    }

    private static ProjectFact ReadGradle(SnapshotFile manifest, Dictionary<string, SnapshotFile> files)
    {
        var content = manifest.Content!;
        var tokens = SourceLexer.Tokenize(content, LexerOptions.JavaScript with { RegexLiterals = false, TemplateLiterals = false });
        var packages = new List<(string, string?)>();
        var references = new List<string>();
        var targets = new List<string>();
        var root = RootOf(manifest.Path, files);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind != SourceTokenKind.Identifier)
            {
                continue;
            }

            var word = token.Text(content);
            if (word == "project" && i + 2 < tokens.Count && tokens[i + 1].IsPunctuation(content, '(') && tokens[i + 2].Kind == SourceTokenKind.String)
            {
                // project(":libs:core") is the folder libs/core under the root project.
                var gradlePath = Unquote(tokens[i + 2].Text(content)).Trim(':').Replace(':', '/');
                foreach (var candidate in (string[])["build.gradle.kts", "build.gradle"])
                {
                    var path = Combine(Combine(root, gradlePath), candidate);
                    if (files.ContainsKey(path))
                    {
                        references.Add(path);
                        break;
                    }
                }
            }
            else if (GradleConfigurations.Contains(word) && i + 1 < tokens.Count)
            {
                var next = tokens[i + 1].IsPunctuation(content, '(') && i + 2 < tokens.Count ? tokens[i + 2] : tokens[i + 1];
                if (next.Kind == SourceTokenKind.String && next.Line == token.Line)
                {
                    var coordinate = Unquote(next.Text(content)).Split(':');
                    if (coordinate.Length >= 2)
                    {
                        packages.Add(($"{coordinate[0]}:{coordinate[1]}", coordinate.Length >= 3 ? coordinate[2] : null));
                    }
                }
            }
            else if ((word is "sourceCompatibility" or "targetCompatibility" or "jvmToolchain" or "languageVersion") && targets.Count == 0)
            {
                for (var j = i + 1; j < tokens.Count && tokens[j].Line == token.Line; j++)
                {
                    if (tokens[j].Kind == SourceTokenKind.Number || (tokens[j].Kind == SourceTokenKind.Identifier && tokens[j].Text(content).StartsWith("VERSION_", StringComparison.Ordinal)))
                    {
                        targets.Add("java " + tokens[j].Text(content).Replace("VERSION_", string.Empty, StringComparison.Ordinal).Replace('_', '.'));
                        break;
                    }
                }
            }
        }

        return new ProjectFact(FolderName(manifest.Path), manifest.Path, "gradle")
        {
            Targets = targets,
            Packages = packages.Distinct().ToList(),
            ProjectReferences = references.Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>The root of a Gradle build: the nearest folder above with a settings file, or the manifest's own folder.</summary>
    private static string RootOf(string manifestPath, Dictionary<string, SnapshotFile> files)
    {
        var directory = DirectoryOf(manifestPath);
        var current = directory;
        while (true)
        {
            if (files.ContainsKey(Combine(current, "settings.gradle")) || files.ContainsKey(Combine(current, "settings.gradle.kts")))
            {
                return current;
            }

            if (current.Length == 0)
            {
                return directory;
            }

            current = DirectoryOf(current);
        }
    }

    private static ProjectFact ReadCargo(SnapshotFile manifest, Dictionary<string, SnapshotFile> files)
    {
        var toml = TomlLite.Parse(manifest.Content!);
        var directory = DirectoryOf(manifest.Path);
        var name = toml.String("package", "name") ?? FolderName(manifest.Path);
        var targets = new List<string>();
        if (toml.String("package", "edition") is { } edition)
        {
            targets.Add("edition " + edition);
        }

        if (toml.String("package", "rust-version") is { } rust)
        {
            targets.Add("rust " + rust);
        }

        var packages = new List<(string, string?)>();
        var references = new List<string>();
        foreach (var section in (string[])["dependencies", "dev-dependencies", "build-dependencies", "workspace.dependencies"])
        {
            foreach (var (key, value) in toml.Table(section))
            {
                if (TomlLite.InlineField(value, "path") is { } path)
                {
                    if (Resolve(directory, path + "/Cargo.toml") is { } reference && files.ContainsKey(reference))
                    {
                        references.Add(reference);
                    }

                    continue;
                }

                packages.Add((key, TomlLite.InlineVersion(value)));
            }
        }

        foreach (var member in toml.Array("workspace", "members"))
        {
            if (!member.Contains('*', StringComparison.Ordinal) && Resolve(directory, member + "/Cargo.toml") is { } reference && files.ContainsKey(reference))
            {
                references.Add(reference);
            }
        }

        return new ProjectFact(name, manifest.Path, "cargo") { Targets = targets, Packages = packages, ProjectReferences = references.Distinct(StringComparer.Ordinal).ToList() };
    }

    private static Dictionary<string, Dictionary<string, string>> IniSections(string content)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, string>? current = null;
        string? lastKey = null;
        foreach (var rawLine in content.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed.StartsWith(';'))
            {
                continue;
            }

            if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            {
                current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                sections[trimmed[1..^1].Trim()] = current;
                lastKey = null;
                continue;
            }

            if (current is null)
            {
                continue;
            }

            if (char.IsWhiteSpace(line[0]) && lastKey is not null)
            {
                current[lastKey] = current[lastKey] + "\n" + trimmed;
                continue;
            }

            var separator = trimmed.IndexOfAny(['=', ':']);
            if (separator > 0)
            {
                lastKey = trimmed[..separator].Trim();
                current[lastKey] = trimmed[(separator + 1)..].Trim();
            }
        }

        return sections;
    }

    private static XDocument LoadXml(string content)
    {
        using var reader = XmlReader.Create(new StringReader(content), SafeXml);
        return XDocument.Load(reader);
    }

    private static SnapshotFile? Nearest(string directory, string fileName, Dictionary<string, SnapshotFile> files)
    {
        var current = directory;
        while (true)
        {
            if (files.TryGetValue(Combine(current, fileName), out var file))
            {
                return file;
            }

            if (current.Length == 0)
            {
                return null;
            }

            current = DirectoryOf(current);
        }
    }

    /// <summary>Resolves a relative reference (either slash) against a folder; null when it leaves the repository.</summary>
    internal static string? Resolve(string directory, string relative)
    {
        var segments = new List<string>(directory.Length == 0 ? [] : directory.Split('/'));
        foreach (var segment in relative.Replace('\\', '/').Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (segments.Count == 0)
                    {
                        return null;
                    }

                    segments.RemoveAt(segments.Count - 1);
                    continue;
                default:
                    segments.Add(segment);
                    continue;
            }
        }

        return segments.Count == 0 ? null : string.Join('/', segments);
    }

    private static string StripComment(string line, string marker)
    {
        var index = line.IndexOf(marker, StringComparison.Ordinal);
        return index < 0 ? line : line[..index];
    }

    private static string Unquote(string literal) => literal.Length >= 2 ? literal[1..^1] : literal;

    private static string KindOf(string manifestName) => manifestName switch
    {
        "package.json" => "npm",
        "go.mod" => "go",
        "pyproject.toml" or "setup.cfg" or "requirements.txt" => "python",
        "pom.xml" => "maven",
        "build.gradle" or "build.gradle.kts" => "gradle",
        "Cargo.toml" => "cargo",
        _ => "dotnet",
    };

    internal static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];

    internal static string DirectoryOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path[..slash];
    }

    private static string FolderName(string path)
    {
        var directory = DirectoryOf(path);
        return directory.Length == 0 ? "(root)" : FileName(directory);
    }

    private static string Combine(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;
}
