using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace CodeDoc.Git.GitHub;

/// <summary>
/// Makes GitHub's rate-limit answers look like what the shared resilience pipeline understands: a 429 with a
/// <c>Retry-After</c>. GitHub answers a used-up primary limit with 403 (or 429) and <c>x-ratelimit-remaining: 0</c>
/// plus an epoch <c>x-ratelimit-reset</c>, and a secondary limit with 403 and either <c>retry-after</c> or nothing
/// (then its docs ask for at least a minute). Without this, a 403 would not be retried at all and a 429 without
/// <c>Retry-After</c> would be retried after a second, hammering a limit that lasts an hour.
/// </summary>
/// <remarks>Runs inside the retry, once per attempt, between the pipeline and the network.</remarks>
/// <param name="timeProvider">The clock, for reset times.</param>
internal sealed class GitHubRateLimitHandler(TimeProvider timeProvider) : DelegatingHandler
{
    /// <summary>The wait GitHub asks for on a secondary limit that names no time.</summary>
    internal static readonly TimeSpan SecondaryLimitWait = TimeSpan.FromMinutes(1);

    private const int MaxBodyBytes = 64 * 1024;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests))
        {
            return response;
        }

        var body = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
        var remaining = Header(response, "x-ratelimit-remaining");
        var primary = remaining == "0";
        var secondary = response.Headers.RetryAfter is not null
            || System.Text.Encoding.UTF8.GetString(body).Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase);
        if (response.StatusCode == HttpStatusCode.Forbidden && !primary && !secondary)
        {
            return Rebuilt(response, response.StatusCode, body, retryAfter: null);
        }

        TimeSpan? wait = null;
        if (response.Headers.RetryAfter is null)
        {
            wait = primary && Header(response, "x-ratelimit-reset") is { } reset && long.TryParse(reset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
                ? Max(DateTimeOffset.FromUnixTimeSeconds(epoch) - timeProvider.GetUtcNow(), TimeSpan.Zero)
                : SecondaryLimitWait;
        }

        return Rebuilt(response, HttpStatusCode.TooManyRequests, body, wait);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxBodyBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return buffer[..total];
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return [];
        }
    }

    // A new response with the original headers and the (bounded) body, so the body can still be read for the error message.
    private static HttpResponseMessage Rebuilt(HttpResponseMessage original, HttpStatusCode status, byte[] body, TimeSpan? retryAfter)
    {
        var rebuilt = new HttpResponseMessage(status)
        {
            RequestMessage = original.RequestMessage,
            ReasonPhrase = status == original.StatusCode ? original.ReasonPhrase : null,
            Version = original.Version,
            Content = new ByteArrayContent(body),
        };
        foreach (var header in original.Headers)
        {
            rebuilt.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var header in original.Content.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                rebuilt.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        if (retryAfter is { } wait)
        {
            rebuilt.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds)));
        }

        original.Dispose();
        return rebuilt;
    }
}
