using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitLab.Tests;

/// <summary>Which locations a GitLab provider serves, the identities it gives them, and its permalinks.</summary>
public sealed class GitLabRepositoryLocationTests : IDisposable
{
    private const string Sha = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7";

    private readonly ServiceProvider _services;

    public GitLabRepositoryLocationTests()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc()
            .AddGitLab()
            .AddGitLab("work", o => o.BaseAddress = new Uri("https://code.example.com/gitlab"));
        _services = services.BuildServiceProvider();
    }

    private IGitProvider DotCom => _services.GetRequiredKeyedService<IGitProvider>("gitlab");

    private IGitProvider SelfManaged => _services.GetRequiredKeyedService<IGitProvider>("work");

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData("https://gitlab.com/acme/platform/widgets")]
    [InlineData("https://gitlab.com/acme/platform/widgets/")]
    [InlineData("https://gitlab.com/acme/platform/widgets.git")]
    [InlineData("https://gitlab.com/Acme/Platform/Widgets")]
    [InlineData("http://gitlab.com/acme/platform/widgets")]
    [InlineData("gitlab.com/acme/platform/widgets")]
    [InlineData("git@gitlab.com:acme/platform/widgets.git")]
    [InlineData("ssh://git@gitlab.com/acme/platform/widgets.git")]
    [InlineData("https://oauth2:glpat-secret@gitlab.com/acme/platform/widgets.git")]
    [InlineData("https://gitlab.com/api/v4/projects/acme%2Fplatform%2Fwidgets")]
    public void TryParse_DotComForms_SameProject(string location)
    {
        Assert.True(DotCom.TryParseRepository(location, out var repository));

        Assert.Equal("gitlab.com/acme/platform/widgets", repository.Id);
        Assert.Equal("gitlab", repository.ProviderName);
        Assert.DoesNotContain("glpat-secret", repository.Location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://gitlab.com/projects/278964")]
    [InlineData("https://gitlab.com/api/v4/projects/278964")]
    public void TryParse_ProjectById_IdentityByIdAndDisplayNameSaysSo(string location)
    {
        Assert.True(DotCom.TryParseRepository(location, out var repository));

        Assert.Equal("gitlab.com/projects/278964", repository.Id);
        Assert.Equal("project 278964", repository.DisplayName);
    }

    [Theory]
    [InlineData("https://gitlab.com/acme/widgets/-/tree/feature/login", "feature/login")]
    [InlineData("https://gitlab.com/acme/widgets/-/blob/main/src/app.cs", "main/src/app.cs")]
    [InlineData("https://gitlab.com/acme/widgets/-/commit/" + Sha, Sha)]
    public void TryParse_WebUrlWithRef_KeepsTheRefHint(string location, string hint)
    {
        Assert.True(DotCom.TryParseRepository(location, out var repository));

        Assert.Equal("gitlab.com/acme/widgets", repository.Id);
        Assert.Equal(hint, repository.Properties["ref"]);
    }

    [Theory]
    [InlineData("https://code.example.com/gitlab/team/app")]
    [InlineData("https://code.example.com/gitlab/team/app/-/tree/main")]
    [InlineData("git@code.example.com:team/app.git")]
    [InlineData("code.example.com/gitlab/team/app")]
    public void TryParse_SelfManagedUnderRelativeRoot_Served(string location)
    {
        Assert.True(SelfManaged.TryParseRepository(location, out var repository));

        Assert.Equal("code.example.com/gitlab/team/app", repository.Id);
        Assert.False(DotCom.TryParseRepository(location, out _));
    }

    [Theory]
    [InlineData("https://github.com/acme/widgets")]
    [InlineData("https://gitlab.com/acme")]
    [InlineData("https://gitlab.com/explore/projects")]
    [InlineData("https://gitlab.com/-/user_settings/personal_access_tokens")]
    [InlineData("https://gitlab.com/acme/widgets/-/merge_requests/1")]
    [InlineData("https://gitlab.com/acme/../widgets")]
    [InlineData("https://code.example.com/team/app")]
    [InlineData("ftp://gitlab.com/acme/widgets")]
    [InlineData("")]
    public void TryParse_NotServed_ReturnsFalse(string location)
    {
        Assert.False(DotCom.TryParseRepository(location, out _));
        Assert.False(SelfManaged.TryParseRepository(location, out _));
    }

    [Fact]
    public void Metadata_SelfManaged_ApiBelowTheRelativeRoot()
    {
        Assert.Equal(new Uri("https://code.example.com/gitlab/api/v4/"), SelfManaged.Metadata.Endpoint);
        Assert.Equal(new Uri("https://gitlab.com/api/v4/"), DotCom.Metadata.Endpoint);
        Assert.Equal("gitlab", SelfManaged.Metadata.Kind);
    }

    [Fact]
    public void GetPermalink_LineRange_GitLabAnchorAndEscapedPath()
    {
        Assert.True(SelfManaged.TryParseRepository("https://code.example.com/gitlab/team/app", out var repository));

        var range = SelfManaged.GetPermalink(repository, Sha, "docs/a b#1.md", new LineRange(1, 5));
        var single = SelfManaged.GetPermalink(repository, Sha, "src/app.cs", new LineRange(7, 7));
        var file = SelfManaged.GetPermalink(repository, Sha, "src/app.cs");

        Assert.Equal($"https://code.example.com/gitlab/team/app/-/blob/{Sha}/docs/a%20b%231.md#L1-5", range);
        Assert.Equal($"https://code.example.com/gitlab/team/app/-/blob/{Sha}/src/app.cs#L7", single);
        Assert.Equal($"https://code.example.com/gitlab/team/app/-/blob/{Sha}/src/app.cs", file);
    }

    [Fact]
    public void RepositoryReference_FromAnotherProvider_Rejected()
    {
        var foreign = new RepositoryReference("https://github.com/a/b", "github.com/a/b", "a/b");

        Assert.Throws<ArgumentException>(() => DotCom.GetPermalink(foreign, Sha, "a.cs"));
    }
}
