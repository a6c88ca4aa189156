using System.Globalization;

namespace CodeDoc.Transport;

/// <summary>Reads how long a service asked to wait.</summary>
internal static class RetryAfter
{
    /// <summary>
    /// Reads <c>Retry-After</c> (seconds or an HTTP date), then <c>retry-after-ms</c> (OpenAI), then epoch-second
    /// reset headers (<c>x-ratelimit-reset</c>, <c>RateLimit-Reset</c>) when the response is a rate limit.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time, for dates and epoch resets; the system clock when omitted.</param>
    /// <returns>The wait, never negative; <see langword="null"/> when the response does not say.</returns>
    public static TimeSpan? From(HttpResponseMessage response, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var clock = now ?? DateTimeOffset.UtcNow;
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return Positive(delta);
            }

            if (retryAfter.Date is { } date)
            {
                return Positive(date - clock);
            }
        }

        if (Header(response, "retry-after-ms") is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return Positive(TimeSpan.FromMilliseconds(milliseconds));
        }

        foreach (var name in (string[])["x-ratelimit-reset", "RateLimit-Reset"])
        {
            if (Header(response, name) is { } reset && long.TryParse(reset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch) && epoch > 1_000_000_000)
            {
                return Positive(DateTimeOffset.FromUnixTimeSeconds(epoch) - clock);
            }
        }

        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static TimeSpan Positive(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;
}
