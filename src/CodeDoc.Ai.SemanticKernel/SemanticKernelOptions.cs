using CodeDoc.Ai;
using CodeDoc.Core;

namespace CodeDoc.Ai.SemanticKernel;

/// <summary>
/// Options of a provider over a host's Semantic Kernel service (kind <c>semantic-kernel</c>). The connector, its
/// model and its key belong to the host's kernel; these options describe the model to CodeDoc and set the limits
/// CodeDoc applies around it. Bindable from e.g. <c>CodeDoc:Ai:sk</c>.
/// </summary>
public sealed class SemanticKernelOptions
{
    /// <summary>Gets or sets the model, for metadata and prices; the service's own model id when not set.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// Gets or sets the vendor behind the connector as the price data names it (<c>openai</c>, <c>anthropic</c>,
    /// <c>google</c>, <c>ollama</c>); costs are "unknown", never zero, for the default.
    /// </summary>
    public string Vendor { get; set; } = SemanticKernelProvider.Kind;

    /// <summary>Gets or sets the kernel service to use (its service id), when the kernel holds several chat services.</summary>
    public string? ServiceId { get; set; }

    /// <summary>Gets or sets the output tokens every request allows.</summary>
    public int MaxOutputTokens { get; set; } = 8192;

    /// <summary>Gets or sets the model's context window in tokens; taken from the price data for known models when not set, else 32,768.</summary>
    public int? ContextWindowTokens { get; set; }

    /// <summary>Gets or sets the sampling temperature; not sent unless set.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the requests per minute of the account behind the connector; no limit when not set.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets the tokens per minute of the account behind the connector; no limit when not set.</summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>
    /// Gets the options of the HTTP client CodeDoc hands to the kernel factory (proxy, extra CA certificates, timeouts,
    /// retries). They apply when the host passes that client to its connector.
    /// </summary>
    public CodeDocHttpOptions Http { get; } = AiHttpDefaults.Create();

    /// <inheritdoc />
    public override string ToString() => $"Semantic Kernel service{(ServiceId is null ? string.Empty : $" '{ServiceId}'")} ({Vendor} {Model ?? "model from the service"})";
}
