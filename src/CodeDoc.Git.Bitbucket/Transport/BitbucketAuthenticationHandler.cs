using System.Net.Http.Headers;

namespace CodeDoc.Git.Bitbucket;

/// <summary>
/// Puts the credentials on requests to the registration's own origins (the web and API addresses) and nowhere else,
/// so a link or address from a response cannot carry the token to another host. Runs once per attempt, inside the
/// resilience pipeline; redirects followed below it lose the header (the handler drops it on redirects).
/// </summary>
/// <param name="credentials">The credentials.</param>
/// <param name="endpoints">The registration's endpoints.</param>
internal sealed class BitbucketAuthenticationHandler(BitbucketCredentials credentials, BitbucketEndpoints endpoints) : DelegatingHandler
{
    private static readonly ProductInfoHeaderValue UserAgent = new("CodeDoc", typeof(BitbucketAuthenticationHandler).Assembly.GetName().Version?.ToString(3) ?? "0");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is { } uri && (BitbucketEndpoints.SameOrigin(uri, endpoints.ApiAddress) || BitbucketEndpoints.SameOrigin(uri, endpoints.WebAddress)))
        {
            credentials.Apply(request);
        }

        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        if (request.Headers.UserAgent.Count == 0)
        {
            request.Headers.UserAgent.Add(UserAgent);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
