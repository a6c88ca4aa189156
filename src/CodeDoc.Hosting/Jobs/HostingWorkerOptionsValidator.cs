using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Jobs;

/// <summary>Checks the worker's and the notification webhook's options at start.</summary>
internal sealed class HostingWorkerOptionsValidator : IValidateOptions<CodeDocHostingOptions>
{
    private const string Prefix = "CodeDoc:Hosting";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CodeDocHostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var worker = options.Worker;
        if (worker.MaxConcurrentRuns < 1)
        {
            problems.Add($"{Prefix}:Worker:MaxConcurrentRuns is {worker.MaxConcurrentRuns}: set it to 1 or more.");
        }

        if (worker.DebounceWindow < TimeSpan.Zero)
        {
            problems.Add($"{Prefix}:Worker:DebounceWindow is negative: set it to zero (no debounce) or more.");
        }

        if (worker.ShutdownGracePeriod < TimeSpan.Zero)
        {
            problems.Add($"{Prefix}:Worker:ShutdownGracePeriod is negative: set it to zero or more.");
        }

        if (worker.MinimumPollInterval <= TimeSpan.Zero)
        {
            problems.Add($"{Prefix}:Worker:MinimumPollInterval must be positive, e.g. 00:01:00.");
        }

        if (EndpointRules.Validate(options.Notifications.WebhookUrl, $"{Prefix}:Notifications:WebhookUrl", required: false) is { } endpoint)
        {
            problems.Add(endpoint);
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
