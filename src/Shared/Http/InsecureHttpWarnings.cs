using System.Collections.Concurrent;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeDoc.Transport;

/// <summary>
/// Remembers which clients already warned about plain HTTP to a remote host, so a provider that opted in with
/// <see cref="CodeDocHttpOptions.AllowInsecureHttp"/> warns once per client and address, not once per request or per
/// handler rotation. One per container.
/// </summary>
internal sealed class InsecureHttpWarnings
{
    private static readonly Action<ILogger, string, string, Exception?> Warn = LoggerMessage.Define<string, string>(
        LogLevel.Warning,
        new EventId(1901, "InsecureHttpAllowed"),
        "HTTP client {ClientName} sends plain HTTP to the remote host {Origin} because its Http:AllowInsecureHttp option is on: keys, tokens and code cross the network unencrypted. Use https:// unless the network path is trusted.");

    private readonly ConcurrentDictionary<string, bool> _warned = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="InsecureHttpWarnings"/> class.</summary>
    /// <param name="services">The container's services; no warning is written when it has no logging.</param>
    public InsecureHttpWarnings(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _logger = services.GetService<ILoggerFactory>()?.CreateLogger("CodeDoc.Transport") ?? NullLogger.Instance;
    }

    /// <summary>Warns about a request when it is plain HTTP to a remote host and this client has not warned about that host yet.</summary>
    /// <param name="clientName">The client's name.</param>
    /// <param name="requestUri">The request's address.</param>
    public void Observe(string clientName, Uri? requestUri)
    {
        if (requestUri is not { IsAbsoluteUri: true } uri || uri.Scheme != Uri.UriSchemeHttp || EndpointRules.IsLoopback(uri))
        {
            return;
        }

        // Only the origin is logged: the path and query may carry names or keys.
        var origin = uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        if (_warned.TryAdd(clientName + "|" + origin, true))
        {
            Warn(_logger, clientName, origin, null);
        }
    }
}

/// <summary>Reports a provider's plain-HTTP requests to remote hosts through <see cref="InsecureHttpWarnings"/>.</summary>
/// <param name="clientName">The client's name.</param>
/// <param name="warnings">The container's warnings.</param>
internal sealed class InsecureHttpWarningHandler(string clientName, InsecureHttpWarnings warnings) : DelegatingHandler
{
    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        warnings.Observe(clientName, request.RequestUri);
        return base.Send(request, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        warnings.Observe(clientName, request.RequestUri);
        return base.SendAsync(request, cancellationToken);
    }
}
