using CodeDoc.Core;

namespace CodeDoc.Hosting;

/// <summary>
/// Tells which host receives which data from this CodeDoc host: each Git host, model vendor and publish target, for
/// providers registered in code and for stored configurations, and the notification webhook.
/// </summary>
public interface IHostingDataFlowReport
{
    /// <summary>Describes the data flows of the host as it is configured now.</summary>
    /// <param name="cancellationToken">Cancels the store read.</param>
    /// <returns>One flow per provider (and one for the notification webhook, when set), registered providers first.</returns>
    Task<IReadOnlyList<DataFlow>> DescribeAsync(CancellationToken cancellationToken = default);
}
