using CodeDoc.Core;

namespace CodeDoc.Hosting;

/// <summary>Keeps provider configurations; secret values are encrypted at rest.</summary>
public interface IProviderConfigurationStore
{
    /// <summary>Adds or replaces a configuration.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    Task SaveAsync(ProviderConfiguration configuration, CancellationToken cancellationToken = default);

    /// <summary>Gets a configuration with its secrets decrypted.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The configuration, or <see langword="null"/> when there is none with that id.</returns>
    /// <exception cref="SecretKeyException">The secrets cannot be decrypted with the configured key.</exception>
    Task<ProviderConfiguration?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists the configurations without their secrets (only the secret keys are listed, with empty values).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The configurations.</returns>
    Task<IReadOnlyList<ProviderConfiguration>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a configuration.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it existed.</returns>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>Keeps the repositories the host documents; webhook secrets are encrypted at rest.</summary>
public interface IRepositoryStore
{
    /// <summary>Adds or replaces a repository.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    Task SaveAsync(WatchedRepository repository, CancellationToken cancellationToken = default);

    /// <summary>Gets a repository with its webhook secret decrypted.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The repository, or <see langword="null"/>.</returns>
    Task<WatchedRepository?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Finds the repositories whose URL matches a webhook's repository URL (scheme, case, <c>.git</c> and trailing slash ignored), secrets decrypted.</summary>
    /// <param name="url">The URL from the payload.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The matches (usually one).</returns>
    Task<IReadOnlyList<WatchedRepository>> FindByUrlAsync(string url, CancellationToken cancellationToken = default);

    /// <summary>Lists the repositories without their webhook secrets.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The repositories.</returns>
    Task<IReadOnlyList<WatchedRepository>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a repository.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it existed.</returns>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>Keeps job definitions.</summary>
public interface IJobStore
{
    /// <summary>Adds or replaces a job.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    Task SaveAsync(JobDefinition job, CancellationToken cancellationToken = default);

    /// <summary>Gets a job.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The job, or <see langword="null"/>.</returns>
    Task<JobDefinition?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists the jobs.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The jobs.</returns>
    Task<IReadOnlyList<JobDefinition>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a job (its history stays until cleared).</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it existed.</returns>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>Which runs to list.</summary>
public sealed record RunQuery
{
    /// <summary>Gets the job to list runs of; <see langword="null"/> for every job.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets the statuses to list; empty for all.</summary>
    public IReadOnlyList<RunStatus> Statuses { get; init; } = [];

    /// <summary>Gets the earliest queue time to list; <see langword="null"/> for no bound.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets the most rows to return, newest first.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>Keeps run history: metadata only.</summary>
public interface IRunHistoryStore
{
    /// <summary>Adds or replaces a run's row.</summary>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    Task SaveAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Gets a run.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run, or <see langword="null"/>.</returns>
    Task<RunRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists runs, newest first.</summary>
    /// <param name="query">Which runs.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The runs.</returns>
    Task<IReadOnlyList<RunRecord>> ListAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>Gets the commit the last succeeded run of a job documented on a repository's branch.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="repositoryId">The repository.</param>
    /// <param name="branch">The branch.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The SHA, or <see langword="null"/> when the branch was never documented.</returns>
    Task<string?> GetLastDocumentedShaAsync(string jobId, string repositoryId, string branch, CancellationToken cancellationToken = default);

    /// <summary>Sums a job's model usage and cost over runs that started at or after a time.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="since">The start of the window.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tokens (input plus output) and the cost in USD.</returns>
    Task<(long Tokens, decimal Cost)> GetSpendingAsync(string jobId, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Deletes every run row ("clear history"). The audit log is kept.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many rows were deleted.</returns>
    Task<int> ClearAsync(CancellationToken cancellationToken = default);
}

/// <summary>A local copy of a documentation set's publish manifest; the master copy lives at the publish target.</summary>
public interface IManifestCache
{
    /// <summary>Stores the manifest a publish produced.</summary>
    /// <param name="publisherId">The publisher's configuration id or registration name.</param>
    /// <param name="manifest">The manifest.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    Task SaveAsync(string publisherId, PublishManifest manifest, CancellationToken cancellationToken = default);

    /// <summary>Gets the cached manifest of a set.</summary>
    /// <param name="publisherId">The publisher.</param>
    /// <param name="documentSetId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The manifest, or <see langword="null"/>.</returns>
    Task<PublishManifest?> GetAsync(string publisherId, string documentSetId, CancellationToken cancellationToken = default);
}

/// <summary>Remembers webhook delivery ids for a retention window, so a redelivered webhook starts nothing.</summary>
public interface IWebhookDeliveryStore
{
    /// <summary>Records a delivery id, atomically.</summary>
    /// <param name="hostKind">The host kind.</param>
    /// <param name="deliveryId">The host's delivery id.</param>
    /// <param name="receivedAt">When it arrived.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> the first time the id is seen; <see langword="false"/> for a duplicate.</returns>
    Task<bool> TryRecordAsync(string hostKind, string deliveryId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the keys of one delivery (e.g. its id and the hash of its body) in order, stopping at the first key
    /// already recorded; the keys recorded before it stay recorded, exactly as with one <see cref="TryRecordAsync"/>
    /// call per key. A store may record them in one write (the SQLite store does); the default calls
    /// <see cref="TryRecordAsync"/> per key.
    /// </summary>
    /// <param name="hostKind">The host kind.</param>
    /// <param name="keys">The keys, in the order to check them.</param>
    /// <param name="receivedAt">When it arrived.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when every key was seen for the first time; <see langword="false"/> for a duplicate.</returns>
    async Task<bool> TryRecordAllAsync(string hostKind, IReadOnlyList<string> keys, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hostKind);
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (!await TryRecordAsync(hostKind, key, receivedAt, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Forgets delivery ids received before a time.</summary>
    /// <param name="before">The cut-off.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were forgotten.</returns>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}

/// <summary>Keeps host settings as key/value pairs (e.g. the hash of the status API key).</summary>
public interface ISettingsStore
{
    /// <summary>Gets a setting.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    Task<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Sets a setting; <see langword="null"/> removes it.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    Task SetAsync(string key, string? value, CancellationToken cancellationToken = default);
}

/// <summary>The append-only, hash-chained audit log. It is also the host's <see cref="IAuditSink"/>.</summary>
public interface IAuditLog : IAuditSink
{
    /// <summary>Reads the log in order.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows, oldest first.</returns>
    IAsyncEnumerable<AuditEntry> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks the hash chain.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether it is intact, and where it breaks.</returns>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the log as CSV (RFC 4180; header <c>sequence,timestamp,actor,action,target,details,previous_hash,hash</c>).</summary>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>How many rows were written.</returns>
    Task<long> ExportCsvAsync(TextWriter destination, CancellationToken cancellationToken = default);
}

/// <summary>Deletes what the host stored, on request.</summary>
public interface IHostingDataAdministration
{
    /// <summary>Deletes run history ("clear history"); records the clear in the audit log, which is kept.</summary>
    /// <param name="actor">Who asked.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many runs were deleted.</returns>
    Task<int> ClearHistoryAsync(string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes everything the host stored (configurations, repositories, jobs, history, manifests, delivery ids,
    /// settings and the audit log), as uninstalling would. Published pages stay where they are.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when everything is gone.</returns>
    Task PurgeAsync(CancellationToken cancellationToken = default);
}
