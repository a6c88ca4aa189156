using CodeDoc.Core;
using CodeDoc.Hosting.Egress;

namespace CodeDoc.Hosting.Jobs;

/// <summary>
/// Builds a run's providers from stored configurations through the registered factories; anything not stored is left
/// to the engine's registry (by name or kind, or by the repository URL for Git).
/// </summary>
internal sealed class RunProviderBuilder(
    IProviderConfigurationStore configurations,
    IEnumerable<IGitProviderFactory> gitFactories,
    IEnumerable<IAiProviderFactory> aiFactories,
    IEnumerable<IDocPublisherFactory> publisherFactories,
    IGitProviderResolver gitResolver,
    IProviderRegistry registry,
    IAuditLog audit,
    EgressPolicy egress,
    TimeProvider time)
{
    /// <summary>Builds the providers of one run.</summary>
    /// <param name="job">The job.</param>
    /// <param name="repository">The repository.</param>
    /// <param name="branch">The branch the run documents.</param>
    /// <param name="runId">The run, for the audit rows.</param>
    /// <param name="actor">Who the run runs for.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The providers; dispose them after the run.</returns>
    public async Task<BuiltProviders> BuildAsync(JobDefinition job, WatchedRepository repository, string branch, string runId, string actor, CancellationToken cancellationToken)
    {
        var built = new BuiltProviders();
        try
        {
            built.Git = await BuildGitAsync(repository, runId, actor, cancellationToken).ConfigureAwait(false);

            if (!job.FactsOnly && job.AiProviderId is { } aiId)
            {
                var configuration = await ReadAsync(aiId, ProviderCategory.Ai, runId, actor, cancellationToken).ConfigureAwait(false);
                if (configuration is null)
                {
                    built.AiName = aiId;
                }
                else
                {
                    built.Ai = Pick(aiFactories, f => f.Kind, configuration).Create(ToProviderSettings(configuration));
                }
            }

            var publisher = await ReadAsync(job.PublisherId, ProviderCategory.Publisher, runId, actor, cancellationToken).ConfigureAwait(false);
            if (publisher is null)
            {
                built.PublisherName = job.PublisherId;
            }
            else
            {
                built.Publisher = Pick(publisherFactories, f => f.Kind, publisher).Create(ToProviderSettings(OwnFolderPerSet(publisher, job, repository.Id, branch)));
            }

            return built;
        }
        catch
        {
            built.Dispose();
            throw;
        }
    }

    /// <summary>Builds the Git provider that reads a repository, with the repository it parsed.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="runId">The run or trigger the provider is built for, for the audit rows.</param>
    /// <param name="actor">Who it is built for.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The provider (owned by the caller when built from a stored configuration) and the parsed repository.</returns>
    public async Task<(IGitProvider Provider, RepositoryReference Repository, bool Owned)> BuildGitReaderAsync(
        WatchedRepository repository, string runId, string actor, CancellationToken cancellationToken)
    {
        var built = await BuildGitAsync(repository, runId, actor, cancellationToken).ConfigureAwait(false);
        if (built is null)
        {
            var resolved = gitResolver.Resolve(repository.Url);
            return (resolved.Provider, resolved.Repository, false);
        }

        if (!built.TryParseRepository(repository.Url, out var reference))
        {
            (built as IDisposable)?.Dispose();
            throw new CodeDocConfigurationException(
                $"The Git provider configuration '{repository.GitProviderId}' does not serve the repository '{repository.Id}' ({repository.Url}). Check the URL or the configuration's base address.");
        }

        return (built, reference, true);
    }

    /// <summary>Gets the publisher a job names, to read back what a run published.</summary>
    /// <param name="built">The run's providers.</param>
    /// <returns>The publisher.</returns>
    public IDocPublisher Publisher(BuiltProviders built) => built.Publisher ?? registry.GetPublisher(built.PublisherName);

    // The one place a stored configuration becomes the settings a factory reads: the egress rules fence its client.
    private ProviderSettings ToProviderSettings(ProviderConfiguration configuration) => egress.Apply(configuration.ToProviderSettings());

    // A Markdown folder holds one documentation set: a job that documents several (repository, branch) pairs gives each
    // its own subfolder, so one branch never overwrites another. Confluence keeps several sets under one parent itself.
    private static ProviderConfiguration OwnFolderPerSet(ProviderConfiguration publisher, JobDefinition job, string repositoryId, string branch)
    {
        if (!string.Equals(publisher.Kind, "markdown", StringComparison.OrdinalIgnoreCase) ||
            job.Sources.Sum(s => s.Branches.Count) < 2 ||
            publisher.Settings.GetValueOrDefault("OutputPath") is not { Length: > 0 } root)
        {
            return publisher;
        }

        var settings = new Dictionary<string, string?>(publisher.Settings, StringComparer.OrdinalIgnoreCase)
        {
            ["OutputPath"] = Path.Combine(root, repositoryId, string.Join('_', branch.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries))),
        };
        return publisher with { Settings = settings };
    }

    /// <summary>Finds the factory of a configuration's kind (the last registered wins, as for any DI registration).</summary>
    /// <typeparam name="TFactory">The factory contract.</typeparam>
    /// <param name="factories">The registered factories of the configuration's category.</param>
    /// <param name="kind">Reads a factory's kind.</param>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="CodeDocConfigurationException">No factory of that kind is registered; the message lists the kinds that are.</exception>
    internal static TFactory Pick<TFactory>(IEnumerable<TFactory> factories, Func<TFactory, string> kind, ProviderConfiguration configuration)
    {
        var all = factories.ToList();
        return all.LastOrDefault(f => string.Equals(kind(f), configuration.Kind, StringComparison.OrdinalIgnoreCase))
            ?? throw new CodeDocConfigurationException(
                $"The provider configuration '{configuration.Id}' has the kind '{configuration.Kind}', but no {configuration.Category} provider of that kind can be built here " +
                $"(kinds: {(all.Count == 0 ? "none" : string.Join(", ", all.Select(kind).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)))}). " +
                "Register the provider's package (e.g. AddGitHubFactory, AddOpenAIFactories, AddConfluenceFactory) or fix the kind.");
    }

    private async Task<IGitProvider?> BuildGitAsync(WatchedRepository repository, string runId, string actor, CancellationToken cancellationToken)
    {
        if (repository.GitProviderId is not { } gitId)
        {
            return null;
        }

        var configuration = await ReadAsync(gitId, ProviderCategory.Git, runId, actor, cancellationToken).ConfigureAwait(false)
            ?? throw new CodeDocConfigurationException(
                $"The repository '{repository.Id}' is read with the Git provider configuration '{gitId}', which does not exist. Create it, or change the repository's Git provider.");
        return Pick(gitFactories, f => f.Kind, configuration).Create(ToProviderSettings(configuration));
    }

    private async Task<ProviderConfiguration?> ReadAsync(string id, ProviderCategory category, string runId, string actor, CancellationToken cancellationToken)
    {
        var configuration = await configurations.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (configuration is null)
        {
            return null;
        }

        if (configuration.Category != category)
        {
            throw new CodeDocConfigurationException(
                $"The provider configuration '{id}' is a {configuration.Category} provider, but it is used as the {category} provider. Pick a {category} configuration.");
        }

        if (configuration.Secrets.Count > 0)
        {
            await audit.WriteAsync(
                new AuditEvent(time.GetUtcNow(), actor, "secret.used", configuration.Id)
                {
                    Details = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["category"] = configuration.Category.ToString(),
                        ["kind"] = configuration.Kind,
                        ["keys"] = string.Join(",", configuration.Secrets.Keys.Order(StringComparer.Ordinal)),
                        ["run"] = runId,
                    },
                },
                cancellationToken).ConfigureAwait(false);
        }

        return configuration;
    }
}

/// <summary>The providers built for one run; the ones built here are disposed with it.</summary>
internal sealed class BuiltProviders : IDisposable
{
    /// <summary>Gets or sets the Git provider built from a stored configuration.</summary>
    public IGitProvider? Git { get; set; }

    /// <summary>Gets or sets the model vendor built from a stored configuration.</summary>
    public IAiProvider? Ai { get; set; }

    /// <summary>Gets or sets the publisher built from a stored configuration.</summary>
    public IDocPublisher? Publisher { get; set; }

    /// <summary>Gets or sets the registered model vendor's name or kind, when not built here.</summary>
    public string? AiName { get; set; }

    /// <summary>Gets or sets the registered publisher's name or kind, when not built here.</summary>
    public string? PublisherName { get; set; }

    /// <summary>Gets the providers for the plan.</summary>
    public RunProviders Providers => new(Git, Ai, Publisher);

    /// <inheritdoc />
    public void Dispose()
    {
        (Git as IDisposable)?.Dispose();
        (Ai as IDisposable)?.Dispose();
        (Publisher as IDisposable)?.Dispose();
    }
}
