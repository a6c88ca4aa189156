using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.GitLab;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Git.GitLab.Tests;

/// <summary>Start-up validation, configuration binding and the run-time factory.</summary>
public sealed class GitLabOptionsTests(SampleRepository sample)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("BaseAddress", "http://gitlab.example.com/", "BaseAddress")]
    [InlineData("BaseAddress", "https://gitlab.example.com/api/v4/", "without /api/v4")]
    [InlineData("BaseAddress", "https://gitlab.example.com/?x=1", "query or fragment")]
    [InlineData("Token", "glpat-abc def", "white space")]
    public void Startup_InvalidSetting_FailsNamingTheFieldAndTheFix(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"CodeDoc:Git:work:{key}"] = value }).Build();
        var services = new ServiceCollection();
        services.AddCodeDoc().AddGitLab("work", configuration.GetSection("CodeDoc:Git:work"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<GitLabOptions>>().Get("work"));

        Assert.Contains($"CodeDoc:Git:work:{key}", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("glpat-abc def", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ToString_NamesTheInstanceNotTheToken()
    {
        var options = new GitLabOptions { BaseAddress = new Uri("https://gitlab.example.com/"), Token = "glpat-" + "NeverShowThisToken01" };

        Assert.Equal("GitLab https://gitlab.example.com/ (token)", options.ToString());
    }

    [Fact]
    public async Task Factory_SettingsFromAStoredJob_ProviderThatReadsTheProject()
    {
        var fakeOptions = new FakeGitLabOptions { ProjectPath = SampleRepository.ProjectPath };
        fakeOptions.Tokens[GitLabTestHost.Token] = ["read_api"];
        await using var fake = await FakeGitLab.StartAsync(sample.Repository, fakeOptions);
        var services = new ServiceCollection();
        services.AddCodeDoc().AddGitLab();
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredKeyedService<IGitProviderFactory>("gitlab");

        var gitlab = factory.Create(new ProviderSettings("gitlab", "job-7", new Dictionary<string, string?>
        {
            ["BaseAddress"] = fake.WebBaseAddress.AbsoluteUri,
            ["Token"] = GitLabTestHost.Token,
        }));
        Assert.True(gitlab.TryParseRepository(fake.ProjectUrl, out var repository));
        var resolved = await gitlab.ResolveRefAsync(repository, "main", Cancellation);

        Assert.Equal("job-7", gitlab.Metadata.Name);
        Assert.Equal(sample.Head, resolved.CommitSha);
        await using var tree = await gitlab.OpenTreeAsync(repository, resolved.CommitSha, Cancellation);
        Assert.Contains("src/app.cs", await TreeListing.ListFilesAsync(tree, Cancellation));
    }

    [Fact]
    public void Factory_InvalidSettings_ConfigurationErrorNamingTheKey()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc().AddGitLab();
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredKeyedService<IGitProviderFactory>("gitlab");

        var invalid = Assert.Throws<CodeDocConfigurationException>(() => factory.Create(new ProviderSettings("gitlab", "job-8", new Dictionary<string, string?> { ["BaseAddress"] = "http://gitlab.remote.example/" })));
        var wrongKind = Assert.Throws<CodeDocConfigurationException>(() => factory.Create(new ProviderSettings("github", "job-9", new Dictionary<string, string?>())));

        Assert.Contains("BaseAddress", invalid.Message, StringComparison.Ordinal);
        Assert.Equal("job-8", invalid.ProviderName);
        Assert.Contains("'github'", wrongKind.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTree_ArchiveCutShort_FailsClearly()
    {
        await using var host = await GitLabTestHost.StartAsync(sample.Repository);
        host.Fake.Server.Faults.CutAfter("/api/v4/projects/acme%2Fplatform%2Fwidgets/repository/archive.tar.gz", 200, times: 10);

        var error = await Assert.ThrowsAnyAsync<CodeDocException>(async () =>
        {
            await using var tree = await host.Provider.OpenTreeAsync(host.Repository(), sample.Head, Cancellation);
            await TreeListing.ListFilesAsync(tree, Cancellation);
        });

        // Cut while streaming, the snapshot reader says the read failed; cut before the headers, the provider says
        // the host did not answer. Which one depends on when the connection drops.
        var expected = error switch
        {
            SnapshotException => "read it again",
            GitProviderException => "could not be reached",
            _ => throw new Xunit.Sdk.XunitException($"Unexpected failure: {error}"),
        };
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
