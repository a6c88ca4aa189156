using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CodeDoc.Core;

namespace CodeDoc.Git.GitLab;

/// <summary>
/// Verifies GitLab deliveries and parses push and tag push events into the neutral event. GitLab sends the hook's
/// secret token in plain text in <c>X-Gitlab-Token</c>, compared here in constant time. When a signing token is set
/// on the hook (newer GitLab), the delivery carries a Standard Webhooks signature instead (<c>webhook-signature</c>
/// over <c>id.timestamp.body</c>); then that signature is checked, with a five-minute window against replays, and the
/// plain token is not used as a fallback.
/// </summary>
/// <param name="timeProvider">The clock, for the signature's timestamp window.</param>
internal sealed class GitLabWebhookHandler(TimeProvider timeProvider) : IWebhookHandler
{
    /// <summary>The host kind the handler is keyed by.</summary>
    internal const string Kind = "gitlab";

    /// <summary>How far a signed delivery's timestamp may be from now.</summary>
    internal static readonly TimeSpan SignatureTolerance = TimeSpan.FromMinutes(5);

    private const string TokenHeader = "X-Gitlab-Token";
    private const string SignatureHeader = "webhook-signature";
    private const string SigningKeyPrefix = "whsec_";
    private const string ZeroSha = "0000000000000000000000000000000000000000";

    /// <summary>GitLab lists at most this many commits in a push payload; <c>total_commits_count</c> says how many there were.</summary>
    private const int MaxListedCommits = 20;

    /// <inheritdoc />
    public string HostKind => Kind;

    /// <inheritdoc />
    public WebhookVerificationResult Verify(WebhookDelivery delivery, WebhookSecret secret)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(secret);
        if (delivery.GetHeader(SignatureHeader) is { } signature)
        {
            return VerifySignature(delivery, signature, secret);
        }

        var presented = delivery.GetHeader(TokenHeader);
        if (string.IsNullOrEmpty(presented))
        {
            return WebhookVerificationResult.Invalid($"The {TokenHeader} header is missing: set the hook's secret token in GitLab (Settings > Webhooks), or the request is not from GitLab.");
        }

        return secret.FixedTimeEquals(presented)
            ? WebhookVerificationResult.Valid
            : WebhookVerificationResult.Invalid($"The {TokenHeader} header does not match the configured secret: the hook's secret token in GitLab differs from the one configured here.");
    }

    /// <inheritdoc />
    public WebhookParseResult Parse(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);

        // Idempotency-Key (17.4+) stays the same across retries; older versions only send the event UUID.
        var deliveryId = delivery.GetHeader("Idempotency-Key") ?? delivery.GetHeader("X-Gitlab-Event-UUID");
        var eventName = delivery.GetHeader("X-Gitlab-Event")
            ?? throw new WebhookPayloadException("The X-Gitlab-Event header is missing, so this is not a GitLab webhook delivery.");
        if (eventName is not ("Push Hook" or "Tag Push Hook" or "System Hook"))
        {
            return new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], $"GitLab event '{eventName}' is not a push; CodeDoc acts on push and tag push events only.");
        }

        using var document = Read(delivery);
        var root = document.RootElement;
        var kind = OptionalString(root, "object_kind");
        if (kind is not ("push" or "tag_push"))
        {
            // System hooks carry every kind of instance event; only pushes matter.
            return new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], $"GitLab {eventName} of kind '{kind ?? "none"}' is not a push; CodeDoc acts on pushes only.");
        }

        return ParsePush(root, deliveryId);
    }

    private WebhookVerificationResult VerifySignature(WebhookDelivery delivery, string signature, WebhookSecret secret)
    {
        var id = delivery.GetHeader("webhook-id");
        var timestamp = delivery.GetHeader("webhook-timestamp");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp))
        {
            return WebhookVerificationResult.Invalid("The delivery has a webhook-signature but no webhook-id or webhook-timestamp header, so the signature cannot be checked.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
        {
            return WebhookVerificationResult.Invalid("The webhook-timestamp header is malformed: expected Unix seconds.");
        }

        var skew = timeProvider.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (skew.Duration() > SignatureTolerance)
        {
            return WebhookVerificationResult.Invalid(
                $"The webhook-timestamp is {Math.Round(skew.Duration().TotalMinutes).ToString(CultureInfo.InvariantCulture)} minutes from now, outside the 5-minute window: a replayed delivery, or a wrong clock here or at GitLab.");
        }

        var configured = secret.Reveal();
        byte[] key;
        try
        {
            key = Convert.FromBase64String(configured.StartsWith(SigningKeyPrefix, StringComparison.Ordinal) ? configured[SigningKeyPrefix.Length..] : configured);
        }
        catch (FormatException)
        {
            return WebhookVerificationResult.Invalid("The delivery is signed (webhook-signature), but the configured secret is not a signing token: configure the hook's signing token (whsec_...).");
        }

        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[prefix.Length + delivery.Body.Length];
        prefix.CopyTo(signed, 0);
        delivery.Body.Span.CopyTo(signed.AsSpan(prefix.Length));
        var expected = HMACSHA256.HashData(key, signed);

        // The header may list several space-separated "v1,<base64>" signatures (during key rotation); any may match.
        var sawV1 = false;
        foreach (var candidate in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!candidate.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }

            sawV1 = true;
            var presented = new byte[32];
            if (Convert.TryFromBase64String(candidate[3..], presented, out var written) && written == presented.Length
                && CryptographicOperations.FixedTimeEquals(expected, presented))
            {
                return WebhookVerificationResult.Valid;
            }
        }

        return WebhookVerificationResult.Invalid(sawV1
            ? "The webhook-signature does not match the body: the signing token configured here differs from the hook's, or the body was changed."
            : "The webhook-signature header is malformed: expected 'v1,' and a base64 HMAC-SHA256.");
    }

    private static JsonDocument Read(WebhookDelivery delivery)
    {
        try
        {
            var document = JsonDocument.Parse(delivery.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new WebhookPayloadException("The GitLab payload is not a JSON object.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new WebhookPayloadException($"The GitLab payload is not valid JSON: {ex.Message}", ex);
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
        var project = root.TryGetProperty("project", out var p) && p.ValueKind == JsonValueKind.Object
            ? p
            : throw new WebhookPayloadException("The GitLab push payload has no 'project' object.");

        // A deletion has an all-zero 'after', or (tag removals) a null checkout_sha.
        var deleted = after == ZeroSha || (root.TryGetProperty("checkout_sha", out var checkout) && checkout.ValueKind == JsonValueKind.Null);
        var created = !deleted && before == ZeroSha;
        var projectId = root.TryGetProperty("project_id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetRawText()
            : project.TryGetProperty("id", out var inner) && inner.ValueKind == JsonValueKind.Number ? inner.GetRawText()
            : null;
        var push = new PushEvent
        {
            HostKind = Kind,
            RepositoryId = projectId,
            RepositoryUrl = OptionalString(project, "web_url") ?? OptionalString(project, "git_http_url")
                ?? throw new WebhookPayloadException("The GitLab push payload's project has no 'web_url'."),
            RepositoryFullName = OptionalString(project, "path_with_namespace"),
            Ref = fullRef,
            RefKind = kind,
            RefName = refName,
            BeforeSha = before == ZeroSha ? null : before,
            AfterSha = deleted ? null : after,
            Created = created,
            Deleted = deleted,
            DeliveryId = deliveryId,
            ChangedPaths = deleted ? null : ChangedPaths(root),
        };
        return new WebhookParseResult(WebhookEventKind.Push, deliveryId, [push]);
    }

    /// <summary>
    /// Folds the per-commit <c>added</c>/<c>removed</c>/<c>modified</c> lists into the net change of each path; a hint
    /// only. <see langword="null"/> when GitLab left commits out (more than 20 pushed) or listed none.
    /// </summary>
    private static List<ChangedPath>? ChangedPaths(JsonElement root)
    {
        if (!root.TryGetProperty("commits", out var commits) || commits.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var listed = commits.GetArrayLength();
        var total = root.TryGetProperty("total_commits_count", out var count) && count.TryGetInt32(out var value) ? value : listed;
        if (listed == 0 || total > listed || listed > MaxListedCommits)
        {
            return null;
        }

        // GitLab lists the commits oldest first, the order to fold them in.
        var states = new Dictionary<string, (bool Before, bool After)>(StringComparer.Ordinal);
        foreach (var commit in commits.EnumerateArray())
        {
            Apply(commit, "added", states, existedBefore: false, existsAfter: true);
            Apply(commit, "modified", states, existedBefore: true, existsAfter: true);
            Apply(commit, "removed", states, existedBefore: true, existsAfter: false);
        }

        return states
            .Select(pair => (pair.Key, pair.Value.Before, pair.Value.After) switch
            {
                (var path, false, true) => new ChangedPath(path, ChangeKind.Added),
                (var path, true, false) => new ChangedPath(path, ChangeKind.Deleted),
                (var path, true, true) => new ChangedPath(path, ChangeKind.Modified),
                _ => null,
            })
            .OfType<ChangedPath>()
            .OrderBy(change => change.Path, StringComparer.Ordinal)
            .ToList();
    }

    private static void Apply(JsonElement commit, string list, Dictionary<string, (bool Before, bool After)> states, bool existedBefore, bool existsAfter)
    {
        if (commit.ValueKind != JsonValueKind.Object || !commit.TryGetProperty(list, out var paths) || paths.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var entry in paths.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.String && entry.GetString() is { Length: > 0 } path)
            {
                // The first mention tells whether the path existed before the push; the last whether it exists after.
                states[path] = states.TryGetValue(path, out var state) ? (state.Before, existsAfter) : (existedBefore, existsAfter);
            }
        }
    }

    private static string RequiredString(JsonElement element, string name) =>
        OptionalString(element, name) ?? throw new WebhookPayloadException($"The GitLab push payload has no '{name}' string.");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
