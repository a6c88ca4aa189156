using CodeDoc.Core;
using CodeDoc.Hosting.Tests.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Hosting.Tests.Configuration;

public sealed class HostingConfigurationTests : IAsyncLifetime
{
    private const string Canary = "sk-canary-7d1e52b0c4";
    private readonly StoreTestHost _host = new();
    private ServiceProvider _services = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IHostingConfiguration Configuration => _services.GetRequiredService<IHostingConfiguration>();

    public ValueTask InitializeAsync()
    {
        _services = _host.Build(services: s => s.AddCodeDoc().AddOpenAIFactories().AddGitHubFactory());
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task SaveProviderAsync_ValidConfiguration_StoresItAndAuditsKeyNamesOnly()
    {
        await Configuration.SaveProviderAsync(OpenAI("https://api.openai.com/v1/"), "alice", Token);

        var stored = await _services.GetRequiredService<IProviderConfigurationStore>().GetAsync("vendor", Token);
        Assert.Equal(Canary, stored!.Secrets["ApiKey"]);
        var row = Assert.Single(await AuditAsync(), e => e.Action == "provider.saved");
        Assert.Equal("alice", row.Actor);
        Assert.Equal("ApiKey", row.Details["secrets"]);
        Assert.DoesNotContain(Canary, string.Join("|", row.Details.Values), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveProviderAsync_RemoteHttpEndpoint_RefusedWithTheValidatorsMessageAndNothingStored()
    {
        var error = await Assert.ThrowsAsync<CodeDocConfigurationException>(() => Configuration.SaveProviderAsync(OpenAI("http://models.example/v1/"), "alice", Token));

        Assert.Contains("https://", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, error.Message, StringComparison.Ordinal);
        Assert.Null(await _services.GetRequiredService<IProviderConfigurationStore>().GetAsync("vendor", Token));
        Assert.DoesNotContain(await AuditAsync(), e => e.Action == "provider.saved");
    }

    [Fact]
    public async Task SaveProviderAsync_UnknownKind_ListsTheKindsThatCanBeBuilt()
    {
        var configuration = new ProviderConfiguration { Id = "x", Category = ProviderCategory.Ai, Kind = "anthropic", Settings = new Dictionary<string, string?> { ["Model"] = "m" } };

        var error = await Assert.ThrowsAsync<CodeDocConfigurationException>(() => Configuration.SaveProviderAsync(configuration, "alice", Token));

        Assert.Contains("'anthropic'", error.Message, StringComparison.Ordinal);
        Assert.Contains("openai-compatible", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveProviderAsync_KeyAsSettingAndSecret_Refused()
    {
        var configuration = OpenAI("https://api.openai.com/v1/") with { Settings = new Dictionary<string, string?> { ["ApiKey"] = "x", ["Model"] = "gpt-5" } };

        var error = await Assert.ThrowsAsync<CodeDocConfigurationException>(() => Configuration.SaveProviderAsync(configuration, "alice", Token));

        Assert.Contains("ApiKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveRepositoryAsync_WebhookWithoutSecretOrUnknownHost_Refused()
    {
        var noSecret = await Assert.ThrowsAsync<CodeDocConfigurationException>(() =>
            Configuration.SaveRepositoryAsync(new WatchedRepository { Id = "api", Url = "https://github.com/acme/api", WebhookHostKind = "github" }, "alice", Token));
        var unknownHost = await Assert.ThrowsAsync<CodeDocConfigurationException>(() =>
            Configuration.SaveRepositoryAsync(new WatchedRepository { Id = "api", Url = "https://github.com/acme/api", WebhookHostKind = "gitea", WebhookSecret = "s" }, "alice", Token));

        Assert.Contains("no webhook secret", noSecret.Message, StringComparison.Ordinal);
        Assert.Contains("'gitea'", unknownHost.Message, StringComparison.Ordinal);
        Assert.Empty(await _services.GetRequiredService<IRepositoryStore>().ListAsync(Token));
    }

    [Fact]
    public async Task SaveJobAsync_BadScheduleAndUnknownRepository_RefusedWithEveryProblem()
    {
        var job = new JobDefinition
        {
            Id = "docs",
            Sources = [new JobSource("missing", ["main"])],
            PublisherId = "markdown",
            Triggers = new JobTriggers { Schedule = "every night" },
        };

        var error = await Assert.ThrowsAsync<CodeDocConfigurationException>(() => Configuration.SaveJobAsync(job, "alice", Token));

        Assert.Contains("'missing' is not known", error.Message, StringComparison.Ordinal);
        Assert.Contains("'every night' is not a valid cron expression", error.Message, StringComparison.Ordinal);
        Assert.Null(await _services.GetRequiredService<IJobStore>().GetAsync("docs", Token));
    }

    [Fact]
    public async Task DeleteAsync_ProviderOrRepositoryInUse_RefusedUntilTheJobIsGone()
    {
        await Configuration.SaveProviderAsync(OpenAI("https://api.openai.com/v1/"), "alice", Token);
        await Configuration.SaveRepositoryAsync(new WatchedRepository { Id = "api", Url = "https://github.com/acme/api" }, "alice", Token);
        await Configuration.SaveJobAsync(new JobDefinition { Id = "docs", Sources = [new JobSource("api", ["main"])], PublisherId = "markdown", AiProviderId = "vendor" }, "alice", Token);

        await Assert.ThrowsAsync<CodeDocConfigurationException>(() => Configuration.DeleteProviderAsync("vendor", "bob", Token));
        await Assert.ThrowsAsync<CodeDocConfigurationException>(() => Configuration.DeleteRepositoryAsync("api", "bob", Token));
        Assert.True(await Configuration.DeleteJobAsync("docs", "bob", Token));
        Assert.True(await Configuration.DeleteRepositoryAsync("api", "bob", Token));
        Assert.True(await Configuration.DeleteProviderAsync("vendor", "bob", Token));

        var actions = (await AuditAsync()).Select(e => $"{e.Actor}:{e.Action}").ToList();
        Assert.Equal(["alice:provider.saved", "alice:repository.saved", "alice:job.saved", "bob:job.deleted", "bob:repository.deleted", "bob:provider.deleted"], actions);
        Assert.True((await _services.GetRequiredService<IAuditLog>().VerifyAsync(Token)).IsIntact);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("../escape")]
    public async Task SaveJobAsync_InvalidId_Refused(string id)
    {
        await Assert.ThrowsAsync<CodeDocConfigurationException>(() =>
            Configuration.SaveJobAsync(new JobDefinition { Id = id, Sources = [], PublisherId = "markdown" }, "alice", Token));
    }

    private static ProviderConfiguration OpenAI(string endpoint) => new()
    {
        Id = "vendor",
        Category = ProviderCategory.Ai,
        Kind = "openai",
        Settings = new Dictionary<string, string?> { ["Endpoint"] = endpoint, ["Model"] = "gpt-5" },
        Secrets = new Dictionary<string, string> { ["ApiKey"] = Canary },
    };

    private async Task<List<AuditEntry>> AuditAsync()
    {
        var rows = new List<AuditEntry>();
        await foreach (var row in _services.GetRequiredService<IAuditLog>().ReadAsync(Token))
        {
            rows.Add(row);
        }

        return rows;
    }
}
