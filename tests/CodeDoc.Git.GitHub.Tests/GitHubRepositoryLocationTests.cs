using CodeDoc.Core;
using CodeDoc.Git.GitHub;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitHub.Tests;

/// <summary>The repository locations users paste, for github.com and for a GitHub Enterprise Server.</summary>
public sealed class GitHubRepositoryLocationTests : IDisposable
{
    private readonly ServiceProvider _services;

    public GitHubRepositoryLocationTests()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc()
            .AddGitHub("dotcom")
            .AddGitHub("ghes", o => o.BaseAddress = new Uri("https://github.example.com/"))
            .AddGitHub("tenant", o => o.BaseAddress = new Uri("https://octocorp.ghe.com/"));
        _services = services.BuildServiceProvider();
    }

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData("https://github.com/acme/widgets")]
    [InlineData("https://github.com/acme/widgets/")]
    [InlineData("https://github.com/acme/widgets.git")]
    [InlineData("http://github.com/acme/widgets")]
    [InlineData("https://www.github.com/acme/widgets")]
    [InlineData("https://GitHub.com/Acme/Widgets")]
    [InlineData("https://github.com/acme/widgets/pulls")]
    [InlineData("https://user:ghp_secret@github.com/acme/widgets.git")]
    [InlineData("git@github.com:acme/widgets.git")]
    [InlineData("git@github.com:acme/widgets")]
    [InlineData("ssh://git@github.com/acme/widgets.git")]
    [InlineData("github.com/acme/widgets")]
    [InlineData("https://api.github.com/repos/acme/widgets")]
    [InlineData("  https://github.com/acme/widgets  ")]
    public void TryParse_DotComForms_SameRepository(string location)
    {
        var repository = Parse("dotcom", location);

        Assert.Equal("github.com/acme/widgets", repository.Id);
        Assert.Equal("acme", repository.Properties["owner"], ignoreCase: true);
        Assert.Equal("widgets", repository.Properties["repo"], ignoreCase: true);
        Assert.False(repository.Properties.ContainsKey("ref"));
        Assert.Equal("dotcom", repository.ProviderName);
        Assert.DoesNotContain("ghp_secret", repository.Location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://github.com/acme/widgets/tree/main", "main")]
    [InlineData("https://github.com/acme/widgets/tree/feature/login", "feature/login")]
    [InlineData("https://github.com/acme/widgets/blob/v1.0/src/app.cs", "v1.0/src/app.cs")]
    [InlineData("https://github.com/acme/widgets/commit/0123456789abcdef0123456789abcdef01234567", "0123456789abcdef0123456789abcdef01234567")]
    public void TryParse_WebUrlWithRef_KeepsTheRefHint(string location, string hint)
    {
        var repository = Parse("dotcom", location);

        Assert.Equal("github.com/acme/widgets", repository.Id);
        Assert.Equal(hint, repository.Properties["ref"]);
    }

    [Theory]
    [InlineData("https://github.example.com/acme/widgets")]
    [InlineData("https://github.example.com/acme/widgets.git")]
    [InlineData("git@github.example.com:acme/widgets.git")]
    [InlineData("https://github.example.com/api/v3/repos/acme/widgets")]
    public void TryParse_EnterpriseServerForms_Served(string location) =>
        Assert.Equal("github.example.com/acme/widgets", Parse("ghes", location).Id);

    [Fact]
    public void TryParse_GheDotComTenant_Served() =>
        Assert.Equal("octocorp.ghe.com/acme/widgets", Parse("tenant", "https://octocorp.ghe.com/acme/widgets").Id);

    [Theory]
    [InlineData("dotcom", "https://gitlab.com/acme/widgets")]
    [InlineData("dotcom", "https://github.example.com/acme/widgets")]
    [InlineData("dotcom", "https://github.com/acme")]
    [InlineData("dotcom", "https://github.com/settings/tokens")]
    [InlineData("dotcom", "https://github.com/orgs/acme")]
    [InlineData("dotcom", "https://github.com/")]
    [InlineData("dotcom", "git@gitlab.com:acme/widgets.git")]
    [InlineData("dotcom", "/home/me/src/widgets")]
    [InlineData("dotcom", "C:\\src\\widgets")]
    [InlineData("dotcom", "ftp://github.com/acme/widgets")]
    [InlineData("dotcom", "https://github.com/acme/wid%20gets")]
    [InlineData("dotcom", "https://github.com/acme/..")]
    [InlineData("dotcom", "")]
    [InlineData("ghes", "https://github.com/acme/widgets")]
    [InlineData("ghes", "https://github.example.com:8443/acme/widgets")]
    public void TryParse_NotServed_ReturnsFalse(string provider, string location)
    {
        var git = _services.GetRequiredKeyedService<IGitProvider>(provider);

        Assert.False(git.TryParseRepository(location, out var repository), $"'{location}' should not be served by {provider}");
        Assert.Null(repository);
    }

    [Fact]
    public void Metadata_EnterpriseServer_DerivesTheApiAddress()
    {
        Assert.Equal(new Uri("https://api.github.com/"), _services.GetRequiredKeyedService<IGitProvider>("dotcom").Metadata.Endpoint);
        Assert.Equal(new Uri("https://github.example.com/api/v3/"), _services.GetRequiredKeyedService<IGitProvider>("ghes").Metadata.Endpoint);
        Assert.Equal(new Uri("https://api.octocorp.ghe.com/"), _services.GetRequiredKeyedService<IGitProvider>("tenant").Metadata.Endpoint);
        Assert.Contains("Enterprise Server", _services.GetRequiredKeyedService<IGitProvider>("ghes").Metadata.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public void GetPermalink_Lines_GitHubAnchorsAndEscapedPath()
    {
        var git = _services.GetRequiredKeyedService<IGitProvider>("ghes");
        var repository = Parse("ghes", "https://github.example.com/acme/widgets");
        var sha = new string('a', 40);

        Assert.Equal($"https://github.example.com/acme/widgets/blob/{sha}/src/my%20file.cs#L3-L9", git.GetPermalink(repository, sha, "src/my file.cs", new LineRange(3, 9)));
        Assert.Equal($"https://github.example.com/acme/widgets/blob/{sha}/src/app.cs#L4", git.GetPermalink(repository, sha, "/src/app.cs", new LineRange(4, 4)));
        Assert.Equal($"https://github.example.com/acme/widgets/blob/{sha}/src/app.cs", git.GetPermalink(repository, sha, "src/app.cs"));
    }

    [Fact]
    public void GetPermalink_RenderedMarkdownWithLines_UsesThePlainView()
    {
        var git = _services.GetRequiredKeyedService<IGitProvider>("dotcom");
        var sha = new string('b', 40);

        var link = git.GetPermalink(Parse("dotcom", "https://github.com/acme/widgets"), sha, "docs/README.md", new LineRange(1, 2));

        Assert.Equal($"https://github.com/acme/widgets/blob/{sha}/docs/README.md?plain=1#L1-L2", link);
    }

    [Fact]
    public void RepositoryReference_FromAnotherProvider_Rejected()
    {
        var git = _services.GetRequiredKeyedService<IGitProvider>("dotcom");
        var foreign = new RepositoryReference("/tmp/x", "local/tmp/x", "x");

        Assert.Throws<ArgumentException>(() => git.GetPermalink(foreign, new string('c', 40), "a.cs"));
    }

    private RepositoryReference Parse(string provider, string location)
    {
        Assert.True(_services.GetRequiredKeyedService<IGitProvider>(provider).TryParseRepository(location, out var repository), $"'{location}' should be served by {provider}");
        return repository;
    }
}
