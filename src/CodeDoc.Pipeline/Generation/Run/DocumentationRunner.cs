using System.Globalization;
using System.Reflection;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline;

/// <summary>
/// Runs a documentation job: plan, decide per page what the published state lets the run reuse, preview and confirm,
/// summarize the scopes the written pages need, write pages leaves first (children before the pages that draw on
/// their abstracts) within the budget, verify, then publish the whole set at once, so an interrupted run publishes
/// nothing and a repeated run converges on the same state. A parent page whose own sources did not change is written
/// only when a child written in the run changed its <see cref="PageGist"/>; otherwise it is kept as published.
/// </summary>
internal sealed partial class DocumentationRunner(
    DocumentationPlanner planner,
    IProviderRegistry registry,
    IModelPriceCatalog prices,
    ITokenCounter tokens,
    ISymbolIndexBuilder indexes,
    IMermaidValidator mermaid,
    IOptions<CodeDocOptions> options,
    ILogger<DocumentationRunner> logger) : IDocumentationRunner
{
    /// <summary>The set property holding the preset the outline follows.</summary>
    public const string PresetPropertyKey = "codedoc.preset";

    private static readonly string GeneratorVersion =
        typeof(DocumentationRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The message for a run that needs a model when none is configured.</summary>
    public const string NoModelMessage =
        "No model is configured, so no page can be written. Configure one under CodeDoc:Ai (for example CodeDoc:Ai:Kind=openai with " +
        "CodeDoc:Ai:Model and CodeDoc:Ai:ApiKey, or the environment variables CodeDoc__Ai__Kind, CodeDoc__Ai__Model and CodeDoc__Ai__ApiKey; " +
        "Kind=openai-compatible with CodeDoc:Ai:Endpoint and CodeDoc:Ai:Model for a local server such as Ollama or llama.cpp). " +
        "Without a model, --facts-only publishes the pages built from the code (repository map, modules, API reference, project dependencies, coverage).";

    public async Task<RunReport> RunAsync(RunRequest request, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var generation = options.Value.Generation;

        // Fail before reading the repository when the run cannot write a page.
        if (!request.Plan.FactsOnly && request.Plan.AiProvider is null && request.Plan.Providers?.Ai is null && !registry.Registrations.Any(r => r.Category == ProviderCategory.Ai))
        {
            throw new CodeDocConfigurationException(NoModelMessage);
        }

        var details = await planner.PlanDetailedAsync(request.Plan, retainContent: true, progress, cancellationToken).ConfigureAwait(false);
        var plan = details.Plan;
        if (details.Ai is null && !plan.FactsOnly)
        {
            throw new CodeDocConfigurationException(NoModelMessage);
        }

        var setId = DocumentSet.CreateId(plan.Repository.Id, plan.Commit.Kind == RefKind.Branch ? plan.Commit.Reference : null);
        var manifest = await details.Publisher.ReadManifestAsync(setId, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        var state = await PublishedState.ReadAsync(details, manifest, request.FullRegeneration, warnings, cancellationToken).ConfigureAwait(false);
        var outline = plan.FactsOnly ? details.Outline : state.Outline ?? details.Outline;
        var decisions = await state.DecideAsync(details, outline, setId, cancellationToken).ConfigureAwait(false);

        var toWrite = outline.Pages.Where(p => !decisions[p.Key].Reuse).ToList();

        // A new set whose preset has module pages asks the model to refine them; the outline is then kept with the set.
        var asksForOutline = !plan.FactsOnly && state.Outline is null && DocumentationPlanner.AsksModelForOutline(details.Outline);
        var toUpdate = toWrite.Where(p => decisions[p.Key].Markdown is not null).ToList();
        var changedTokens = state.Changes.Select(c => c.Path).Distinct(StringComparer.Ordinal)
            .Select(path => plan.Snapshot.Files.FirstOrDefault(f => f.Path == path)).OfType<SnapshotFile>().ToDictionary(f => f.Path, f => (long)f.Tokens, StringComparer.Ordinal);
        var input = planner.ForecastInput(details, outline, CostForecaster.EstimateSummaryView) with
        {
            Generate = toWrite.Except(toUpdate).Select(p => p.Key).ToHashSet(StringComparer.Ordinal),
            Updates = toUpdate.ToDictionary(
                p => p.Key,
                p => tokens.CountTokens(decisions[p.Key].Markdown!) + (long)details.Sizes.UpdatePage + changedTokens.Where(c => p.SourceFiles.Contains(c.Key) || decisions[p.Key].SourceFiles.Contains(c.Key)).Sum(c => c.Value),
                StringComparer.Ordinal),
            AsksForOutline = asksForOutline,
        };
        var forecast = CostForecaster.Forecast(input, details.Model, details.Price, prices.Version);
        var preview = new RunPreview
        {
            Plan = plan,
            Forecast = forecast,
            PagesToGenerate = [.. toWrite.Except(toUpdate).Select(p => p.Key)],
            PagesToUpdate = [.. toUpdate.Select(p => p.Key)],
            PagesReused = [.. outline.Pages.Where(p => decisions[p.Key].Reuse).Select(p => p.Key)],
            FullRunReason = state.FullRunReason,
        };
        var report = new RunReport { Plan = plan, Forecast = forecast, Warnings = warnings };
        if (request.Confirm is { } confirm && toWrite.Count > 0 && !await confirm(preview, cancellationToken).ConfigureAwait(false))
        {
            return report with { StopReason = RunStopReason.Declined, Pages = Outcomes(outline, decisions, PageRunAction.NotWritten, "declined") };
        }

        if (request.DryRun)
        {
            return report with { StopReason = RunStopReason.DryRun, Pages = Outcomes(outline, decisions, PageRunAction.NotWritten, "dry run") };
        }

        if (toWrite.Count == 0 && state.UpToDate)
        {
            LogUpToDate(logger, setId, plan.Commit.CommitSha);
            return report with
            {
                StopReason = RunStopReason.Completed,
                Pages = Outcomes(outline, decisions, PageRunAction.NotWritten, null),
                Coverage = Coverage(plan.Snapshot, outline.Pages.ToDictionary(p => p.Key, p => decisions[p.Key].SourceFiles, StringComparer.Ordinal), []),
            };
        }

        // One symbol index serves verification and the facts pages.
        var index = await indexes.BuildAsync(plan.Snapshot, cancellationToken).ConfigureAwait(false);
        var permalink = Permalinks(details);

        // Only a run that writes pages has a model (a facts-only plan has no model pages).
        using var session = details.Ai is null ? null : new ModelSession(details.Ai, details.Price, tokens, request.MaxTokens ?? generation.MaxTokens, request.MaxCost ?? generation.MaxCost, generation.MaxConcurrency);
        var written = new Dictionary<string, WrittenPage>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, ScopeSummary> summaries = new Dictionary<string, ScopeSummary>();
        var stop = RunStopReason.Completed;
        try
        {
            // Updates work from the published text plus the changed files, so only pages written from scratch need summaries.
            var scopes = session is null ? [] : CostForecaster.NeededScopes(input, [.. toWrite.Where(p => decisions[p.Key].Markdown is null)]);
            var summarized = 0;
            if (scopes.Count > 0)
            {
                progress?.Report(Progress(RunStage.Summarizing, $"Summarizing {scopes.Count} modules", 0, scopes.Count, session));
            }

            summaries = session is null ? summaries : await new ModuleSummarizer(session, tokens, details.Limits)
                .SummarizeAsync(scopes, s => progress?.Report(Progress(RunStage.Summarizing, $"Summarized {s.Title}", Interlocked.Increment(ref summarized), scopes.Count, session) with { CurrentItem = s.Title }), cancellationToken)
                .ConfigureAwait(false);
            if (session is not null)
            {
                var verifier = new PageVerifier(new PageChecker(plan.Snapshot, index, mermaid, permalink), generation.TruthfulnessThreshold);
                if (asksForOutline)
                {
                    progress?.Report(Progress(RunStage.Planning, "Asking the model for the outline", 0, 1, session));
                    outline = await AskOutlineAsync(details, summaries, session, warnings, cancellationToken).ConfigureAwait(false);
                    decisions = outline.Pages.ToDictionary(p => p.Key, p => new PageDecision(false, null, [], state.FullRunReason), StringComparer.Ordinal);
                    toWrite = [.. outline.Pages];
                }

                await WritePagesAsync(details, outline, decisions, toWrite, summaries, session, verifier, state.Changes, written, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (session is { BudgetReached: true } && !cancellationToken.IsCancellationRequested)
        {
            stop = RunStopReason.BudgetReached;
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The run's budget was reached after {written.Count} of {toWrite.Count} pages; the rest were not written. Raise --max-cost or --max-tokens, or run again to continue."));
        }

        // Past this point the run publishes a whole set or nothing: cancellation is checked once, not mid-publish.
        cancellationToken.ThrowIfCancellationRequested();
        var pages = Assemble(outline, decisions, written, plan.Commit.CommitSha);
        IReadOnlyList<DocumentPage> factsPages = [];
        if (plan.FactsOnly || details.Preset.FactsPages)
        {
            var planned = plan with { Pages = [.. pages.Select(p => outline.Find(p.Key)!.ToPlanned())] };
            factsPages = [.. FactsPages.Build(planned, index, mermaid, permalink).Select((p, i) => p with { Order = pages.Count + i })];
            pages.AddRange(factsPages);
        }

        PublishResult? publish = null;
        var keptPublished = manifest is null || manifest.Pages.All(p => pages.Any(d => d.Key == p.Key) || outline.Find(p.Key) is null);
        if (stop == RunStopReason.BudgetReached && !keptPublished)
        {
            warnings.Add("Nothing was published: publishing the partial set would have removed published pages that were not written this time.");
        }
        else if (pages.Count > 0)
        {
            progress?.Report(Progress(RunStage.Publishing, $"Publishing {pages.Count} pages", 0, pages.Count, session));
            var set = new DocumentSet
            {
                Id = setId,
                Title = details.Info.Name,
                Source = new DocumentSource(plan.Repository.Id, plan.Commit.CommitSha, plan.Commit.Kind == RefKind.Branch ? plan.Commit.Reference : null),
                Pages = pages,
                GeneratorVersion = GeneratorVersion,

                // Targets with labels (Confluence) make the pages findable by repository and preset; they normalize them.
                Labels = ["codedoc", details.Info.Name, outline.Preset],
                Properties = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [Outline.PropertyKey] = outline.Serialize(),
                    [PresetPropertyKey] = outline.Preset,
                },
            };
            publish = await details.Publisher.PublishAsync(set, new PublishOptions { Force = request.Force }, CancellationToken.None).ConfigureAwait(false);
        }

        warnings.AddRange(written.Values.SelectMany(w => w.Generated.Warnings));
        progress?.Report(Progress(RunStage.Completed, "Done", pages.Count, pages.Count, session));
        return report with
        {
            StopReason = stop,
            Publish = publish,
            UsageByStage = session?.UsageByStage ?? new Dictionary<RunStage, AiUsage>(),
            Cost = session?.Cost,
            Warnings = warnings,
            Verification = written.Where(w => w.Value.Verification is not null).ToDictionary(w => w.Key, w => w.Value.Verification!, StringComparer.Ordinal),
            Pages =
            [
                .. outline.Pages.Select(p => Outcome(p, decisions[p.Key], written.GetValueOrDefault(p.Key), stop)),
                .. factsPages.Select(p => new PageRunOutcome(p.Key, p.Title, PageRunAction.Facts)),
            ],
            Coverage = Coverage(
                plan.Snapshot,
                outline.Pages.ToDictionary(p => p.Key, p => written.TryGetValue(p.Key, out var w) ? w.Generated.DrewOn : decisions[p.Key].SourceFiles, StringComparer.Ordinal),
                summaries.Values.SelectMany(s => s.OutlineOnly)),
        };
    }

    private async Task WritePagesAsync(
        PlanDetails details,
        Outline outline,
        Dictionary<string, PageDecision> decisions,
        List<OutlinePage> toWrite,
        IReadOnlyDictionary<string, ScopeSummary> summaries,
        ModelSession session,
        PageVerifier verifier,
        IReadOnlyList<ChangedPath> changes,
        Dictionary<string, WrittenPage> written,
        IProgress<RunProgress>? progress,
        CancellationToken cancellationToken)
    {
        var generation = options.Value.Generation;
        var generator = new PageGenerator(session, details.Plan.Snapshot, tokens, details.Limits);
        var planned = details.Plan with { Pages = [.. outline.Pages.Select(p => p.ToPlanned())] };
        var done = 0;

        // Leaves first: a page is written after the pages below it, whose abstracts it draws on.
        foreach (var level in toWrite.GroupBy(p => PublishedState.Depth(outline, p)).OrderByDescending(g => g.Key))
        {
            await Task.WhenAll(level.Select(async page =>
            {
                PageDecision decision;
                List<ChangedPath> pageChanges = [];
                bool keep;
                lock (written)
                {
                    decision = decisions[page.Key];
                    var changedChildren = decision.AwaitsChildren ? ChangedChildren(page, outline, decisions, written) : [];
                    keep = decision.AwaitsChildren && changedChildren.Count == 0 && decision.Markdown is not null;
                    if (keep)
                    {
                        decisions[page.Key] = decision with { Reuse = true, AwaitsChildren = false, Reason = null };
                    }
                    else if (decision.Markdown is not null)
                    {
                        // A parent updated for its children is shown what changed below it: their new abstracts come
                        // with the context, the files behind them with the changes.
                        var relevant = decision.AwaitsChildren
                            ? changedChildren.SelectMany(c => c.Files).ToHashSet(StringComparer.Ordinal)
                            : [.. page.SourceFiles, .. decision.SourceFiles];
                        pageChanges = [.. changes.Where(c => relevant.Contains(c.Path) || (c.OldPath is not null && relevant.Contains(c.OldPath)))];
                    }
                }

                if (keep)
                {
                    progress?.Report(Progress(RunStage.Generating, $"Kept {page.Title}: the pages below it changed nothing it draws on", Interlocked.Increment(ref done), toWrite.Count, session) with { CurrentItem = page.Key });
                    return;
                }

                var request = new PageGenerationRequest(page.ToPlanned(), planned, details.Ai!)
                {
                    Style = details.Preset.Style,
                    RepositoryNotes = details.Steering?.Notes,
                    Context = Context(page, outline, decisions, summaries, written),
                    PreviousMarkdown = decision.Markdown,
                    Changes = pageChanges,
                };
                var (generated, updated) = await generator.GenerateOrUpdateAsync(request, cancellationToken).ConfigureAwait(false);
                var verification = await verifier.VerifyAsync(generated, details.Plan, cancellationToken).ConfigureAwait(false);
                if (!verification.Passed)
                {
                    // One more attempt with the problems named; the better of the two is published, with a warning if still below.
                    var retry = await generator.GenerateAsync(request with { Feedback = verification.Problems, PreviousMarkdown = null, Changes = [] }, cancellationToken).ConfigureAwait(false);
                    var second = await verifier.VerifyAsync(retry, details.Plan, cancellationToken).ConfigureAwait(false);
                    var usage = generated.Usage + retry.Usage;
                    var keepFirst = second.Truthfulness < verification.Truthfulness;
                    (generated, verification) = keepFirst ? (generated with { Usage = usage }, verification) : (retry with { Usage = usage }, second);
                    updated &= keepFirst;
                    if (!verification.Passed)
                    {
                        verification = verification with
                        {
                            Markdown = string.Create(CultureInfo.InvariantCulture, $"> **Warning:** this page could not be fully verified against the code (truthfulness {verification.Truthfulness:P0}, threshold {generation.TruthfulnessThreshold:P0}). Check names and claims before relying on them.\n\n") + verification.Markdown,
                        };
                    }
                }

                lock (written)
                {
                    written[page.Key] = new WrittenPage(generated, verification, updated);
                }

                progress?.Report(Progress(RunStage.Generating, $"Wrote {page.Title}", Interlocked.Increment(ref done), toWrite.Count, session) with { CurrentItem = page.Key });
            })).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asks the model for the outline as JSON, re-asks once naming the problems when the answer is unusable, and falls
    /// back to the preset's outline, so a bad plan never fails a run.
    /// </summary>
    private static async Task<Outline> AskOutlineAsync(PlanDetails details, IReadOnlyDictionary<string, ScopeSummary> summaries, ModelSession session, List<string> warnings, CancellationToken cancellationToken)
    {
        var draft = details.Outline;
        var messages = Prompts.Outline(
            details.Preset,
            draft,
            details.PageCap,
            details.Map,
            [.. summaries.Values.Where(s => s.Scope.Id != SummaryScopes.RootId).Select(s => (s.Scope.Title, s.Abstract))],
            details.Steering?.Notes);
        IReadOnlyList<string> problems = [];
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var answer = await session.CompleteAsync(RunStage.Planning, messages, details.Limits.OutlineOutputTokens, cancellationToken).ConfigureAwait(false);
            (var outline, problems) = ModelOutline.Read(answer.Text, draft, details.Plan.Snapshot, details.PageCap);
            if (outline is not null)
            {
                if (problems.Count > 0)
                {
                    warnings.Add("The model's outline was repaired: " + string.Join("; ", problems) + ".");
                }

                return outline;
            }

            messages = Prompts.RetryOutline(messages, answer.Text, problems);
        }

        warnings.Add("The model's outline could not be used (" + string.Join("; ", problems) + "); the preset's outline was used instead.");
        return draft;
    }

    /// <summary>
    /// The children of a page written in this run whose gist changed (see <see cref="PageGist"/>), with the files each
    /// was written from. Called under the lock on <paramref name="written"/>, after the children's level is done.
    /// </summary>
    private static List<(string Key, IReadOnlyList<string> Files)> ChangedChildren(
        OutlinePage page, Outline outline, Dictionary<string, PageDecision> decisions, Dictionary<string, WrittenPage> written) =>
        [.. outline.ChildrenOf(page.Key)
            .Where(c => written.TryGetValue(c.Key, out var w) && PageGist.Changed(decisions[c.Key].Markdown, w.Verification?.Markdown ?? w.Generated.Markdown))
            .Select(c => (c.Key, (IReadOnlyList<string>)[.. c.SourceFiles, .. decisions[c.Key].SourceFiles, .. written[c.Key].Generated.DrewOn]))];

    private static List<PageContext> Context(
        OutlinePage page,
        Outline outline,
        Dictionary<string, PageDecision> decisions,
        IReadOnlyDictionary<string, ScopeSummary> summaries,
        Dictionary<string, WrittenPage> written)
    {
        var context = new List<PageContext>();
        if (page.Context.Contains(PageContextKinds.Modules))
        {
            context.AddRange(summaries.Values.Select(s => new PageContext("Summary of " + s.Scope.Title, s.Markdown, [.. s.Scope.Files.Select(f => f.Path)])));
        }
        else if (page.Context.Contains(PageContextKinds.Repository))
        {
            context.AddRange(summaries.Values.Select(s => s.Scope.Id == SummaryScopes.RootId
                ? new PageContext("Summary of the " + s.Scope.Title, s.Markdown, [.. s.Scope.Files.Select(f => f.Path)])
                : new PageContext("Gist of " + s.Scope.Title, s.Abstract, [])));
        }
        else if (page.Context.Contains(PageContextKinds.Module))
        {
            var ids = SummaryScopes.For(page, [.. summaries.Values.Select(s => s.Scope)]).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            context.AddRange(summaries.Values.Where(s => ids.Contains(s.Scope.Id)).Select(s => new PageContext("Summary of " + s.Scope.Title, s.Markdown, [.. s.Scope.Files.Select(f => f.Path)])));
        }

        if (page.Context.Contains(PageContextKinds.Children))
        {
            lock (written)
            {
                foreach (var child in outline.ChildrenOf(page.Key))
                {
                    var markdown = written.TryGetValue(child.Key, out var w) ? w.Verification?.Markdown ?? w.Generated.Markdown : decisions[child.Key].Markdown;
                    if (markdown is not null)
                    {
                        context.Add(new PageContext($"Page {child.Key}: {child.Title}", ScopeSummary.FirstParagraph(markdown), []));
                    }
                }
            }
        }

        return context;
    }

    private static List<DocumentPage> Assemble(Outline outline, Dictionary<string, PageDecision> decisions, Dictionary<string, WrittenPage> written, string commit)
    {
        var pages = new List<OutlinePage>();
        var markdown = new Dictionary<string, (string Text, IReadOnlyList<string> Files)>(StringComparer.Ordinal);
        foreach (var page in outline.Pages)
        {
            if (written.TryGetValue(page.Key, out var w))
            {
                markdown[page.Key] = (w.Verification?.Markdown ?? w.Generated.Markdown, w.Generated.DrewOn);
                pages.Add(page);
            }
            else if (decisions[page.Key].Markdown is { } kept)
            {
                markdown[page.Key] = (kept, decisions[page.Key].SourceFiles);
                pages.Add(page);
            }
        }

        return [.. PresetOutline.Tidy(pages, int.MaxValue).Select((p, i) => new DocumentPage
        {
            Key = p.Key,
            Title = p.Title,
            ParentKey = p.ParentKey,
            Markdown = markdown[p.Key].Text,
            Order = i,
            Provenance = new PageProvenance(commit, markdown[p.Key].Files),
        })];
    }

    private static Func<string, LineRange?, string> Permalinks(PlanDetails details) =>
        (path, lines) => details.Git.GetPermalink(details.Plan.Repository, details.Plan.Commit.CommitSha, path, lines);

    private static GenerationCoverage Coverage(RepositorySnapshot snapshot, Dictionary<string, IReadOnlyList<string>> filesByPage, IEnumerable<string> outlineOnly)
    {
        var covered = filesByPage.Values.SelectMany(f => f).ToHashSet(StringComparer.Ordinal);
        return new GenerationCoverage
        {
            FilesByPage = filesByPage,
            UncoveredFiles = [.. snapshot.Files.Select(f => f.Path).Where(p => !covered.Contains(p))],
            OutlineOnlyFiles = [.. outlineOnly.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
    }

    private static List<PageRunOutcome> Outcomes(Outline outline, Dictionary<string, PageDecision> decisions, PageRunAction notReused, string? note) =>
        [.. outline.Pages.Select(p => decisions[p.Key].Reuse
            ? new PageRunOutcome(p.Key, p.Title, PageRunAction.Reused)
            : new PageRunOutcome(p.Key, p.Title, notReused) { Note = note })];

    private static PageRunOutcome Outcome(OutlinePage page, PageDecision decision, WrittenPage? written, RunStopReason stop) => written is not null
        ? new PageRunOutcome(page.Key, page.Title, written.Updated ? PageRunAction.Updated : PageRunAction.Generated) { Truthfulness = written.Verification?.Truthfulness, Note = decision.Reason }
        : decision.Reuse
            ? new PageRunOutcome(page.Key, page.Title, PageRunAction.Reused)
            : new PageRunOutcome(page.Key, page.Title, PageRunAction.NotWritten) { Note = stop == RunStopReason.BudgetReached ? "budget reached" : "not written" };

    private static RunProgress Progress(RunStage stage, string message, long done, long total, ModelSession? session) =>
        new(stage, message) { Done = done, Total = total, Usage = session?.Total ?? AiUsage.Zero, Cost = session?.Cost };

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "{DocumentSetId} is already published at {CommitSha}; nothing to write.")]
    private static partial void LogUpToDate(ILogger logger, string documentSetId, string commitSha);

    private sealed record WrittenPage(GeneratedPage Generated, PageVerification? Verification, bool Updated);
}
