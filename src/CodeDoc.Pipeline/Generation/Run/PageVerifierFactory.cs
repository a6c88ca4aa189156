using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline;

/// <summary>Builds the page verifier of one run (it needs the run's snapshot, symbol index and Git provider for permalinks).</summary>
internal interface IPageVerifierFactory
{
    /// <summary>Builds the verifier, indexing the snapshot's symbols once for every page of the run.</summary>
    /// <param name="details">The run's plan details.</param>
    /// <param name="cancellationToken">Cancels indexing.</param>
    /// <returns>The verifier.</returns>
    Task<IPageVerifier> CreateAsync(PlanDetails details, CancellationToken cancellationToken);
}

/// <inheritdoc />
internal sealed class PageVerifierFactory(ISymbolIndexBuilder indexes, IMermaidValidator mermaid, IOptions<CodeDocOptions> options) : IPageVerifierFactory
{
    /// <inheritdoc />
    public async Task<IPageVerifier> CreateAsync(PlanDetails details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(details);
        var plan = details.Plan;
        var index = await indexes.BuildAsync(plan.Snapshot, cancellationToken).ConfigureAwait(false);
        var checker = new PageChecker(plan.Snapshot, index, mermaid, (path, lines) => details.Git.GetPermalink(plan.Repository, plan.Commit.CommitSha, path, lines));
        return new PageVerifier(checker, options.Value.Generation.TruthfulnessThreshold);
    }

    /// <summary>Checks pages with the components' <see cref="PageChecker"/>: citations, outside links, diagrams and names.</summary>
    /// <param name="checker">The checker of the run.</param>
    /// <param name="threshold">The truthfulness a page needs.</param>
    private sealed class PageVerifier(PageChecker checker, double threshold) : IPageVerifier
    {
        public Task<PageVerification> VerifyAsync(GeneratedPage page, DocumentationPlan plan, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(page);
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(checker.Check(page.Markdown, threshold).Verification);
        }
    }
}
