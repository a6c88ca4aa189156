using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CodeDoc.Hosting.Stores.Sqlite;

/// <summary>Run history: one row of metadata per run, never content.</summary>
internal sealed partial class SqliteHostingStore
{
    private const string RunColumns =
        "id, job_id, repository_id, branch, trigger, actor, status, queued_at, started_at, finished_at, requested_sha, commit_sha, " +
        "input_tokens, output_tokens, cost, forecast_cost, page_links_json, error, recovery_of";

    /// <inheritdoc />
    Task IRunHistoryStore.SaveAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.Id);
        return _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"""
                    INSERT OR REPLACE INTO runs ({RunColumns})
                    VALUES ($id, $jobId, $repositoryId, $branch, $trigger, $actor, $status, $queuedAt, $startedAt, $finishedAt, $requestedSha, $commitSha,
                            $inputTokens, $outputTokens, $cost, $forecastCost, $pageLinks, $error, $recoveryOf)
                    """;
                command.Parameters.AddWithValue("$id", run.Id);
                command.Parameters.AddWithValue("$jobId", run.JobId);
                command.Parameters.AddWithValue("$repositoryId", run.RepositoryId);
                command.Parameters.AddWithValue("$branch", run.Branch);
                command.Parameters.AddWithValue("$trigger", run.Trigger.ToString());
                command.Parameters.AddWithValue("$actor", run.Actor);
                command.Parameters.AddWithValue("$status", run.Status.ToString());
                command.Parameters.AddWithValue("$queuedAt", StoreValues.Timestamp(run.QueuedAt));
                command.Parameters.AddWithValue("$startedAt", StoreValues.DbValue(run.StartedAt));
                command.Parameters.AddWithValue("$finishedAt", StoreValues.DbValue(run.FinishedAt));
                command.Parameters.AddWithValue("$requestedSha", StoreValues.DbValue(run.RequestedSha));
                command.Parameters.AddWithValue("$commitSha", StoreValues.DbValue(run.CommitSha));
                command.Parameters.AddWithValue("$inputTokens", run.InputTokens);
                command.Parameters.AddWithValue("$outputTokens", run.OutputTokens);
                command.Parameters.AddWithValue("$cost", StoreValues.DbValue(run.Cost));
                command.Parameters.AddWithValue("$forecastCost", StoreValues.DbValue(run.ForecastCost));
                command.Parameters.AddWithValue("$pageLinks", JsonSerializer.Serialize(run.PageLinks, StoreValues.Json));
                command.Parameters.AddWithValue("$error", StoreValues.DbValue(run.Error));
                command.Parameters.AddWithValue("$recoveryOf", StoreValues.DbValue(run.RecoveryOf));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    async Task<RunRecord?> IRunHistoryStore.GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var runs = await ReadRunsAsync(
            command =>
            {
                command.CommandText = $"SELECT {RunColumns} FROM runs WHERE id = $id";
                command.Parameters.AddWithValue("$id", id);
            },
            cancellationToken).ConfigureAwait(false);
        return runs.Count == 0 ? null : runs[0];
    }

    /// <inheritdoc />
    Task<IReadOnlyList<RunRecord>> IRunHistoryStore.ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        return ReadRunsAsync(
            command =>
            {
                var conditions = new List<string>();
                if (query.JobId is not null)
                {
                    conditions.Add("job_id = $jobId");
                    command.Parameters.AddWithValue("$jobId", query.JobId);
                }

                if (query.Statuses.Count > 0)
                {
                    var names = query.Statuses.Select((status, i) =>
                    {
                        var name = "$status" + i.ToString(CultureInfo.InvariantCulture);
                        command.Parameters.AddWithValue(name, status.ToString());
                        return name;
                    });
                    conditions.Add($"status IN ({string.Join(", ", names)})");
                }

                if (query.Since is { } since)
                {
                    conditions.Add("queued_at >= $since");
                    command.Parameters.AddWithValue("$since", StoreValues.Timestamp(since));
                }

                command.Parameters.AddWithValue("$limit", query.Limit);
#pragma warning disable CA2100 // Only fixed conditions and parameter names are concatenated.
                command.CommandText = $"SELECT {RunColumns} FROM runs"
                    + (conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions))
                    + " ORDER BY queued_at DESC, id DESC LIMIT $limit";
#pragma warning restore CA2100
            },
            cancellationToken);
    }

    /// <inheritdoc />
    Task<string?> IRunHistoryStore.GetLastDocumentedShaAsync(string jobId, string repositoryId, string branch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(repositoryId);
        ArgumentNullException.ThrowIfNull(branch);
        return _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    SELECT commit_sha FROM runs
                    WHERE job_id = $jobId AND repository_id = $repositoryId AND branch = $branch AND status = $succeeded AND commit_sha IS NOT NULL
                    ORDER BY COALESCE(finished_at, started_at, queued_at) DESC, queued_at DESC
                    LIMIT 1
                    """;
                command.Parameters.AddWithValue("$jobId", jobId);
                command.Parameters.AddWithValue("$repositoryId", repositoryId);
                command.Parameters.AddWithValue("$branch", branch);
                command.Parameters.AddWithValue("$succeeded", nameof(RunStatus.Succeeded));
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    Task<(long Tokens, decimal Cost)> IRunHistoryStore.GetSpendingAsync(string jobId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);

        // Costs are stored as exact decimal text and summed here: SQLite's SUM would turn them into doubles.
        return _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT input_tokens + output_tokens, cost FROM runs WHERE job_id = $jobId AND started_at >= $since";
                command.Parameters.AddWithValue("$jobId", jobId);
                command.Parameters.AddWithValue("$since", StoreValues.Timestamp(since));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                long tokens = 0;
                decimal cost = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    tokens += reader.GetInt64(0);
                    cost += reader.GetNullableDecimal(1) ?? 0;
                }

                return (tokens, cost);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    Task<int> IRunHistoryStore.ClearAsync(CancellationToken cancellationToken) =>
        _database.ExecuteAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM runs";
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    private Task<IReadOnlyList<RunRecord>> ReadRunsAsync(Action<SqliteCommand> prepare, CancellationToken cancellationToken) =>
        _database.ExecuteAsync<IReadOnlyList<RunRecord>>(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                prepare(command);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var runs = new List<RunRecord>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    runs.Add(new RunRecord
                    {
                        Id = reader.GetString(0),
                        JobId = reader.GetString(1),
                        RepositoryId = reader.GetString(2),
                        Branch = reader.GetString(3),
                        Trigger = Enum.Parse<RunTrigger>(reader.GetString(4)),
                        Actor = reader.GetString(5),
                        Status = Enum.Parse<RunStatus>(reader.GetString(6)),
                        QueuedAt = StoreValues.ParseTimestamp(reader.GetString(7)),
                        StartedAt = reader.GetNullableTimestamp(8),
                        FinishedAt = reader.GetNullableTimestamp(9),
                        RequestedSha = reader.GetNullableString(10),
                        CommitSha = reader.GetNullableString(11),
                        InputTokens = reader.GetInt64(12),
                        OutputTokens = reader.GetInt64(13),
                        Cost = reader.GetNullableDecimal(14),
                        ForecastCost = reader.GetNullableDecimal(15),
                        PageLinks = JsonSerializer.Deserialize<List<string>>(reader.GetString(16), StoreValues.Json)!,
                        Error = reader.GetNullableString(17),
                        RecoveryOf = reader.GetNullableString(18),
                    });
                }

                return runs;
            },
            cancellationToken);
}
