using System.Globalization;
using CodeDoc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace CodeDoc.Ai.SemanticKernel;

/// <summary>
/// Replaces secrets in every rendered prompt before it leaves for the model, with CodeDoc's <see cref="ISecretRedactor"/>:
/// template variables are filled by the time this runs, so secrets that arrive in arguments (file contents, tool
/// output) are caught too.
/// </summary>
/// <param name="redactor">The redactor.</param>
/// <param name="logger">The logger; only counts and rule ids are logged.</param>
internal sealed partial class SecretRedactionPromptFilter(ISecretRedactor redactor, ILogger logger) : IPromptRenderFilter
{
    public async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next(context).ConfigureAwait(false);
        if (string.IsNullOrEmpty(context.RenderedPrompt))
        {
            return;
        }

        var result = redactor.Redact(context.RenderedPrompt);
        if (result.HasFindings)
        {
            context.RenderedPrompt = result.Text;
            Log.Redacted(logger, context.Function.Name, result.Findings.Count, string.Join(", ", result.Findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal)));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Kernel function '{Function}': {Count} secret(s) redacted from the rendered prompt ({Rules}).")]
        public static partial void Redacted(ILogger logger, string function, int count, string rules);
    }
}

/// <summary>
/// Writes one audit event per kernel function invocation (prompt or native), with its outcome and duration. Never
/// the arguments' values, the prompt or the result: only the function, the argument names and the error type.
/// </summary>
/// <param name="sink">The audit sink.</param>
/// <param name="time">The clock.</param>
/// <param name="actor">The actor recorded on each event.</param>
internal sealed class AuditFunctionInvocationFilter(IAuditSink sink, TimeProvider time, string actor) : IFunctionInvocationFilter
{
    /// <summary>The audit action of a kernel function invocation.</summary>
    public const string Action = "kernel.function.invoked";

    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var started = time.GetTimestamp();
        var outcome = "succeeded";
        string? error = null;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        catch (Exception ex)
        {
            outcome = "failed";
            error = ex.GetType().Name;
            throw;
        }
        finally
        {
            var details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["outcome"] = outcome,
                ["durationMs"] = ((long)time.GetElapsedTime(started).TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                ["arguments"] = string.Join(",", context.Arguments.Names.Order(StringComparer.Ordinal)),
            };
            if (error is not null)
            {
                details["error"] = error;
            }

            var function = context.Function;
            var target = string.IsNullOrEmpty(function.PluginName) ? function.Name : $"{function.PluginName}.{function.Name}";

            // Recorded even when the caller cancelled: the audit trail must not lose the attempt.
            await sink.WriteAsync(new AuditEvent(time.GetUtcNow(), actor, Action, target) { Details = details }, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
