using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace CodeDoc.Testing;

/// <summary>
/// The contract every <see cref="IDocPublisher"/> keeps. Derive a test class from this suite in the publisher's test
/// project, say how to register the publisher (with valid and with invalid options) and set up or tear down its target;
/// the facts check registration, argument handling, cancellation, and the publish life cycle on
/// <see cref="SampleDocumentSets"/> (create, unchanged, update, remove, dry run, invalid input).
/// </summary>
/// <remarks>
/// xunit creates a new instance of the derived class for every test, so each test gets a fresh target when the
/// derived class creates one per instance (a temporary folder, a fresh fake server space).
/// </remarks>
public abstract class DocPublisherConformanceTests : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];

    /// <summary>Gets the publisher kind the registrations must report, e.g. <c>markdown</c>.</summary>
    protected abstract string Kind { get; }

    /// <summary>Gets text the start-up validation message must contain for the invalid options, e.g. the field name.</summary>
    protected abstract string InvalidOptionName { get; }

    /// <summary>Gets the cancellation token of the running test.</summary>
    protected static CancellationToken TestCancellationToken => TestContext.Current.CancellationToken;

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => await InitializeTargetAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync().ConfigureAwait(false);
        }

        await DisposeTargetAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Checks that the implementation is sealed and not public (its package's surface is its options and Add... methods).</summary>
    [Fact]
    public void Implementation_IsSealedAndNotPublic()
    {
        var type = CreatePublisher().GetType();
        Assert.True(type.IsSealed, $"{type.FullName} should be sealed.");
        Assert.False(type.IsPublic || type.IsNestedPublic, $"{type.FullName} should not be public.");
    }

    /// <summary>Checks that null arguments are rejected.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Methods_NullArguments_Throw()
    {
        var publisher = CreatePublisher();
        await Assert.ThrowsAsync<ArgumentNullException>(() => publisher.PublishAsync(null!, null, TestCancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => publisher.ReadManifestAsync(null!, TestCancellationToken));
    }

    /// <summary>Checks that a token cancelled before the call stops every method, and that nothing was published.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Methods_PreCancelledToken_ThrowOperationCanceled()
    {
        var publisher = CreatePublisher();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publisher.CheckAccessAsync(cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publisher.ReadManifestAsync(SampleDocumentSets.Id, cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publisher.PublishAsync(SampleDocumentSets.Basic(), null, cancellation.Token));
        Assert.Null(await publisher.ReadManifestAsync(SampleDocumentSets.Id, TestCancellationToken));
    }

    /// <summary>Checks that two named registrations are distinct keyed singletons, each listed by a registration marker.</summary>
    [Fact]
    public void TwoNamedRegistrations_ResolveAsDistinctKeyedServices()
    {
        var services = new ServiceCollection();
        var builder = CreateBuilder(services);
        AddPublisher(builder, "conformance-a");
        AddPublisher(builder, "conformance-b");
        var provider = Track(services.BuildServiceProvider());

        var registrations = provider.GetServices<ProviderRegistration>().Where(r => r.Category == ProviderCategory.Publisher).ToList();
        Assert.Contains(registrations, r => r.Name == "conformance-a" && r.Kind == Kind);
        Assert.Contains(registrations, r => r.Name == "conformance-b" && r.Kind == Kind);

        var first = provider.GetRequiredKeyedService<IDocPublisher>("conformance-a");
        var second = provider.GetRequiredKeyedService<IDocPublisher>("conformance-b");
        Assert.NotSame(first, second);
        Assert.Same(first, provider.GetRequiredKeyedService<IDocPublisher>("conformance-a"));
        Assert.Equal(("conformance-a", Kind), (first.Metadata.Name, first.Metadata.Kind));
        Assert.Equal(("conformance-b", Kind), (second.Metadata.Name, second.Metadata.Kind));
    }

    /// <summary>Checks that invalid options fail start-up validation with a message naming the field.</summary>
    [Fact]
    public void StartupValidation_InvalidOptions_ThrowsNamingTheField()
    {
        var services = new ServiceCollection();
        AddPublisherWithInvalidOptions(CreateBuilder(services), "conformance-invalid");
        var provider = Track(services.BuildServiceProvider());

        var exception = Record.Exception(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failures = exception switch
        {
            OptionsValidationException single => [single],
            AggregateException many => many.Flatten().InnerExceptions.OfType<OptionsValidationException>().ToList(),
            _ => [],
        };
        Assert.True(failures.Count > 0, $"Start-up validation should throw OptionsValidationException; it threw {exception?.GetType().Name ?? "nothing"}.");
        Assert.Contains(failures, f => f.Message.Contains(InvalidOptionName, StringComparison.Ordinal));
    }

    /// <summary>Checks that the access check of a fresh, valid target succeeds.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task CheckAccessAsync_FreshTarget_Succeeds()
    {
        var result = await CreatePublisher().CheckAccessAsync(TestCancellationToken);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems.Select(p => $"{p.Name}: {p.Message}")));
    }

    /// <summary>Checks that publishing a new set creates every page, each with a link.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task PublishAsync_NewSet_CreatesEveryPageWithLink()
    {
        var publisher = CreatePublisher();
        var set = SampleDocumentSets.Basic();

        var result = await publisher.PublishAsync(set, null, TestCancellationToken);

        Assert.Equal(set.Id, result.DocumentSetId);
        Assert.False(result.DryRun);
        Assert.Equal(set.Pages.Count, result.Pages.Count);
        foreach (var page in set.Pages)
        {
            var outcome = Assert.Single(result.Pages, o => o.Key == page.Key);
            Assert.Equal(PageOutcomeKind.Created, outcome.Kind);
            Assert.False(string.IsNullOrWhiteSpace(outcome.Link), $"Page '{page.Key}' has no link.");
        }
    }

    /// <summary>Checks that publishing the same set again changes nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task PublishAsync_SameSetAgain_EveryPageUnchanged()
    {
        var publisher = CreatePublisher();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, TestCancellationToken);

        var result = await publisher.PublishAsync(SampleDocumentSets.Basic(), null, TestCancellationToken);

        Assert.All(result.Pages, o => Assert.Equal(PageOutcomeKind.Unchanged, o.Kind));
        Assert.Equal(SampleDocumentSets.Basic().Pages.Count, result.Pages.Count);
    }

    /// <summary>Checks that a changed page is updated and the others are left unchanged.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task PublishAsync_ChangedPage_UpdatedOthersUnchanged()
    {
        var publisher = CreatePublisher();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, TestCancellationToken);

        var result = await publisher.PublishAsync(
            SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "data-flow"), null, TestCancellationToken);

        Assert.Equal(PageOutcomeKind.Updated, Assert.Single(result.Pages, o => o.Key == "data-flow").Kind);
        Assert.All(result.Pages.Where(o => o.Key != "data-flow"), o => Assert.Equal(PageOutcomeKind.Unchanged, o.Kind));
    }

    /// <summary>Checks that a page that left the set is reported removed and leaves the manifest.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task PublishAsync_RemovedPage_Removed()
    {
        var publisher = CreatePublisher();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, TestCancellationToken);

        var result = await publisher.PublishAsync(
            SampleDocumentSets.WithoutPage(SampleDocumentSets.Basic(), "reference"), null, TestCancellationToken);

        Assert.Equal(PageOutcomeKind.Removed, Assert.Single(result.Pages, o => o.Key == "reference").Kind);
        Assert.All(result.Pages.Where(o => o.Key != "reference"), o => Assert.Equal(PageOutcomeKind.Unchanged, o.Kind));
        var manifest = await publisher.ReadManifestAsync(SampleDocumentSets.Id, TestCancellationToken);
        Assert.DoesNotContain(manifest!.Pages, p => p.Key == "reference");
    }

    /// <summary>Checks that the manifest lists every published page with its identity and hash.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task ReadManifestAsync_AfterPublish_ListsEveryPage()
    {
        var publisher = CreatePublisher();
        var set = SampleDocumentSets.Basic();
        Assert.Null(await publisher.ReadManifestAsync(set.Id, TestCancellationToken));

        await publisher.PublishAsync(set, null, TestCancellationToken);
        var manifest = await publisher.ReadManifestAsync(set.Id, TestCancellationToken);

        Assert.NotNull(manifest);
        Assert.Equal(set.Id, manifest.DocumentSetId);
        Assert.Equal(set.Pages.Select(p => p.Key).Order(StringComparer.Ordinal), manifest.Pages.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.All(manifest.Pages, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.TargetId), $"Page '{p.Key}' has no target id.");
            Assert.False(string.IsNullOrWhiteSpace(p.ContentHash), $"Page '{p.Key}' has no content hash.");
        });
    }

    /// <summary>Checks that a dry run reports what the real run then does, and writes nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task PublishAsync_DryRunOnChangedSet_ReportsTheRealOutcomesAndWritesNothing()
    {
        var publisher = CreatePublisher();
        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, TestCancellationToken);
        var before = await publisher.ReadManifestAsync(SampleDocumentSets.Id, TestCancellationToken);
        var changed = SampleDocumentSets.WithPage(
            SampleDocumentSets.WithoutPage(SampleDocumentSets.WithChangedPage(SampleDocumentSets.Basic(), "overview"), "reference"),
            SampleDocumentSets.Page("faq", "FAQ", null, 4, "Questions and answers."));

        var dryRun = await publisher.PublishAsync(changed, new PublishOptions { DryRun = true }, TestCancellationToken);
        var afterDryRun = await publisher.ReadManifestAsync(SampleDocumentSets.Id, TestCancellationToken);
        var realRun = await publisher.PublishAsync(changed, null, TestCancellationToken);

        Assert.True(dryRun.DryRun);
        AssertSameManifest(before, afterDryRun);
        Assert.Equal(Summarize(realRun), Summarize(dryRun));
        Assert.Equal(PageOutcomeKind.Updated, Assert.Single(dryRun.Pages, o => o.Key == "overview").Kind);
        Assert.Equal(PageOutcomeKind.Removed, Assert.Single(dryRun.Pages, o => o.Key == "reference").Kind);
        Assert.Equal(PageOutcomeKind.Created, Assert.Single(dryRun.Pages, o => o.Key == "faq").Kind);
    }

    /// <summary>Checks that an invalid set is rejected before anything is written.</summary>
    /// <param name="kind">What is wrong with the set.</param>
    /// <returns>A task.</returns>
    [Theory]
    [InlineData(InvalidDocumentSetKind.DuplicateKeys)]
    [InlineData(InvalidDocumentSetKind.MissingParent)]
    [InlineData(InvalidDocumentSetKind.ParentCycle)]
    public async Task PublishAsync_InvalidSet_ThrowsAndChangesNothing(InvalidDocumentSetKind kind)
    {
        var publisher = CreatePublisher();
        await Assert.ThrowsAsync<InvalidDocumentSetException>(() => publisher.PublishAsync(SampleDocumentSets.Invalid(kind), null, TestCancellationToken));
        Assert.Null(await publisher.ReadManifestAsync(SampleDocumentSets.Id, TestCancellationToken));

        await publisher.PublishAsync(SampleDocumentSets.Basic(), null, TestCancellationToken);
        var before = await publisher.ReadManifestAsync(SampleDocumentSets.Id, TestCancellationToken);
        await Assert.ThrowsAsync<InvalidDocumentSetException>(() => publisher.PublishAsync(SampleDocumentSets.Invalid(kind), null, TestCancellationToken));

        AssertSameManifest(before, await publisher.ReadManifestAsync(SampleDocumentSets.Id, TestCancellationToken));
    }

    /// <summary>Registers the publisher under a name, with valid options and a target of its own for that name.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    protected abstract void AddPublisher(ICodeDocBuilder builder, string name);

    /// <summary>Registers the publisher under a name with options that start-up validation must reject.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    protected abstract void AddPublisherWithInvalidOptions(ICodeDocBuilder builder, string name);

    /// <summary>Creates the builder the registrations go into; by default a bare one over the services.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The builder.</returns>
    protected virtual ICodeDocBuilder CreateBuilder(IServiceCollection services) => new ConformanceCodeDocBuilder(services);

    /// <summary>Sets up the target before each test (e.g. creates a temporary folder or starts a fake server).</summary>
    /// <returns>A task.</returns>
    protected virtual ValueTask InitializeTargetAsync() => ValueTask.CompletedTask;

    /// <summary>Tears the target down after each test.</summary>
    /// <returns>A task.</returns>
    protected virtual ValueTask DisposeTargetAsync() => ValueTask.CompletedTask;

    /// <summary>Registers the publisher under a name and resolves it.</summary>
    /// <param name="name">The registration name.</param>
    /// <returns>The publisher.</returns>
    protected IDocPublisher CreatePublisher(string name = "conformance")
    {
        var services = new ServiceCollection();
        AddPublisher(CreateBuilder(services), name);
        return Track(services.BuildServiceProvider()).GetRequiredKeyedService<IDocPublisher>(name);
    }

    private static void AssertSameManifest(PublishManifest? expected, PublishManifest? actual)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal((expected.DocumentSetId, expected.SourceCommit, expected.PublishedAt), (actual.DocumentSetId, actual.SourceCommit, actual.PublishedAt));
        Assert.Equal(
            expected.Pages.Select(p => (p.Key, p.Title, p.TargetId, p.ContentHash)),
            actual.Pages.Select(p => (p.Key, p.Title, p.TargetId, p.ContentHash)));
    }

    private static List<(string Key, PageOutcomeKind Kind)> Summarize(PublishResult result) =>
        [.. result.Pages.Select(p => (p.Key, p.Kind)).OrderBy(p => p.Key, StringComparer.Ordinal)];

    private ServiceProvider Track(ServiceProvider provider)
    {
        _providers.Add(provider);
        return provider;
    }

    private sealed class ConformanceCodeDocBuilder(IServiceCollection services) : ICodeDocBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
