namespace CodeDoc.Hosting;

/// <summary>
/// One row of the append-only audit log. Each row's <see cref="Hash"/> covers its fields and the previous row's hash,
/// so changing or removing a row breaks the chain from there on.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>Gets the row's position in the log, from 1.</summary>
    public required long Sequence { get; init; }

    /// <summary>Gets when it happened.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets who did it (the embedding application's actor id, or <c>system</c>).</summary>
    public required string Actor { get; init; }

    /// <summary>Gets what happened, e.g. <c>job.created</c>, <c>run.started</c>, <c>secret.used</c>, <c>history.cleared</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Gets what it happened to, e.g. a job or run id.</summary>
    public required string Target { get; init; }

    /// <summary>Gets metadata (counts, ids, hosts); never content or secrets.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the previous row's hash (hex), or 64 zeros for the first row.</summary>
    public required string PreviousHash { get; init; }

    /// <summary>Gets this row's SHA-256 hash (hex) over its fields and <see cref="PreviousHash"/>.</summary>
    public required string Hash { get; init; }
}

/// <summary>The result of checking the audit log's hash chain.</summary>
/// <param name="IsIntact">Whether every row's hash matches and links to the row before it.</param>
/// <param name="RowsChecked">How many rows were checked.</param>
/// <param name="FirstBrokenSequence">The first row that does not match, when the chain is broken.</param>
public sealed record AuditVerification(bool IsIntact, long RowsChecked, long? FirstBrokenSequence);
