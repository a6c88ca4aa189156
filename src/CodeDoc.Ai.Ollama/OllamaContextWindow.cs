using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CodeDoc.Core;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OllamaSharp.Models;

namespace CodeDoc.Ai.Ollama;

/// <summary>
/// The context window one Ollama instance runs its model with: the configured one, or the model's own context length
/// asked from <c>/api/show</c> once, on first contact (never at start, so a server that is down does not break start-up).
/// </summary>
internal sealed class OllamaContextWindow
{
    /// <summary>What <see cref="AiProviderMetadata.ContextWindowTokens"/> reports before the server was asked.</summary>
    public const int Fallback = 32_768;

    private readonly IOllamaApiClient _client;
    private readonly string _model;
    private int _resolved;

    /// <summary>Initializes a new instance of the <see cref="OllamaContextWindow"/> class.</summary>
    /// <param name="configured">The configured window, or <see langword="null"/> to ask the server.</param>
    /// <param name="client">The Ollama client.</param>
    /// <param name="model">The model.</param>
    public OllamaContextWindow(int? configured, IOllamaApiClient client, string model)
    {
        _resolved = configured ?? 0;
        _client = client;
        _model = model;
    }

    /// <summary>Gets the window: resolved, or <see cref="Fallback"/> until the server was asked.</summary>
    public int Current => Volatile.Read(ref _resolved) is > 0 and var resolved ? resolved : Fallback;

    /// <summary>Gets the window, asking the server the first time when none is configured.</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The window in tokens.</returns>
    public async ValueTask<int> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _resolved) is > 0 and var known)
        {
            return known;
        }

        // Concurrent first calls may both ask; the answer is the same.
        var shown = await _client.ShowModelAsync(new ShowModelRequest { Model = _model }, cancellationToken).ConfigureAwait(false);
        var length = ContextLength(shown) ?? throw new InvalidDataException(
            $"the server did not report the context length of model '{_model}' in /api/show; set ContextWindowTokens to the window to run it with");
        Volatile.Write(ref _resolved, length);
        return length;
    }

    /// <summary>Reads <c>&lt;architecture&gt;.context_length</c> from a model's details.</summary>
    /// <param name="shown">The <c>/api/show</c> answer.</param>
    /// <returns>The context length, when reported.</returns>
    internal static int? ContextLength(ShowModelResponse shown)
    {
        if (shown.Info?.ExtraInfo is not { } info)
        {
            return null;
        }

        foreach (var (key, value) in info)
        {
            if (!key.EndsWith(".context_length", StringComparison.Ordinal))
            {
                continue;
            }

            var number = value switch
            {
                JsonElement { ValueKind: JsonValueKind.Number } element when element.TryGetInt64(out var n) => n,
                long n => n,
                int n => n,
                double d when d is > 0 and < long.MaxValue => (long)d,
                _ => 0L,
            };
            if (number > 0)
            {
                return (int)Math.Min(number, int.MaxValue);
            }
        }

        return null;
    }
}

/// <summary>
/// Sits between <see cref="CodeDocChatClient"/> and OllamaSharp: sets <c>num_ctx</c> on every request (Ollama's
/// default window is small and it cuts longer prompts silently) and refuses a prompt that cannot fit before it is sent.
/// </summary>
/// <param name="inner">OllamaSharp's client.</param>
/// <param name="window">The instance's context window.</param>
/// <param name="context">Who this is, for errors.</param>
internal sealed class OllamaContextChatClient(IChatClient inner, OllamaContextWindow window, AiErrorContext context) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prepared = await PrepareAsync(messages, options, "GetResponse", cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(messages, prepared, cancellationToken).ConfigureAwait(false);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prepared = await PrepareAsync(messages, options, "GetStreamingResponse", cancellationToken).ConfigureAwait(false);
        await foreach (var update in base.GetStreamingResponseAsync(messages, prepared, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private async Task<ChatOptions> PrepareAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string operation, CancellationToken cancellationToken)
    {
        var tokens = await window.GetAsync(cancellationToken).ConfigureAwait(false);
        var prepared = options?.Clone() ?? new ChatOptions();
        prepared.AddOllamaOption(OllamaOption.NumCtx, tokens);

        var estimate = AiUsageMath.Estimate(messages, prepared);
        var reserved = prepared.MaxOutputTokens ?? 0;
        if (estimate + reserved > tokens)
        {
            throw AiErrors.ContextTooLong(
                context,
                operation,
                estimate,
                tokens - reserved,
                $"CodeDoc estimated the prompt at {estimate.ToString("N0", CultureInfo.InvariantCulture)} tokens and did not send it, because the window of {tokens.ToString("N0", CultureInfo.InvariantCulture)} tokens " +
                $"less the {reserved.ToString("N0", CultureInfo.InvariantCulture)} reserved for the answer cannot hold it and Ollama would cut its beginning silently. " +
                $"Raise {AiProviderRegistration.Field(context.ConfigurationPath, "ContextWindowTokens")} if the model and the machine allow, or lower {AiProviderRegistration.Field(context.ConfigurationPath, "MaxOutputTokens")}.");
        }

        return prepared;
    }
}
