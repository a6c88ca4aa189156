using System.Net.Http.Headers;
using System.Reflection;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Signs requests to the configured site (and gateway) and adds the headers Confluence expects: JSON, a User-Agent
/// naming CodeDoc, and <c>X-Atlassian-Token: no-check</c> (required on multipart uploads, harmless elsewhere, and
/// some Data Center 9 POSTs check it). Requests to any other host never get the credential.
/// </summary>
/// <param name="endpoint">The endpoint that holds the credential.</param>
internal sealed class ConfluenceAuthenticationHandler(ConfluenceEndpoint endpoint) : DelegatingHandler
{
    private static readonly ProductInfoHeaderValue UserAgent = new(
        "CodeDoc", typeof(ConfluenceAuthenticationHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is { } uri && endpoint.IsOwnHost(uri))
        {
            request.Headers.Authorization = endpoint.CreateAuthorization();
        }
        else
        {
            request.Headers.Authorization = null;
        }

        if (request.Headers.UserAgent.Count == 0)
        {
            request.Headers.UserAgent.Add(UserAgent);
        }
        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        request.Headers.Remove("X-Atlassian-Token");
        request.Headers.TryAddWithoutValidation("X-Atlassian-Token", "no-check");
        return base.SendAsync(request, cancellationToken);
    }
}
