using System.Text.Json;
using CodeDoc.Core;

namespace CodeDoc.Git.Bitbucket;

/// <summary>Reads webhook bodies: JSON parsing and field access that fail with <see cref="WebhookPayloadException"/>.</summary>
internal static class WebhookJson
{
    /// <summary>The SHA hosts send for "no commit" (a created or deleted ref).</summary>
    public const string ZeroSha = "0000000000000000000000000000000000000000";

    /// <summary>Parses a body.</summary>
    /// <param name="body">The bytes.</param>
    /// <param name="host">The host, for messages.</param>
    /// <returns>The document; the caller disposes it.</returns>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body, string host)
    {
        try
        {
            var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new WebhookPayloadException($"The {host} webhook body is JSON but not an object: it is not an event {host} sends.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new WebhookPayloadException($"The {host} webhook body is not valid JSON ({ex.Message}): it is not an event {host} sends.", ex);
        }
    }

    /// <summary>Gets an object property, or <see langword="null"/> when absent or JSON null.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The property.</param>
    /// <returns>The property's object.</returns>
    public static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    /// <summary>Gets a string property, or <see langword="null"/>.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The property.</param>
    /// <returns>The string.</returns>
    public static string? String(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Gets a boolean property, or <see langword="false"/>.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The property.</param>
    /// <returns>The value.</returns>
    public static bool Boolean(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>Gets a number or string property as text, or <see langword="null"/>.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The property.</param>
    /// <returns>The text.</returns>
    public static string? Scalar(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>Gets an array property's items.</summary>
    /// <param name="element">The object.</param>
    /// <param name="name">The property.</param>
    /// <param name="host">The host, for the message.</param>
    /// <param name="path">The property's path in the payload, for the message.</param>
    /// <returns>The items.</returns>
    public static JsonElement.ArrayEnumerator RequiredArray(JsonElement? element, string name, string host, string path) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw new WebhookPayloadException($"The {host} push payload has no '{path}' array: it is not a push event {host} sends.");

    /// <summary>Turns a SHA from a payload into the event's form: <see langword="null"/> for zeros or nothing.</summary>
    /// <param name="sha">The SHA.</param>
    /// <returns>The SHA, lower case, or <see langword="null"/>.</returns>
    public static string? Sha(string? sha) =>
        string.IsNullOrEmpty(sha) || sha.All(c => c == '0') ? null : sha.ToLowerInvariant();
}
