using CodeDoc.Core;
using CodeDoc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline.Tests.Local;

public sealed class LocalRepositoryRegistrationTests : IDisposable
{
    private readonly TemporaryGitRepository _git = TemporaryGitRepository.Init();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _git.Dispose();

    [Fact]
    public void AddCodeDoc_RegistersTheDefaultLocalProviderThatTheResolverPicksForPaths()
    {
        using var services = new ServiceCollection().AddCodeDoc().Services.BuildServiceProvider();

        var provider = services.GetRequiredKeyedService<IGitProvider>("local");
        var resolved = services.GetRequiredService<IGitProviderResolver>().Resolve(_git.Path);

        Assert.IsType<LocalGitProvider>(provider);
        Assert.Same(provider, resolved.Provider);
        Assert.Contains(new ProviderRegistration(ProviderCategory.Git, "local", "local"), services.GetServices<ProviderRegistration>());
        Assert.Equal("local", services.GetRequiredKeyedService<IGitProviderFactory>("local").Kind);
    }

    [Fact]
    public async Task AddCodeDoc_WithASection_BindsItsLocalSubsection()
    {
        var allowed = Path.Combine(_git.Root, "allowed");
        Directory.CreateDirectory(allowed);
        var configuration = Configuration(("CodeDoc:Local:AllowedRoots:0", allowed));
        using var services = new ServiceCollection().AddCodeDoc(configuration.GetSection("CodeDoc")).Services.BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();
        var provider = services.GetRequiredKeyedService<IGitProvider>("local");

        var check = await provider.CheckAccessAsync(provider.Parse(_git.Path), Token);

        Assert.False(check.Succeeded);
        Assert.Contains("CodeDoc:Local:AllowedRoots", Assert.Single(check.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCodeDoc_SectionWithARelativeRoot_FailsAtStartNamingFieldValueAndFix()
    {
        var configuration = Configuration(("CodeDoc:Local:AllowedRoots:0", "repos"));
        using var services = new ServiceCollection().AddCodeDoc(configuration.GetSection("CodeDoc")).Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("CodeDoc:Local:AllowedRoots:0 is 'repos'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not an absolute path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddLocalRepositories_MissingOrEmptyRoot_FailsAtStartSayingWhatToDo()
    {
        var missing = Path.Combine(_git.Root, "missing");
        var services = new ServiceCollection();
        services.AddCodeDoc().AddLocalRepositories(o =>
        {
            o.AllowedRoots.Add(missing);
            o.AllowedRoots.Add(" ");
        });
        using var built = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => built.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"CodeDoc:Local:AllowedRoots:0 is '{missing}', which does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("CodeDoc:Local:AllowedRoots:1 is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddLocalRepositories_AfterAddCodeDoc_ConfiguresTheDefaultRegistration()
    {
        var allowed = Path.Combine(_git.Root, "allowed");
        Directory.CreateDirectory(allowed);
        var services = new ServiceCollection();
        services.AddCodeDoc().AddLocalRepositories(o => o.AllowedRoots.Add(allowed));
        using var built = services.BuildServiceProvider();
        var provider = built.GetRequiredKeyedService<IGitProvider>("local");

        var check = await provider.CheckAccessAsync(provider.Parse(_git.Path), Token);

        Assert.Single(built.GetServices<ProviderRegistration>(), r => r.Category == ProviderCategory.Git);
        Assert.False(check.Succeeded);
    }

    [Fact]
    public void AddLocalRepositories_NamedInCode_ValidationNamesTheConventionalSection()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc().AddLocalRepositories("work", o => o.AllowedRoots.Add("relative"));
        using var built = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => built.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("CodeDoc:Git:work:AllowedRoots:0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CodeDoc:Local:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddLocalRepositories_NamedWithASection_BindsItAndNamesItsPath()
    {
        var configuration = Configuration(("Sources:Work:AllowedRoots:0", "relative"), ("Sources:Work:PreferGit", "false"));
        var services = new ServiceCollection();
        services.AddCodeDoc().AddLocalRepositories("work", configuration.GetSection("Sources:Work"));
        using var built = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => built.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Sources:Work:AllowedRoots:0", error.Message, StringComparison.Ordinal);
        Assert.False(built.GetRequiredService<IOptionsMonitor<LocalRepositoryOptions>>().Get("local").AllowedRoots.Count > 0);
    }

    [Fact]
    public void AddLocalRepositories_NameTakenByAnotherKind_Throws()
    {
        var builder = new ServiceCollection().AddCodeDoc();
        builder.AddGitProvider("work", "github", _ => throw new InvalidOperationException("never built"));

        var error = Assert.Throws<CodeDocConfigurationException>(() => builder.AddLocalRepositories("work"));

        Assert.Contains("'work'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Factory_Settings_BuildTheSameProviderWithThoseOptions()
    {
        var sha = _git.Write("a.txt", "1").Commit("one");
        using var services = new ServiceCollection().AddCodeDoc().Services.BuildServiceProvider();
        var factory = services.GetRequiredKeyedService<IGitProviderFactory>("local");

        var provider = factory.Create(new ProviderSettings("local", "jobs", new Dictionary<string, string?>
        {
            ["AllowedRoots:0"] = _git.Root,
            ["PreferGit"] = "false",
        }));
        var resolved = await provider.ResolveRefAsync(provider.Parse(_git.Path), null, Token);

        Assert.IsType<LocalGitProvider>(provider);
        Assert.Equal(new ProviderMetadata("jobs", "local", provider.Metadata.DisplayName, null), provider.Metadata);
        Assert.NotEqual(sha, resolved.CommitSha);
        Assert.Equal(RefKind.Commit, resolved.Kind);
    }

    [Fact]
    public async Task Factory_AllowedRoots_AreEnforcedAndNamedBySettingsKey()
    {
        var allowed = Path.Combine(_git.Root, "allowed");
        Directory.CreateDirectory(allowed);
        _git.Write("a.txt", "1").Commit("one");
        var factory = new LocalGitProviderFactory(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var provider = factory.Create(new ProviderSettings("local", "jobs", new Dictionary<string, string?> { ["AllowedRoots:0"] = allowed }));

        var error = await Assert.ThrowsAsync<GitProviderException>(() => provider.ResolveRefAsync(provider.Parse(_git.Path), null, Token));

        Assert.Contains("add its folder to AllowedRoots", error.Message, StringComparison.Ordinal);
        Assert.Equal("jobs", error.ProviderName);
    }

    [Theory]
    [InlineData("AllowedRoots:0", "relative/path", "AllowedRoots:0 is 'relative/path', which is not an absolute path")]
    [InlineData("PreferGit", "maybe", "PreferGit")]
    public void Factory_InvalidSettings_ThrowConfigurationExceptionNamingTheKey(string key, string value, string expected)
    {
        var factory = new LocalGitProviderFactory(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        var error = Assert.Throws<CodeDocConfigurationException>(
            () => factory.Create(new ProviderSettings("local", "jobs", new Dictionary<string, string?> { [key] = value })));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("'jobs'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_SettingsOfAnotherKind_Throw()
    {
        var factory = new LocalGitProviderFactory(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        var error = Assert.Throws<CodeDocConfigurationException>(
            () => factory.Create(new ProviderSettings("github", "oss", new Dictionary<string, string?>())));

        Assert.Contains("'github'", error.Message, StringComparison.Ordinal);
    }

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
