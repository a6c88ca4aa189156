using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>Builds the page verifier of one run (it needs the run's snapshot, symbol index and Git provider for permalinks).</summary>
internal interface IPageVerifierFactory
{
    /// <summary>Builds the verifier.</summary>
    /// <param name="details">The run's plan details.</param>
    /// <returns>The verifier.</returns>
    IPageVerifier Create(PlanDetails details);
}
