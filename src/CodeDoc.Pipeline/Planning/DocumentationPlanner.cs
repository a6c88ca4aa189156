using CodeDoc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline;

internal sealed partial class DocumentationPlanner(
    IGitProviderResolver resolver,
    ISnapshotReader snapshotReader,
    IProviderRegistry registry,
    IModelPriceCatalog prices,
    IOptions<CodeDocOptions> options,
    TimeProvider time,
    ILogger<DocumentationPlanner> logger) : IDocumentationPlanner
{
    public async Task<DocumentationPlan> PlanAsync(PlanRequest request, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Location);

        progress?.Report(new RunProgress(RunStage.Resolving, $"Resolving {request.Location}"));
        var (git, repository) = resolver.Resolve(request.Location, request.GitProvider);
        var info = await git.GetRepositoryAsync(repository, cancellationToken).ConfigureAwait(false);
        var commit = await git.ResolveRefAsync(repository, request.Ref, cancellationToken).ConfigureAwait(false);
        LogResolved(logger, repository.Id, commit.Reference, commit.CommitSha);

        // Resolve the publisher and model before reading, so a configuration mistake fails fast.
        var publisher = registry.GetPublisher(request.Publisher);
        var ai = request.AiProvider is not null || registry.Registrations.Any(r => r.Category == ProviderCategory.Ai)
            ? registry.GetAiProvider(request.AiProvider)
            : null;

        RepositorySnapshot snapshot;
        var tree = await git.OpenTreeAsync(repository, commit.CommitSha, cancellationToken).ConfigureAwait(false);
        await using (tree.ConfigureAwait(false))
        {
            snapshot = await snapshotReader.ReadAsync(tree, request.Snapshot ?? options.Value.Snapshot, progress, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report(new RunProgress(RunStage.Planning, "Planning pages and forecasting cost"));
        var modules = RepositoryOutline.FindModules(snapshot.Files);
        var pages = RepositoryOutline.Build(snapshot, modules);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (model, price) = PriceModel(ai, request.ForecastModel, today);
        var forecast = CostForecaster.Forecast(snapshot, modules, pages, model, price, prices.Version);

        var notes = new List<string>(info.Notes);
        if (model is { } m && price is null)
        {
            notes.Add($"The model '{m.ModelId}' is not in the price data ({prices.Version}), so its cost is unknown. Add it with CodeDoc:PriceFile.");
        }

        return new DocumentationPlan
        {
            Repository = repository,
            Commit = commit,
            Snapshot = snapshot,
            Pages = pages,
            Forecast = forecast,
            DataFlows = DataFlows.Describe(git, ai, publisher, snapshot),
            Notes = notes,
        };
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
