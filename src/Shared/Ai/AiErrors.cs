using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CodeDoc.Core;

namespace CodeDoc.Ai;

/// <summary>What kind of failure a model call met, vendor-neutral.</summary>
internal enum AiFailureKind
{
    /// <summary>The key was rejected or lacks a permission.</summary>
    Authentication,

    /// <summary>The model (or another named thing) does not exist for this key.</summary>
    NotFound,

    /// <summary>Too many requests or tokens for now.</summary>
    RateLimited,

    /// <summary>A quota or spending limit is exhausted; retrying will not help.</summary>
    QuotaExceeded,

    /// <summary>The prompt does not fit the model.</summary>
    ContextTooLong,

    /// <summary>Overloaded, 5xx, unreachable, timed out, or the response broke off.</summary>
    Unavailable,

    /// <summary>The vendor refused the request as malformed or unsupported.</summary>
    InvalidRequest,

    /// <summary>The response could not be read.</summary>
    InvalidResponse,
}

/// <summary>Vendor quirks the classification needs.</summary>
internal sealed record AiErrorRules
{
    /// <summary>Gets the common rules.</summary>
    public static AiErrorRules Default { get; } = new();

    /// <summary>
    /// Gets a value indicating whether a 429 without <c>Retry-After</c> means a spending cap rather than a rate
    /// (Anthropic answers a reached monthly cap that way).
    /// </summary>
    public bool RateLimitWithoutRetryAfterIsQuota { get; init; }
}

/// <summary>Who failed and where, for messages and exception context.</summary>
/// <param name="ProviderName">The registration name.</param>
/// <param name="VendorDisplayName">The vendor as users know it, e.g. <c>OpenAI</c>.</param>
/// <param name="ModelId">The model.</param>
/// <param name="ConfigurationPath">Where the instance's options live, e.g. <c>CodeDoc:Ai:docs</c>.</param>
/// <param name="Endpoint">The endpoint, for transport failures.</param>
/// <param name="Credential">The key, so messages can be scrubbed of it.</param>
internal sealed record AiErrorContext(string ProviderName, string VendorDisplayName, string ModelId, string ConfigurationPath, Uri? Endpoint, AiCredential Credential);

/// <summary>Classifies vendor failures and builds the Core exceptions, with messages that say what to do and never hold a key.</summary>
internal static partial class AiErrors
{
    /// <summary>Classifies an HTTP error.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="error">The parsed error body, if any.</param>
    /// <param name="retryAfter">The wait the response asked for, if any.</param>
    /// <param name="rules">Vendor quirks.</param>
    /// <returns>The kind.</returns>
    public static AiFailureKind Classify(int status, AiVendorError? error, TimeSpan? retryAfter, AiErrorRules rules)
    {
        var code = error?.Code;
        var type = error?.Type;
        if (Is(code, "insufficient_quota") || Is(type, "insufficient_quota") || Is(type, "billing_error") || status == 402)
        {
            return AiFailureKind.QuotaExceeded;
        }

        if (Is(error?.Reason, "API_KEY_INVALID") || Is(code, "invalid_api_key") || status is 401 or 403 ||
            Is(type, "authentication_error") || Is(type, "permission_error") || Is(error?.Status, "UNAUTHENTICATED") || Is(error?.Status, "PERMISSION_DENIED"))
        {
            return AiFailureKind.Authentication;
        }

        if (IsContextTooLong(status, error))
        {
            return AiFailureKind.ContextTooLong;
        }

        if (status == 404 || Is(code, "model_not_found") || Is(type, "not_found_error") || Is(error?.Status, "NOT_FOUND"))
        {
            return AiFailureKind.NotFound;
        }

        if (status == 429 || Is(error?.Status, "RESOURCE_EXHAUSTED") || Is(type, "rate_limit_error"))
        {
            if (error?.DailyQuota == true || (rules.RateLimitWithoutRetryAfterIsQuota && retryAfter is null && error?.RetryDelay is null))
            {
                return AiFailureKind.QuotaExceeded;
            }

            return AiFailureKind.RateLimited;
        }

        if (status >= 500 || status is 408 or 529 || Is(type, "overloaded_error") || Is(type, "api_error") || Is(error?.Status, "UNAVAILABLE"))
        {
            return AiFailureKind.Unavailable;
        }

        return AiFailureKind.InvalidRequest;
    }

    /// <summary>Reads the prompt size and the limit from a context-length error, when the vendor said.</summary>
    /// <param name="message">The vendor's message.</param>
    /// <returns>The prompt tokens and the limit.</returns>
    public static (long? PromptTokens, long? Limit) ContextNumbers(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return (null, null);
        }

        // Anthropic: "prompt is too long: 208310 tokens > 200000 maximum".
        if (AnthropicContext().Match(message) is { Success: true } anthropic)
        {
            return (Number(anthropic.Groups[1].Value), Number(anthropic.Groups[2].Value));
        }

        // OpenAI: "maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens".
        if (OpenAIContext().Match(message) is { Success: true } openAI)
        {
            return (Number(openAI.Groups[2].Value), Number(openAI.Groups[1].Value));
        }

        // Gemini: "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."
        if (GeminiContext().Match(message) is { Success: true } gemini)
        {
            return (Number(gemini.Groups[1].Value), Number(gemini.Groups[2].Value));
        }

        return (null, null);
    }

    /// <summary>Builds the exception for an HTTP error of a model call.</summary>
    /// <param name="context">Who failed.</param>
    /// <param name="operation">The operation, e.g. <c>GetResponse</c>.</param>
    /// <param name="status">The status.</param>
    /// <param name="error">The parsed error body.</param>
    /// <param name="retryAfter">The wait the response asked for.</param>
    /// <param name="requestUri">The request URI.</param>
    /// <param name="rules">Vendor quirks.</param>
    /// <param name="inner">The SDK's exception.</param>
    /// <returns>The exception to throw.</returns>
    public static AiProviderException FromHttp(
        AiErrorContext context, string operation, int status, AiVendorError? error, TimeSpan? retryAfter, Uri? requestUri, AiErrorRules rules, Exception? inner)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = Classify(status, error, retryAfter, rules);
        var said = error?.Message is { Length: > 0 } vendorMessage ? $" ({Trim(context.Credential.Scrub(vendorMessage))})" : string.Empty;
        var wait = retryAfter ?? error?.RetryDelay;
        var path = context.ConfigurationPath;
        var who = $"{context.VendorDisplayName} (AI provider '{context.ProviderName}')";
        var message = kind switch
        {
            AiFailureKind.Authentication =>
                $"{who} rejected the credentials with HTTP {status}{said}. Check {path}:ApiKey: the key may be wrong, revoked, for another organization or project, or not allowed to use model '{context.ModelId}'.",
            AiFailureKind.NotFound =>
                $"{who} does not know model '{context.ModelId}', or this key may not use it (HTTP {status}{said}). Check {path}:Model against the models your account can use.",
            AiFailureKind.RateLimited =>
                $"{who} rate-limited the request with HTTP {status}{said}{(wait is { } w ? $"; it asked to wait {Describe(w)}" : string.Empty)}. " +
                $"Lower {path}:RequestsPerMinute or {path}:TokensPerMinute to stay under the account's limits, or retry later.",
            AiFailureKind.QuotaExceeded =>
                $"{who} refused the request because a quota or spending limit is exhausted (HTTP {status}{said}). Retrying will not help: add credits or raise the limit in the vendor's console, or wait until the quota resets.",
            AiFailureKind.ContextTooLong =>
                ContextMessage(who, context.ModelId, ContextNumbers(error?.Message), status, said),
            AiFailureKind.Unavailable =>
                $"{who} is overloaded or unavailable (HTTP {status}{said}) and did not recover within the retries. Try again later.",
            _ when status is >= 300 and < 400 =>
                $"{who} answered with a redirect (HTTP {status}), which is not followed so the key is never sent to another address. Set {path}:Endpoint to the API address the vendor documents.",
            _ =>
                $"{who} rejected the request with HTTP {status}{said}. Check the options under {path} (model, maximum output tokens, temperature).",
        };

        return Create(kind, message, context, operation, (HttpStatusCode)status, requestUri, wait, ContextNumbers(error?.Message), inner);
    }

    /// <summary>Builds the exception for a failure without an HTTP error status (transport, timeout, broken or unreadable response).</summary>
    /// <param name="context">Who failed.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="kind">The kind: <see cref="AiFailureKind.Unavailable"/> or <see cref="AiFailureKind.InvalidResponse"/>.</param>
    /// <param name="what">What happened, e.g. "the connection was reset".</param>
    /// <param name="requestUri">The request URI, if known.</param>
    /// <param name="inner">The underlying exception.</param>
    /// <returns>The exception to throw.</returns>
    public static AiProviderException Other(AiErrorContext context, string operation, AiFailureKind kind, string what, Uri? requestUri, Exception? inner)
    {
        ArgumentNullException.ThrowIfNull(context);
        var who = $"{context.VendorDisplayName} (AI provider '{context.ProviderName}')";
        var where = context.Endpoint is { } endpoint ? $" at {EndpointRules.SafeDisplay(endpoint)}" : string.Empty;
        var message = kind == AiFailureKind.InvalidResponse
            ? $"{who}{where} sent a response that could not be read: {context.Credential.Scrub(what)}. The answer is not used; try again, and check the endpoint speaks this vendor's API."
            : $"{who}{where} could not be used: {context.Credential.Scrub(what)}. Try again later; if it persists, check {context.ConfigurationPath}:Endpoint, the network and the proxy settings under {context.ConfigurationPath}:Http.";
        return Create(kind, message, context, operation, null, requestUri, null, (null, null), inner);
    }

    /// <summary>Builds the exception for a prompt that did not fit, detected by CodeDoc rather than reported by the vendor.</summary>
    /// <param name="context">Who failed.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="promptTokens">The prompt size.</param>
    /// <param name="limit">The context window.</param>
    /// <param name="detail">How it was detected.</param>
    /// <returns>The exception to throw.</returns>
    public static AiProviderContextTooLongException ContextTooLong(AiErrorContext context, string operation, long? promptTokens, long? limit, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        var who = $"{context.VendorDisplayName} (AI provider '{context.ProviderName}')";
        return new AiProviderContextTooLongException(
            $"{ContextMessage(who, context.ModelId, (promptTokens, limit), null, string.Empty)} {detail}",
            promptTokens,
            limit)
        {
            ProviderName = context.ProviderName,
            OperationName = operation,
        };
    }

    private static AiProviderException Create(
        AiFailureKind kind, string message, AiErrorContext context, string operation, HttpStatusCode? status, Uri? requestUri, TimeSpan? wait, (long? Prompt, long? Limit) numbers, Exception? inner)
    {
        // An SDK exception whose text echoes the key is left out rather than passed on.
        if (inner is not null && context.Credential.Occurs(inner.ToString()))
        {
            inner = null;
        }

        message = context.Credential.Scrub(message);
        var name = context.ProviderName;
        return kind switch
        {
            AiFailureKind.Authentication => new AiProviderAuthenticationException(message, inner) { ProviderName = name, OperationName = operation, StatusCode = status, RequestUri = requestUri },
            AiFailureKind.NotFound => new AiProviderNotFoundException(message, inner) { ProviderName = name, OperationName = operation, StatusCode = status, RequestUri = requestUri },
            AiFailureKind.RateLimited => new AiProviderRateLimitedException(message, wait, inner) { ProviderName = name, OperationName = operation, StatusCode = status, RequestUri = requestUri },
            AiFailureKind.QuotaExceeded => new AiProviderQuotaExceededException(message, inner) { ProviderName = name, OperationName = operation, StatusCode = status, RequestUri = requestUri },
            AiFailureKind.ContextTooLong => new AiProviderContextTooLongException(message, numbers.Prompt, numbers.Limit, inner) { ProviderName = name, OperationName = operation, StatusCode = status, RequestUri = requestUri },
            AiFailureKind.Unavailable => new AiProviderUnavailableException(message, inner) { ProviderName = name, OperationName = operation, StatusCode = status, RequestUri = requestUri },
            _ => new AiProviderException(message, inner) { ProviderName = name, OperationName = operation, StatusCode = status, RequestUri = requestUri },
        };
    }

    private static string ContextMessage(string who, string model, (long? Prompt, long? Limit) numbers, int? status, string said)
    {
        var size = numbers switch
        {
            ({ } prompt, { } limit) => $" ({prompt.ToString("N0", CultureInfo.InvariantCulture)} tokens; the model takes {limit.ToString("N0", CultureInfo.InvariantCulture)})",
            (null, { } limit) => $" (the model takes {limit.ToString("N0", CultureInfo.InvariantCulture)} tokens)",
            _ => string.Empty,
        };
        var http = status is { } code ? $" HTTP {code}{said}." : string.Empty;
        return $"{who}: the prompt does not fit model '{model}'{size}.{http} Split the input into smaller requests or choose a model with a larger context window.";
    }

    private static string Describe(TimeSpan wait) =>
        wait.TotalSeconds < 120 ? $"{Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s" : $"{Math.Ceiling(wait.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min";

    private static string Trim(string text) => text.Length > 500 ? text[..500] + "..." : text;

    private static bool IsContextTooLong(int status, AiVendorError? error)
    {
        if (status == 413 || Is(error?.Code, "context_length_exceeded") || Is(error?.Type, "request_too_large"))
        {
            return true;
        }

        var message = error?.Message;
        return status == 400 && message is not null &&
            (message.Contains("prompt is too long", StringComparison.OrdinalIgnoreCase) ||
             message.Contains("maximum context length", StringComparison.OrdinalIgnoreCase) ||
             GeminiContext().IsMatch(message));
    }

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static long? Number(string digits) => long.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    [GeneratedRegex(@"prompt is too long:\s*(\d+)\s*tokens\s*>\s*(\d+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AnthropicContext();

    [GeneratedRegex(@"maximum context length is\s*(\d+)\s*tokens.*?(\d+)\s*tokens", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex OpenAIContext();

    [GeneratedRegex(@"input token count\s*\((\d+)\)\s*exceeds the maximum number of tokens allowed\s*\((\d+)\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex GeminiContext();
}
