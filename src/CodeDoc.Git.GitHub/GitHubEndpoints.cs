namespace CodeDoc.Git.GitHub;

/// <summary>The web and API addresses of one GitHub instance, derived from the options.</summary>
internal sealed class GitHubEndpoints
{
    private GitHubEndpoints(Uri web, Uri api, string displayName)
    {
        Web = web;
        Api = api;
        DisplayName = displayName;
    }

    /// <summary>Gets the web address, ending with '/'.</summary>
    public Uri Web { get; }

    /// <summary>Gets the REST API address, ending with '/'.</summary>
    public Uri Api { get; }

    /// <summary>Gets a name for reports: "GitHub", "GitHub (octocorp.ghe.com)" or "GitHub Enterprise Server (host)".</summary>
    public string DisplayName { get; }

    /// <summary>Gets a value indicating whether this is github.com.</summary>
    public bool IsDotCom => IsGitHubDotCom(Web);

    /// <summary>Derives the addresses; the options must have passed validation.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The endpoints.</returns>
    public static GitHubEndpoints From(GitHubOptions options)
    {
        var web = WithSlash(options.BaseAddress ?? GitHubOptions.GitHubDotCom);
        var api = options.ApiBaseAddress is { } configured ? WithSlash(configured) : DeriveApi(web);
        var name = IsGitHubDotCom(web) ? "GitHub"
            : IsGheDotCom(web) ? $"GitHub ({web.Authority})"
            : $"GitHub Enterprise Server ({web.Authority})";
        return new GitHubEndpoints(web, api, name);
    }

    /// <summary>Derives the API address of a web address.</summary>
    /// <param name="web">The web address, ending with '/'.</param>
    /// <returns>The API address.</returns>
    public static Uri DeriveApi(Uri web) =>
        IsGitHubDotCom(web) ? new Uri("https://api.github.com/")
        : IsGheDotCom(web) ? new Uri($"{web.Scheme}://api.{web.Authority}/")
        : new Uri(web, "api/v3/");

    private static bool IsGitHubDotCom(Uri web) =>
        string.Equals(web.Host, "github.com", StringComparison.OrdinalIgnoreCase) || string.Equals(web.Host, "www.github.com", StringComparison.OrdinalIgnoreCase);

    private static bool IsGheDotCom(Uri web) => web.Host.EndsWith(".ghe.com", StringComparison.OrdinalIgnoreCase);

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
