using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>
/// Runs on every attempt inside the resilience pipeline: puts the credentials on requests to the registration's own
/// origin only, asks for JSON and no sign-in redirect (<c>X-TFS-FedAuthRedirect: Suppress</c>), turns a sign-in page
/// (203, or HTML where JSON was asked for) into the 401 it means, and honours throttling that arrives on successful
/// responses: a <c>Retry-After</c> or <c>X-RateLimit-Delay</c> makes the next request wait that long.
/// </summary>
internal sealed class AzureDevOpsHandler : DelegatingHandler
{
    private static readonly ProductInfoHeaderValue UserAgent = new("CodeDoc", typeof(AzureDevOpsHandler).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly AzureDevOpsCredentials _credentials;
    private readonly Uri _origin;
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _providerName;
    private readonly Lock _gate = new();
    private DateTimeOffset _notBefore;

    /// <summary>Initializes a new instance of the <see cref="AzureDevOpsHandler"/> class.</summary>
    /// <param name="providerName">The registration name, for the log.</param>
    /// <param name="credentials">The credentials.</param>
    /// <param name="origin">The registration's base address.</param>
    /// <param name="maxWait">The longest wait a throttling header may impose.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public AzureDevOpsHandler(string providerName, AzureDevOpsCredentials credentials, Uri origin, TimeSpan maxWait, TimeProvider time, ILogger logger)
    {
        _providerName = providerName;
        _credentials = credentials;
        _origin = origin;
        _maxWait = maxWait;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await WaitForThrottleAsync(cancellationToken).ConfigureAwait(false);
        var own = request.RequestUri is { } uri && string.Equals(uri.Scheme, _origin.Scheme, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(uri.IdnHost, _origin.IdnHost, StringComparison.OrdinalIgnoreCase) && uri.Port == _origin.Port;
        if (own)
        {
            await _credentials.ApplyAsync(request, cancellationToken).ConfigureAwait(false);
        }

        request.Headers.TryAddWithoutValidation("X-TFS-FedAuthRedirect", "Suppress");
        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        if (request.Headers.UserAgent.Count == 0)
        {
            request.Headers.UserAgent.Add(UserAgent);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        NoteThrottle(response);
        if (response.StatusCode == HttpStatusCode.NonAuthoritativeInformation ||
            (response.IsSuccessStatusCode && IsHtml(response) && !IsHtml(request)))
        {
            var signIn = new HttpResponseMessage(HttpStatusCode.Unauthorized)
            {
                RequestMessage = response.RequestMessage,
                Content = new StringContent("{\"message\":\"Azure DevOps answered with a sign-in page instead of data.\"}"),
            };
            response.Dispose();
            return signIn;
        }

        return response;
    }

    private static bool IsHtml(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is "text/html";

    private static bool IsHtml(HttpRequestMessage request) =>
        request.Headers.Accept.Any(a => a.MediaType is "text/html");

    private static double? Seconds(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) &&
        double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : null;

    private void NoteThrottle(HttpResponseMessage response)
    {
        // A 429 is waited out by the retry pipeline; here only successful responses that ask to slow down.
        if (!response.IsSuccessStatusCode)
        {
            return;
        }

        var seconds = Seconds(response, "Retry-After") ?? Seconds(response, "X-RateLimit-Delay");
        if (seconds is not { } wait)
        {
            return;
        }

        var delay = TimeSpan.FromSeconds(Math.Min(wait, _maxWait.TotalSeconds));
        var resource = response.Headers.TryGetValues("X-RateLimit-Resource", out var resources) ? resources.FirstOrDefault() : null;
        var remaining = response.Headers.TryGetValues("X-RateLimit-Remaining", out var left) ? left.FirstOrDefault() : null;
        Log.Throttled(_logger, _providerName, delay.TotalSeconds, resource ?? "unknown", remaining ?? "unknown");
        lock (_gate)
        {
            var until = _time.GetUtcNow() + delay;
            if (until > _notBefore)
            {
                _notBefore = until;
            }
        }
    }

    private Task WaitForThrottleAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            wait = _notBefore - _time.GetUtcNow();
        }

        return wait > TimeSpan.Zero ? Task.Delay(wait, _time, cancellationToken) : Task.CompletedTask;
    }
}
