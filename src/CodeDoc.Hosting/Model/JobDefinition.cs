namespace CodeDoc.Hosting;

/// <summary>
/// A documentation job: which branches of which repositories to document, with which model and preset, where to
/// publish, and what starts a run. Each (repository, branch) pair is its own documentation set at the target, so a
/// job that follows several branches never overwrites one with another.
/// </summary>
public sealed record JobDefinition
{
    /// <summary>Gets the job's id (e.g. <c>api-docs</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the repositories and branches the job follows.</summary>
    public required IReadOnlyList<JobSource> Sources { get; init; }

    /// <summary>Gets the documentation preset (<c>wiki</c>, <c>overview</c>, ...); <see langword="null"/> for the configured default.</summary>
    public string? Preset { get; init; }

    /// <summary>Gets the id of the model vendor's <see cref="ProviderConfiguration"/>, or a provider registered in code by name or kind; <see langword="null"/> for facts-only runs or the only registered model.</summary>
    public string? AiProviderId { get; init; }

    /// <summary>Gets the id of the publish target's <see cref="ProviderConfiguration"/>, or a publisher registered in code by name or kind.</summary>
    public required string PublisherId { get; init; }

    /// <summary>Gets a value indicating whether runs publish only the pages built from the code's facts, without a model.</summary>
    public bool FactsOnly { get; init; }

    /// <summary>Gets what starts a run besides a manual request.</summary>
    public JobTriggers Triggers { get; init; } = new();

    /// <summary>Gets the job's spending limits.</summary>
    public JobLimits Limits { get; init; } = new();

    /// <summary>Gets a value indicating whether the job runs at all; a disabled job ignores every trigger.</summary>
    public bool Enabled { get; init; } = true;
}

/// <summary>One repository a job follows, and its branches.</summary>
/// <param name="RepositoryId">The <see cref="WatchedRepository"/> id.</param>
/// <param name="Branches">The branches (short names, e.g. <c>main</c>); at least one.</param>
public sealed record JobSource(string RepositoryId, IReadOnlyList<string> Branches);

/// <summary>What starts a job's runs besides a manual request.</summary>
public sealed record JobTriggers
{
    /// <summary>Gets a value indicating whether a verified push webhook to a followed branch starts a run.</summary>
    public bool OnPush { get; init; } = true;

    /// <summary>Gets a cron expression (five fields, UTC unless <see cref="TimeZone"/> is set) for scheduled runs; <see langword="null"/> for none.</summary>
    public string? Schedule { get; init; }

    /// <summary>Gets the IANA or Windows time zone id the schedule is read in; <see langword="null"/> for UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>
    /// Gets how often each followed branch's head is compared with the last documented commit, as a backstop for
    /// webhooks the host dropped; <see langword="null"/> for no polling.
    /// </summary>
    public TimeSpan? PollInterval { get; init; }
}

/// <summary>A job's spending limits. Runs nobody watches (webhook, schedule, poll) stop at a cap and ask for approval above a cost.</summary>
public sealed record JobLimits
{
    /// <summary>Gets the most model tokens the job's runs may use per UTC day; <see langword="null"/> for no cap.</summary>
    public long? DailyTokens { get; init; }

    /// <summary>Gets the most model tokens the job's runs may use per UTC calendar month; <see langword="null"/> for no cap.</summary>
    public long? MonthlyTokens { get; init; }

    /// <summary>Gets the most the job's runs may cost per UTC day, in USD; <see langword="null"/> for no cap.</summary>
    public decimal? DailyCost { get; init; }

    /// <summary>Gets the most the job's runs may cost per UTC calendar month, in USD; <see langword="null"/> for no cap.</summary>
    public decimal? MonthlyCost { get; init; }

    /// <summary>
    /// Gets the forecast cost in USD above which a run started by a webhook, a schedule or the poll backstop waits
    /// for approval instead of spending; <see langword="null"/> for no approval step.
    /// </summary>
    public decimal? ApprovalAboveCost { get; init; }
}
