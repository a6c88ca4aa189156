using CodeDoc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline;

/// <summary>Everything planning decided, for the stages after it.</summary>
internal sealed record PlanDetails
{
    /// <summary>Gets the plan as the public contract has it.</summary>
    public required DocumentationPlan Plan { get; init; }

    /// <summary>Gets the Git provider.</summary>
    public required IGitProvider Git { get; init; }

    /// <summary>Gets the repository's metadata.</summary>
    public required RepositoryInfo Info { get; init; }

    /// <summary>Gets the publisher.</summary>
    public required IDocPublisher Publisher { get; init; }

    /// <summary>Gets the model, when one is configured and the plan is not facts-only.</summary>
    public IAiProvider? Ai { get; init; }

    /// <summary>Gets the preset.</summary>
    public required DocumentationPreset Preset { get; init; }

    /// <summary>Gets the steering file, if the repository has one.</summary>
    public SteeringFile? Steering { get; init; }

    /// <summary>Gets the modules.</summary>
    public required IReadOnlyList<RepositoryModule> Modules { get; init; }

    /// <summary>Gets the summary scopes.</summary>
    public required IReadOnlyList<SummaryScope> Scopes { get; init; }

    /// <summary>Gets the deterministic outline.</summary>
    public required Outline Outline { get; init; }

    /// <summary>Gets the page cap.</summary>
    public required int PageCap { get; init; }

    /// <summary>Gets the request sizes.</summary>
    public required GenerationLimits Limits { get; init; }

    /// <summary>Gets the measured prompt sizes.</summary>
    public required PromptSizes Sizes { get; init; }

    /// <summary>Gets the model's vendor and id, when known.</summary>
    public (string Vendor, string ModelId)? Model { get; init; }

    /// <summary>Gets the model's prices, when known.</summary>
    public ModelPrice? Price { get; init; }

    /// <summary>Gets the repository map for the outline request (without projects).</summary>
    public required string Map { get; init; }
}

internal sealed partial class DocumentationPlanner(
    IGitProviderResolver resolver,
    ISnapshotReader snapshotReader,
    IProviderRegistry registry,
    IModelPriceCatalog prices,
    IPresetCatalog presets,
    ITokenCounter tokens,
    IOptions<CodeDocOptions> options,
    TimeProvider time,
    ILogger<DocumentationPlanner> logger) : IDocumentationPlanner
{
    private readonly Lazy<PromptSizes> _sizes = new(() => PromptSizes.Measure(tokens));

    public async Task<DocumentationPlan> PlanAsync(PlanRequest request, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await PlanDetailedAsync(request, retainContent: false, progress, cancellationToken).ConfigureAwait(false)).Plan;
    }

    /// <summary>Plans a run and returns everything decided on the way.</summary>
    /// <param name="request">What to plan.</param>
    /// <param name="retainContent">Whether to keep the files' content (a run needs it; a plan does not).</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels planning.</param>
    /// <returns>The plan and its details.</returns>
    public async Task<PlanDetails> PlanDetailedAsync(PlanRequest request, bool retainContent, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Location);

        progress?.Report(new RunProgress(RunStage.Resolving, $"Resolving {request.Location}"));
        var (git, repository) = request.Providers?.Git is { } given
            ? new ResolvedRepository(given, given.TryParseRepository(request.Location, out var parsed)
                ? parsed
                : throw new CodeDocConfigurationException($"The Git provider '{given.Metadata.Name}' does not serve '{(Uri.TryCreate(request.Location, UriKind.Absolute, out var shown) ? EndpointRules.SafeDisplay(shown) : request.Location)}'. Check the repository's URL and its Git provider."))
            : resolver.Resolve(request.Location, request.GitProvider);
        var info = await git.GetRepositoryAsync(repository, cancellationToken).ConfigureAwait(false);
        var commit = await git.ResolveRefAsync(repository, request.Ref, cancellationToken).ConfigureAwait(false);
        LogResolved(logger, repository.Id, commit.Reference, commit.CommitSha);

        // Resolve the publisher, model and preset before reading, so a configuration mistake fails fast.
        var publisher = request.Providers?.Publisher ?? registry.GetPublisher(request.Publisher);
        var ai = request.FactsOnly ? null
            : request.Providers?.Ai ?? (request.AiProvider is not null || registry.Registrations.Any(r => r.Category == ProviderCategory.Ai)
                ? registry.GetAiProvider(request.AiProvider)
                : null);
        if (request.Preset is not null)
        {
            presets.Get(request.Preset);
        }

        var snapshotOptions = SnapshotOptionsCopy.Copy(request.Snapshot ?? options.Value.Snapshot);
        snapshotOptions.RetainContent |= retainContent;
        snapshotOptions.RetainContentOf.Add(SteeringFile.RelativePath);
        RepositorySnapshot snapshot;
        var tree = await git.OpenTreeAsync(repository, commit.CommitSha, cancellationToken).ConfigureAwait(false);
        await using (tree.ConfigureAwait(false))
        {
            snapshot = await snapshotReader.ReadAsync(tree, snapshotOptions, progress, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report(new RunProgress(RunStage.Planning, "Planning pages and forecasting cost"));
        var steering = SteeringFile.Find(snapshot);
        snapshot = SnapshotNarrowing.Apply(snapshot, steering);
        var preset = presets.Get(request.Preset ?? steering?.Preset ?? options.Value.Generation.Preset);
        var modules = RepositoryOutline.FindModules(snapshot.Files);
        var scopes = SummaryScopes.For(snapshot, modules);
        var cap = PresetOutline.Cap(preset, steering, options.Value.Generation.MaxPages);
        var outline = request.FactsOnly ? new Outline(preset.Name, []) : PresetOutline.Build(preset, snapshot, modules, steering, options.Value.Generation.MaxPages);

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (model, price) = PriceModel(ai, request.FactsOnly ? null : request.ForecastModel, today);
        var limits = GenerationLimits.For(model?.ContextWindow ?? price?.ContextWindowTokens, model?.MaxOutput ?? price?.MaxOutputTokens);
        var map = RepositoryMap.Describe(snapshot, []);
        var modelName = model is { } m ? (m.Vendor, m.ModelId) : ((string, string)?)null;
        var forecast = CostForecaster.Forecast(ForecastInput(outline, scopes, preset, limits, map, steering, CostForecaster.EstimateSummaryView), modelName, price, prices.Version);

        var notes = new List<string>(info.Notes);
        if (model is { } known && price is null)
        {
            notes.Add($"The model '{known.ModelId}' is not in the price data ({prices.Version}), so its cost is unknown. Add it with CodeDoc:PriceFile.");
        }

        if (steering is not null)
        {
            notes.Add($"The repository's steering file {SteeringFile.RelativePath} applies: " + SteeringSummary(steering));
        }

        notes.Add(request.FactsOnly
            ? "Facts only: the pages are built from the code's facts (repository map, modules, API reference, project dependencies, coverage) without a model."
            : preset.FactsPages
                ? $"Preset '{preset.Name}': {outline.Pages.Count} pages written with a model, plus the pages built from the code's facts without one (repository map, modules, API reference, project dependencies, coverage)."
                : $"Preset '{preset.Name}': {outline.Pages.Count} pages written with a model.");

        var plan = new DocumentationPlan
        {
            Repository = repository,
            Commit = commit,
            Snapshot = snapshot,
            Pages = [.. outline.Pages.Select(p => p.ToPlanned())],
            Forecast = forecast,
            DataFlows = DataFlows.Describe(git, ai, publisher, snapshot),
            Notes = notes,
            Preset = preset.Name,
            FactsOnly = request.FactsOnly,
        };
        return new PlanDetails
        {
            Plan = plan,
            Git = git,
            Info = info,
            Publisher = publisher,
            Ai = ai,
            Preset = preset,
            Steering = steering,
            Modules = modules,
            Scopes = scopes,
            Outline = outline,
            PageCap = cap,
            Limits = limits,
            Sizes = _sizes.Value,
            Model = modelName,
            Price = price,
            Map = map,
        };
    }

    /// <summary>The forecast input of a plan's outline.</summary>
    /// <param name="details">The plan details.</param>
    /// <param name="outline">The outline to forecast.</param>
    /// <param name="summaryViewTokens">How many tokens a summary reads of a file.</param>
    /// <returns>The input.</returns>
    public ForecastInput ForecastInput(PlanDetails details, Outline outline, Func<SnapshotFile, TokenRange> summaryViewTokens) =>
        ForecastInput(outline, details.Scopes, details.Preset, details.Limits, details.Map, details.Steering, summaryViewTokens);

    private ForecastInput ForecastInput(
        Outline outline,
        IReadOnlyList<SummaryScope> scopes,
        DocumentationPreset preset,
        GenerationLimits limits,
        string map,
        SteeringFile? steering,
        Func<SnapshotFile, TokenRange> summaryViewTokens) => new()
    {
        Scopes = scopes,
        Outline = outline,
        Preset = preset,
        Limits = limits,
        Sizes = _sizes.Value,
        SummaryViewTokens = summaryViewTokens,
        PageListTokens = outline.Pages.Sum(p => PromptSizes.PageListLine(tokens, p)),
        MapTokens = tokens.CountTokens(map),
        NotesTokens = steering?.Notes is { } notes ? tokens.CountTokens(notes) + _sizes.Value.Fence : 0,
        AsksForOutline = AsksModelForOutline(outline),
    };

    /// <summary>Tells whether a run asks the model to refine an outline: only a preset's outline with module pages.</summary>
    /// <param name="outline">The deterministic outline.</param>
    /// <returns>Whether the outline request is sent.</returns>
    public static bool AsksModelForOutline(Outline outline) => outline.Origin == "preset" && outline.Pages.Any(p => p.Module is not null);

    private static string SteeringSummary(SteeringFile steering)
    {
        var parts = new List<string>();
        if (steering.Preset is not null)
        {
            parts.Add($"preset {steering.Preset}");
        }

        if (steering.Pages.Count > 0)
        {
            parts.Add($"{steering.Pages.Count} explicit pages");
        }

        if (steering.Include.Count + steering.Exclude.Count > 0)
        {
            parts.Add($"{steering.Include.Count} include and {steering.Exclude.Count} exclude globs");
        }

        if (steering.MaxPages is { } cap)
        {
            parts.Add($"at most {cap} pages");
        }

        if (!string.IsNullOrWhiteSpace(steering.Notes))
        {
            parts.Add("notes for the model");
        }

        return parts.Count == 0 ? "it sets nothing." : string.Join(", ", parts) + ".";
    }

    private ((string Vendor, string ModelId, int? ContextWindow, int? MaxOutput)? Model, ModelPrice? Price) PriceModel(IAiProvider? ai, string? forecastModel, DateOnly today)
    {
        if (ai is not null)
        {
            var metadata = ai.Metadata;
            return ((metadata.Vendor, metadata.ModelId, metadata.ContextWindowTokens, metadata.MaxOutputTokens), prices.Find(metadata.Vendor, metadata.ModelId, today));
        }

        if (forecastModel is not null)
        {
            var price = prices.Find(null, forecastModel, today);
            return ((price?.Vendor ?? "unknown", forecastModel, price?.ContextWindowTokens, price?.MaxOutputTokens), price);
        }

        return (null, null);
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Planning {RepositoryId} at {Reference} ({CommitSha}).")]
    private static partial void LogResolved(ILogger logger, string repositoryId, string reference, string commitSha);
}
