using System.Text;
using System.Text.Json;
using CodeDoc.ConsoleHost;
using CodeDoc.Core;
using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.AzureDevOps;
using CodeDoc.FakeServers.Git.Bitbucket;
using CodeDoc.FakeServers.GitHub;
using CodeDoc.FakeServers.GitLab;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Console.Tests.GitHosts;

/// <summary>With every host configured at once (named providers), each URL goes to the provider of its host, and links point at that host.</summary>
public sealed class MultiHostTests(HostedRepositoryFixture fixture) : IAsyncLifetime
{
    // Built at run time so no scanner mistakes the test source for a leaked credential.
    private static readonly string Token = "multi-" + "ConsoleCanaryTokenAllHosts01";

    private readonly HostedSampleRepository _sample = fixture.Sample;
    private readonly HostCli _cli = new();
    private FakeGitHub _gitHub = null!;
    private FakeGitHub _enterprise = null!;
    private FakeGitLab _gitLab = null!;
    private FakeBitbucketCloud _cloud = null!;
    private FakeBitbucketDataCenter _dataCenter = null!;
    private FakeAzureDevOps _azure = null!;
    private string _config = null!;

    public async ValueTask InitializeAsync()
    {
        _gitHub = await FakeGitHub.StartAsync(_sample.Repository, GitHubOptions(enterprise: false));
        _enterprise = await FakeGitHub.StartAsync(_sample.Repository, GitHubOptions(enterprise: true));
        var gitLab = new FakeGitLabOptions { ProjectPath = "acme/platform/widgets", RelativeRoot = "/gitlab" };
        gitLab.Tokens[Token] = ["read_api"];
        _gitLab = await FakeGitLab.StartAsync(_sample.Repository, gitLab);
        _cloud = await FakeBitbucketCloud.StartAsync(_sample);
        _cloud.AcceptedAuthorization = "Bearer " + Token;
        _dataCenter = await FakeBitbucketDataCenter.StartAsync(_sample);
        _dataCenter.AcceptedAuthorization = "Bearer " + Token;
        _azure = await FakeAzureDevOps.StartAsync(_sample);
        _azure.AcceptedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + Token));

        // Configured the way a user lists several hosts: one named section each, in no helpful order, addresses typed
        // without the trailing '/' (below a context path or virtual directory too).
        _config = _cli.WriteConfig(new Dictionary<string, object>
        {
            ["ado"] = new { Kind = "azure-devops", BaseAddress = Typed(_azure.BaseAddress), ApiVersion = "7.0", Token },
            ["bbdc"] = new { Kind = "bitbucket", BaseAddress = Typed(_dataCenter.BaseAddress), Token },
            ["bbc"] = new { Kind = "bitbucket", Deployment = "Cloud", BaseAddress = Typed(_cloud.WebAddress), ApiAddress = Typed(_cloud.ApiAddress), Token },
            ["gl"] = new { Kind = "gitlab", BaseAddress = Typed(_gitLab.WebBaseAddress), Token },
            ["ghe"] = new { Kind = "github", BaseAddress = Typed(_enterprise.WebBaseAddress), Token },
            ["gh"] = new { Kind = "github", ApiBaseAddress = Typed(_gitHub.ApiBaseAddress), Token },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _gitHub.DisposeAsync();
        await _enterprise.DisposeAsync();
        await _gitLab.DisposeAsync();
        await _cloud.DisposeAsync();
        await _dataCenter.DisposeAsync();
        await _azure.DisposeAsync();
        _cli.Dispose();
    }

    [Theory]
    [InlineData("gh")]
    [InlineData("ghe")]
    [InlineData("gl")]
    [InlineData("bbc")]
    [InlineData("bbdc")]
    [InlineData("ado")]
    public async Task Plan_SeveralHostsConfigured_TheUrlsHostServesIt(string expectedProvider)
    {
        var plan = await HostCli.PlanAsync(_config, UrlServedBy(expectedProvider), "--ref", HostedSampleRepository.FeatureBranch);

        Assert.Equal(expectedProvider, plan.GetProperty("repository").GetProperty("provider").GetString());
        HostCli.AssertPlanOf(plan, _sample, _sample.FeatureCommit);
    }

    [Theory]
    [InlineData("gh")]
    [InlineData("ghe")]
    [InlineData("gl")]
    [InlineData("bbc")]
    [InlineData("bbdc")]
    [InlineData("ado")]
    public async Task Plan_CloneUrlWithCredentials_ServedWithoutShowingThem(string expectedProvider)
    {
        var secret = "pasted" + "CanaryCredentialInUrl01";
        var url = new UriBuilder(UrlServedBy(expectedProvider)) { UserName = "x-token-auth", Password = secret }.Uri.AbsoluteUri;

        var (code, output, error) = await HostCli.RunAsync(_config, "plan", url, "--json");

        Assert.True(code == 0, $"exit {code}: {error}{output}");
        Assert.Equal(expectedProvider, JsonDocument.Parse(output).RootElement.GetProperty("repository").GetProperty("provider").GetString());
        Assert.DoesNotContain(secret, output + error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gh")]
    [InlineData("ghe")]
    [InlineData("gl")]
    [InlineData("bbc")]
    [InlineData("bbdc")]
    [InlineData("ado")]
    public async Task GenerateFactsOnly_SeveralHostsConfigured_PublishesFromTheUrlsHost(string provider)
    {
        var output = _cli.NewFolder();

        var (code, stdout, error) = await HostCli.RunAsync(_config, "generate", UrlServedBy(provider), "--ref", HostedSampleRepository.FeatureBranch, "--facts-only", "--output", output);

        Assert.True(code == 0, $"exit {code}: {error}{stdout}");
        Assert.Contains("Published", stdout, StringComparison.Ordinal);
        var manifest = await File.ReadAllTextAsync(Path.Combine(output, ".codedoc", "manifest.json"), TestContext.Current.CancellationToken);
        Assert.Contains(_sample.FeatureCommit, manifest, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, stdout + error + manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_GitOptionNamesAnotherHost_ExitsThreeNamingBoth()
    {
        var (code, output, error) = await HostCli.RunAsync(_config, "plan", UrlServedBy("gl"), "--git", "ghe");

        Assert.True(code == 3, $"exit {code}: {error}{output}");
        Assert.Contains("'ghe'", error, StringComparison.Ordinal);
        Assert.Contains("acme/platform/widgets", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_UrlOfAnUnconfiguredHost_ExitsThreeListingTheConfiguredOnesWithoutTheUrlsCredentials()
    {
        var secret = "pasted" + "CanaryCredentialInUrl02";

        var (code, output, error) = await HostCli.RunAsync(_config, "plan", $"https://oauth2:{secret}@gitlab.com/acme/platform/widgets");

        Assert.True(code == 3, $"exit {code}: {error}{output}");
        Assert.Contains("gitlab.com/acme/platform/widgets", error, StringComparison.Ordinal);
        Assert.Contains("'gl' (gitlab)", error, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, output + error, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, output + error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gh")]
    [InlineData("ghe")]
    [InlineData("gl")]
    [InlineData("bbc")]
    [InlineData("bbdc")]
    [InlineData("ado")]
    public async Task ProvidersTest_RepoUrl_OnlyItsHostChecksTheRepository(string expectedProvider)
    {
        var (code, output, error) = await HostCli.RunAsync(_config, "providers", "test", "--json", "--repo", UrlServedBy(expectedProvider));

        Assert.True(code == 0, error + output);
        var verdicts = JsonDocument.Parse(output).RootElement.EnumerateArray().Where(v => v.GetProperty("category").GetString() == "Git").ToList();
        Assert.All(verdicts, v => Assert.True(v.GetProperty("succeeded").GetBoolean(), v.ToString()));
        var checkedRepository = verdicts.Where(v => v.GetProperty("checks").EnumerateArray().Any(c => c.GetProperty("name").GetString() == "Repository"));
        Assert.Equal([expectedProvider], checkedRepository.Select(v => v.GetProperty("name").GetString()));
        Assert.DoesNotContain(Token, output + error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gh", "https://github.com/acme/widgets/blob/{sha}/docs/guide.md?plain=1#L2-L3")]
    [InlineData("ghe", "{web}acme/widgets/blob/{sha}/docs/guide.md?plain=1#L2-L3")]
    [InlineData("gl", "{web}acme/platform/widgets/-/blob/{sha}/docs/guide.md#L2-3")]
    [InlineData("bbc", "{web}acme/sample/src/{sha}/docs/guide.md#lines-2:3")]
    [InlineData("bbdc", "{web}projects/ACME/repos/sample/browse/docs/guide.md?at={sha}#2-3")]
    [InlineData("ado", "{web}acme/Sample%20Project/_git/sample?path=/docs/guide.md&version=GC{sha}&line=2&lineEnd=4&lineStartColumn=1&lineEndColumn=1")]
    public void Permalink_ProviderComposedFromConfiguration_PointsAtTheHostsWebAddress(string provider, string expected)
    {
        using var services = CliServices.Build(new CliSettings(_config, Verbose: false, new Dictionary<string, string?>()));
        var (git, repository) = services.GetRequiredService<IGitProviderResolver>().Resolve(UrlServedBy(provider));

        var link = git.GetPermalink(repository, _sample.HeadCommit, HostedSampleRepository.RenamedTo, new LineRange(2, 3));

        Assert.Equal(expected.Replace("{web}", WebAddressOf(provider), StringComparison.Ordinal).Replace("{sha}", _sample.HeadCommit, StringComparison.Ordinal), link);
    }

    private static string Typed(Uri address) => address.AbsoluteUri.TrimEnd('/');

    private static FakeGitHubOptions GitHubOptions(bool enterprise)
    {
        var options = new FakeGitHubOptions { Owner = "acme", Name = "widgets", Enterprise = enterprise };
        options.Tokens.Add(Token);
        return options;
    }

    private string WebAddressOf(string provider) => provider switch
    {
        "ghe" => _enterprise.WebBaseAddress.AbsoluteUri,
        "gl" => _gitLab.WebBaseAddress.AbsoluteUri,
        "bbc" => _cloud.WebAddress.AbsoluteUri,
        "bbdc" => _dataCenter.BaseAddress.AbsoluteUri,
        _ => _azure.BaseAddress.AbsoluteUri,
    };

    private string UrlServedBy(string provider) => provider switch
    {
        "gh" => "https://github.com/acme/widgets",
        "ghe" => _enterprise.RepositoryUrl,
        "gl" => _gitLab.ProjectUrl,
        "bbc" => _cloud.RepositoryUrl,
        "bbdc" => _dataCenter.RepositoryUrl,
        _ => _azure.RepositoryUrl,
    };
}
