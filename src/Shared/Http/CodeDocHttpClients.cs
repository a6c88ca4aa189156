using System.Net;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CodeDoc.Transport;

/// <summary>What a provider's HTTP calls may retry, beyond the common rules.</summary>
/// <remarks>
/// Common rules: 429 is retried for every method (unless its Retry-After is beyond
/// <see cref="CodeDocHttpOptions.MaxRetryAfter"/>: then the caller gets the response and reports a rate limit);
/// 408/500/502/503/504 and transport failures are retried only for safe methods (GET, HEAD, OPTIONS), because a
/// write may already have been applied.
/// </remarks>
internal sealed record HttpRetryRules
{
    /// <summary>Gets the common rules.</summary>
    public static HttpRetryRules Default { get; } = new();

    /// <summary>Gets extra status codes retried like 5xx (e.g. Anthropic's 529 "overloaded").</summary>
    public IReadOnlySet<int> ExtraTransientStatusCodes { get; init; } = new HashSet<int>();

    /// <summary>Gets a value indicating whether POST and other unsafe methods are retried on 5xx and transport failures (model calls have no side effects).</summary>
    public bool RetryUnsafeMethods { get; init; }

    /// <summary>Gets a check for responses that must never be retried although their status says so (a quota that will not reset soon).</summary>
    public Func<HttpResponseMessage, ValueTask<bool>>? IsPermanent { get; init; }
}

/// <summary>Registers the named <see cref="HttpClient"/> of one provider instance with CodeDoc's HTTP rules.</summary>
internal static class CodeDocHttpClients
{
    private static readonly int[] TransientStatusCodes = [408, 500, 502, 503, 504];

    /// <summary>
    /// Adds a named client: primary handler from <see cref="CodeDocHttpOptions"/> (proxy, extra trusted CA
    /// certificates), the options' outbound handlers, and one resilience pipeline (total timeout, retry, attempt
    /// timeout). <see cref="HttpClient.Timeout"/> is infinite: the pipeline owns time.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="clientName">The client's name, unique per provider instance.</param>
    /// <param name="httpOptions">Resolves the instance's HTTP options (usually from named options).</param>
    /// <param name="rules">What may be retried.</param>
    /// <returns>The client builder, for provider-specific handlers.</returns>
    public static IHttpClientBuilder AddCodeDocHttpClient(
        this IServiceCollection services,
        string clientName,
        Func<IServiceProvider, CodeDocHttpOptions> httpOptions,
        HttpRetryRules rules)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        ArgumentNullException.ThrowIfNull(httpOptions);
        ArgumentNullException.ThrowIfNull(rules);

        var builder = services.AddHttpClient(clientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => httpOptions(sp).CreatePrimaryHandler());

        builder.AddResilienceHandler("codedoc", (pipeline, context) =>
        {
            var options = httpOptions(context.ServiceProvider);
            pipeline.AddTimeout(options.TotalTimeout);
            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ShouldRetryAsync(args.Outcome, args.Context.GetRequestMessage(), rules, options.MaxRetryAfter),
                });
            }

            pipeline.AddTimeout(options.AttemptTimeout);
        });

        // Outbound handlers (egress rules, auditing) run inside the retry, once per attempt.
        services.TryAddSingleton<InsecureHttpWarnings>();
        builder.ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
        {
            var options = httpOptions(sp);
            if (options.AllowInsecureHttp)
            {
                handlers.Add(new InsecureHttpWarningHandler(clientName, sp.GetRequiredService<InsecureHttpWarnings>()));
            }

            foreach (var create in options.OutboundHandlers)
            {
                handlers.Add(create(sp));
            }
        });

        return builder;
    }

    /// <summary>Decides whether an attempt's outcome is retried.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <param name="request">The request that was sent.</param>
    /// <param name="rules">The provider's rules.</param>
    /// <param name="maxRetryAfter">The longest Retry-After worth waiting for.</param>
    /// <returns>Whether to retry.</returns>
    internal static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, HttpRetryRules rules, TimeSpan maxRetryAfter)
    {
        if (outcome.Exception is { } exception)
        {
            // The caller's cancellation is never retried; transport failures and attempt timeouts are, when safe.
            return exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                && (rules.RetryUnsafeMethods || IsSafe(request));
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        var status = (int)response.StatusCode;
        var rateLimited = response.StatusCode == HttpStatusCode.TooManyRequests;
        var transient = TransientStatusCodes.Contains(status) || rules.ExtraTransientStatusCodes.Contains(status);
        if (!rateLimited && !transient)
        {
            return false;
        }

        if (RetryAfter.From(response) is { } wait && wait > maxRetryAfter)
        {
            return false;
        }

        if (rules.IsPermanent is { } permanent && await permanent(response).ConfigureAwait(false))
        {
            return false;
        }

        return rateLimited || rules.RetryUnsafeMethods || IsSafe(request ?? response.RequestMessage);
    }

    // An unknown request counts as unsafe: never retry what might have been a write.
    private static bool IsSafe(HttpRequestMessage? request) =>
        request is not null && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options);
}
