namespace CodeDoc.Hosting;

/// <summary>
/// Changes what the host keeps: provider configurations, repositories and jobs. Every change is validated first (the
/// message names the field and the fix) and recorded in the audit log with the actor; secret values are never audited.
/// Use it instead of writing the stores directly.
/// </summary>
public interface IHostingConfiguration
{
    /// <summary>Adds or replaces a provider configuration, after building the provider once to validate its settings.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="actor">Who made the change.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="Core.CodeDocConfigurationException">The configuration is invalid.</exception>
    Task SaveProviderAsync(ProviderConfiguration configuration, string actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a provider configuration no repository or job uses.</summary>
    /// <param name="id">The configuration's id.</param>
    /// <param name="actor">Who made the change.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>Whether it existed.</returns>
    /// <exception cref="Core.CodeDocConfigurationException">A repository or job still uses it.</exception>
    Task<bool> DeleteProviderAsync(string id, string actor, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a repository.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="actor">Who made the change.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="Core.CodeDocConfigurationException">The repository is invalid.</exception>
    Task SaveRepositoryAsync(WatchedRepository repository, string actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a repository no job follows.</summary>
    /// <param name="id">The repository's id.</param>
    /// <param name="actor">Who made the change.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>Whether it existed.</returns>
    /// <exception cref="Core.CodeDocConfigurationException">A job still follows it.</exception>
    Task<bool> DeleteRepositoryAsync(string id, string actor, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a job.</summary>
    /// <param name="job">The job.</param>
    /// <param name="actor">Who made the change.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="Core.CodeDocConfigurationException">The job is invalid (unknown repository, bad schedule, ...).</exception>
    Task SaveJobAsync(JobDefinition job, string actor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a job; its history stays until cleared.</summary>
    /// <param name="id">The job's id.</param>
    /// <param name="actor">Who made the change.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>Whether it existed.</returns>
    Task<bool> DeleteJobAsync(string id, string actor, CancellationToken cancellationToken = default);
}
