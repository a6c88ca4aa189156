using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.GitHub;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitHub.Tests;

/// <summary>The run-time factory: providers built from stored settings, validated like start-up options.</summary>
public sealed class GitHubFactoryTests(SampleRepository sample)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_SettingsFromAStoredJob_ProviderThatReadsTheRepository()
    {
        var fakeOptions = new FakeGitHubOptions { Owner = SampleRepository.Owner, Name = SampleRepository.Name };
        fakeOptions.Tokens.Add(GitHubTestHost.Token);
        await using var fake = await FakeGitHub.StartAsync(sample.Repository, fakeOptions);
        var services = new ServiceCollection();
        services.AddCodeDoc().AddGitHub();
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredKeyedService<IGitProviderFactory>("github");

        var github = factory.Create(new ProviderSettings("github", "job-7", new Dictionary<string, string?>
        {
            ["ApiBaseAddress"] = fake.ApiBaseAddress.AbsoluteUri,
            ["Token"] = GitHubTestHost.Token,
        }));
        Assert.True(github.TryParseRepository($"https://github.com/{SampleRepository.Owner}/{SampleRepository.Name}", out var repository));
        var resolved = await github.ResolveRefAsync(repository, "main", Cancellation);

        Assert.Equal("job-7", github.Metadata.Name);
        Assert.Equal(sample.Head, resolved.CommitSha);
        await using var tree = await github.OpenTreeAsync(repository, resolved.CommitSha, Cancellation);
        Assert.Contains("src/app.cs", await TreeListing.ListFilesAsync(tree, Cancellation));
        Assert.Null(Assert.Single(fake.Codeload.Requests).Header("Authorization"));
    }

    [Fact]
    public void Create_InvalidSettings_ConfigurationErrorNamingTheKey()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc().AddGitHub();
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredKeyedService<IGitProviderFactory>("github");

        var invalid = Assert.Throws<CodeDocConfigurationException>(() => factory.Create(new ProviderSettings("github", "job-8", new Dictionary<string, string?>
        {
            ["Token"] = "ghp_" + "SomeTokenSomeTokenSome01",
            ["App:AppId"] = "12",
        })));
        var wrongKind = Assert.Throws<CodeDocConfigurationException>(() => factory.Create(new ProviderSettings("gitlab", "job-9", new Dictionary<string, string?>())));

        Assert.Contains("App:PrivateKey", invalid.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SomeTokenSomeToken", invalid.Message, StringComparison.Ordinal);
        Assert.Equal("job-8", invalid.ProviderName);
        Assert.Contains("'gitlab'", wrongKind.Message, StringComparison.Ordinal);
    }
}
