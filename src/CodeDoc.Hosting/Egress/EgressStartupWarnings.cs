using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Egress;

/// <summary>Warns at start when the host's transport rules are relaxed, so an operator sees it in the first lines of the log.</summary>
/// <param name="options">The host's options.</param>
/// <param name="logger">The logger.</param>
internal sealed class EgressStartupWarnings(IOptions<CodeDocHostingOptions> options, ILogger<EgressStartupWarnings> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var egress = options.Value.Egress;
        if (!egress.Enforce)
        {
            EgressLog.NotEnforced(logger);
        }

        if (egress.AllowInsecureHttp)
        {
            EgressLog.InsecureHttpAllowed(logger);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
