using System.Text.Json;
using CodeDoc.Core;
using CodeDoc.Transport;

namespace CodeDoc.Git.GitHub;

/// <summary>
/// Verifies GitHub deliveries (<c>X-Hub-Signature-256</c>, HMAC-SHA256 of the exact body, compared in constant time)
/// and parses push and ping events into the neutral event. GitHub and GitHub Enterprise Server send the same shape.
/// </summary>
internal sealed class GitHubWebhookHandler : IWebhookHandler
{
    /// <summary>The host kind the handler is keyed by.</summary>
    internal const string Kind = "github";

    private const string SignatureHeader = "X-Hub-Signature-256";
    private const string ZeroSha = "0000000000000000000000000000000000000000";

    /// <inheritdoc />
    public string HostKind => Kind;

    /// <inheritdoc />
    public WebhookVerificationResult Verify(WebhookDelivery delivery, WebhookSecret secret)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(secret);
        return HmacSignatures.Verify(SignatureHeader, delivery.GetHeader(SignatureHeader), secret, delivery.Body.Span);
    }

    /// <inheritdoc />
    public WebhookParseResult Parse(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var deliveryId = delivery.GetHeader("X-GitHub-Delivery");
        var eventName = delivery.GetHeader("X-GitHub-Event")
            ?? throw new WebhookPayloadException("The X-GitHub-Event header is missing, so this is not a GitHub webhook delivery.");
        switch (eventName)
        {
            case "ping":
                using (Read(delivery))
                {
                    return new WebhookParseResult(WebhookEventKind.Ping, deliveryId, []);
                }

            case "push":
                using (var document = Read(delivery))
                {
                    return ParsePush(document.RootElement, deliveryId);
                }

            default:
                return new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], $"GitHub event '{eventName}' is not a push; CodeDoc acts on push events only.");
        }
    }

    private static JsonDocument Read(WebhookDelivery delivery)
    {
        try
        {
            var document = JsonDocument.Parse(delivery.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new WebhookPayloadException("The GitHub payload is not a JSON object.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new WebhookPayloadException($"The GitHub payload is not valid JSON: {ex.Message}", ex);
        }
    }

    private static WebhookParseResult ParsePush(JsonElement root, string? deliveryId)
    {
        var fullRef = RequiredString(root, "ref");
        var (refKind, refName) = fullRef switch
        {
            _ when fullRef.StartsWith("refs/heads/", StringComparison.Ordinal) => ((RefKind?)RefKind.Branch, fullRef["refs/heads/".Length..]),
            _ when fullRef.StartsWith("refs/tags/", StringComparison.Ordinal) => (RefKind.Tag, fullRef["refs/tags/".Length..]),
            _ => (null, fullRef),
        };
        if (refKind is not { } kind)
        {
            return new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], $"The push updated '{fullRef}', which is neither a branch nor a tag.");
        }

        var before = RequiredString(root, "before");
        var after = RequiredString(root, "after");
        var repository = root.TryGetProperty("repository", out var repo) && repo.ValueKind == JsonValueKind.Object
            ? repo
            : throw new WebhookPayloadException("The GitHub push payload has no 'repository' object.");
        var created = Bool(root, "created") ?? before == ZeroSha;
        var deleted = Bool(root, "deleted") ?? after == ZeroSha;
        var push = new PushEvent
        {
            HostKind = Kind,
            RepositoryId = repository.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetRawText() : null,
            RepositoryUrl = OptionalString(repository, "html_url") ?? OptionalString(repository, "url")
                ?? throw new WebhookPayloadException("The GitHub push payload's repository has no 'html_url'."),
            RepositoryFullName = OptionalString(repository, "full_name"),
            Ref = fullRef,
            RefKind = kind,
            RefName = refName,
            BeforeSha = created || before == ZeroSha ? null : before,
            AfterSha = deleted || after == ZeroSha ? null : after,
            Created = created,
            Deleted = deleted,
            Forced = Bool(root, "forced") ?? false,
            DeliveryId = deliveryId,
            ChangedPaths = deleted ? null : PushPaths.FromCommits(root),
        };
        return new WebhookParseResult(WebhookEventKind.Push, deliveryId, [push]);
    }

    private static string RequiredString(JsonElement element, string name) =>
        OptionalString(element, name) ?? throw new WebhookPayloadException($"The GitHub push payload has no '{name}' string.");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
