using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// Verifies pages with the components' <see cref="PageChecker"/>: citations become permalinks or are removed,
/// links leaving the repository are removed, diagrams are repaired or dropped, and the names a page presents as code
/// are checked against the symbol index for its truthfulness score.
/// </summary>
/// <param name="checker">The checker of the run (built once over the run's snapshot and index).</param>
/// <param name="threshold">The truthfulness a page needs to pass.</param>
internal sealed class PageVerifier(PageChecker checker, double threshold) : IPageVerifier
{
    /// <inheritdoc />
    public Task<PageVerification> VerifyAsync(GeneratedPage page, DocumentationPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(checker.Check(page.Markdown, threshold).Verification);
    }
}
