using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CodeDoc.Hosting.Stores.Sqlite;

/// <summary>
/// The store's schema, as ordered migrations. A file records the versions applied in <c>schema_version</c>; missing
/// ones are applied together in one transaction, so a failed upgrade leaves the file as it was.
/// </summary>
internal static class SqliteMigrations
{
    // Never edit a shipped migration: append a new one, so files made by older versions upgrade in order.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE provider_configurations (
            id TEXT NOT NULL PRIMARY KEY,
            category TEXT NOT NULL,
            kind TEXT NOT NULL,
            display_name TEXT,
            settings_json TEXT NOT NULL,
            secret_names_json TEXT NOT NULL,
            secrets BLOB,
            secrets_key_id TEXT
        );
        CREATE TABLE repositories (
            id TEXT NOT NULL PRIMARY KEY,
            url TEXT NOT NULL,
            url_key TEXT NOT NULL,
            git_provider_id TEXT,
            webhook_host_kind TEXT,
            webhook_secret BLOB,
            webhook_secret_key_id TEXT
        );
        CREATE INDEX ix_repositories_url_key ON repositories (url_key);
        CREATE TABLE jobs (
            id TEXT NOT NULL PRIMARY KEY,
            definition_json TEXT NOT NULL
        );
        CREATE TABLE runs (
            id TEXT NOT NULL PRIMARY KEY,
            job_id TEXT NOT NULL,
            repository_id TEXT NOT NULL,
            branch TEXT NOT NULL,
            trigger TEXT NOT NULL,
            actor TEXT NOT NULL,
            status TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            requested_sha TEXT,
            commit_sha TEXT,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cost TEXT,
            forecast_cost TEXT,
            page_links_json TEXT NOT NULL,
            error TEXT,
            recovery_of TEXT
        );
        CREATE INDEX ix_runs_job_queued ON runs (job_id, queued_at);
        CREATE INDEX ix_runs_branch ON runs (job_id, repository_id, branch, status);
        CREATE TABLE manifests (
            publisher_id TEXT NOT NULL,
            document_set_id TEXT NOT NULL,
            manifest_json TEXT NOT NULL,
            PRIMARY KEY (publisher_id, document_set_id)
        );
        CREATE TABLE webhook_deliveries (
            host_kind TEXT NOT NULL,
            delivery_id TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (host_kind, delivery_id)
        );
        CREATE INDEX ix_webhook_deliveries_received ON webhook_deliveries (received_at);
        CREATE TABLE settings (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE audit_log (
            sequence INTEGER NOT NULL PRIMARY KEY,
            timestamp TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            details_json TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE TABLE audit_head (
            id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            sequence INTEGER NOT NULL,
            hash TEXT NOT NULL
        );
        """,
    ];

    /// <summary>Gets the schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Gets the tables that hold data (everything but <c>schema_version</c>), in the order a purge empties them.</summary>
    public static IReadOnlyList<string> DataTables { get; } =
        ["provider_configurations", "repositories", "jobs", "runs", "manifests", "webhook_deliveries", "settings", "audit_log", "audit_head"];

    /// <summary>Applies the migrations the file lacks.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="filePath">The file, for messages.</param>
    /// <param name="timeProvider">The clock the applied time is read from.</param>
    /// <returns>How many migrations were applied.</returns>
    /// <exception cref="HostingStoreException">The file was written by a newer CodeDoc.</exception>
    public static int Apply(SqliteConnection connection, string filePath, TimeProvider timeProvider)
    {
        // IMMEDIATE: two processes starting on a new file must not both apply the first migration.
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)";
            create.ExecuteNonQuery();
        }

        long fileVersion;
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
            fileVersion = (long)read.ExecuteScalar()!;
        }

        if (fileVersion > CurrentVersion)
        {
            throw new HostingStoreException(string.Create(
                CultureInfo.InvariantCulture,
                $"The CodeDoc database '{filePath}' was created by a newer CodeDoc (schema version {fileVersion}; this version knows up to {CurrentVersion}). Upgrade CodeDoc.Hosting to the version that wrote it, or point CodeDoc:Hosting:DatabasePath at another file."));
        }

        var applied = 0;
        for (var version = (int)fileVersion + 1; version <= CurrentVersion; version++)
        {
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = Migrations[version - 1];
            migrate.ExecuteNonQuery();

            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $appliedAt)";
            record.Parameters.AddWithValue("$version", version);
            record.Parameters.AddWithValue("$appliedAt", StoreValues.Timestamp(timeProvider.GetUtcNow()));
            record.ExecuteNonQuery();
            applied++;
        }

        transaction.Commit();
        return applied;
    }
}
