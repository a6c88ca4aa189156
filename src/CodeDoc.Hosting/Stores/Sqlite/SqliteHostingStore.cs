using System.Text.Json;
using CodeDoc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Stores.Sqlite;

/// <summary>
/// Every store of the host on one SQLite file: plain ADO.NET with parameterized commands. Secrets are encrypted
/// before they reach a command; run rows hold metadata only.
/// </summary>
internal sealed partial class SqliteHostingStore :
    IProviderConfigurationStore,
    IRepositoryStore,
    IJobStore,
    IRunHistoryStore,
    IManifestCache,
    IWebhookDeliveryStore,
    ISettingsStore,
    IAuditLog,
    IHostingDataAdministration,
    ISecretRotation
{
    private readonly SqliteDatabase _database;
    private readonly ISecretProtector _protector;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SqliteHostingStore> _logger;
    private readonly DeliveryRecorder _deliveries;
    private readonly StoreReadCache<IReadOnlyList<WatchedRepository>> _repositoryLookups;
    private readonly StoreReadCache<IReadOnlyList<JobDefinition>> _jobLists;

    public SqliteHostingStore(SqliteDatabase database, ISecretProtector protector, TimeProvider timeProvider, ILogger<SqliteHostingStore> logger)
    {
        _database = database;
        _deliveries = new DeliveryRecorder(database);
        _repositoryLookups = new StoreReadCache<IReadOnlyList<WatchedRepository>>(timeProvider);
        _jobLists = new StoreReadCache<IReadOnlyList<JobDefinition>>(timeProvider);
        _protector = protector;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    // ---- provider configurations ----

    /// <inheritdoc />
    Task IProviderConfigurationStore.SaveAsync(ProviderConfiguration configuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration.Id);
        var secretNames = configuration.Secrets.Keys.Order(StringComparer.Ordinal).ToList();
        var secrets = configuration.Secrets.Count == 0
            ? null
            : _protector.Protect(JsonSerializer.Serialize(configuration.Secrets, StoreValues.Json), ProviderAssociatedData(configuration.Id));
        return _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    INSERT OR REPLACE INTO provider_configurations (id, category, kind, display_name, settings_json, secret_names_json, secrets, secrets_key_id)
                    VALUES ($id, $category, $kind, $displayName, $settings, $secretNames, $secrets, $keyId)
                    """;
                command.Parameters.AddWithValue("$id", configuration.Id);
                command.Parameters.AddWithValue("$category", configuration.Category.ToString());
                command.Parameters.AddWithValue("$kind", configuration.Kind);
                command.Parameters.AddWithValue("$displayName", StoreValues.DbValue(configuration.DisplayName));
                command.Parameters.AddWithValue("$settings", JsonSerializer.Serialize(configuration.Settings, StoreValues.Json));
                command.Parameters.AddWithValue("$secretNames", JsonSerializer.Serialize(secretNames, StoreValues.Json));
                command.Parameters.AddWithValue("$secrets", StoreValues.DbValue(secrets));
                command.Parameters.AddWithValue("$keyId", StoreValues.DbValue(secrets is null ? null : _protector.GetKeyId(secrets)));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    async Task<ProviderConfiguration?> IProviderConfigurationStore.GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var rows = await ReadProvidersAsync(id, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        var (configuration, secrets) = rows[0];
        return secrets is null
            ? configuration
            : configuration with
            {
                Secrets = JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(secrets, ProviderAssociatedData(id)), StoreValues.Json)!,
            };
    }

    /// <inheritdoc />
    async Task<IReadOnlyList<ProviderConfiguration>> IProviderConfigurationStore.ListAsync(CancellationToken cancellationToken) =>
        [.. (await ReadProvidersAsync(null, cancellationToken).ConfigureAwait(false)).Select(row => row.Configuration)];

    /// <inheritdoc />
    Task<bool> IProviderConfigurationStore.DeleteAsync(string id, CancellationToken cancellationToken) =>
        DeleteByIdAsync("provider_configurations", id, cancellationToken);

    // ---- repositories ----

    /// <inheritdoc />
    async Task IRepositoryStore.SaveAsync(WatchedRepository repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(repository.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(repository.Url);
        var secret = repository.WebhookSecret is null ? null : _protector.Protect(repository.WebhookSecret, RepositoryAssociatedData(repository.Id));
        try
        {
            await SaveRepositoryRowAsync(repository, secret, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _repositoryLookups.Invalidate();
        }
    }

    /// <inheritdoc />
    async Task<WatchedRepository?> IRepositoryStore.GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var rows = await ReadRepositoriesAsync("id = $value", id, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : WithSecret(rows[0]);
    }

    /// <inheritdoc />
    async Task<IReadOnlyList<WatchedRepository>> IRepositoryStore.FindByUrlAsync(string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        cancellationToken.ThrowIfCancellationRequested();
        var urlKey = RepositoryUrlKey.Normalize(url);
        if (_repositoryLookups.TryGet(urlKey, out var cached))
        {
            return cached;
        }

        var generation = _repositoryLookups.Generation;
        var rows = await ReadRepositoriesAsync("url_key = $value", urlKey, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<WatchedRepository> found = [.. rows.Select(WithSecret)];
        _repositoryLookups.Store(urlKey, found, generation);
        return found;
    }

    /// <inheritdoc />
    async Task<IReadOnlyList<WatchedRepository>> IRepositoryStore.ListAsync(CancellationToken cancellationToken) =>
        [.. (await ReadRepositoriesAsync(null, null, cancellationToken).ConfigureAwait(false)).Select(row => row.Repository)];

    /// <inheritdoc />
    async Task<bool> IRepositoryStore.DeleteAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await DeleteByIdAsync("repositories", id, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _repositoryLookups.Invalidate();
        }
    }

    private Task<int> SaveRepositoryRowAsync(WatchedRepository repository, byte[]? secret, CancellationToken cancellationToken) =>
        _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    INSERT OR REPLACE INTO repositories (id, url, url_key, git_provider_id, webhook_host_kind, webhook_secret, webhook_secret_key_id)
                    VALUES ($id, $url, $urlKey, $gitProviderId, $hostKind, $secret, $keyId)
                    """;
                command.Parameters.AddWithValue("$id", repository.Id);
                command.Parameters.AddWithValue("$url", repository.Url);
                command.Parameters.AddWithValue("$urlKey", RepositoryUrlKey.Normalize(repository.Url));
                command.Parameters.AddWithValue("$gitProviderId", StoreValues.DbValue(repository.GitProviderId));
                command.Parameters.AddWithValue("$hostKind", StoreValues.DbValue(repository.WebhookHostKind));
                command.Parameters.AddWithValue("$secret", StoreValues.DbValue(secret));
                command.Parameters.AddWithValue("$keyId", StoreValues.DbValue(secret is null ? null : _protector.GetKeyId(secret)));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    // ---- jobs ----

    /// <inheritdoc />
    async Task IJobStore.SaveAsync(JobDefinition job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrWhiteSpace(job.Id);
        try
        {
            await _database.ExecuteAsync(
                async connection =>
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "INSERT OR REPLACE INTO jobs (id, definition_json) VALUES ($id, $json)";
                    command.Parameters.AddWithValue("$id", job.Id);
                    command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(job, StoreValues.Json));
                    return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _jobLists.Invalidate();
        }
    }

    /// <inheritdoc />
    async Task<JobDefinition?> IJobStore.GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var jobs = await ReadJobsAsync(id, cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <inheritdoc />
    async Task<IReadOnlyList<JobDefinition>> IJobStore.ListAsync(CancellationToken cancellationToken)
    {
        // Every push lists the jobs to find those following its branch.
        cancellationToken.ThrowIfCancellationRequested();
        if (_jobLists.TryGet(string.Empty, out var cached))
        {
            return cached;
        }

        var generation = _jobLists.Generation;
        var jobs = await ReadJobsAsync(null, cancellationToken).ConfigureAwait(false);
        _jobLists.Store(string.Empty, jobs, generation);
        return jobs;
    }

    /// <inheritdoc />
    async Task<bool> IJobStore.DeleteAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await DeleteByIdAsync("jobs", id, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _jobLists.Invalidate();
        }
    }

    // ---- manifests ----

    /// <inheritdoc />
    Task IManifestCache.SaveAsync(string publisherId, PublishManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisherId);
        ArgumentNullException.ThrowIfNull(manifest);
        return _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "INSERT OR REPLACE INTO manifests (publisher_id, document_set_id, manifest_json) VALUES ($publisher, $set, $json)";
                command.Parameters.AddWithValue("$publisher", publisherId);
                command.Parameters.AddWithValue("$set", manifest.DocumentSetId);
                command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(manifest, StoreValues.Json));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    async Task<PublishManifest?> IManifestCache.GetAsync(string publisherId, string documentSetId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisherId);
        ArgumentNullException.ThrowIfNull(documentSetId);
        var json = await _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT manifest_json FROM manifests WHERE publisher_id = $publisher AND document_set_id = $set";
                command.Parameters.AddWithValue("$publisher", publisherId);
                command.Parameters.AddWithValue("$set", documentSetId);
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            },
            cancellationToken).ConfigureAwait(false);
        return json is null ? null : JsonSerializer.Deserialize<PublishManifest>(json, StoreValues.Json);
    }

    // ---- webhook deliveries ----

    /// <inheritdoc />
    Task<bool> IWebhookDeliveryStore.TryRecordAsync(string hostKind, string deliveryId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hostKind);
        ArgumentNullException.ThrowIfNull(deliveryId);
        return _deliveries.RecordAsync(hostKind, [deliveryId], receivedAt, cancellationToken);
    }

    /// <inheritdoc />
    Task<bool> IWebhookDeliveryStore.TryRecordAllAsync(string hostKind, IReadOnlyList<string> keys, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hostKind);
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
        }

        return _deliveries.RecordAsync(hostKind, [.. keys], receivedAt, cancellationToken);
    }

    /// <inheritdoc />
    async Task<int> IWebhookDeliveryStore.PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        // Forgotten before and after: a batch that ran during the delete may have remembered a key it removed.
        _deliveries.Forget();
        try
        {
            return await _database.ExecuteAsync(
                async connection =>
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "DELETE FROM webhook_deliveries WHERE received_at < $before";
                    command.Parameters.AddWithValue("$before", StoreValues.Timestamp(before));
                    return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _deliveries.Forget();
        }
    }

    // ---- settings ----

    /// <inheritdoc />
    Task<string?> ISettingsStore.GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT value FROM settings WHERE key = $key";
                command.Parameters.AddWithValue("$key", key);
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    Task ISettingsStore.SetAsync(string key, string? value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = value is null
                    ? "DELETE FROM settings WHERE key = $key"
                    : "INSERT OR REPLACE INTO settings (key, value) VALUES ($key, $value)";
                command.Parameters.AddWithValue("$key", key);
                command.Parameters.AddWithValue("$value", StoreValues.DbValue(value));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    private static string ProviderAssociatedData(string id) => "provider:" + id;

    private static string RepositoryAssociatedData(string id) => "repository:" + id + ":webhook-secret";

    private Task<bool> DeleteByIdAsync(string table, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The table name is one of this class's constants; the id is a parameter.
                command.CommandText = $"DELETE FROM {table} WHERE id = $id";
#pragma warning restore CA2100
                command.Parameters.AddWithValue("$id", id);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            },
            cancellationToken);
    }

    private Task<List<(ProviderConfiguration Configuration, byte[]? Secrets)>> ReadProvidersAsync(string? id, CancellationToken cancellationToken) =>
        _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT id, category, kind, display_name, settings_json, secret_names_json, secrets FROM provider_configurations"
                    + (id is null ? " ORDER BY id" : " WHERE id = $id");
                command.Parameters.AddWithValue("$id", StoreValues.DbValue(id));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var rows = new List<(ProviderConfiguration, byte[]?)>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var names = JsonSerializer.Deserialize<List<string>>(reader.GetString(5), StoreValues.Json)!;
                    rows.Add((
                        new ProviderConfiguration
                        {
                            Id = reader.GetString(0),
                            Category = Enum.Parse<ProviderCategory>(reader.GetString(1)),
                            Kind = reader.GetString(2),
                            DisplayName = reader.GetNullableString(3),
                            Settings = JsonSerializer.Deserialize<Dictionary<string, string?>>(reader.GetString(4), StoreValues.Json)!,
                            Secrets = names.ToDictionary(name => name, _ => string.Empty, StringComparer.Ordinal),
                        },
                        reader.GetNullableBytes(6)));
                }

                return rows;
            },
            cancellationToken);

    private Task<List<(WatchedRepository Repository, byte[]? Secret)>> ReadRepositoriesAsync(string? where, string? value, CancellationToken cancellationToken) =>
        _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The condition is one of this class's constants; the value is a parameter.
                command.CommandText = "SELECT id, url, git_provider_id, webhook_host_kind, webhook_secret FROM repositories"
                    + (where is null ? string.Empty : " WHERE " + where) + " ORDER BY id";
#pragma warning restore CA2100
                command.Parameters.AddWithValue("$value", StoreValues.DbValue(value));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var rows = new List<(WatchedRepository, byte[]?)>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((
                        new WatchedRepository
                        {
                            Id = reader.GetString(0),
                            Url = reader.GetString(1),
                            GitProviderId = reader.GetNullableString(2),
                            WebhookHostKind = reader.GetNullableString(3),
                        },
                        reader.GetNullableBytes(4)));
                }

                return rows;
            },
            cancellationToken);

    private WatchedRepository WithSecret((WatchedRepository Repository, byte[]? Secret) row) =>
        row.Secret is null
            ? row.Repository
            : row.Repository with { WebhookSecret = _protector.Unprotect(row.Secret, RepositoryAssociatedData(row.Repository.Id)) };

    private async Task<IReadOnlyList<JobDefinition>> ReadJobsAsync(string? id, CancellationToken cancellationToken)
    {
        var documents = await _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT definition_json FROM jobs" + (id is null ? " ORDER BY id" : " WHERE id = $id");
                command.Parameters.AddWithValue("$id", StoreValues.DbValue(id));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var rows = new List<string>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(reader.GetString(0));
                }

                return rows;
            },
            cancellationToken).ConfigureAwait(false);
        return [.. documents.Select(json => JsonSerializer.Deserialize<JobDefinition>(json, StoreValues.Json)!)];
    }
}
