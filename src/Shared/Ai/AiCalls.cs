using System.Text.Json;
using CodeDoc.Core;

namespace CodeDoc.Ai;

/// <summary>Runs vendor calls that are not chat calls (access probes) with the same error translation as <see cref="CodeDocChatClient"/>.</summary>
internal static class AiCalls
{
    /// <summary>Runs a call, translating its failures into the Core exceptions.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="adapter">The vendor's specifics.</param>
    /// <param name="context">Who calls.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">The caller's token; its cancellation passes through unchanged.</param>
    /// <returns>The result.</returns>
    public static async Task<T> RunAsync<T>(AiVendorAdapter adapter, AiErrorContext context, string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var capture = AiCallCapture.Begin();
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (ShouldTranslate(exception, cancellationToken))
        {
            throw Translate(exception, capture, adapter, context, operation);
        }
    }

    /// <summary>
    /// Tells whether an exception is translated: everything but the caller's own cancellation, argument errors and
    /// configuration errors (e.g. a host's egress rules refusing the request), which already say what to fix.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>Whether to translate.</returns>
    public static bool ShouldTranslate(Exception exception, CancellationToken cancellationToken) =>
        !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        && exception is not ArgumentException
        && exception is not CodeDocConfigurationException;

    /// <summary>Translates a failure: already-translated exceptions pass, then the vendor's rules, then HTTP status, then the failure's type.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="capture">What the HTTP layer saw.</param>
    /// <param name="adapter">The vendor's specifics.</param>
    /// <param name="context">Who failed.</param>
    /// <param name="operation">The operation.</param>
    /// <returns>The Core exception.</returns>
    public static AiProviderException Translate(Exception exception, AiCallCapture capture, AiVendorAdapter adapter, AiErrorContext context, string operation)
    {
        if (exception is AiProviderException translated)
        {
            return translated;
        }

        if (adapter.Translate(exception, capture, context, operation) is { } vendor)
        {
            return vendor;
        }

        if (capture.Status is { } status && (int)status >= 300)
        {
            return AiErrors.FromHttp(context, operation, (int)status, AiVendorError.Parse(capture.ErrorBody), capture.RetryAfter, capture.RequestUri, adapter.ErrorRules, exception);
        }

        return Unrecognized(context, operation, exception, capture.RequestUri);
    }

    /// <summary>Translates failures that carry no HTTP error status: transport, timeouts, broken or unreadable responses.</summary>
    /// <param name="context">Who failed.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="exception">The failure.</param>
    /// <param name="requestUri">The request URI, if known.</param>
    /// <returns>The Core exception.</returns>
    public static AiProviderException Unrecognized(AiErrorContext context, string operation, Exception exception, Uri? requestUri) => exception switch
    {
        HttpRequestException { StatusCode: { } status } =>
            AiErrors.FromHttp(context, operation, (int)status, null, null, requestUri, AiErrorRules.Default, exception),
        HttpRequestException or IOException =>
            AiErrors.Other(context, operation, AiFailureKind.Unavailable, $"the connection failed ({exception.Message})", requestUri, exception),
        OperationCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException =>
            AiErrors.Other(context, operation, AiFailureKind.Unavailable, "the request timed out (raise Http:AttemptTimeout and Http:TotalTimeout for long generations)", requestUri, exception),
        _ when exception.InnerException is HttpRequestException or IOException or TimeoutException or OperationCanceledException =>
            Unrecognized(context, operation, exception.InnerException, requestUri),
        JsonException or FormatException or InvalidDataException =>
            AiErrors.Other(context, operation, AiFailureKind.InvalidResponse, exception.Message, requestUri, exception),
        _ => AiErrors.Other(context, operation, AiFailureKind.InvalidResponse, $"{exception.GetType().Name}: {exception.Message}", requestUri, exception),
    };
}
