namespace CodeDoc.Hosting.Jobs;

/// <summary>What runs are serialized on: one job on one branch of one repository.</summary>
/// <param name="JobId">The job.</param>
/// <param name="RepositoryId">The repository.</param>
/// <param name="Branch">The branch.</param>
internal readonly record struct RunKey(string JobId, string RepositoryId, string Branch)
{
    public static RunKey Of(RunRecord run) => new(run.JobId, run.RepositoryId, run.Branch);

    public bool Matches(RunRecord run) =>
        string.Equals(run.JobId, JobId, StringComparison.Ordinal) &&
        string.Equals(run.RepositoryId, RepositoryId, StringComparison.Ordinal) &&
        string.Equals(run.Branch, Branch, StringComparison.Ordinal);
}

/// <summary>How a queued run executes; kept in memory with its queue entry (the row keeps only metadata).</summary>
/// <param name="FullRegeneration">Whether to regenerate every page.</param>
/// <param name="Force">Whether to overwrite pages people edited.</param>
internal sealed record RunExecutionOptions(bool FullRegeneration = false, bool Force = false)
{
    public static RunExecutionOptions Default { get; } = new();
}
