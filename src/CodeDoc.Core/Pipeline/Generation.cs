namespace CodeDoc.Core;

/// <summary>A request to write one page.</summary>
/// <param name="Page">The page to write.</param>
/// <param name="Plan">The plan it belongs to (snapshot with content, other pages for links).</param>
/// <param name="Ai">The model to use.</param>
public sealed record PageGenerationRequest(PlannedPage Page, DocumentationPlan Plan, IAiProvider Ai)
{
    /// <summary>Gets the page's previously published Markdown, for incremental updates.</summary>
    public string? PreviousMarkdown { get; init; }

    /// <summary>Gets the changes since the previous publish, for incremental updates.</summary>
    public IReadOnlyList<ChangedPath> Changes { get; init; } = [];

    /// <summary>Gets the line diffs of changed files (new line numbers), for incremental updates.</summary>
    public IReadOnlyList<FileDiff> Diffs { get; init; } = [];

    /// <summary>Gets the audience, tone and length the page is written for; <see langword="null"/> for the defaults.</summary>
    public PageStyle? Style { get; init; }

    /// <summary>Gets the repository's notes for the model (from its steering file). Repository text: data, never instructions.</summary>
    public string? RepositoryNotes { get; init; }

    /// <summary>Gets what the page draws on besides its source files: module summaries, the abstracts of its child pages.</summary>
    public IReadOnlyList<PageContext> Context { get; init; } = [];

    /// <summary>Gets problems a previous attempt had (unknown names, broken citations), for a regeneration to fix.</summary>
    public IReadOnlyList<string> Feedback { get; init; } = [];

    /// <summary>Gets the most input tokens one request for this page may send; source excerpts fill the room left.</summary>
    public int? MaxInputTokens { get; init; }
}

/// <summary>Who a page is written for and how.</summary>
/// <param name="Audience">The readers, e.g. <c>developers new to the code base</c>.</param>
/// <param name="Tone">The tone, e.g. <c>plain and precise</c>.</param>
/// <param name="TargetWords">The length to aim for, in words.</param>
public sealed record PageStyle(string Audience, string Tone, int TargetWords);

/// <summary>Text a page draws on besides its source files.</summary>
/// <param name="Title">What it is, e.g. <c>Summary of src/Api</c>.</param>
/// <param name="Markdown">The text.</param>
/// <param name="SourceFiles">The repository files the text was written from (for coverage).</param>
public sealed record PageContext(string Title, string Markdown, IReadOnlyList<string> SourceFiles);

/// <summary>The line changes of one file between two commits.</summary>
/// <param name="Path">The path at the newer commit.</param>
/// <param name="Kind">How it changed.</param>
/// <param name="UnifiedDiff">The changes in unified diff form, with the newer commit's line numbers.</param>
public sealed record FileDiff(string Path, ChangeKind Kind, string UnifiedDiff);

/// <summary>A page as the model wrote it, before verification.</summary>
/// <param name="Page">The planned page.</param>
/// <param name="Markdown">The Markdown.</param>
/// <param name="Usage">The model usage it cost.</param>
public sealed record GeneratedPage(PlannedPage Page, string Markdown, AiUsage Usage)
{
    /// <summary>Gets notes about the generation (a truncated answer, a retry).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gets the repository files the page drew on: excerpts sent and the sources of the context it used.</summary>
    public IReadOnlyList<string> DrewOn { get; init; } = [];
}

/// <summary>Writes one page with a model.</summary>
public interface IPageGenerator
{
    /// <summary>Writes a page.</summary>
    /// <param name="request">What to write.</param>
    /// <param name="cancellationToken">Cancels the generation.</param>
    /// <returns>The page.</returns>
    Task<GeneratedPage> GenerateAsync(PageGenerationRequest request, CancellationToken cancellationToken = default);
}

/// <summary>The verdict on one page.</summary>
/// <param name="Markdown">The page with citations turned into permalinks and broken diagrams repaired or removed.</param>
/// <param name="Truthfulness">The share of cited paths, lines and symbols that exist at the commit (0 to 1).</param>
/// <param name="Passed">Whether the page meets the threshold.</param>
/// <param name="Problems">What was wrong (a missing file, an unknown symbol, a broken diagram).</param>
public sealed record PageVerification(string Markdown, double Truthfulness, bool Passed, IReadOnlyList<string> Problems);

/// <summary>Checks a page's claims against the code.</summary>
public interface IPageVerifier
{
    /// <summary>Verifies a page.</summary>
    /// <param name="page">The page.</param>
    /// <param name="plan">The plan (snapshot and repository for permalinks).</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>The verdict.</returns>
    Task<PageVerification> VerifyAsync(GeneratedPage page, DocumentationPlan plan, CancellationToken cancellationToken = default);
}

/// <summary>A request for a whole documentation run.</summary>
public sealed record RunRequest
{
    /// <summary>Gets what to plan.</summary>
    public required PlanRequest Plan { get; init; }

    /// <summary>Gets a value indicating whether to stop before publishing anything.</summary>
    public bool DryRun { get; init; }

    /// <summary>Gets a value indicating whether to overwrite pages people edited.</summary>
    public bool Force { get; init; }

    /// <summary>Gets the most the run may spend in USD; <see langword="null"/> for no cap.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary>Gets the most model tokens (input plus output) the run may use; <see langword="null"/> for no cap.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Gets a value indicating whether to ignore the published state and regenerate every page.</summary>
    public bool FullRegeneration { get; init; }

    /// <summary>
    /// Gets a callback asked before any model token is spent, with what the run would do and cost; returning
    /// <see langword="false"/> stops the run with nothing spent or published. <see langword="null"/> goes ahead.
    /// </summary>
    public Func<RunPreview, CancellationToken, ValueTask<bool>>? Confirm { get; init; }
}

/// <summary>What a run is about to do, before it spends anything.</summary>
public sealed record RunPreview
{
    /// <summary>Gets the plan.</summary>
    public required DocumentationPlan Plan { get; init; }

    /// <summary>Gets the keys of the pages to write from scratch.</summary>
    public IReadOnlyList<string> PagesToGenerate { get; init; } = [];

    /// <summary>Gets the keys of published pages to update from their text and the changes.</summary>
    public IReadOnlyList<string> PagesToUpdate { get; init; } = [];

    /// <summary>Gets the keys of published pages kept as they are.</summary>
    public IReadOnlyList<string> PagesReused { get; init; } = [];

    /// <summary>Gets the forecast of this run (smaller than the plan's when pages are reused or updated).</summary>
    public required CostForecast Forecast { get; init; }

    /// <summary>Gets why the run regenerates everything instead of updating, when it does.</summary>
    public string? FullRunReason { get; init; }
}

/// <summary>What a run did with one page.</summary>
public enum PageRunAction
{
    /// <summary>Written from scratch by the model.</summary>
    Generated,

    /// <summary>Updated by the model from its published text and the changes.</summary>
    Updated,

    /// <summary>Kept as published: its sources did not change.</summary>
    Reused,

    /// <summary>Built from the code's facts, without a model.</summary>
    Facts,

    /// <summary>Not written this run (budget reached, cancelled, failed); the published version, if any, stays.</summary>
    NotWritten,
}

/// <summary>The outcome of one page in a run.</summary>
/// <param name="Key">The page key.</param>
/// <param name="Title">The title.</param>
/// <param name="Action">What the run did.</param>
public sealed record PageRunOutcome(string Key, string Title, PageRunAction Action)
{
    /// <summary>Gets the verification verdict's truthfulness, when the page was verified.</summary>
    public double? Truthfulness { get; init; }

    /// <summary>Gets why the page was not written or what to know about it.</summary>
    public string? Note { get; init; }
}

/// <summary>Which files each page drew on, and which files no page covered.</summary>
public sealed record GenerationCoverage
{
    /// <summary>Gets the files each page drew on, by page key.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> FilesByPage { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Gets the included files no page drew on.</summary>
    public IReadOnlyList<string> UncoveredFiles { get; init; } = [];

    /// <summary>Gets the files the model read only in outline form (declarations and comments, bodies left out).</summary>
    public IReadOnlyList<string> OutlineOnlyFiles { get; init; } = [];
}

/// <summary>Why a run stopped.</summary>
public enum RunStopReason
{
    /// <summary>Every page was handled.</summary>
    Completed,

    /// <summary>The token or cost budget was reached; pages written so far were published.</summary>
    BudgetReached,

    /// <summary>The confirmation callback declined; nothing was spent or published.</summary>
    Declined,

    /// <summary>A dry run stopped before spending or publishing.</summary>
    DryRun,
}

/// <summary>The report of a finished run.</summary>
public sealed record RunReport
{
    /// <summary>Gets the plan the run followed.</summary>
    public required DocumentationPlan Plan { get; init; }

    /// <summary>Gets the publish result, when the run published.</summary>
    public PublishResult? Publish { get; init; }

    /// <summary>Gets the usage per stage.</summary>
    public IReadOnlyDictionary<RunStage, AiUsage> UsageByStage { get; init; } = new Dictionary<RunStage, AiUsage>();

    /// <summary>Gets the cost in USD, when the model's prices are known.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Gets the verification verdict per page key.</summary>
    public IReadOnlyDictionary<string, PageVerification> Verification { get; init; } = new Dictionary<string, PageVerification>();

    /// <summary>Gets warnings for the user.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gets what the run did with each page.</summary>
    public IReadOnlyList<PageRunOutcome> Pages { get; init; } = [];

    /// <summary>Gets which files each page drew on and which no page covered.</summary>
    public GenerationCoverage Coverage { get; init; } = new();

    /// <summary>Gets why the run stopped.</summary>
    public RunStopReason StopReason { get; init; }

    /// <summary>Gets the forecast the run was confirmed with, when it got that far.</summary>
    public CostForecast? Forecast { get; init; }

    /// <summary>Gets the model usage of the run.</summary>
    public AiUsage Usage => UsageByStage.Values.Aggregate(AiUsage.Zero, (sum, u) => sum + u);
}

/// <summary>Runs a whole documentation job: plan, generate, verify, publish.</summary>
public interface IDocumentationRunner
{
    /// <summary>Runs the job. Running it again after a crash converges on the same published state.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The report.</returns>
    Task<RunReport> RunAsync(RunRequest request, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default);
}
