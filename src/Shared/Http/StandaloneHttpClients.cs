using System.Diagnostics.CodeAnalysis;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Transport;

/// <summary>
/// Creates a provider's HTTP client outside the application's container, for factories that build providers at run
/// time from settings (stored job configurations): the same primary handler, outbound handlers and resilience
/// pipeline as <see cref="CodeDocHttpClients.AddCodeDocHttpClient"/>, in a small container of its own.
/// </summary>
internal static class StandaloneHttpClients
{
    /// <summary>Creates the client.</summary>
    /// <param name="clientName">The client's name.</param>
    /// <param name="httpOptions">The provider's HTTP options.</param>
    /// <param name="rules">What may be retried.</param>
    /// <param name="configure">Adds provider handlers (authentication), as for a registered client.</param>
    /// <returns>The client; its handlers live as long as it does.</returns>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The container only builds the handler chain; the client owns the handlers, which never rotate, and the container holds nothing else to release.")]
    public static HttpClient Create(string clientName, CodeDocHttpOptions httpOptions, HttpRetryRules rules, Action<IHttpClientBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(httpOptions);
        var services = new ServiceCollection();
        var builder = services.AddCodeDocHttpClient(clientName, _ => httpOptions, rules)

            // A rotating handler would need the container's timers; this client keeps one chain for its lifetime.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        configure?.Invoke(builder);
        var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);
    }
}
