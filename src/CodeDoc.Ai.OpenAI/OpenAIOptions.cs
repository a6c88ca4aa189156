using CodeDoc.Ai;
using CodeDoc.Core;

namespace CodeDoc.Ai.OpenAI;

/// <summary>Which OpenAI API a provider calls.</summary>
public enum OpenAIApi
{
    /// <summary>The Responses API (<c>/responses</c>), OpenAI's current API.</summary>
    Responses,

    /// <summary>The Chat Completions API (<c>/chat/completions</c>), which older deployments and every OpenAI-compatible server speak.</summary>
    ChatCompletions,
}

/// <summary>Options of an OpenAI provider (kind <c>openai</c>). Bound from e.g. <c>CodeDoc:Ai:openai</c>.</summary>
public sealed class OpenAIOptions
{
    /// <summary>Gets or sets the model, e.g. <c>gpt-6.1-terra</c>. Required.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the API base address; OpenAI's by default. HTTPS is required except for loopback addresses.</summary>
    public Uri? Endpoint { get; set; } = new("https://api.openai.com/v1/");

    /// <summary>Gets or sets the API key. A secret: never logged or printed. Required unless <see cref="ApiKeyProvider"/> is set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets a delegate that returns the current key for each request (a vault, a rotating key); wins over <see cref="ApiKey"/>. Not bindable.</summary>
    public Func<CancellationToken, ValueTask<string>>? ApiKeyProvider { get; set; }

    /// <summary>Gets or sets the organization id sent as <c>OpenAI-Organization</c>, when the key belongs to several.</summary>
    public string? Organization { get; set; }

    /// <summary>Gets or sets the project id sent as <c>OpenAI-Project</c>.</summary>
    public string? Project { get; set; }

    /// <summary>Gets or sets the API to call; Responses by default.</summary>
    public OpenAIApi Api { get; set; } = OpenAIApi.Responses;

    /// <summary>Gets or sets the output tokens every request allows (sent as <c>max_output_tokens</c> or <c>max_completion_tokens</c>).</summary>
    public int MaxOutputTokens { get; set; } = 8192;

    /// <summary>Gets or sets the model's context window in tokens; taken from the price data for known models when not set.</summary>
    public int? ContextWindowTokens { get; set; }

    /// <summary>Gets or sets the sampling temperature; not sent unless set (reasoning models reject it).</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the requests per minute of the account; shared by every instance with the same key. No limit when not set.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets the tokens per minute of the account; shared by every instance with the same key. No limit when not set.</summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets the HTTP options (proxy, extra CA certificates, timeouts, retries); model calls get 10 minutes per attempt by default.</summary>
    public CodeDocHttpOptions Http { get; } = AiHttpDefaults.Create();

    /// <inheritdoc />
    public override string ToString() => $"OpenAI {Model} ({Api}) at {(Endpoint is null ? "(no endpoint)" : EndpointRules.SafeDisplay(Endpoint))}";
}

/// <summary>Options of an Azure OpenAI provider (kind <c>azure-openai</c>), through the resource's v1 endpoint. Bound from e.g. <c>CodeDoc:Ai:azure</c>.</summary>
public sealed class AzureOpenAIOptions
{
    /// <summary>Gets or sets the resource's v1 endpoint, e.g. <c>https://my-resource.openai.azure.com/openai/v1/</c>. Required.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the deployment to call. Required.</summary>
    public string? Deployment { get; set; }

    /// <summary>Gets or sets the model behind the deployment (for prices and limits), e.g. <c>gpt-6.1-terra</c>; the deployment name when not set.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the resource's API key (sent as <c>api-key</c>). A secret. Required unless <see cref="TokenProvider"/> is set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets or sets a delegate that returns a Microsoft Entra ID bearer token for <c>https://cognitiveservices.azure.com/.default</c>
    /// (e.g. from Azure.Identity's <c>DefaultAzureCredential</c>); wins over <see cref="ApiKey"/>. Not bindable.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>Gets or sets the API to call; Chat Completions by default (every deployment type serves it).</summary>
    public OpenAIApi Api { get; set; } = OpenAIApi.ChatCompletions;

    /// <summary>Gets or sets the output tokens every request allows.</summary>
    public int MaxOutputTokens { get; set; } = 8192;

    /// <summary>Gets or sets the model's context window in tokens; taken from the price data for known models when not set.</summary>
    public int? ContextWindowTokens { get; set; }

    /// <summary>Gets or sets the sampling temperature; not sent unless set.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the requests per minute of the deployment; shared by every instance with the same key.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets the tokens per minute of the deployment; shared by every instance with the same key.</summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets the HTTP options (proxy, extra CA certificates, timeouts, retries).</summary>
    public CodeDocHttpOptions Http { get; } = AiHttpDefaults.Create();

    /// <inheritdoc />
    public override string ToString() => $"Azure OpenAI deployment {Deployment} at {(Endpoint is null ? "(no endpoint)" : EndpointRules.SafeDisplay(Endpoint))}";
}

/// <summary>
/// Options of a provider for any OpenAI-compatible server (kind <c>openai-compatible</c>): vLLM, LM Studio,
/// llama.cpp's server, Ollama's <c>/v1</c>, gateways. Chat Completions, key optional. Bound from e.g. <c>CodeDoc:Ai:local</c>.
/// </summary>
public sealed class OpenAICompatibleOptions
{
    /// <summary>Gets or sets the server's OpenAI base address, usually ending in <c>/v1/</c>, e.g. <c>http://localhost:8000/v1/</c>. Required.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the model name the server knows. Required.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the key, when the server wants one. A secret.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets a delegate that returns the current key for each request. Not bindable.</summary>
    public Func<CancellationToken, ValueTask<string>>? ApiKeyProvider { get; set; }

    /// <summary>
    /// Gets or sets the vendor name used to look up prices, e.g. <c>ollama</c> for free local models; costs are
    /// "unknown" for the default, never zero.
    /// </summary>
    public string Vendor { get; set; } = "openai-compatible";

    /// <summary>Gets or sets the output tokens every request allows (sent as <c>max_completion_tokens</c>).</summary>
    public int MaxOutputTokens { get; set; } = 8192;

    /// <summary>Gets or sets the context window the server runs the model with.</summary>
    public int ContextWindowTokens { get; set; } = 32_768;

    /// <summary>Gets or sets the sampling temperature; not sent unless set.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets the requests per minute the server takes.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets the tokens per minute the server takes.</summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets or sets a value indicating whether streamed chunks repeat the cumulative usage (Gemini's compatible endpoint and some gateways do); the last one is then kept instead of the sum.</summary>
    public bool StreamUsageIsCumulative { get; set; }

    /// <summary>Gets the HTTP options (proxy, extra CA certificates, timeouts, retries).</summary>
    public CodeDocHttpOptions Http { get; } = AiHttpDefaults.Create();

    /// <inheritdoc />
    public override string ToString() => $"OpenAI-compatible {Model} at {(Endpoint is null ? "(no endpoint)" : EndpointRules.SafeDisplay(Endpoint))}";
}
