using System.Text;
using CodeDoc.Core;
using Microsoft.Extensions.AI;

namespace CodeDoc.Pipeline;

/// <summary>A model answer: the text (continued across output limits) and whether it is still cut off.</summary>
/// <param name="Text">The text.</param>
/// <param name="Truncated">Whether the output limit cut it even after continuing.</param>
/// <param name="Usage">The usage of the requests behind it.</param>
internal sealed record ModelAnswer(string Text, bool Truncated, AiUsage Usage);

/// <summary>
/// Every model request of one run goes through here: it bounds the requests in flight, counts usage per stage and
/// enforces the run's token and cost budget before each request (counting the prompt and the most it may answer),
/// so a run stops before crossing its budget rather than after. Reaching the budget cancels <see cref="BudgetToken"/>.
/// </summary>
internal sealed class ModelSession : IDisposable
{
    /// <summary>How many times an answer cut off at the output limit is continued.</summary>
    public const int MaxContinuations = 2;

    private readonly IAiProvider _ai;
    private readonly ModelPrice? _price;
    private readonly ITokenCounter _tokens;
    private readonly long? _maxTokens;
    private readonly decimal? _maxCost;
    private readonly SemaphoreSlim _gate;
    private readonly CancellationTokenSource _budget = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<RunStage, AiUsage> _usage = [];
    private long _reservedTokens;
    private decimal _reservedCost;

    /// <summary>Initializes a new instance of the <see cref="ModelSession"/> class.</summary>
    /// <param name="ai">The model.</param>
    /// <param name="price">Its prices, when known (a cost budget needs them).</param>
    /// <param name="tokens">Counts prompt tokens for the budget check.</param>
    /// <param name="maxTokens">The token budget (input plus output), if any.</param>
    /// <param name="maxCost">The cost budget in USD, if any.</param>
    /// <param name="maxConcurrency">The most requests in flight.</param>
    public ModelSession(IAiProvider ai, ModelPrice? price, ITokenCounter tokens, long? maxTokens, decimal? maxCost, int maxConcurrency)
    {
        _ai = ai;
        _price = price;
        _tokens = tokens;
        _maxTokens = maxTokens;
        _maxCost = maxCost;
        _gate = new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    /// <summary>Gets a token cancelled when the budget is reached.</summary>
    public CancellationToken BudgetToken => _budget.Token;

    /// <summary>Gets a value indicating whether the budget stopped a request.</summary>
    public bool BudgetReached => _budget.IsCancellationRequested;

    /// <summary>Gets the usage by stage so far.</summary>
    public IReadOnlyDictionary<RunStage, AiUsage> UsageByStage
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<RunStage, AiUsage>(_usage);
            }
        }
    }

    /// <summary>Gets the usage so far.</summary>
    public AiUsage Total => UsageByStage.Values.Aggregate(AiUsage.Zero, (sum, u) => sum + u);

    /// <summary>Gets the cost so far, when prices are known.</summary>
    public decimal? Cost => _price?.CostOf(Total);

    /// <summary>Sends a request, continuing an answer the output limit cut off.</summary>
    /// <param name="stage">The stage the usage counts for.</param>
    /// <param name="messages">The messages.</param>
    /// <param name="maxOutputTokens">The output limit.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="OperationCanceledException">Cancelled, or the budget has no room for the request (<see cref="BudgetToken"/>).</exception>
    public async Task<ModelAnswer> CompleteAsync(RunStage stage, IList<ChatMessage> messages, int maxOutputTokens, CancellationToken cancellationToken)
    {
        // The budget refuses new requests only: answers already paid for in flight are kept.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var text = new StringBuilder();
            var usage = AiUsage.Zero;
            var request = messages;
            for (var attempt = 0; ; attempt++)
            {
                var (tokens, cost) = Reserve(request, maxOutputTokens);
                ChatResponse response;
                try
                {
                    response = await _ai.ChatClient.GetResponseAsync(request, GenerationLimits.Options(maxOutputTokens), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Release(tokens, cost);
                }

                var used = _ai.GetUsage(response);
                usage += used;
                Record(stage, used);
                text.Append(response.Text);
                if (response.FinishReason != ChatFinishReason.Length)
                {
                    return new ModelAnswer(text.ToString(), Truncated: false, usage);
                }

                if (attempt == MaxContinuations)
                {
                    return new ModelAnswer(text.ToString(), Truncated: true, usage);
                }

                request = Prompts.Continue(messages, text.ToString());
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _gate.Dispose();
        _budget.Dispose();
    }

    private (long Tokens, decimal Cost) Reserve(IList<ChatMessage> request, int maxOutputTokens)
    {
        long input = request.Sum(m => (long)_tokens.CountTokens(m.Text));
        var tokens = input + maxOutputTokens;
        var cost = _price?.CostOf(new AiUsage(input, 0, 0, maxOutputTokens, 0)) ?? 0m;
        bool over;
        lock (_lock)
        {
            var spent = _usage.Values.Aggregate(AiUsage.Zero, (sum, u) => sum + u);
            var overTokens = _maxTokens is { } maxTokens && spent.InputTokens + spent.OutputTokens + _reservedTokens + tokens > maxTokens;
            var overCost = _maxCost is { } maxCost && _price is not null && _price.CostOf(spent) + _reservedCost + cost > maxCost;
            over = overTokens || overCost || _budget.IsCancellationRequested;
            if (!over)
            {
                _reservedTokens += tokens;
                _reservedCost += cost;
            }
        }

        if (over)
        {
            _budget.Cancel();
            throw new OperationCanceledException("The run's token or cost budget has no room for another request.", _budget.Token);
        }

        return (tokens, cost);
    }

    private void Release(long tokens, decimal cost)
    {
        lock (_lock)
        {
            _reservedTokens -= tokens;
            _reservedCost -= cost;
        }
    }

    private void Record(RunStage stage, AiUsage usage)
    {
        lock (_lock)
        {
            _usage[stage] = _usage.GetValueOrDefault(stage, AiUsage.Zero) + usage;
        }
    }
}
