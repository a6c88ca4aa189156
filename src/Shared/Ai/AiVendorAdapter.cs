using CodeDoc.Core;
using Microsoft.Extensions.AI;

namespace CodeDoc.Ai;

/// <summary>
/// What differs between vendors around a model call: how SDK exceptions and responses look, how usage is counted
/// and how a stream ends. <see cref="CodeDocChatClient"/> does the rest the same way for every vendor.
/// </summary>
internal abstract class AiVendorAdapter
{
    /// <summary>Gets the vendor's quirks for error classification.</summary>
    public virtual AiErrorRules ErrorRules => AiErrorRules.Default;

    /// <summary>Gets a value indicating whether the vendor repeats cumulative usage in streamed chunks (keep the last) rather than sending parts (sum them).</summary>
    public virtual bool StreamUsageIsCumulative => false;

    /// <summary>Gets a value indicating whether a configured temperature is sent (some SDKs drop it or models reject it).</summary>
    public virtual bool SendsTemperature => true;

    /// <summary>Translates a vendor-specific exception the generic rules do not understand.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="capture">What the HTTP layer saw.</param>
    /// <param name="context">Who failed.</param>
    /// <param name="operation">The operation.</param>
    /// <returns>The Core exception, or <see langword="null"/> to apply the generic rules.</returns>
    public virtual AiProviderException? Translate(Exception exception, AiCallCapture capture, AiErrorContext context, string operation) => null;

    /// <summary>Rewrites a vendor's usage into the normalized form (see <see cref="AiUsageMath"/>).</summary>
    /// <param name="usage">The usage the SDK reported.</param>
    /// <param name="rawRepresentation">The SDK's raw response or update, for counts the SDK does not map.</param>
    /// <returns>The normalized usage.</returns>
    public virtual UsageDetails NormalizeUsage(UsageDetails usage, object? rawRepresentation) => usage;

    /// <summary>Tells whether a streamed update is the vendor's end-of-response signal.</summary>
    /// <param name="update">The update.</param>
    /// <returns>Whether the response is complete.</returns>
    public virtual bool IsFinal(ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.FinishReason is not null || update.Contents.Any(c => c is UsageContent);
    }

    /// <summary>Adds vendor-specific request settings (context size, cache markers) to a call's options.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The call's options, already a private copy with CodeDoc's defaults applied.</param>
    /// <returns>The messages to send (a new list when they were changed).</returns>
    public virtual IEnumerable<ChatMessage> Prepare(IEnumerable<ChatMessage> messages, ChatOptions options) => messages;

    /// <summary>Checks a finished response for silent failures the vendor does not report as errors; throws when one happened.</summary>
    /// <param name="usage">The normalized usage.</param>
    /// <param name="finishReason">The finish reason.</param>
    /// <param name="estimatedPromptTokens">CodeDoc's estimate of the prompt.</param>
    /// <param name="context">Who answered.</param>
    /// <param name="operation">The operation.</param>
    public virtual void Inspect(UsageDetails? usage, ChatFinishReason? finishReason, long estimatedPromptTokens, AiErrorContext context, string operation)
    {
    }
}
