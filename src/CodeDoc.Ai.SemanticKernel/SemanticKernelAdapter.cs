using CodeDoc.Core;
using Microsoft.SemanticKernel;

namespace CodeDoc.Ai.SemanticKernel;

/// <summary>
/// Semantic Kernel's specifics: connectors wrap HTTP failures in <see cref="HttpOperationException"/> with the status
/// and the body. When the connector runs over CodeDoc's HTTP client the response was captured (with
/// <c>Retry-After</c>) and the shared rules apply; otherwise the exception's own status and body are read.
/// </summary>
internal sealed class SemanticKernelAdapter : AiVendorAdapter
{
    public override AiProviderException? Translate(Exception exception, AiCallCapture capture, AiErrorContext context, string operation)
    {
        ArgumentNullException.ThrowIfNull(capture);
        if (capture.Status is not null)
        {
            return null;
        }

        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpOperationException { StatusCode: { } status } failed && (int)status >= 400)
            {
                return AiErrors.FromHttp(context, operation, (int)status, AiVendorError.Parse(failed.ResponseContent), null, null, ErrorRules, exception);
            }
        }

        return null;
    }
}
