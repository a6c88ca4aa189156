namespace CodeDoc.Core;

/// <summary>The stages of a documentation run, for progress and reports.</summary>
public enum RunStage
{
    /// <summary>Matching the location to a provider and resolving the ref.</summary>
    Resolving,

    /// <summary>Reading, filtering, redacting and counting the files.</summary>
    Snapshot,

    /// <summary>Deciding the pages and forecasting the cost.</summary>
    Planning,

    /// <summary>Asking the model to write pages.</summary>
    Generating,

    /// <summary>Checking citations, symbols and diagrams.</summary>
    Verifying,

    /// <summary>Writing pages to the target.</summary>
    Publishing,

    /// <summary>Done.</summary>
    Completed,

    /// <summary>Reading the files into module summaries with the model (after planning the pages, before writing them).</summary>
    Summarizing,
}

/// <summary>Progress of a run at one moment.</summary>
/// <param name="Stage">The current stage.</param>
/// <param name="Message">What is happening, for people.</param>
public sealed record RunProgress(RunStage Stage, string Message)
{
    /// <summary>Gets the number of items done in this stage (files, pages).</summary>
    public long Done { get; init; }

    /// <summary>Gets the number of items in this stage, when known.</summary>
    public long? Total { get; init; }

    /// <summary>Gets the item being worked on (a path or a page key).</summary>
    public string? CurrentItem { get; init; }

    /// <summary>Gets the model usage so far.</summary>
    public AiUsage Usage { get; init; } = AiUsage.Zero;

    /// <summary>Gets the cost so far in USD, when the model's prices are known.</summary>
    public decimal? Cost { get; init; }
}

/// <summary>A page the plan would write.</summary>
/// <param name="Key">The page key.</param>
/// <param name="Title">The title.</param>
/// <param name="ParentKey">The parent page's key.</param>
/// <param name="Kind">What kind of page it is, e.g. <c>overview</c>, <c>architecture</c>, <c>module</c>.</param>
/// <param name="SourceFiles">The files it is written from.</param>
public sealed record PlannedPage(string Key, string Title, string? ParentKey, string Kind, IReadOnlyList<string> SourceFiles)
{
    /// <summary>Gets the tokens of its source files.</summary>
    public long SourceTokens { get; init; }

    /// <summary>Gets what the page is for, in a sentence, as the outline describes it.</summary>
    public string? Purpose { get; init; }
}

/// <summary>The forecast of one stage's model usage, as a range.</summary>
/// <param name="Stage">The stage, e.g. <c>summarize modules</c>.</param>
/// <param name="Requests">How many model requests it makes.</param>
/// <param name="InputTokens">The input tokens, low and high.</param>
/// <param name="OutputTokens">The output tokens, low and high.</param>
public sealed record StageForecast(string Stage, int Requests, TokenRange InputTokens, TokenRange OutputTokens);

/// <summary>A range of token counts.</summary>
/// <param name="Low">The low end.</param>
/// <param name="High">The high end.</param>
public sealed record TokenRange(long Low, long High)
{
    /// <summary>Adds two ranges.</summary>
    /// <param name="left">The first range.</param>
    /// <param name="right">The second range.</param>
    /// <returns>The sum.</returns>
    public static TokenRange operator +(TokenRange left, TokenRange right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.Low + right.Low, left.High + right.High);
    }

    /// <summary>Adds two ranges.</summary>
    /// <param name="other">The range to add.</param>
    /// <returns>The sum.</returns>
    public TokenRange Add(TokenRange other) => this + other;
}

/// <summary>The forecast of a full documentation run, before any spend.</summary>
public sealed record CostForecast
{
    /// <summary>Gets the per-stage forecasts.</summary>
    public required IReadOnlyList<StageForecast> Stages { get; init; }

    /// <summary>Gets the vendor the cost was priced for, when a model is configured.</summary>
    public string? Vendor { get; init; }

    /// <summary>Gets the model the cost was priced for, when one is configured.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the cost range in USD; <see langword="null"/> when no model is configured or its price is unknown (never zero).</summary>
    public CostRange? Cost { get; init; }

    /// <summary>Gets the price data version used.</summary>
    public string? PriceVersion { get; init; }

    /// <summary>Gets the assumptions behind the ranges, for people to judge them.</summary>
    public IReadOnlyList<string> Assumptions { get; init; } = [];

    /// <summary>Gets the total input tokens.</summary>
    public TokenRange InputTokens => Stages.Aggregate(new TokenRange(0, 0), (sum, s) => sum + s.InputTokens);

    /// <summary>Gets the total output tokens.</summary>
    public TokenRange OutputTokens => Stages.Aggregate(new TokenRange(0, 0), (sum, s) => sum + s.OutputTokens);

    /// <summary>Gets the total number of model requests.</summary>
    public int Requests => Stages.Sum(s => s.Requests);
}

/// <summary>One place data would go during a run.</summary>
/// <param name="Destination">Who receives it, e.g. <c>Git host</c>, <c>model vendor openai</c>, <c>Markdown folder</c>.</param>
/// <param name="Endpoint">The host or folder that receives it.</param>
/// <param name="Data">What is sent or written, in words.</param>
/// <param name="LeavesMachine">Whether the data crosses the network.</param>
public sealed record DataFlow(string Destination, string Endpoint, string Data, bool LeavesMachine);

/// <summary>What a plan covers: which repository, ref and providers.</summary>
public sealed record PlanRequest
{
    /// <summary>Gets the repository location (a path or URL).</summary>
    public required string Location { get; init; }

    /// <summary>Gets the branch, tag or SHA; <see langword="null"/> for the default branch or the current HEAD.</summary>
    public string? Ref { get; init; }

    /// <summary>Gets the Git provider name or kind; <see langword="null"/> matches the location's host.</summary>
    public string? GitProvider { get; init; }

    /// <summary>Gets the AI provider name or kind; <see langword="null"/> uses the configured one, if any.</summary>
    public string? AiProvider { get; init; }

    /// <summary>Gets the model to price the forecast for when no AI provider is configured.</summary>
    public string? ForecastModel { get; init; }

    /// <summary>Gets the publisher name or kind; <see langword="null"/> uses the default one.</summary>
    public string? Publisher { get; init; }

    /// <summary>Gets snapshot limits and filters for this plan; <see langword="null"/> uses the configured ones.</summary>
    public SnapshotOptions? Snapshot { get; init; }

    /// <summary>Gets the documentation preset, e.g. <c>wiki</c>; <see langword="null"/> uses the steering file's or the configured one.</summary>
    public string? Preset { get; init; }

    /// <summary>Gets a value indicating whether to plan only the deterministic pages built from the code's facts (no model).</summary>
    public bool FactsOnly { get; init; }

    /// <summary>
    /// Gets provider instances to use instead of looking providers up by name, e.g. providers a host built at run time
    /// from stored configurations. Each one left <see langword="null"/> is looked up as usual.
    /// </summary>
    public RunProviders? Providers { get; init; }
}

/// <summary>Provider instances a plan or run uses instead of registered ones.</summary>
/// <param name="Git">The Git provider; it must serve the plan's location.</param>
/// <param name="Ai">The model vendor.</param>
/// <param name="Publisher">The publish target.</param>
public sealed record RunProviders(IGitProvider? Git = null, IAiProvider? Ai = null, IDocPublisher? Publisher = null);

/// <summary>An honest plan of documenting a repository: what would be read, skipped, spent and sent where.</summary>
public sealed record DocumentationPlan
{
    /// <summary>Gets the repository.</summary>
    public required RepositoryReference Repository { get; init; }

    /// <summary>Gets the resolved commit.</summary>
    public required ResolvedRef Commit { get; init; }

    /// <summary>Gets the snapshot (with content when the run needs it).</summary>
    public required RepositorySnapshot Snapshot { get; init; }

    /// <summary>Gets the pages the run would write.</summary>
    public required IReadOnlyList<PlannedPage> Pages { get; init; }

    /// <summary>Gets the forecast of model usage and cost.</summary>
    public required CostForecast Forecast { get; init; }

    /// <summary>Gets where data would go.</summary>
    public required IReadOnlyList<DataFlow> DataFlows { get; init; }

    /// <summary>Gets notes for the user (e.g. uncommitted changes not included).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Gets the documentation preset the pages follow.</summary>
    public string? Preset { get; init; }

    /// <summary>Gets a value indicating whether only the deterministic pages built from the code's facts are planned.</summary>
    public bool FactsOnly { get; init; }
}

/// <summary>Plans a documentation run before any spend.</summary>
public interface IDocumentationPlanner
{
    /// <summary>Resolves the repository, reads the snapshot, decides the pages and forecasts the cost.</summary>
    /// <param name="request">What to plan.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels planning.</param>
    /// <returns>The plan.</returns>
    Task<DocumentationPlan> PlanAsync(PlanRequest request, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default);
}
