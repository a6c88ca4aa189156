namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Maps Markdown code-fence languages to the names the Confluence code macro knows. An unknown name makes the macro
/// render an error box, so anything not listed falls back to <c>none</c> (no highlighting). Cloud's editor knows more
/// languages than Data Center's, and names C# differently.
/// </summary>
internal static class CodeLanguages
{
    /// <summary>The language used when a fence names none, or one the macro does not know.</summary>
    public const string Fallback = "none";

    private static readonly Dictionary<string, string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        ["actionscript"] = "actionscript3",
        ["as3"] = "actionscript3",
        ["applescript"] = "applescript",
        ["bash"] = "bash",
        ["sh"] = "bash",
        ["shell"] = "bash",
        ["zsh"] = "bash",
        ["console"] = "bash",
        ["cpp"] = "cpp",
        ["c++"] = "cpp",
        ["cc"] = "cpp",
        ["hpp"] = "cpp",
        ["css"] = "css",
        ["coldfusion"] = "coldfusion",
        ["cfm"] = "coldfusion",
        ["delphi"] = "delphi",
        ["pascal"] = "delphi",
        ["diff"] = "diff",
        ["patch"] = "diff",
        ["erlang"] = "erl",
        ["erl"] = "erl",
        ["groovy"] = "groovy",
        ["gradle"] = "groovy",
        ["html"] = "xml",
        ["xml"] = "xml",
        ["xhtml"] = "xml",
        ["svg"] = "xml",
        ["csproj"] = "xml",
        ["xaml"] = "xml",
        ["java"] = "java",
        ["javafx"] = "jfx",
        ["js"] = "js",
        ["javascript"] = "js",
        ["jsx"] = "js",
        ["mjs"] = "js",
        ["node"] = "js",
        ["php"] = "php",
        ["perl"] = "perl",
        ["pl"] = "perl",
        ["text"] = "text",
        ["txt"] = "text",
        ["plaintext"] = "text",
        ["powershell"] = "powershell",
        ["ps1"] = "powershell",
        ["pwsh"] = "powershell",
        ["python"] = "py",
        ["py"] = "py",
        ["ruby"] = "ruby",
        ["rb"] = "ruby",
        ["sql"] = "sql",
        ["sass"] = "sass",
        ["scss"] = "sass",
        ["scala"] = "scala",
        ["vb"] = "vb",
        ["vbnet"] = "vb",
        ["yaml"] = "yml",
        ["yml"] = "yml",
    };

    private static readonly Dictionary<string, string> CloudOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        ["c#"] = "c#",
        ["cs"] = "c#",
        ["csharp"] = "c#",
        ["c"] = "c",
        ["h"] = "c",
        ["go"] = "go",
        ["golang"] = "go",
        ["kotlin"] = "kotlin",
        ["kt"] = "kotlin",
        ["rust"] = "rust",
        ["rs"] = "rust",
        ["swift"] = "swift",
        ["typescript"] = "typescript",
        ["ts"] = "typescript",
        ["tsx"] = "typescript",
        ["json"] = "json",
        ["jsonc"] = "json",
        ["dockerfile"] = "dockerfile",
        ["docker"] = "dockerfile",
        ["graphql"] = "graphql",
        ["markdown"] = "markdown",
        ["md"] = "markdown",
        ["r"] = "r",
        ["objective-c"] = "objectivec",
        ["objc"] = "objectivec",
        ["haskell"] = "haskell",
        ["lua"] = "lua",
        ["matlab"] = "matlab",
        ["protobuf"] = "protobuf",
        ["proto"] = "protobuf",
        ["toml"] = "toml",
        ["fsharp"] = "fsharp",
        ["f#"] = "fsharp",
        ["dart"] = "dart",
        ["elixir"] = "elixir",
        ["clojure"] = "clojure",
        ["makefile"] = "makefile",
        ["make"] = "makefile",
        ["nginx"] = "nginx",
        ["ini"] = "text",
    };

    private static readonly Dictionary<string, string> DataCenterOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        ["c#"] = "csharp",
        ["cs"] = "csharp",
        ["csharp"] = "csharp",
        ["c"] = "cpp",
        ["h"] = "cpp",
        ["typescript"] = "js",
        ["ts"] = "js",
        ["tsx"] = "js",
        ["json"] = "js",
        ["jsonc"] = "js",
        ["fsharp"] = "text",
    };

    /// <summary>Maps a fence's language to the code macro's.</summary>
    /// <param name="fenceLanguage">The first word of the fence's info string, or <see langword="null"/>.</param>
    /// <param name="cloud">Whether the site is Confluence Cloud.</param>
    /// <returns>The macro language; <see cref="Fallback"/> when unknown.</returns>
    public static string Map(string? fenceLanguage, bool cloud)
    {
        if (string.IsNullOrWhiteSpace(fenceLanguage))
        {
            return Fallback;
        }

        var specific = cloud ? CloudOnly : DataCenterOnly;
        return specific.TryGetValue(fenceLanguage, out var language) || Common.TryGetValue(fenceLanguage, out language) ? language : Fallback;
    }
}
