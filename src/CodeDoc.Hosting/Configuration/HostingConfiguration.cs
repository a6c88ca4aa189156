using System.Text.RegularExpressions;
using CodeDoc.Core;
using CodeDoc.Hosting.Egress;
using CodeDoc.Hosting.Jobs;
using CodeDoc.Hosting.Triggers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Configuration;

/// <summary>Validates and audits every change to what the host keeps.</summary>
internal sealed partial class HostingConfiguration(
    IProviderConfigurationStore providers,
    IRepositoryStore repositories,
    IJobStore jobs,
    IAuditLog audit,
    IEnumerable<IGitProviderFactory> gitFactories,
    IEnumerable<IAiProviderFactory> aiFactories,
    IEnumerable<IDocPublisherFactory> publisherFactories,
    EgressPolicy egress,
    IServiceProvider services,
    IOptionsMonitor<CodeDocHostingOptions> options,
    TimeProvider time) : IHostingConfiguration
{
    public async Task SaveProviderAsync(ProviderConfiguration configuration, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        CheckId(configuration.Id, "provider configuration");
        var overlap = configuration.Settings.Keys.Intersect(configuration.Secrets.Keys, StringComparer.OrdinalIgnoreCase).ToList();
        if (overlap.Count > 0)
        {
            throw new CodeDocConfigurationException(
                $"The provider configuration '{configuration.Id}' sets {string.Join(", ", overlap)} both as a plain setting and as a secret: keep each key in one place (keys and tokens as secrets).");
        }

        // Building the provider once runs the same validation as start-up, so a bad setting fails now, not at the first run.
        var settings = egress.Apply(configuration.ToProviderSettings());
        var built = configuration.Category switch
        {
            ProviderCategory.Git => (object)RunProviderBuilder.Pick(gitFactories, f => f.Kind, configuration).Create(settings),
            ProviderCategory.Ai => RunProviderBuilder.Pick(aiFactories, f => f.Kind, configuration).Create(settings),
            _ => RunProviderBuilder.Pick(publisherFactories, f => f.Kind, configuration).Create(settings),
        };
        await DisposeAsync(built).ConfigureAwait(false);

        await providers.SaveAsync(configuration, cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, "provider.saved", configuration.Id, new()
        {
            ["category"] = configuration.Category.ToString(),
            ["kind"] = configuration.Kind,
            ["settings"] = string.Join(",", configuration.Settings.Keys.Order(StringComparer.Ordinal)),
            ["secrets"] = string.Join(",", configuration.Secrets.Keys.Order(StringComparer.Ordinal)),
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteProviderAsync(string id, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var users = (await repositories.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => string.Equals(r.GitProviderId, id, StringComparison.OrdinalIgnoreCase)).Select(r => $"repository '{r.Id}'")
            .Concat((await jobs.ListAsync(cancellationToken).ConfigureAwait(false))
                .Where(j => string.Equals(j.AiProviderId, id, StringComparison.OrdinalIgnoreCase) || string.Equals(j.PublisherId, id, StringComparison.OrdinalIgnoreCase))
                .Select(j => $"job '{j.Id}'"))
            .ToList();
        if (users.Count > 0)
        {
            throw new CodeDocConfigurationException($"The provider configuration '{id}' is still used by {string.Join(", ", users)}: change or delete those first.");
        }

        var deleted = await providers.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            await AuditAsync(actor, "provider.deleted", id, [], cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    public async Task SaveRepositoryAsync(WatchedRepository repository, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        CheckId(repository.Id, "repository");
        if (string.IsNullOrWhiteSpace(repository.Url))
        {
            throw new CodeDocConfigurationException($"The repository '{repository.Id}' has no URL: give its web address (https://host/owner/name) or a local path.");
        }

        if (repository.GitProviderId is { } gitId)
        {
            var git = await providers.GetAsync(gitId, cancellationToken).ConfigureAwait(false);
            if (git is null || git.Category != ProviderCategory.Git)
            {
                throw new CodeDocConfigurationException(
                    $"The repository '{repository.Id}' names the Git provider configuration '{gitId}', which {(git is null ? "does not exist" : $"is a {git.Category} provider")}: add it first, or leave the provider out to match the URL against the Git providers registered in code.");
            }
        }

        if (repository.WebhookHostKind is { } hostKind)
        {
            if (services.GetKeyedService<IWebhookHandler>(hostKind) is null)
            {
                throw new CodeDocConfigurationException(
                    $"The repository '{repository.Id}' expects '{hostKind}' webhooks, but no webhook handler of that kind is registered. Use github, gitlab, bitbucket-cloud, bitbucket-dc or azure-devops, and register the host's package (e.g. AddGitHub or AddGitHubFactory).");
            }

            if (string.IsNullOrEmpty(repository.WebhookSecret))
            {
                throw new CodeDocConfigurationException(
                    $"The repository '{repository.Id}' expects '{hostKind}' webhooks but has no webhook secret, so deliveries could not be verified: set the secret you configure on the hook.");
            }
        }

        await repositories.SaveAsync(repository, cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, "repository.saved", repository.Id, new()
        {
            ["url"] = Uri.TryCreate(repository.Url, UriKind.Absolute, out var url) && !url.IsFile ? EndpointRules.SafeDisplay(url) : repository.Url,
            ["git"] = repository.GitProviderId ?? "registered",
            ["webhook"] = repository.WebhookHostKind ?? "none",
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteRepositoryAsync(string id, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var followers = (await jobs.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(j => j.Sources.Any(s => string.Equals(s.RepositoryId, id, StringComparison.OrdinalIgnoreCase))).Select(j => $"'{j.Id}'").ToList();
        if (followers.Count > 0)
        {
            throw new CodeDocConfigurationException($"The repository '{id}' is still followed by the job(s) {string.Join(", ", followers)}: change or delete them first.");
        }

        var deleted = await repositories.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            await AuditAsync(actor, "repository.deleted", id, [], cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    public async Task SaveJobAsync(JobDefinition job, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        CheckId(job.Id, "job");
        var problems = new List<string>();
        if (job.Sources.Count == 0)
        {
            problems.Add($"Job '{job.Id}': it follows no repository. Add at least one repository and branch.");
        }

        foreach (var source in job.Sources)
        {
            if (await repositories.GetAsync(source.RepositoryId, cancellationToken).ConfigureAwait(false) is null)
            {
                problems.Add($"Job '{job.Id}': the repository '{source.RepositoryId}' is not known. Add it first.");
            }

            if (source.Branches.Count == 0 || source.Branches.Any(string.IsNullOrWhiteSpace))
            {
                problems.Add($"Job '{job.Id}': the repository '{source.RepositoryId}' needs at least one branch name (e.g. main).");
            }
        }

        if (string.IsNullOrWhiteSpace(job.PublisherId))
        {
            problems.Add($"Job '{job.Id}': it has no publisher. Name a stored publisher configuration or a registered publisher (e.g. markdown).");
        }

        problems.AddRange(JobTriggerRules.Validate(job, options.CurrentValue.Worker.MinimumPollInterval));
        var limits = job.Limits;
        if (limits.DailyTokens < 0 || limits.MonthlyTokens < 0 || limits.DailyCost < 0 || limits.MonthlyCost < 0 || limits.ApprovalAboveCost < 0)
        {
            problems.Add($"Job '{job.Id}': spending limits cannot be negative. Leave a limit out for no cap.");
        }

        if (problems.Count > 0)
        {
            throw new CodeDocConfigurationException(string.Join(Environment.NewLine, problems));
        }

        await jobs.SaveAsync(job, cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, "job.saved", job.Id, new()
        {
            ["sources"] = string.Join(",", job.Sources.SelectMany(s => s.Branches.Select(b => $"{s.RepositoryId}@{b}"))),
            ["publisher"] = job.PublisherId,
            ["ai"] = job.AiProviderId ?? (job.FactsOnly ? "facts-only" : "registered"),
            ["enabled"] = job.Enabled ? "true" : "false",
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteJobAsync(string id, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var deleted = await jobs.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            await AuditAsync(actor, "job.deleted", id, [], cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    private static void CheckId(string id, string what)
    {
        if (string.IsNullOrWhiteSpace(id) || !IdPattern().IsMatch(id))
        {
            throw new CodeDocConfigurationException(
                $"The {what} id '{id}' is not valid: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. acme-api).");
        }
    }

    private static async ValueTask DisposeAsync(object provider)
    {
        if (provider is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (provider is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private async Task AuditAsync(string actor, string action, string target, Dictionary<string, string> details, CancellationToken cancellationToken) =>
        await audit.WriteAsync(
            new AuditEvent(time.GetUtcNow(), string.IsNullOrWhiteSpace(actor) ? RunRecorder.SystemActor : actor, action, target) { Details = details },
            cancellationToken).ConfigureAwait(false);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
