using System.Net;
using System.Text;
using Azure.Core;
using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.AzureDevOps;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CodeDoc.Git.AzureDevOps.Tests;

public sealed class AzureDevOpsProviderTests(SampleRepositoryFixture fixture) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private FakeAzureDevOps _fake = null!;

    private HostedSampleRepository Sample => fixture.Sample;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeAzureDevOps.StartAsync(Sample);
        _fake.AcceptedAuthorization = Azure.BasicFor(Azure.Pat);
        _owned.Add(_fake);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task OpenTree_Commit_ReadsTheZipOfTheRootAtThatCommit()
    {
        var (provider, repository) = Create();

        await using var tree = await provider.OpenTreeAsync(repository, Sample.BaseCommit, Token);
        var snapshot = await TreeListing.ReadAsync(tree, Token);

        var archive = Assert.IsType<ArchiveRepositoryTree>(tree);
        Assert.Equal((ArchiveFormat.Zip, false), (archive.Format, archive.HasTopLevelFolder));
        var request = Assert.Single(_fake.Server.Requests, r => r.Path.EndsWith("/items", StringComparison.Ordinal));
        Assert.Equal("/tfs/acme/Sample Project/_apis/git/repositories/sample/items", request.Path);
        Assert.Contains($"versionDescriptor.version={Sample.BaseCommit}&versionDescriptor.versionType=commit", request.Query, StringComparison.Ordinal);
        Assert.Contains("$format=zip", request.Query, StringComparison.Ordinal);
        Assert.Contains("api-version=7.0", request.Query, StringComparison.Ordinal);
        var old = Assert.Single(snapshot.Files, f => f.Path == HostedSampleRepository.RenamedFrom);
        Assert.Equal(Encoding.UTF8.GetString(Sample.Facts.ReadBlob(Sample.BaseCommit, HostedSampleRepository.RenamedFrom)), old.Content);
        Assert.DoesNotContain(snapshot.Files, f => f.Path == HostedSampleRepository.AddedFile);
    }

    [Fact]
    public async Task OpenTree_ZipWithPathTraversal_HandsTheStreamToTheReaderWhichRefusesTheEntry()
    {
        using (var buffer = new MemoryStream())
        {
            using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var name in new[] { "README.md", "../../escaped.txt" })
                {
                    await using var entry = await zip.CreateEntry(name).OpenAsync(Token);
                    await entry.WriteAsync("x\n"u8.ToArray(), Token);
                }
            }

            _fake.ZipBody = buffer.ToArray();
        }

        var (provider, repository) = Create();

        await using var tree = await provider.OpenTreeAsync(repository, Sample.HeadCommit, Token);
        var snapshot = await TreeListing.ReadAsync(tree, Token);

        Assert.Equal(["README.md"], snapshot.Files.Select(f => f.Path));
        Assert.Single(snapshot.Excluded, e => e.Reason == ExclusionReason.UnsafePath);
    }

    [Fact]
    public async Task CheckAccess_HttpsWithPrivateCa_SucceedsWithTheCaTrusted()
    {
        await using var https = await FakeAzureDevOps.StartAsync(Sample, new FakeServerOptions { Https = true });
        https.AcceptedAuthorization = Azure.BasicFor(Azure.Pat);
        var (provider, services) = Azure.Create(o =>
        {
            Azure.Server(o, https);
            o.Http.TrustedCaCertificateFiles.Add(https.Server.CaCertificatePath!);
        });
        _owned.Add(services);

        var result = await provider.CheckAccessAsync(Azure.Parse(provider, https.RepositoryUrl), Token);

        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => p.Message)));
    }

    [Fact]
    public async Task Compare_BaseToHead_AsksForADirectDiffSkipsFoldersAndFollowsCappedPages()
    {
        _fake.MaxPageLength = 2;
        var (provider, repository) = Create();

        var comparison = await provider.CompareAsync(repository, Sample.BaseCommit, Sample.HeadCommit, Token);

        Assert.True(comparison.IsComplete, comparison.IncompleteReason);
        Assert.Equal(
            new[]
            {
                new ChangedPath(HostedSampleRepository.RenamedTo, ChangeKind.Renamed, HostedSampleRepository.RenamedFrom),
                new ChangedPath(HostedSampleRepository.DeletedFile, ChangeKind.Deleted),
                new ChangedPath(HostedSampleRepository.ModifiedFile, ChangeKind.Modified),
                new ChangedPath(HostedSampleRepository.AddedFile, ChangeKind.Added),
            }.OrderBy(c => c.Path, StringComparer.Ordinal),
            comparison.Changes.OrderBy(c => c.Path, StringComparer.Ordinal));
        var requests = _fake.Server.Requests.Where(r => r.Path.EndsWith("/diffs/commits", StringComparison.Ordinal)).ToList();
        Assert.True(requests.Count > 2, $"{requests.Count} pages");
        Assert.All(requests, r => Assert.Contains("diffCommonCommit=false", r.Query, StringComparison.Ordinal));
        Assert.Contains(requests, r => Uri.UnescapeDataString(r.Query).Contains("$skip=2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_BaseNotAnAncestor_IsIncompleteWithReason()
    {
        var (provider, repository) = Create();

        var comparison = await provider.CompareAsync(repository, Sample.FeatureCommit, Sample.HeadCommit, Token);

        Assert.False(comparison.IsComplete);
        Assert.Contains("not an ancestor", comparison.IncompleteReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HostedSampleRepository.DefaultBranch, RefKind.Branch)]
    [InlineData(HostedSampleRepository.PrefixTrapBranch, RefKind.Branch)]
    [InlineData("refs/heads/" + HostedSampleRepository.FeatureBranch, RefKind.Branch)]
    [InlineData(HostedSampleRepository.Tag, RefKind.Tag)]
    public async Task ResolveRef_PrefixMatchesInSmallPages_PicksTheExactRefAndPeelsTags(string reference, RefKind kind)
    {
        _fake.MaxPageLength = 1;
        var (provider, repository) = Create();

        var resolved = await provider.ResolveRefAsync(repository, reference, Token);

        Assert.Equal((Sample.Facts.ResolveCommit(reference), kind), (resolved.CommitSha, resolved.Kind));
    }

    [Theory]
    [InlineData("?version=GBfeature%2Flogin", "refs/heads/" + HostedSampleRepository.FeatureBranch, RefKind.Branch)]
    [InlineData("?path=/README.md&version=GTv1.0", "refs/tags/" + HostedSampleRepository.Tag, RefKind.Tag)]
    public async Task ResolveRef_NoRefAndTheLinkNamesOne_ReadsTheLinksRef(string query, string expected, RefKind kind)
    {
        var (provider, plain) = Create();
        var link = Azure.Parse(provider, _fake.RepositoryUrl + query);

        var resolved = await provider.ResolveRefAsync(link, null, Token);

        Assert.Equal((Sample.Facts.ResolveCommit(expected), kind), (resolved.CommitSha, resolved.Kind));
        Assert.Equal(plain.Id, link.Id);
    }

    [Fact]
    public async Task ResolveRef_RefGivenAndTheLinkNamesACommit_TheGivenRefWins()
    {
        var (provider, _) = Create();
        var link = Azure.Parse(provider, _fake.RepositoryUrl + "?version=GC" + Sample.BaseCommit);

        var fromLink = await provider.ResolveRefAsync(link, null, Token);
        var given = await provider.ResolveRefAsync(link, HostedSampleRepository.DefaultBranch, Token);

        Assert.Equal((Sample.BaseCommit, Sample.HeadCommit), (fromLink.CommitSha, given.CommitSha));
    }

    [Fact]
    public async Task ResolveRef_FullSha_ChecksTheCommitExists()
    {
        var (provider, repository) = Create();

        var found = await provider.ResolveRefAsync(repository, Sample.InitialCommit, Token);
        var missing = await Assert.ThrowsAsync<GitProviderNotFoundException>(() => provider.ResolveRefAsync(repository, new string('a', 40), Token));

        Assert.Equal((Sample.InitialCommit, RefKind.Commit), (found.CommitSha, found.Kind));
        Assert.Contains(new string('a', 40), missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListBranches_ContinuationTokens_ListEveryBranch()
    {
        _fake.MaxPageLength = 1;
        var (provider, repository) = Create();

        var branches = new List<BranchInfo>();
        await foreach (var branch in provider.ListBranchesAsync(repository, Token))
        {
            branches.Add(branch);
        }

        Assert.Equal(Sample.Facts.Branches().Select(b => (b.ShortName, b.CommitId)), branches.Select(b => (b.Name, b.CommitSha)));
        Assert.Contains(_fake.Server.Requests, r => r.Query.Contains("continuationToken=", StringComparison.Ordinal));
    }

    [Fact]
    public void GetPermalink_Lines_UsesGcVersionAndLineParameters()
    {
        var (provider, repository) = Create();

        var link = provider.GetPermalink(repository, Sample.HeadCommit, "docs/guide.md", new LineRange(3, 9));

        Assert.Equal($"{_fake.RepositoryUrl}?path=/docs/guide.md&version=GC{Sample.HeadCommit}&line=3&lineEnd=10&lineStartColumn=1&lineEndColumn=1", link);
    }

    [Theory]
    [InlineData("https://dev.azure.com/fabrikam/Fiber%20Project/_git/web", "dev.azure.com/fabrikam/fiber project/web")]
    [InlineData("https://me@dev.azure.com/fabrikam/Fiber%20Project/_git/web/pullrequest/12", "dev.azure.com/fabrikam/fiber project/web")]
    [InlineData("https://fabrikam.visualstudio.com/DefaultCollection/Fiber%20Project/_git/web", "dev.azure.com/fabrikam/fiber project/web")]
    [InlineData("git@ssh.dev.azure.com:v3/fabrikam/Fiber%20Project/web", "dev.azure.com/fabrikam/fiber project/web")]
    [InlineData("https://dev.azure.com/fabrikam/_git/web", "dev.azure.com/fabrikam/web/web")]
    public void TryParseRepository_ServicesForms_ParseToOneId(string location, string id)
    {
        var (provider, services) = Azure.Create(o => o.Token = Azure.Pat);
        _owned.Add(services);

        Assert.True(provider.TryParseRepository(location, out var repository));
        Assert.Equal(id, repository.Id);
    }

    [Fact]
    public async Task CheckAccess_WrongPat_FailsSayingTheTokenWasRejected()
    {
        _fake.AcceptedAuthorization = Azure.BasicFor("another");
        var (provider, repository) = Create();

        var result = await provider.CheckAccessAsync(repository, Token);
        var error = await Assert.ThrowsAsync<GitProviderAuthenticationException>(() => provider.ResolveRefAsync(repository, "main", Token));

        Assert.False(result.Succeeded);
        Assert.Contains("wrong, expired or revoked", error.Message, StringComparison.Ordinal);
        Assert.Contains("TF400813", error.Message, StringComparison.Ordinal);
        Assert.All(_fake.Server.Requests, r => Assert.Equal("Suppress", r.Header("X-TFS-FedAuthRedirect")));
    }

    [Fact]
    public async Task CheckAccess_UnknownRepository_FailsSayingNotFoundOrNotVisible()
    {
        var (provider, _) = Create();
        var missing = Azure.Parse(provider, new Uri(_fake.BaseAddress, "acme/Sample%20Project/_git/missing").AbsoluteUri);

        var result = await provider.CheckAccessAsync(missing, Token);

        var problem = Assert.Single(result.Problems);
        Assert.Contains("TF401019", problem.Message, StringComparison.Ordinal);
        Assert.Contains("not visible", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_SignInPageInsteadOfJson_BecomesUnauthorized()
    {
        using var inner = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.NonAuthoritativeInformation)
        {
            Content = new StringContent("<html>Sign In</html>", Encoding.UTF8, "text/html"),
        });
        using var client = Client(inner, new FakeTimeProvider());

        using var response = await client.GetAsync(new Uri("https://dev.azure.com/acme/_apis/connectionData"), Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Handler_RetryAfterOnSuccess_HoldsTheNextRequestUntilItPasses()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        using var inner = new ScriptedHandler(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
            if (Interlocked.Increment(ref calls) == 1)
            {
                response.Headers.Add("Retry-After", "3");
                response.Headers.Add("X-RateLimit-Resource", "Core");
            }

            return response;
        });
        using var client = Client(inner, time);
        var address = new Uri("https://dev.azure.com/acme/_apis/connectionData");

        (await client.GetAsync(address, Token)).Dispose();
        var second = client.GetAsync(address, Token);
        Assert.Equal(1, calls);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, calls);
        time.Advance(TimeSpan.FromSeconds(1));
        (await second).Dispose();

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task GetRepository_ThrottledWithRetryAfterOnSuccess_StillAnswersAndLogsTheWait()
    {
        _fake.ThrottledResponses = 1;
        var logs = new CapturedLogs();
        var (provider, repository) = Create(logs: logs);

        var info = await provider.GetRepositoryAsync(repository, Token);

        Assert.Equal("main", info.DefaultBranch);
        Assert.Contains(logs.Entries, e => e.Contains("[4404]", StringComparison.Ordinal) && e.Contains("Core", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResolveRef_Blocked429_ThrowsRateLimitedWithTheWait()
    {
        _fake.Server.Faults.Respond("/tfs/acme/", 429, "{\"message\":\"TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'Core'.\"}", new Dictionary<string, string> { ["Retry-After"] = "30" }, times: 10);
        var (provider, repository) = Create(o => o.Http.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<GitProviderRateLimitedException>(() => provider.ResolveRefAsync(repository, "main", Token));

        Assert.Contains("TF400733", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
    }

    [Fact]
    public async Task CheckAccess_EntraCredential_SendsBearerTokenFetchedOnce()
    {
        var credential = new StaticCredential("entra-token-1", DateTimeOffset.UtcNow.AddHours(1));
        _fake.AcceptedAuthorization = "Bearer entra-token-1";
        var (provider, repository) = Create(o =>
        {
            o.Token = null;
            o.Credential = credential;
        });

        var result = await provider.CheckAccessAsync(repository, Token);
        await provider.ResolveRefAsync(repository, "main", Token);

        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.Equal(1, credential.Calls);
        Assert.Equal([AzureDevOpsCredentials.Scope], credential.Scopes);
    }

    [Theory]
    [InlineData("TenantId", "tenant")]
    [InlineData("ApiVersion", "seven")]
    [InlineData("Token", " padded ")]
    public void StartupValidation_BadOption_NamesTheField(string field, string value)
    {
        var problems = AzureDevOpsOptionsValidator.Check(Options(field, value), "CodeDoc:Git:ado").ToList();

        Assert.Contains(problems, p => p.Contains("CodeDoc:Git:ado:" + field, StringComparison.Ordinal));
    }

    private static AzureDevOpsOptions Options(string field, string value)
    {
        var options = new AzureDevOpsOptions();
        switch (field)
        {
            case "TenantId":
                options.TenantId = value;
                options.ClientId = "3f1e1a9e-6d1c-4a55-9b7e-3c1f5d7e9a10";
                break;
            case "ApiVersion":
                options.ApiVersion = value;
                break;
            default:
                options.Token = value;
                break;
        }

        return options;
    }

    private static HttpClient Client(HttpMessageHandler inner, TimeProvider time)
    {
        var credentials = AzureDevOpsCredentials.From(new AzureDevOpsOptions { Token = Azure.Pat }, time);
        var handler = new AzureDevOpsHandler("ado", credentials, AzureDevOpsOptions.ServicesAddress, TimeSpan.FromMinutes(1), time, NullLogger.Instance) { InnerHandler = inner };
        return new HttpClient(handler);
    }

    private (IGitProvider Provider, RepositoryReference Repository) Create(Action<AzureDevOpsOptions>? configure = null, CapturedLogs? logs = null)
    {
        var (provider, services) = Azure.Create(
            o =>
            {
                Azure.Server(o, _fake);
                configure?.Invoke(o);
            },
            logs);
        _owned.Add(services);
        return (provider, Azure.Parse(provider, _fake.RepositoryUrl));
    }

    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }

    private sealed class StaticCredential(string token, DateTimeOffset expires) : TokenCredential
    {
        public int Calls { get; private set; }

        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            Scopes = requestContext.Scopes;
            return new AccessToken(token, expires);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}

public sealed class AzureDevOpsFactoryTests(SampleRepositoryFixture fixture)
{
    [Fact]
    public async Task Create_SettingsFromConfiguration_BuildsAProviderThatReadsTheServer()
    {
        await using var fake = await FakeAzureDevOps.StartAsync(fixture.Sample);
        fake.AcceptedAuthorization = Azure.BasicFor(Azure.Pat);
        var factory = new AzureDevOpsGitProviderFactory(NullLoggerFactory.Instance, TimeProvider.System);
        var settings = new ProviderSettings("azure-devops", "runtime", new Dictionary<string, string?>
        {
            ["BaseAddress"] = fake.BaseAddress.AbsoluteUri,
            ["ApiVersion"] = "7.0",
            ["Token"] = Azure.Pat,
        });

        var provider = factory.Create(settings);
        var resolved = await provider.ResolveRefAsync(Azure.Parse(provider, fake.RepositoryUrl), "main", TestContext.Current.CancellationToken);

        Assert.Equal(("runtime", fixture.Sample.HeadCommit), (provider.Metadata.Name, resolved.CommitSha));
    }

    [Fact]
    public void Create_InvalidSettings_ThrowsConfigurationErrorNamingTheField()
    {
        var factory = new AzureDevOpsGitProviderFactory(NullLoggerFactory.Instance, TimeProvider.System);

        var error = Assert.Throws<CodeDocConfigurationException>(() => factory.Create(new ProviderSettings("azure-devops", "runtime", new Dictionary<string, string?> { ["TenantId"] = "t" })));

        Assert.Contains("ClientId", error.Message, StringComparison.Ordinal);
    }
}
