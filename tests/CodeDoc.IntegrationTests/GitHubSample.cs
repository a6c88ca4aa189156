using CodeDoc.FakeServers.GitHub;
using CodeDoc.Testing;

namespace CodeDoc.IntegrationTests;

/// <summary>
/// A real git repository served by the fake GitHub as the repository the real push payloads name
/// (<c>binkkatal/sample_app</c>, branch <c>master</c>), so a verified delivery leads to a real run.
/// </summary>
internal sealed class GitHubSample : IAsyncDisposable
{
    public const string RepositoryUrl = "https://github.com/binkkatal/sample_app";
    public const string Branch = "master";

    private GitHubSample(TemporaryGitRepository repository, FakeGitHub gitHub, string token)
    {
        Repository = repository;
        GitHub = gitHub;
        Token = token;
    }

    public TemporaryGitRepository Repository { get; }

    public FakeGitHub GitHub { get; }

    public string Token { get; }

    /// <summary>Gets the real delivery of a push to <c>master</c> of the repository.</summary>
    public static byte[] PushBody => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", "github", "push-branch-updated.json"));

    /// <summary>Gets the configuration a user writes for github.com, pointed at the fake, with the codeload fake allowed out.</summary>
    public object GitSection => new { Kind = "github", ApiBaseAddress = GitHub.ApiBaseAddress.AbsoluteUri, Token };

    public string[] AllowedHosts => [GitHub.Codeload.BaseAddress.AbsoluteUri];

    public static async Task<GitHubSample> StartAsync(string token)
    {
        var repository = TemporaryGitRepository.Init(Branch)
            .Write("README.md", "# Sample app\n\nA sample service.\n")
            .Write("src/App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n")
            .Write("src/App/Greeter.cs", "namespace App;\n\n/// <summary>Greets.</summary>\npublic static class Greeter\n{\n    /// <summary>Says hello.</summary>\n    public static string Hello() => \"hello\";\n}\n");
        repository.Commit("sample");
        var options = new FakeGitHubOptions { Owner = "binkkatal", Name = "sample_app" };
        options.Tokens.Add(token);
        return new GitHubSample(repository, await FakeGitHub.StartAsync(repository, options), token);
    }

    public async ValueTask DisposeAsync()
    {
        await GitHub.DisposeAsync();
        Repository.Dispose();
    }
}
