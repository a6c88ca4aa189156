using System.Threading.RateLimiting;

namespace CodeDoc.Ai;

/// <summary>
/// The request and token budget of one vendor account per minute. Every provider instance with the same vendor and
/// key shares one (two named registrations of the same key draw from the same limits, as the vendor counts them).
/// </summary>
internal sealed class AiAccountRateLimiter : IDisposable
{
    private readonly SlidingWindowRateLimiter? _requests;
    private readonly TokenBucketRateLimiter? _tokens;
    private readonly int _tokenLimit;
    private long _debt;

    /// <summary>Initializes a new instance of the <see cref="AiAccountRateLimiter"/> class.</summary>
    /// <param name="requestsPerMinute">Requests per minute, or <see langword="null"/> for no limit.</param>
    /// <param name="tokensPerMinute">Tokens per minute, or <see langword="null"/> for no limit.</param>
    public AiAccountRateLimiter(int? requestsPerMinute, int? tokensPerMinute)
    {
        RequestsPerMinute = requestsPerMinute;
        TokensPerMinute = tokensPerMinute;
        if (requestsPerMinute is { } rpm)
        {
            _requests = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = rpm,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }

        if (tokensPerMinute is { } tpm)
        {
            _tokenLimit = tpm;
            _tokens = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = tpm,
                TokensPerPeriod = Math.Max(1, tpm / 60),
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
    }

    /// <summary>Gets the request limit.</summary>
    public int? RequestsPerMinute { get; }

    /// <summary>Gets the token limit.</summary>
    public int? TokensPerMinute { get; }

    /// <summary>
    /// Waits until a request of an estimated size fits the budget. Tokens a previous call used beyond its estimate are
    /// charged here, before this request is sent.
    /// </summary>
    /// <param name="estimatedTokens">The estimated tokens of the request.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the request may be sent.</returns>
    public async ValueTask AcquireAsync(long estimatedTokens, CancellationToken cancellationToken)
    {
        if (_requests is not null)
        {
            using var lease = await _requests.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }

        if (_tokens is not null)
        {
            var wanted = estimatedTokens + Interlocked.Exchange(ref _debt, 0);
            var permits = (int)Math.Clamp(wanted, 1, _tokenLimit);
            using var lease = await _tokens.AcquireAsync(permits, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records what a call really used, so the next request pays for an underestimate.</summary>
    /// <param name="estimatedTokens">What was acquired for it.</param>
    /// <param name="actualTokens">What the vendor reported.</param>
    public void Settle(long estimatedTokens, long actualTokens)
    {
        if (_tokens is not null && actualTokens > estimatedTokens)
        {
            Interlocked.Add(ref _debt, actualTokens - estimatedTokens);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _requests?.Dispose();
        _tokens?.Dispose();
    }
}

/// <summary>The account limiters of a service provider, keyed by vendor and a hash of the key (never the key).</summary>
internal sealed class AiRateLimiters : IDisposable
{
    private readonly Dictionary<string, AiAccountRateLimiter> _limiters = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Gets the limiter of an account, creating it with the given limits on first use.</summary>
    /// <param name="vendor">The vendor.</param>
    /// <param name="accountId">The account id from <see cref="AiCredential.AccountId"/>.</param>
    /// <param name="requestsPerMinute">Requests per minute, or <see langword="null"/>.</param>
    /// <param name="tokensPerMinute">Tokens per minute, or <see langword="null"/>.</param>
    /// <returns>The limiter, or <see langword="null"/> when no limit is set. The first instance of an account sets its limits.</returns>
    public AiAccountRateLimiter? Get(string vendor, string accountId, int? requestsPerMinute, int? tokensPerMinute)
    {
        if (requestsPerMinute is null && tokensPerMinute is null)
        {
            return null;
        }

        lock (_lock)
        {
            var key = $"{vendor}|{accountId}";
            if (!_limiters.TryGetValue(key, out var limiter))
            {
                limiter = new AiAccountRateLimiter(requestsPerMinute, tokensPerMinute);
                _limiters.Add(key, limiter);
            }

            return limiter;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var limiter in _limiters.Values)
            {
                limiter.Dispose();
            }

            _limiters.Clear();
        }
    }
}
