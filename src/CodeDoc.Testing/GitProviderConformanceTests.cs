using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace CodeDoc.Testing;

/// <summary>
/// The contract every <see cref="IGitProvider"/> keeps, as tests. Derive from this class in your provider's test
/// project, say how to register the provider and which repository to read, and every fact runs against it.
/// </summary>
/// <remarks>
/// <para>
/// The repository the members describe must exist before the first test runs (create it in a class fixture or in
/// the constructor): a ref (<see cref="KnownRef"/>) at a commit (<see cref="KnownCommitSha"/>) that has a file
/// (<see cref="KnownFilePath"/>) and an ancestor commit (<see cref="BaseCommitSha"/>) from which one path
/// (<see cref="ChangedPathSinceBase"/>) changed.
/// </para>
/// <para>Every fact is virtual, so a provider that cannot meet one for a documented reason can override it.</para>
/// </remarks>
public abstract class GitProviderConformanceTests : IAsyncDisposable
{
    private const string FirstName = "conformance-a";
    private const string SecondName = "conformance-b";

    private readonly List<ServiceProvider> _serviceProviders = [];

    /// <summary>Gets the kind the provider reports, e.g. <c>github</c>.</summary>
    protected abstract string ProviderKind { get; }

    /// <summary>Gets a location (URL or path) of the test repository that the provider serves.</summary>
    protected abstract string RepositoryLocation { get; }

    /// <summary>Gets a location the provider does not serve (another host's URL, or a path for a host provider).</summary>
    protected abstract string UnservedLocation { get; }

    /// <summary>Gets a branch or tag of the test repository.</summary>
    protected abstract string KnownRef { get; }

    /// <summary>Gets the full SHA of the commit <see cref="KnownRef"/> points at.</summary>
    protected abstract string KnownCommitSha { get; }

    /// <summary>Gets the relative, '/'-separated path of a file at <see cref="KnownCommitSha"/>.</summary>
    protected abstract string KnownFilePath { get; }

    /// <summary>Gets the full SHA of an ancestor of <see cref="KnownCommitSha"/>.</summary>
    protected abstract string BaseCommitSha { get; }

    /// <summary>Gets a path that changed between <see cref="BaseCommitSha"/> and <see cref="KnownCommitSha"/>.</summary>
    protected abstract string ChangedPathSinceBase { get; }

    /// <summary>Gets the repository's default branch.</summary>
    protected abstract string DefaultBranch { get; }

    /// <summary>
    /// Gets the field that start-up validation names for the options <see cref="AddProviderWithInvalidOptions"/> sets,
    /// e.g. <c>BaseAddress</c>.
    /// </summary>
    protected abstract string InvalidOptionsField { get; }

    /// <summary>Gets a ref that does not exist in the test repository.</summary>
    protected virtual string UnknownRef => "codedoc-conformance-no-such-ref";

    /// <summary>Creates the builder providers are added to, usually with <c>services.AddCodeDoc()</c>.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The builder.</returns>
    protected abstract ICodeDocBuilder CreateBuilder(IServiceCollection services);

    /// <summary>Registers the provider under a name with valid options that reach the test repository.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    protected abstract void AddProvider(ICodeDocBuilder builder, string name);

    /// <summary>Registers the provider under a name with options that start-up validation rejects.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    protected abstract void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name);

    /// <summary>Gets the line anchor a permalink carries for a range; the default is GitHub's <c>L10-L20</c>.</summary>
    /// <param name="lines">The lines.</param>
    /// <returns>The anchor text the permalink contains.</returns>
    protected virtual string ExpectedLineAnchor(LineRange lines) => lines.ToString();

    /// <summary>
    /// Lists the file paths of a tree. Entry trees are enumerated here; a provider that hands over archives overrides
    /// this to read them (for example with the pipeline's snapshot reader).
    /// </summary>
    /// <param name="tree">The tree.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The paths of the files.</returns>
    protected virtual async Task<IReadOnlyCollection<string>> ListFilesAsync(RepositoryTree tree, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (tree is not EntryRepositoryTree entries)
        {
            Assert.Fail($"The provider returned a {tree.GetType().Name}: override {nameof(ListFilesAsync)} to read it.");
            return [];
        }

        var files = new List<string>();
        await foreach (var entry in entries.EnumerateAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entry.Kind == RepositoryEntryKind.File)
            {
                files.Add(entry.Path);
            }
        }

        return files;
    }

    /// <summary>The implementation is an internal detail: sealed and not public.</summary>
    [Fact]
    public virtual void Implementation_IsSealedAndNotPublic()
    {
        var type = CreateProvider(FirstName).GetType();

        Assert.True(type.IsSealed, $"{type.FullName} should be sealed.");
        Assert.False(type.IsPublic || type.IsNestedPublic, $"{type.FullName} should not be public; expose options and Add... methods instead.");
    }

    /// <summary>The metadata reports the registration name and the kind.</summary>
    [Fact]
    public virtual void Metadata_ReportsRegistrationNameAndKind()
    {
        var provider = CreateProvider(FirstName);

        Assert.Equal(FirstName, provider.Metadata.Name);
        Assert.Equal(ProviderKind, provider.Metadata.Kind, ignoreCase: true);
        Assert.False(string.IsNullOrWhiteSpace(provider.Metadata.DisplayName));
    }

    /// <summary>Two registrations under different names are distinct keyed services, each with its marker.</summary>
    [Fact]
    public virtual void TwoNames_ResolveAsDistinctKeyedServicesWithMarkers()
    {
        var services = new ServiceCollection();
        var builder = CreateBuilder(services);
        AddProvider(builder, FirstName);
        AddProvider(builder, SecondName);
        var serviceProvider = Track(services.BuildServiceProvider());
        serviceProvider.GetRequiredService<IStartupValidator>().Validate();

        var first = serviceProvider.GetRequiredKeyedService<IGitProvider>(FirstName);
        var second = serviceProvider.GetRequiredKeyedService<IGitProvider>(SecondName);

        Assert.NotSame(first, second);
        Assert.Equal(FirstName, first.Metadata.Name);
        Assert.Equal(SecondName, second.Metadata.Name);
        var markers = serviceProvider.GetServices<ProviderRegistration>().Where(r => r.Category == ProviderCategory.Git).ToList();
        Assert.Contains(markers, r => r.Name == FirstName && string.Equals(r.Kind, ProviderKind, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(markers, r => r.Name == SecondName && string.Equals(r.Kind, ProviderKind, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Invalid options fail at start, naming the field.</summary>
    [Fact]
    public virtual void StartupValidation_InvalidOptions_ThrowsNamingField()
    {
        var services = new ServiceCollection();
        AddProviderWithInvalidOptions(CreateBuilder(services), FirstName);
        var serviceProvider = Track(services.BuildServiceProvider());

        var error = Assert.Throws<OptionsValidationException>(() => serviceProvider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(InvalidOptionsField, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every member rejects null arguments.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Members_NullArguments_ThrowArgumentException()
    {
        var provider = CreateProvider(FirstName);
        var repository = Parse(provider);
        var token = TestContext.Current.CancellationToken;

        Assert.ThrowsAny<ArgumentException>(() => provider.TryParseRepository(null!, out _));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => provider.GetRepositoryAsync(null!, token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => provider.ResolveRefAsync(null!, KnownRef, token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => provider.OpenTreeAsync(null!, KnownCommitSha, token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => provider.OpenTreeAsync(repository, null!, token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => provider.CompareAsync(null!, BaseCommitSha, KnownCommitSha, token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => provider.CompareAsync(repository, null!, KnownCommitSha, token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => provider.CompareAsync(repository, BaseCommitSha, null!, token));
        Assert.ThrowsAny<ArgumentException>(() => provider.GetPermalink(null!, KnownCommitSha, KnownFilePath));
        Assert.ThrowsAny<ArgumentException>(() => provider.GetPermalink(repository, null!, KnownFilePath));
        Assert.ThrowsAny<ArgumentException>(() => provider.GetPermalink(repository, KnownCommitSha, null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => DrainAsync(provider.ListBranchesAsync(null!, token)));
    }

    /// <summary>Every async member honours a token that is already cancelled.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task AsyncMembers_PreCancelledToken_ThrowOperationCanceled()
    {
        var provider = CreateProvider(FirstName);
        var repository = Parse(provider);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        var token = cancellation.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.CheckAccessAsync(repository, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.GetRepositoryAsync(repository, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.ResolveRefAsync(repository, KnownRef, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.OpenTreeAsync(repository, KnownCommitSha, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.CompareAsync(repository, BaseCommitSha, KnownCommitSha, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DrainAsync(provider.ListBranchesAsync(repository, token)));
    }

    /// <summary>A location the provider does not serve is rejected, so the resolver can try the next provider.</summary>
    [Fact]
    public virtual void TryParseRepository_UnservedLocation_ReturnsFalse()
    {
        var provider = CreateProvider(FirstName);

        Assert.False(provider.TryParseRepository(UnservedLocation, out var repository), $"'{UnservedLocation}' should not be served.");
        Assert.Null(repository);
    }

    /// <summary>A served location parses to a stable reference that names the registration.</summary>
    [Fact]
    public virtual void TryParseRepository_ServedLocation_ReturnsStableReference()
    {
        var provider = CreateProvider(FirstName);

        Assert.True(provider.TryParseRepository(RepositoryLocation, out var first), $"'{RepositoryLocation}' should be served.");
        Assert.True(provider.TryParseRepository(RepositoryLocation, out var second));

        Assert.Equal(first.Id, second.Id);
        Assert.False(string.IsNullOrWhiteSpace(first.DisplayName));
        Assert.Equal(FirstName, first.ProviderName);
    }

    /// <summary>The access check of the test repository passes.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task CheckAccess_ServedRepository_Succeeds()
    {
        var provider = CreateProvider(FirstName);

        var result = await provider.CheckAccessAsync(Parse(provider), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems.Select(p => $"{p.Name}: {p.Message}")));
    }

    /// <summary>The repository's metadata names its default branch.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task GetRepository_ServedRepository_ReportsDefaultBranch()
    {
        var provider = CreateProvider(FirstName);
        var repository = Parse(provider);

        var info = await provider.GetRepositoryAsync(repository, TestContext.Current.CancellationToken);

        Assert.Equal(repository, info.Repository);
        Assert.Equal(DefaultBranch, info.DefaultBranch);
        Assert.False(string.IsNullOrWhiteSpace(info.Name));
    }

    /// <summary>A known ref resolves to its commit.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task ResolveRef_KnownRef_ReturnsItsCommit()
    {
        var provider = CreateProvider(FirstName);

        var resolved = await provider.ResolveRefAsync(Parse(provider), KnownRef, TestContext.Current.CancellationToken);

        Assert.Equal(KnownCommitSha, resolved.CommitSha, ignoreCase: true);
    }

    /// <summary>An unknown ref is a not-found error that names the ref.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task ResolveRef_UnknownRef_ThrowsNotFound()
    {
        var provider = CreateProvider(FirstName);

        var error = await Assert.ThrowsAsync<GitProviderNotFoundException>(
            () => provider.ResolveRefAsync(Parse(provider), UnknownRef, TestContext.Current.CancellationToken));

        Assert.Contains(UnknownRef, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The tree at a commit carries that commit's SHA and holds the known file.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task OpenTree_KnownCommit_HasItsShaAndTheKnownFile()
    {
        var provider = CreateProvider(FirstName);
        var token = TestContext.Current.CancellationToken;

        var tree = await provider.OpenTreeAsync(Parse(provider), KnownCommitSha, token);
        await using (tree.ConfigureAwait(false))
        {
            Assert.Equal(KnownCommitSha, tree.CommitSha, ignoreCase: true);
            Assert.Contains(KnownFilePath, await ListFilesAsync(tree, token));
        }
    }

    /// <summary>A commit compared with itself has no changes and is complete.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Compare_SameCommit_IsEmptyAndComplete()
    {
        var provider = CreateProvider(FirstName);

        var comparison = await provider.CompareAsync(Parse(provider), KnownCommitSha, KnownCommitSha, TestContext.Current.CancellationToken);

        Assert.Empty(comparison.Changes);
        Assert.True(comparison.IsComplete, comparison.IncompleteReason);
    }

    /// <summary>Comparing an ancestor with the known commit lists the changed path and is complete.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Compare_AncestorToKnownCommit_ListsTheChangedPath()
    {
        var provider = CreateProvider(FirstName);

        var comparison = await provider.CompareAsync(Parse(provider), BaseCommitSha, KnownCommitSha, TestContext.Current.CancellationToken);

        Assert.Contains(comparison.Changes, c => c.Path == ChangedPathSinceBase || c.OldPath == ChangedPathSinceBase);
        Assert.True(comparison.IsComplete, comparison.IncompleteReason);
        Assert.Equal(BaseCommitSha, comparison.BaseSha, ignoreCase: true);
        Assert.Equal(KnownCommitSha, comparison.HeadSha, ignoreCase: true);
    }

    /// <summary>A permalink names the file and the line anchor.</summary>
    [Fact]
    public virtual void GetPermalink_WithLines_ContainsPathAndLineAnchor()
    {
        var provider = CreateProvider(FirstName);
        var repository = Parse(provider);
        var lines = new LineRange(10, 20);

        var link = provider.GetPermalink(repository, KnownCommitSha, KnownFilePath, lines);
        var single = provider.GetPermalink(repository, KnownCommitSha, KnownFilePath, new LineRange(7, 7));

        Assert.Contains(KnownFilePath, link, StringComparison.Ordinal);
        Assert.Contains(ExpectedLineAnchor(lines), link, StringComparison.Ordinal);
        Assert.Contains(ExpectedLineAnchor(new LineRange(7, 7)), single, StringComparison.Ordinal);
    }

    /// <summary>The branch list holds the default branch, marked as such.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task ListBranches_ContainsDefaultBranch()
    {
        var provider = CreateProvider(FirstName);
        var branches = new List<BranchInfo>();
        await foreach (var branch in provider.ListBranchesAsync(Parse(provider), TestContext.Current.CancellationToken))
        {
            branches.Add(branch);
        }

        var defaultBranch = Assert.Single(branches, b => b.Name == DefaultBranch);
        Assert.True(defaultBranch.IsDefault, $"Branch '{DefaultBranch}' should be marked as the default.");
        Assert.False(string.IsNullOrWhiteSpace(defaultBranch.CommitSha));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the service providers the tests built; derived classes release their own resources too.</summary>
    /// <returns>A task that completes when released.</returns>
    protected virtual async ValueTask DisposeAsyncCore()
    {
        foreach (var serviceProvider in _serviceProviders)
        {
            await serviceProvider.DisposeAsync().ConfigureAwait(false);
        }

        _serviceProviders.Clear();
    }

    /// <summary>Builds a service provider with the provider registered under a name, and resolves it.</summary>
    /// <param name="name">The registration name.</param>
    /// <returns>The provider.</returns>
    protected IGitProvider CreateProvider(string name)
    {
        var services = new ServiceCollection();
        AddProvider(CreateBuilder(services), name);
        return Track(services.BuildServiceProvider()).GetRequiredKeyedService<IGitProvider>(name);
    }

    private static async Task DrainAsync<T>(IAsyncEnumerable<T> items)
    {
        await foreach (var item in items.ConfigureAwait(false))
        {
            _ = item;
        }
    }

    private RepositoryReference Parse(IGitProvider provider)
    {
        Assert.True(provider.TryParseRepository(RepositoryLocation, out var repository), $"'{RepositoryLocation}' should be served.");
        return repository;
    }

    private ServiceProvider Track(ServiceProvider serviceProvider)
    {
        _serviceProviders.Add(serviceProvider);
        return serviceProvider;
    }
}
