using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CodeDoc.Core;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>
/// Verifies and parses Azure DevOps service hook deliveries (host kind <c>azure-devops</c>). Azure DevOps signs
/// nothing, so authenticity is the subscription's Basic credentials or a custom header, compared in constant time;
/// <c>git.push</c> events become one push per updated ref (no file lists: Azure sends none).
/// </summary>
/// <param name="headerName">The custom header that carries the secret, or <see langword="null"/> for Basic credentials.</param>
internal sealed class AzureDevOpsWebhookHandler(string? headerName) : IWebhookHandler
{
    private const string Host = "Azure DevOps";

    /// <inheritdoc />
    public string HostKind => AzureDevOpsProviders.Kind;

    /// <inheritdoc />
    public WebhookVerificationResult Verify(WebhookDelivery delivery, WebhookSecret secret)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(secret);
        if (headerName is not null)
        {
            return delivery.GetHeader(headerName) is { Length: > 0 } value
                ? Same(value, secret.Reveal())
                    ? WebhookVerificationResult.Valid
                    : WebhookVerificationResult.Invalid($"The {headerName} header does not match the secret configured here: set the same value in the subscription's HTTP headers.")
                : WebhookVerificationResult.Invalid($"The {headerName} header is missing: add '{headerName}:<secret>' to the subscription's HTTP headers, or the request is not from Azure DevOps.");
        }

        if (!AuthenticationHeaderValue.TryParse(delivery.GetHeader("Authorization"), out var authorization) ||
            !string.Equals(authorization.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || authorization.Parameter is null)
        {
            return WebhookVerificationResult.Invalid("The Authorization header is missing or not Basic: set a user name and password on the subscription (Basic authentication), or the request is not from Azure DevOps.");
        }

        string presented;
        try
        {
            presented = Encoding.UTF8.GetString(Convert.FromBase64String(authorization.Parameter));
        }
        catch (FormatException)
        {
            return WebhookVerificationResult.Invalid("The Basic credentials are malformed: they are not base64.");
        }

        var colon = presented.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return WebhookVerificationResult.Invalid("The Basic credentials are malformed: they have no ':' between user name and password.");
        }

        // A secret with a ':' is "user:password"; without one it is the password and any user name is accepted.
        var expected = secret.Reveal();
        var compared = expected.Contains(':', StringComparison.Ordinal) ? presented : presented[(colon + 1)..];
        return Same(compared, expected)
            ? WebhookVerificationResult.Valid
            : WebhookVerificationResult.Invalid("The Basic credentials do not match the secret configured here: set the same user name and password on the subscription.");
    }

    /// <inheritdoc />
    public WebhookParseResult Parse(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(delivery.Body);
        }
        catch (JsonException ex)
        {
            throw new WebhookPayloadException($"The {Host} delivery is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WebhookPayloadException($"The {Host} delivery is not a JSON object: it is not a service hook event.");
            }

            var deliveryId = String(root, "id");
            var eventType = String(root, "eventType");
            if (eventType != "git.push")
            {
                return new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], eventType is null
                    ? "The delivery has no eventType: it is not a service hook event."
                    : $"{Host} event '{eventType}' is not a push.");
            }

            // The subscription's Test button sends the documented sample, which belongs to no subscription.
            if (String(root, "subscriptionId") is null or "00000000-0000-0000-0000-000000000000")
            {
                return new WebhookParseResult(WebhookEventKind.Ping, deliveryId, []);
            }

            var resource = Object(root, "resource") ?? throw new WebhookPayloadException($"The {Host} git.push event has no 'resource' object.");
            var repository = Object(resource, "repository") ?? throw new WebhookPayloadException($"The {Host} git.push event has no 'resource.repository' object.");
            var url = String(repository, "remoteUrl") ?? throw new WebhookPayloadException($"The {Host} git.push event names no repository URL (resource.repository.remoteUrl).");
            var project = String(Object(repository, "project"), "name");
            var name = String(repository, "name");
            if (!resource.TryGetProperty("refUpdates", out var updates) || updates.ValueKind != JsonValueKind.Array || updates.GetArrayLength() == 0)
            {
                throw new WebhookPayloadException($"The {Host} git.push event has no 'resource.refUpdates': it is not a push Azure DevOps sends.");
            }

            var pushes = new List<PushEvent>();
            foreach (var update in updates.EnumerateArray())
            {
                var reference = String(update, "name");
                RefKind? kind = reference switch
                {
                    not null when reference.StartsWith("refs/heads/", StringComparison.Ordinal) => RefKind.Branch,
                    not null when reference.StartsWith("refs/tags/", StringComparison.Ordinal) => RefKind.Tag,
                    _ => null,
                };
                if (reference is null || kind is not { } refKind)
                {
                    continue;
                }

                var before = Sha(String(update, "oldObjectId"));
                var after = Sha(String(update, "newObjectId"));
                pushes.Add(new PushEvent
                {
                    HostKind = HostKind,
                    RepositoryId = String(repository, "id"),
                    RepositoryUrl = url,
                    RepositoryFullName = project is null || name is null ? name : $"{project}/{name}",
                    Ref = reference,
                    RefKind = refKind,
                    RefName = reference[(refKind == RefKind.Branch ? "refs/heads/".Length : "refs/tags/".Length)..],
                    BeforeSha = before,
                    AfterSha = after,
                    Created = before is null && after is not null,
                    Deleted = after is null,
                    DeliveryId = deliveryId,
                });
            }

            return pushes.Count == 0
                ? new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], "The push changes no branch or tag.")
                : new WebhookParseResult(WebhookEventKind.Push, deliveryId, pushes);
        }
    }

    // Hashing first makes the comparison independent of the lengths too.
    private static bool Same(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static JsonElement? Object(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Sha(string? sha) => string.IsNullOrEmpty(sha) || sha.All(c => c == '0') ? null : sha.ToLowerInvariant();
}
