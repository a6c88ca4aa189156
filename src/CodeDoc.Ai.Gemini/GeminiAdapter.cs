using CodeDoc.Core;
using Microsoft.Extensions.AI;

namespace CodeDoc.Ai.Gemini;

/// <summary>
/// Gemini's specifics: the stream's usage is cumulative and reported once by <see cref="GeminiChatClient"/>, only a
/// finish reason proves a stream complete (usage arrives with every event), and errors can arrive as stream events
/// after HTTP 200. Bad keys (400 <c>API_KEY_INVALID</c>) and daily quotas (429 <c>RESOURCE_EXHAUSTED</c> naming a
/// per-day quota) are classified by the shared rules from the error body.
/// </summary>
internal sealed class GeminiAdapter : AiVendorAdapter
{
    public override bool StreamUsageIsCumulative => true;

    public override bool IsFinal(ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.FinishReason is not null;
    }

    public override AiProviderException? Translate(Exception exception, AiCallCapture capture, AiErrorContext context, string operation)
    {
        ArgumentNullException.ThrowIfNull(capture);
        if (exception is not GeminiStreamException streamError)
        {
            return null;
        }

        var error = AiVendorError.Parse(streamError.Body);
        return AiErrors.FromHttp(context, operation, streamError.Status, error, error?.RetryDelay, capture.RequestUri, ErrorRules, exception);
    }
}
