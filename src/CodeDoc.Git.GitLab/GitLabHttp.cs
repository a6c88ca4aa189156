using System.Net.Http.Headers;
using System.Reflection;
using CodeDoc.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitLab;

/// <summary>The named HTTP client of one GitLab provider instance.</summary>
internal static class GitLabHttp
{
    private static readonly ProductInfoHeaderValue UserAgent = new(
        "CodeDoc.Git.GitLab",
        typeof(GitLabHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>Gets the client name of a registration.</summary>
    /// <param name="name">The registration name.</param>
    /// <returns>The client name.</returns>
    public static string ClientName(string name) => $"CodeDoc.GitLab.{name}";

    /// <summary>
    /// Registers the client: the shared resilience pipeline (which honours GitLab's 429 with <c>Retry-After</c> or the
    /// epoch <c>RateLimit-Reset</c>), the HTTP options, the API address and the token.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="options">Resolves the instance's options.</param>
    public static void Register(IServiceCollection services, string name, Func<IServiceProvider, GitLabOptions> options) =>
        services.AddCodeDocHttpClient(ClientName(name), sp => options(sp).Http, HttpRetryRules.Default)
            .ConfigureHttpClient((sp, client) =>
            {
                var configured = options(sp);
                client.BaseAddress = GitLabEndpoints.From(configured).Api;
                client.DefaultRequestHeaders.UserAgent.Add(UserAgent);
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (!string.IsNullOrEmpty(configured.Token))
                {
                    // Bearer rather than PRIVATE-TOKEN: HttpClient drops Authorization when a redirect leaves the
                    // origin (archives served from object storage), but would forward a custom header.
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", configured.Token);
                }
            });
}

/// <summary>The web and API addresses of one GitLab instance.</summary>
/// <param name="Web">The web address, ending with '/'.</param>
/// <param name="Api">The REST API address (<c>api/v4/</c> below the web address).</param>
/// <param name="DisplayName">A name for reports: "GitLab" or "GitLab (host)".</param>
internal sealed record GitLabEndpoints(Uri Web, Uri Api, string DisplayName)
{
    /// <summary>Gets a value indicating whether this is gitlab.com.</summary>
    public bool IsDotCom => string.Equals(Web.Host, "gitlab.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>Derives the addresses; the options must have passed validation.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The endpoints.</returns>
    public static GitLabEndpoints From(GitLabOptions options)
    {
        var configured = options.BaseAddress ?? GitLabOptions.GitLabDotCom;
        var web = configured.AbsoluteUri.EndsWith('/') ? configured : new Uri(configured.AbsoluteUri + "/");
        var name = string.Equals(web.Host, "gitlab.com", StringComparison.OrdinalIgnoreCase) ? "GitLab" : $"GitLab ({web.Authority}{web.AbsolutePath.TrimEnd('/')})";
        return new GitLabEndpoints(web, new Uri(web, "api/v4/"), name);
    }
}
