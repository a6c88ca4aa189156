using System.Collections.Frozen;

namespace CodeDoc.Pipeline.Redaction;

/// <summary>How a file's text is shaped, which decides how an unquoted value after <c>name =</c> is read.</summary>
internal enum FileKind
{
    /// <summary>Prose, an unknown extension or no path (a prompt): unquoted values must look random to count.</summary>
    Text,

    /// <summary>Source code: an unquoted value is an expression (a variable, a call), never a literal secret.</summary>
    Code,

    /// <summary>Configuration and scripts (YAML, INI, TOML, properties, dotenv, shell, Dockerfile): unquoted values are literals.</summary>
    Config,

    /// <summary>
    /// JSON, XML and their kin (MSBuild, .config, .resx, HTML): values are quoted, attributes or elements; an unquoted
    /// <c>name: value</c> there is prose or a number, so it counts only inside a key=value string.
    /// </summary>
    Markup,
}

/// <summary>What the redactor knows about a file from its path alone.</summary>
/// <param name="Kind">The shape of the text.</param>
/// <param name="IsEnvFile">A dotenv file (<c>.env</c>, <c>.env.local</c>, <c>prod.env</c>; not <c>.env.example</c>): every high-entropy value counts, whatever its name.</param>
/// <param name="IsKeyFile">A private key file (<c>id_rsa</c>, <c>*.key</c>, <c>*.ppk</c>): every run of key material counts.</param>
/// <param name="IsLockFile">A dependency lock file, full of hashes and never holding assignments of secrets.</param>
/// <param name="IsProjectFile">An MSBuild project or solution, whose GUID values are identifiers.</param>
internal sealed record FileProfile(FileKind Kind, bool IsEnvFile, bool IsKeyFile, bool IsLockFile, bool IsProjectFile)
{
    private static readonly FrozenSet<string> CodeExtensions = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        ".cs", ".csx", ".vb", ".fs", ".fsx", ".java", ".kt", ".kts", ".scala", ".groovy", ".go", ".rs", ".c", ".h",
        ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".m", ".mm", ".swift", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx",
        ".mts", ".cts", ".py", ".pyi", ".rb", ".php", ".pl", ".pm", ".lua", ".dart", ".r", ".jl", ".ex", ".exs",
        ".erl", ".clj", ".cljs", ".elm", ".hs", ".ml", ".cshtml", ".razor", ".vue", ".svelte", ".ps1", ".psm1",
        ".sql", ".gradle");

    private static readonly FrozenSet<string> ConfigExtensions = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".cnf", ".properties", ".env", ".tf", ".tfvars", ".hcl",
        ".sln", ".sh", ".bash", ".zsh", ".fish", ".ksh", ".bat", ".cmd", ".dockerfile", ".npmrc", ".pypirc", ".netrc",
        ".pgpass", ".htpasswd", ".gitconfig", ".editorconfig", ".service", ".desktop");

    private static readonly FrozenSet<string> MarkupExtensions = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        ".json", ".jsonc", ".json5", ".xml", ".config", ".csproj", ".vbproj", ".fsproj", ".vcxproj", ".proj", ".props",
        ".targets", ".slnx", ".resx", ".plist", ".pubxml", ".runsettings", ".nuspec", ".xaml", ".axaml", ".html",
        ".htm", ".xhtml", ".svg", ".wxs", ".xsd", ".xsl", ".xslt", ".manifest");

    private static readonly FrozenSet<string> ConfigFileNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "Dockerfile", "Containerfile", "Makefile", "GNUmakefile", "Procfile", "Jenkinsfile", "Vagrantfile",
        "credentials", "config", ".npmrc", ".yarnrc", ".pypirc", ".netrc", "_netrc", ".pgpass", ".git-credentials",
        ".dockercfg", ".htpasswd", ".bashrc", ".zshrc", ".profile", ".bash_profile");

    private static readonly FrozenSet<string> KeyFileNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk", "identity");

    private static readonly FrozenSet<string> KeyFileExtensions = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, ".key", ".ppk");

    private static readonly FrozenSet<string> LockFileNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "packages.lock.json",
        "Cargo.lock", "Gemfile.lock", "poetry.lock", "Pipfile.lock", "composer.lock", "go.sum", "mix.lock",
        "pubspec.lock", "Podfile.lock", "flake.lock", "uv.lock", "pdm.lock", ".terraform.lock.hcl", "gradle.lockfile",
        "paket.lock", "project.assets.json");

    private static readonly FrozenSet<string> ProjectExtensions = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, ".sln", ".slnx", ".csproj", ".vbproj", ".fsproj", ".vcxproj", ".proj", ".props", ".targets", ".pubxml", ".wixproj", ".sqlproj");

    private static readonly FrozenSet<string> EnvTemplateSuffixes = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "example", "sample", "template", "dist", "defaults", "tpl", "schema");

    /// <summary>Gets the profile of text with no path (a prompt, a log line).</summary>
    public static FileProfile None { get; } = new(FileKind.Text, IsEnvFile: false, IsKeyFile: false, IsLockFile: false, IsProjectFile: false);

    /// <summary>Classifies a path; '/' and '\' both separate folders.</summary>
    /// <param name="path">The path, or <see langword="null"/>.</param>
    /// <returns>The profile.</returns>
    public static FileProfile For(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return None;
        }

        var name = path[(path.LastIndexOfAny(['/', '\\']) + 1)..];
        var dot = name.LastIndexOf('.');
        var extension = dot >= 0 ? name[dot..] : string.Empty;
        var isEnvFile = IsDotEnv(name);
        var isKeyFile = KeyFileNames.Contains(name) || KeyFileExtensions.Contains(extension);
        var isLockFile = LockFileNames.Contains(name) || extension.Equals(".lock", StringComparison.OrdinalIgnoreCase);
        var kind = CodeExtensions.Contains(extension) ? FileKind.Code
            : MarkupExtensions.Contains(extension) ? FileKind.Markup
            : isEnvFile || name.StartsWith(".env", StringComparison.OrdinalIgnoreCase) || ConfigExtensions.Contains(extension)
                || ConfigFileNames.Contains(name) || name.StartsWith("Dockerfile", StringComparison.OrdinalIgnoreCase)
                ? FileKind.Config
                : FileKind.Text;
        return new FileProfile(kind, isEnvFile, isKeyFile, isLockFile, ProjectExtensions.Contains(extension));
    }

    // ".env", ".env.local", ".env.production", "prod.env" are real environments; ".env.example" and its kin are
    // templates whose values are meant to be read.
    private static bool IsDotEnv(string name)
    {
        if (name.Equals(".env", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (name.StartsWith(".env.", StringComparison.OrdinalIgnoreCase))
        {
            return !EnvTemplateSuffixes.Contains(name[(name.LastIndexOf('.') + 1)..]);
        }

        return name.Length > 4 && name.EndsWith(".env", StringComparison.OrdinalIgnoreCase);
    }
}
