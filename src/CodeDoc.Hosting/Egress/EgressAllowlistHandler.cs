using CodeDoc.Core;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Egress;

/// <summary>
/// Refuses an outbound request whose scheme, host and port are not on the host's allowlist, before a connection is
/// opened. The refusal names the host and port only: the path, query and user info of the address may carry secrets.
/// </summary>
/// <param name="allowlist">The allowlist.</param>
/// <param name="logger">Logs refusals.</param>
internal sealed class EgressAllowlistHandler(EgressAllowlist allowlist, ILogger logger) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CheckAsync(request, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The synchronous path has no caller to yield to; the check is a set lookup unless the list is due for a rebuild.
        CheckAsync(request, cancellationToken).AsTask().GetAwaiter().GetResult();
        return base.Send(request, cancellationToken);
    }

    private async ValueTask CheckAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri;
        if (await allowlist.IsAllowedAsync(uri, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (uri is not { IsAbsoluteUri: true })
        {
            throw new CodeDocConfigurationException("CodeDoc refused a request without an absolute address: outbound requests must name the provider's host.")
            {
                OperationName = "Egress",
            };
        }

        var where = EgressOrigins.HostAndPort(uri);
        EgressLog.Refused(logger, where);
        throw new CodeDocConfigurationException(
            $"CodeDoc refused a request to {where}: it is not the address of a configured provider. " +
            "If the provider really lives there, add it to CodeDoc:Hosting:Egress:AllowedHosts.")
        {
            OperationName = "Egress",
            RequestUri = uri,
        };
    }
}
