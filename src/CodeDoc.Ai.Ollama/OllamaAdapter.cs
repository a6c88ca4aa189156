using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Ai.Ollama;

/// <summary>
/// Ollama's specifics: errors are <c>{"error":"..."}</c> with plain-text messages, a model that is not pulled is a
/// 404, a local server that is not running refuses the connection, and a prompt longer than <c>num_ctx</c> is cut
/// silently: the only trace is a <c>prompt_eval_count</c> smaller than the prompt, which is checked here.
/// </summary>
/// <param name="window">The instance's context window.</param>
/// <param name="logger">The logger.</param>
internal sealed partial class OllamaAdapter(OllamaContextWindow window, ILogger logger) : AiVendorAdapter
{
    // Tokens Ollama keeps from the start of a cut prompt (num_keep) and rounding: how near a count must be to a cut's shape.
    private const int Slack = 64;

    public override UsageDetails NormalizeUsage(UsageDetails usage, object? rawRepresentation)
    {
        ArgumentNullException.ThrowIfNull(usage);

        // Ollama reports no cache or reasoning counts; OllamaSharp's extra counts are durations, not tokens.
        return AiUsageMath.Create(usage.InputTokenCount ?? 0, 0, 0, usage.OutputTokenCount ?? 0, 0);
    }

    public override void Inspect(UsageDetails? usage, ChatFinishReason? finishReason, long estimatedPromptTokens, AiErrorContext context, string operation)
    {
        ArgumentNullException.ThrowIfNull(context);

        // No count means the prompt came from Ollama's cache entirely; there is nothing to judge.
        if (usage?.InputTokenCount is not { } prompt || prompt <= 0)
        {
            return;
        }

        var tokens = window.Current;
        var output = usage.OutputTokenCount ?? 0;
        var half = tokens / 2;
        var filled = prompt >= tokens - Slack;
        var halved = estimatedPromptTokens >= half && Math.Abs(prompt - half) <= Slack;
        var farFewer = prompt * 2 < estimatedPromptTokens;
        var shifted = prompt + output > tokens;
        if (!filled && !halved && !farFewer && !shifted)
        {
            return;
        }

        var what = shifted && !(filled || halved || farFewer)
            ? $"the prompt ({N(prompt)} tokens) and the answer ({N(output)} tokens) outgrew num_ctx {N(tokens)}, so Ollama dropped the beginning of the prompt while it answered"
            : $"Ollama evaluated {N(prompt)} prompt tokens of about {N(estimatedPromptTokens)} sent with num_ctx {N(tokens)}: it cut the beginning of the prompt to fit";
        Log.PromptCut(logger, context.ProviderName, prompt, estimatedPromptTokens, tokens);
        throw AiErrors.ContextTooLong(
            context,
            operation,
            estimatedPromptTokens > tokens ? estimatedPromptTokens : null,
            tokens,
            $"{char.ToUpperInvariant(what[0])}{what[1..]}. The answer is not used. Raise {AiProviderRegistration.Field(context.ConfigurationPath, "ContextWindowTokens")} if the model and the machine allow, or split the input.");
    }

    public override AiProviderException? Translate(Exception exception, AiCallCapture capture, AiErrorContext context, string operation)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.Endpoint is { } uri ? EndpointRules.SafeDisplay(uri) : "the configured endpoint";
        if (capture.Status is { } status && (int)status >= 400)
        {
            var said = AiVendorError.Parse(capture.ErrorBody)?.Message;
            if (status == HttpStatusCode.NotFound)
            {
                return NotFound(context, operation, status, said, capture.RequestUri, exception);
            }

            if (said is not null && said.Contains("context length", StringComparison.OrdinalIgnoreCase))
            {
                var numbers = ContextNumbers().Match(said);
                return AiErrors.ContextTooLong(
                    context,
                    operation,
                    numbers.Success ? long.Parse(numbers.Groups["prompt"].Value, CultureInfo.InvariantCulture) : null,
                    numbers.Success ? long.Parse(numbers.Groups["limit"].Value, CultureInfo.InvariantCulture) : window.Current,
                    $"Ollama refused it with HTTP {(int)status} ({context.Credential.Scrub(said)}). Raise {AiProviderRegistration.Field(context.ConfigurationPath, "ContextWindowTokens")} if the model and the machine allow, or split the input.");
            }

            return null;
        }

        if (Find<OllamaStreamErrorException>(exception) is { } streamError)
        {
            return AiErrors.Other(
                context,
                operation,
                AiFailureKind.Unavailable,
                $"Ollama stopped with an error while answering ({streamError.Message}); the model may have run out of memory (check the server log, or lower {AiProviderRegistration.Field(context.ConfigurationPath, "ContextWindowTokens")})",
                capture.RequestUri,
                exception);
        }

        if (IsConnectionRefused(exception))
        {
            return AiErrors.Other(
                context,
                operation,
                AiFailureKind.Unavailable,
                $"nothing answered at {endpoint}. Start Ollama there (`ollama serve` or the Ollama app), check that {AiProviderRegistration.Field(context.ConfigurationPath, "Endpoint")} points to it, and pull the model with `ollama pull {context.ModelId}`",
                capture.RequestUri,
                exception);
        }

        return null;
    }

    private static AiProviderNotFoundException NotFound(AiErrorContext context, string operation, HttpStatusCode status, string? said, Uri? requestUri, Exception exception)
    {
        var where = context.Endpoint is { } uri ? $" at {EndpointRules.SafeDisplay(uri)}" : string.Empty;
        var message = context.Credential.Scrub(
            $"Ollama (AI provider '{context.ProviderName}'){where} does not have model '{context.ModelId}' (HTTP {(int)status}{(said is null ? string.Empty : $": {said}")}). " +
            $"Pull it on that machine with `ollama pull {context.ModelId}`, or set {AiProviderRegistration.Field(context.ConfigurationPath, "Model")} to a model `ollama list` shows.");
        var inner = context.Credential.Occurs(exception.ToString()) ? null : exception;
        return new AiProviderNotFoundException(message, inner)
        {
            ProviderName = context.ProviderName,
            OperationName = operation,
            StatusCode = status,
            RequestUri = requestUri,
        };
    }

    private static bool IsConnectionRefused(Exception exception) =>
        Find<SocketException>(exception) is { SocketErrorCode: SocketError.ConnectionRefused };

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    // Ollama's runner names both numbers the way its log does: "prompt=40000 limit=32768".
    [GeneratedRegex(@"prompt\D{0,3}(?<prompt>\d+).*?limit\D{0,3}(?<limit>\d+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ContextNumbers();

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "AI provider '{Provider}': Ollama cut the prompt (evaluated {Evaluated} tokens of about {Estimated} with num_ctx {Window}); the answer is not used.")]
        public static partial void PromptCut(ILogger logger, string provider, long evaluated, long estimated, int window);
    }
}
