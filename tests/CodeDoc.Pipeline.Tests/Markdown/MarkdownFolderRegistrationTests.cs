using CodeDoc.Core;
using CodeDoc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline.Tests.Markdown;

public sealed class MarkdownFolderRegistrationTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void AddCodeDoc_NothingConfigured_RegistersTheDefaultPublisherAndItsFactory()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var publisher = provider.GetRequiredService<IProviderRegistry>().GetPublisher();

        Assert.Equal(("markdown", "markdown"), (publisher.Metadata.Name, publisher.Metadata.Kind));
        Assert.Null(publisher.Metadata.Endpoint);
        Assert.EndsWith(Path.GetFullPath(MarkdownFolderOptions.DefaultOutputPath), publisher.Metadata.DisplayName, StringComparison.Ordinal);
        Assert.IsType<MarkdownFolderPublisherFactory>(provider.GetRequiredKeyedService<IDocPublisherFactory>("markdown"));
    }

    [Fact]
    public async Task AddCodeDoc_WithSection_BindsTheMarkdownSubsection()
    {
        var configuration = Configuration(new()
        {
            ["CodeDoc:Markdown:OutputPath"] = _temp.Output,
            ["CodeDoc:Markdown:RemovedPages"] = "Archive",
        });
        var services = new ServiceCollection();
        services.AddCodeDoc(configuration.GetSection("CodeDoc"));
        using var provider = services.BuildServiceProvider();
        var publisher = provider.GetRequiredService<IProviderRegistry>().GetPublisher("markdown");

        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        await publisher.PublishAsync(SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "reference"), null, Token);

        Assert.True(File.Exists(_temp.File("_archived/api-reference.md")));
    }

    [Theory]
    [InlineData("OutputPath", "")]
    [InlineData("IndexFileName", "../index.md")]
    [InlineData("IndexFileName", "index.html")]
    [InlineData("RemovedPages", "7")]
    public void AddCodeDoc_InvalidMarkdownSetting_FailsAtStartNamingTheKeyAndValue(string key, string value)
    {
        var configuration = Configuration(new() { ["CodeDoc:Markdown:" + key] = value });
        var services = new ServiceCollection();
        services.AddCodeDoc(configuration.GetSection("CodeDoc"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"CodeDoc:Markdown:{key}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMarkdownFolder_AfterAddCodeDoc_ConfiguresTheDefaultPublisher()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc().AddMarkdownFolder(o => o.OutputPath = _temp.Output);
        using var provider = services.BuildServiceProvider();

        var publisher = provider.GetRequiredService<IProviderRegistry>().GetPublisher();

        Assert.Single(provider.GetServices<ProviderRegistration>(), r => r.Category == ProviderCategory.Publisher);
        Assert.EndsWith(_temp.Output, publisher.Metadata.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMarkdownFolder_SameNameTwice_ThrowsConfigurationException()
    {
        var builder = new ServiceCollection().AddCodeDoc().AddMarkdownFolder("wiki", o => o.OutputPath = _temp.Output);

        var error = Assert.Throws<CodeDocConfigurationException>(() => builder.AddMarkdownFolder("wiki", o => o.OutputPath = _temp.Output));

        Assert.Contains("'wiki'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMarkdownFolder_NamedSectionWithoutOutputPath_FailsNamingTheSectionKey()
    {
        var configuration = Configuration(new() { ["Publishers:wiki:IndexFileName"] = "README.md" });
        var services = new ServiceCollection();
        services.AddCodeDoc().AddMarkdownFolder("wiki", configuration.GetSection("Publishers:wiki"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Publishers:wiki:OutputPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("publisher 'wiki'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Factory_SameValuesAsConfiguration_PublishesTheSameFolder()
    {
        var values = new Dictionary<string, string?>
        {
            ["RemovedPages"] = "Archive",
            ["AddTeamNotesSection"] = "false",
            ["IndexFileName"] = "README.md",
        };
        var configured = Path.Combine(_temp.Root, "configured");
        var built = Path.Combine(_temp.Root, "built");
        var services = new ServiceCollection();
        services.AddCodeDoc().AddMarkdownFolder(
            "wiki", Configuration(values.ToDictionary(v => "Wiki:" + v.Key, v => v.Value)).GetSection("Wiki"));
        services.Configure<MarkdownFolderOptions>("wiki", o => o.OutputPath = configured);
        using var provider = services.BuildServiceProvider();
        var fromConfiguration = provider.GetRequiredKeyedService<IDocPublisher>("wiki");
        var fromSettings = provider.GetRequiredKeyedService<IDocPublisherFactory>("markdown")
            .Create(new ProviderSettings("markdown", "wiki", new Dictionary<string, string?>(values) { ["OutputPath"] = built }));

        foreach (var publisher in new[] { fromConfiguration, fromSettings })
        {
            await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
            await publisher.PublishAsync(SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "reference"), null, Token);
        }

        Assert.Equal(fromConfiguration.Metadata with { DisplayName = string.Empty }, fromSettings.Metadata with { DisplayName = string.Empty });
        var expected = Tree(configured);
        Assert.Contains("README.md", expected.Keys);
        Assert.Contains("_archived/api-reference.md", expected.Keys);
        Assert.Equal(expected, Tree(built));
    }

    [Theory]
    [InlineData("OutputPath", null, "OutputPath")]
    [InlineData("OutputPath", "  ", "OutputPath")]
    [InlineData("IndexFileName", "docs/index.md", "IndexFileName")]
    [InlineData("RemovedPages", "Sometimes", "RemovedPages")]
    [InlineData("AddTeamNotesSection", "maybe", "AddTeamNotesSection")]
    public void Factory_BadSettings_ThrowsConfigurationExceptionNamingTheSetting(string key, string? value, string expected)
    {
        var factory = new MarkdownFolderPublisherFactory();
        var settings = new ProviderSettings("markdown", "job-7", new Dictionary<string, string?> { ["OutputPath"] = _temp.Output, [key] = value });

        var error = Assert.Throws<CodeDocConfigurationException>(() => factory.Create(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("job-7", error.ProviderName);
    }

    [Fact]
    public void Factory_OtherKind_ThrowsConfigurationException()
    {
        var settings = new ProviderSettings("confluence", "wiki", new Dictionary<string, string?> { ["OutputPath"] = _temp.Output });

        var error = Assert.Throws<CodeDocConfigurationException>(() => new MarkdownFolderPublisherFactory().Create(settings));

        Assert.Contains("'confluence'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAccessAsync_FolderNotCreatedYet_SucceedsAndCreatesNothing()
    {
        var publisher = MarkdownTest.Publisher(Path.Combine(_temp.Output, "deeper"));

        var result = await publisher.CheckAccessAsync(Token);

        Assert.True(result.Succeeded);
        Assert.Contains("does not exist yet", result.Checks[0].Message, StringComparison.Ordinal);
        Assert.Contains("no documentation set yet", result.Checks[1].Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Root));
    }

    [Fact]
    public async Task CheckAccessAsync_PublishedFolder_NamesTheSetItHolds()
    {
        var publisher = MarkdownTest.Publisher(_temp.Output);
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Token);
        var files = _temp.Files(includeCodeDoc: true);

        var result = await publisher.CheckAccessAsync(Token);

        Assert.True(result.Succeeded);
        Assert.Contains(SampleDocumentSets.Id, result.Checks[1].Message, StringComparison.Ordinal);
        Assert.Equal(files, _temp.Files(includeCodeDoc: true));
    }

    [Fact]
    public async Task CheckAccessAsync_OutputPathIsAFile_Fails()
    {
        var file = Path.Combine(_temp.Root, "a-file");
        File.WriteAllText(file, "x");

        var result = await MarkdownTest.Publisher(file).CheckAccessAsync(Token);

        Assert.False(result.Succeeded);
        Assert.Contains("is a file", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static SortedDictionary<string, string> Tree(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains(".codedoc", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText),
        StringComparer.Ordinal);
}
