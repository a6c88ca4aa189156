using System.Net.Http.Headers;
using System.Reflection;
using CodeDoc.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitHub;

/// <summary>The named HTTP client of one GitHub provider instance.</summary>
internal static class GitHubHttp
{
    private static readonly ProductInfoHeaderValue UserAgent = new(
        "CodeDoc.Git.GitHub",
        typeof(GitHubHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>Gets the client name of a registration.</summary>
    /// <param name="name">The registration name.</param>
    /// <returns>The client name.</returns>
    public static string ClientName(string name) => $"CodeDoc.GitHub.{name}";

    /// <summary>
    /// Registers the client: the shared resilience pipeline and HTTP options, GitHub's rate-limit answers made
    /// retryable, the API address, and the headers GitHub expects (a <c>User-Agent</c> is mandatory).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="options">Resolves the instance's options.</param>
    public static void Register(IServiceCollection services, string name, Func<IServiceProvider, GitHubOptions> options)
    {
        services.AddCodeDocHttpClient(ClientName(name), sp => options(sp).Http, HttpRetryRules.Default)
            .ConfigureHttpClient((sp, client) =>
            {
                var configured = options(sp);
                client.BaseAddress = GitHubEndpoints.From(configured).Api;
                client.DefaultRequestHeaders.UserAgent.Add(UserAgent);
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
                client.DefaultRequestHeaders.Add("X-GitHub-Api-Version", configured.ApiVersion);
            })
            .AddHttpMessageHandler(sp => new GitHubRateLimitHandler(sp.GetService<TimeProvider>() ?? TimeProvider.System));
    }
}
