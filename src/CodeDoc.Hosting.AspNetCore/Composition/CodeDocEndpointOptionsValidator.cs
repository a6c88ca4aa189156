using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.AspNetCore;

/// <summary>Checks the API options at start-up; messages name the field and the fix, never the key.</summary>
internal sealed class CodeDocEndpointOptionsValidator : IValidateOptions<CodeDocEndpointOptions>
{
    /// <summary>The shortest API key accepted: shorter keys are guessable.</summary>
    internal const int MinimumApiKeyLength = 16;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CodeDocEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ApiKey is { } key)
        {
            if (key.Length < MinimumApiKeyLength)
            {
                failures.Add($"CodeDoc:Hosting:Endpoints:ApiKey is shorter than {MinimumApiKeyLength} characters (the value is not shown): use a random key, e.g. 32 bytes in base64.");
            }

            if (key.Any(char.IsWhiteSpace))
            {
                failures.Add("CodeDoc:Hosting:Endpoints:ApiKey contains white space or a line break (the value is not shown): paste the key alone.");
            }
        }

        if (options.EventsHeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add($"CodeDoc:Hosting:Endpoints:EventsHeartbeatInterval is {options.EventsHeartbeatInterval}: give a positive interval, e.g. 00:00:15.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
