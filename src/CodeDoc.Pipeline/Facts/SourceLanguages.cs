namespace CodeDoc.Pipeline;

/// <summary>The language of a file by its extension (or well-known name), for indexing and the coverage report.</summary>
internal static class SourceLanguages
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".cs"] = "csharp",
        [".csx"] = "csharp",
        [".ts"] = "typescript",
        [".tsx"] = "typescript",
        [".mts"] = "typescript",
        [".cts"] = "typescript",
        [".js"] = "javascript",
        [".jsx"] = "javascript",
        [".mjs"] = "javascript",
        [".cjs"] = "javascript",
        [".py"] = "python",
        [".pyi"] = "python",
        [".java"] = "java",
        [".go"] = "go",
        [".rs"] = "rust",
        [".c"] = "c",
        [".h"] = "c",
        [".cc"] = "cpp",
        [".cpp"] = "cpp",
        [".cxx"] = "cpp",
        [".hpp"] = "cpp",
        [".hh"] = "cpp",
        [".m"] = "objective-c",
        [".mm"] = "objective-c",
        [".swift"] = "swift",
        [".kt"] = "kotlin",
        [".kts"] = "kotlin",
        [".scala"] = "scala",
        [".groovy"] = "groovy",
        [".gradle"] = "groovy",
        [".fs"] = "fsharp",
        [".fsx"] = "fsharp",
        [".vb"] = "visualbasic",
        [".rb"] = "ruby",
        [".php"] = "php",
        [".pl"] = "perl",
        [".pm"] = "perl",
        [".lua"] = "lua",
        [".dart"] = "dart",
        [".r"] = "r",
        [".jl"] = "julia",
        [".ex"] = "elixir",
        [".exs"] = "elixir",
        [".erl"] = "erlang",
        [".hs"] = "haskell",
        [".clj"] = "clojure",
        [".zig"] = "zig",
        [".sh"] = "shell",
        [".bash"] = "shell",
        [".zsh"] = "shell",
        [".ps1"] = "powershell",
        [".psm1"] = "powershell",
        [".sql"] = "sql",
        [".vue"] = "vue",
        [".svelte"] = "svelte",
        [".html"] = "html",
        [".htm"] = "html",
        [".css"] = "css",
        [".scss"] = "scss",
        [".less"] = "less",
        [".razor"] = "razor",
        [".cshtml"] = "razor",
        [".xaml"] = "xaml",
        [".proto"] = "protobuf",
        [".graphql"] = "graphql",
        [".tf"] = "terraform",
        [".bicep"] = "bicep",
        [".md"] = "markdown",
        [".mdx"] = "markdown",
        [".rst"] = "restructuredtext",
        [".adoc"] = "asciidoc",
        [".json"] = "json",
        [".yaml"] = "yaml",
        [".yml"] = "yaml",
        [".toml"] = "toml",
        [".xml"] = "xml",
        [".csproj"] = "msbuild",
        [".fsproj"] = "msbuild",
        [".vbproj"] = "msbuild",
        [".props"] = "msbuild",
        [".targets"] = "msbuild",
    };

    private static readonly Dictionary<string, string> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Dockerfile"] = "dockerfile",
        ["Makefile"] = "makefile",
        ["CMakeLists.txt"] = "cmake",
        ["Jenkinsfile"] = "groovy",
    };

    /// <summary>Finds the language of a path.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The language id, or null when unknown.</returns>
    public static string? Of(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (ByName.TryGetValue(name, out var byName))
        {
            return byName;
        }

        var dot = name.LastIndexOf('.');
        if (dot < 0)
        {
            return null;
        }

        return ByExtension.GetValueOrDefault(name[dot..]);
    }
}
