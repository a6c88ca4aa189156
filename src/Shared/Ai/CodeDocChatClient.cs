using System.Runtime.CompilerServices;
using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Ai;

/// <summary>The settings every model call of an instance gets unless the caller sets them.</summary>
/// <param name="ModelId">The model.</param>
/// <param name="MaxOutputTokens">The output limit, always sent (some SDK defaults truncate pages).</param>
/// <param name="Temperature">The temperature, sent only when configured.</param>
internal sealed record AiCallDefaults(string ModelId, int MaxOutputTokens, float? Temperature);

/// <summary>
/// The layer every vendor's SDK client sits under: applies the defaults, waits for the account's rate limits,
/// translates every failure into the Core exceptions (letting the caller's cancellation through), normalizes usage,
/// reports streamed usage exactly once and refuses a stream that ends before the vendor's end signal.
/// </summary>
internal sealed partial class CodeDocChatClient : DelegatingChatClient
{
    private const string ResponseOperation = "GetResponse";
    private const string StreamingOperation = "GetStreamingResponse";

    private readonly AiVendorAdapter _adapter;
    private readonly AiCallDefaults _defaults;
    private readonly AiErrorContext _context;
    private readonly AiAccountRateLimiter? _limiter;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="CodeDocChatClient"/> class.</summary>
    /// <param name="inner">The vendor SDK's client.</param>
    /// <param name="adapter">The vendor's specifics.</param>
    /// <param name="defaults">The call defaults.</param>
    /// <param name="context">Who this is, for errors.</param>
    /// <param name="limiter">The account's limiter, or <see langword="null"/>.</param>
    /// <param name="logger">The logger.</param>
    public CodeDocChatClient(IChatClient inner, AiVendorAdapter adapter, AiCallDefaults defaults, AiErrorContext context, AiAccountRateLimiter? limiter, ILogger logger)
        : base(inner)
    {
        _adapter = adapter;
        _defaults = defaults;
        _context = context;
        _limiter = limiter;
        _logger = logger;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var callOptions = PrepareOptions(options);
        var callMessages = _adapter.Prepare(messages, callOptions).ToList();
        var estimate = AiUsageMath.Estimate(callMessages, callOptions);
        if (_limiter is not null)
        {
            await _limiter.AcquireAsync(estimate, cancellationToken).ConfigureAwait(false);
        }

        var capture = AiCallCapture.Begin();
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(callMessages, callOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (AiCalls.ShouldTranslate(exception, cancellationToken))
        {
            throw Translate(exception, capture, ResponseOperation);
        }

        if (response.Usage is { } usage)
        {
            response.Usage = _adapter.NormalizeUsage(usage, response.RawRepresentation);
        }

        _adapter.Inspect(response.Usage, response.FinishReason, estimate, _context, ResponseOperation);
        _limiter?.Settle(estimate, AiUsageMath.From(response.Usage).TotalTokens);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var callOptions = PrepareOptions(options);
        var callMessages = _adapter.Prepare(messages, callOptions).ToList();
        var estimate = AiUsageMath.Estimate(callMessages, callOptions);
        if (_limiter is not null)
        {
            await _limiter.AcquireAsync(estimate, cancellationToken).ConfigureAwait(false);
        }

        var capture = AiCallCapture.Begin();
        var usages = new List<UsageDetails>();
        var final = false;
        ChatFinishReason? finishReason = null;
        string? responseId = null;
        var updates = base.GetStreamingResponseAsync(callMessages, callOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    AiCallCapture.Resume(capture);
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = updates.Current;
                }
                catch (Exception exception) when (AiCalls.ShouldTranslate(exception, cancellationToken))
                {
                    throw Translate(exception, capture, StreamingOperation);
                }

                final |= _adapter.IsFinal(update);
                finishReason = update.FinishReason ?? finishReason;
                responseId ??= update.ResponseId;
                for (var i = update.Contents.Count - 1; i >= 0; i--)
                {
                    if (update.Contents[i] is UsageContent usageContent)
                    {
                        usages.Add(_adapter.NormalizeUsage(usageContent.Details, update.RawRepresentation));
                        update.Contents.RemoveAt(i);
                    }
                }

                yield return update;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }

        if (!final)
        {
            Log.StreamCutShort(_logger, _context.ProviderName);
            throw AiErrors.Other(_context, StreamingOperation, AiFailureKind.Unavailable, "the stream ended before the model finished its answer (the connection was closed early)", capture.RequestUri, null);
        }

        var total = Merge(usages);
        _adapter.Inspect(total, finishReason, estimate, _context, StreamingOperation);
        _limiter?.Settle(estimate, AiUsageMath.From(total).TotalTokens);
        if (total is not null)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(total)]) { ResponseId = responseId };
        }
    }

    private UsageDetails? Merge(List<UsageDetails> usages)
    {
        if (usages.Count == 0)
        {
            return null;
        }

        if (_adapter.StreamUsageIsCumulative)
        {
            return usages[^1];
        }

        var total = new UsageDetails();
        foreach (var usage in usages)
        {
            total.Add(usage);
        }

        return total;
    }

    private ChatOptions PrepareOptions(ChatOptions? options)
    {
        var prepared = options?.Clone() ?? new ChatOptions();
        prepared.ModelId ??= _defaults.ModelId;
        prepared.MaxOutputTokens ??= _defaults.MaxOutputTokens;
        if (_defaults.Temperature is { } temperature && _adapter.SendsTemperature)
        {
            prepared.Temperature ??= temperature;
        }

        return prepared;
    }

    private AiProviderException Translate(Exception exception, AiCallCapture capture, string operation)
    {
        var translated = AiCalls.Translate(exception, capture, _adapter, _context, operation);
        Log.CallFailed(_logger, _context.ProviderName, operation, translated.GetType().Name, (int?)translated.StatusCode);
        return translated;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "AI provider '{Provider}': {Operation} failed with {Failure} (HTTP {Status}).")]
        public static partial void CallFailed(ILogger logger, string provider, string operation, string failure, int? status);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "AI provider '{Provider}': the stream ended before the vendor's end signal; the answer is incomplete.")]
        public static partial void StreamCutShort(ILogger logger, string provider);
    }
}
