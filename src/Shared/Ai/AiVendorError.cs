using System.Globalization;
using System.Text.Json;

namespace CodeDoc.Ai;

/// <summary>
/// The error body of a model vendor, read from any of the shapes they use: OpenAI
/// <c>{"error":{"message","type","code"}}</c>, Anthropic <c>{"type":"error","error":{"type","message"}}</c>, Gemini
/// <c>{"error":{"code","status","message","details":[...]}}</c> (also wrapped in an array by its OpenAI-compatible
/// endpoint), Ollama <c>{"error":"..."}</c>, and SSE error events.
/// </summary>
/// <param name="Code">The machine code (<c>insufficient_quota</c>, <c>context_length_exceeded</c>), when given.</param>
/// <param name="Type">The error type (<c>rate_limit_error</c>, <c>invalid_request_error</c>), when given.</param>
/// <param name="Status">Google's status (<c>RESOURCE_EXHAUSTED</c>, <c>INVALID_ARGUMENT</c>), when given.</param>
/// <param name="Reason">Google's <c>ErrorInfo.reason</c> (<c>API_KEY_INVALID</c>), when given.</param>
/// <param name="Message">The human-readable message, when given.</param>
/// <param name="RetryDelay">Google's <c>RetryInfo.retryDelay</c>, when given.</param>
/// <param name="DailyQuota">Whether a Google quota violation names a per-day quota (it does not reset soon).</param>
internal sealed record AiVendorError(string? Code, string? Type, string? Status, string? Reason, string? Message, TimeSpan? RetryDelay, bool DailyQuota)
{
    /// <summary>Reads an error body; <see langword="null"/> when it is not JSON of a known shape.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The error.</returns>
    public static AiVendorError? Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error))
            {
                return null;
            }

            if (error.ValueKind == JsonValueKind.String)
            {
                return new AiVendorError(null, null, null, null, error.GetString(), null, false);
            }

            if (error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? reason = null;
            TimeSpan? retryDelay = null;
            var daily = false;
            if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in details.EnumerateArray())
                {
                    reason ??= Text(detail, "reason");
                    if (Text(detail, "retryDelay") is { } delay && delay.EndsWith('s') &&
                        double.TryParse(delay[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                    {
                        retryDelay = TimeSpan.FromSeconds(seconds);
                    }

                    if (detail.TryGetProperty("violations", out var violations) && violations.ValueKind == JsonValueKind.Array)
                    {
                        daily |= violations.EnumerateArray().Any(v =>
                            Text(v, "quotaId")?.Contains("PerDay", StringComparison.OrdinalIgnoreCase) == true);
                    }
                }
            }

            var code = error.TryGetProperty("code", out var codeElement) && codeElement.ValueKind == JsonValueKind.String ? codeElement.GetString() : null;
            return new AiVendorError(code, Text(error, "type"), Text(error, "status"), reason, Text(error, "message"), retryDelay, daily);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
