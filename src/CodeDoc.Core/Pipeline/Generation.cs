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
}

/// <summary>A page as the model wrote it, before verification.</summary>
/// <param name="Page">The planned page.</param>
/// <param name="Markdown">The Markdown.</param>
/// <param name="Usage">The model usage it cost.</param>
public sealed record GeneratedPage(PlannedPage Page, string Markdown, AiUsage Usage)
{
    /// <summary>Gets notes about the generation (a truncated answer, a retry).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
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
