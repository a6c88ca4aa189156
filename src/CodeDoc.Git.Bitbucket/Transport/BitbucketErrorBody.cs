using System.Text.Json;

namespace CodeDoc.Git.Bitbucket;

/// <summary>
/// Reads the error bodies of both products: Cloud's <c>{"type":"error","error":{"message","detail"}}</c> and Data
/// Center's <c>{"errors":[{"message"}]}</c>. Anything else (HTML from a proxy, text) yields nothing.
/// </summary>
internal static class BitbucketErrorBody
{
    /// <summary>Gets the host's error message.</summary>
    /// <param name="body">The response body.</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    public static string? Message(string? body)
    {
        if (Parse(body) is not { } root)
        {
            return null;
        }

        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
            error.TryGetProperty("message", out var cloudMessage) && cloudMessage.ValueKind == JsonValueKind.String)
        {
            var detail = error.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? " " + d.GetString() : string.Empty;
            return cloudMessage.GetString() + detail;
        }

        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            var messages = errors.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                .Select(e => e.GetProperty("message").GetString())
                .ToList();
            return messages.Count > 0 ? string.Join(" ", messages) : null;
        }

        return null;
    }

    /// <summary>Describes the scopes a Cloud 403 says are missing (<c>error.detail.required</c> and <c>granted</c>).</summary>
    /// <param name="body">The response body.</param>
    /// <returns>The description, or <see langword="null"/> when the body does not say.</returns>
    public static string? MissingScopes(string? body)
    {
        if (Parse(body) is not { } root ||
            !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object ||
            !error.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.Object ||
            !detail.TryGetProperty("required", out var required) || required.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var needed = Strings(required);
        if (needed.Count == 0)
        {
            return null;
        }

        var granted = detail.TryGetProperty("granted", out var g) && g.ValueKind == JsonValueKind.Array ? Strings(g) : [];
        return $"the token lacks the scope{(needed.Count == 1 ? string.Empty : "s")} {string.Join(", ", needed)} (it has {(granted.Count == 0 ? "none" : string.Join(", ", granted))}); create a token with {string.Join(" and ", needed)}";
    }

    private static List<string> Strings(JsonElement array) =>
        [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];

    private static JsonElement? Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
