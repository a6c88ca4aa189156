using CodeDoc.Core;
using CodeDoc.Transport;

namespace CodeDoc.Git.Bitbucket;

/// <summary>
/// Bitbucket Data Center webhooks: <c>X-Hub-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c> (sent when the
/// hook has a secret), event <c>repo:refs_changed</c> in <c>X-Event-Key</c> with one push event per entry of
/// <c>changes</c>, and <c>diagnostics:ping</c> for the "Test connection" button. The payload has no commits or files.
/// </summary>
internal sealed class BitbucketDataCenterWebhookHandler : IWebhookHandler
{
    private const string Host = "Bitbucket Data Center";

    /// <inheritdoc />
    public string HostKind => BitbucketProviders.DataCenterWebhookKind;

    /// <inheritdoc />
    public WebhookVerificationResult Verify(WebhookDelivery delivery, WebhookSecret secret)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(secret);
        return HmacSignatures.Verify("X-Hub-Signature", delivery.GetHeader("X-Hub-Signature"), secret, delivery.Body.Span);
    }

    /// <inheritdoc />
    public WebhookParseResult Parse(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var deliveryId = delivery.GetHeader("X-Request-Id");
        var headerKey = delivery.GetHeader("X-Event-Key");
        if (headerKey == "diagnostics:ping")
        {
            return new WebhookParseResult(WebhookEventKind.Ping, deliveryId, []);
        }

        if (headerKey is not null && headerKey != "repo:refs_changed")
        {
            return new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], $"Bitbucket Data Center event '{headerKey}' is not a push.");
        }

        using var document = WebhookJson.Parse(delivery.Body, Host);
        var root = document.RootElement;
        var eventKey = headerKey ?? WebhookJson.String(root, "eventKey");
        if (eventKey == "diagnostics:ping")
        {
            return new WebhookParseResult(WebhookEventKind.Ping, deliveryId, []);
        }

        if (eventKey != "repo:refs_changed")
        {
            return new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], eventKey is null
                ? "The delivery has no X-Event-Key header and no eventKey in its body."
                : $"Bitbucket Data Center event '{eventKey}' is not a push.");
        }

        var repository = WebhookJson.Object(root, "repository")
            ?? throw new WebhookPayloadException("The Bitbucket Data Center refs_changed payload has no 'repository' object.");
        var projectKey = WebhookJson.String(WebhookJson.Object(repository, "project"), "key");
        var slug = WebhookJson.String(repository, "slug");
        var url = RepositoryUrl(repository)
            ?? throw new WebhookPayloadException("The Bitbucket Data Center refs_changed payload has no repository link (repository.links.self or clone).");

        var pushes = new List<PushEvent>();
        foreach (var change in WebhookJson.RequiredArray(root, "changes", Host, "changes"))
        {
            var reference = WebhookJson.Object(change, "ref");
            var id = WebhookJson.String(reference, "id") ?? WebhookJson.String(change, "refId");
            RefKind? kind = (WebhookJson.String(reference, "type"), id) switch
            {
                ("BRANCH", _) => RefKind.Branch,
                ("TAG", _) => RefKind.Tag,
                (_, { } full) when full.StartsWith("refs/heads/", StringComparison.Ordinal) => RefKind.Branch,
                (_, { } full) when full.StartsWith("refs/tags/", StringComparison.Ordinal) => RefKind.Tag,
                _ => null,
            };
            if (id is null || kind is not { } refKind)
            {
                continue;
            }

            var type = WebhookJson.String(change, "type");
            var name = WebhookJson.String(reference, "displayId") ?? id[(id.IndexOf('/', "refs/".Length) + 1)..];
            var before = WebhookJson.Sha(WebhookJson.String(change, "fromHash"));
            var after = WebhookJson.Sha(WebhookJson.String(change, "toHash"));
            pushes.Add(new PushEvent
            {
                HostKind = HostKind,
                RepositoryId = WebhookJson.Scalar(repository, "id"),
                RepositoryUrl = url,
                RepositoryFullName = projectKey is null || slug is null ? slug : $"{projectKey}/{slug}",
                Ref = id,
                RefKind = refKind,
                RefName = name,
                BeforeSha = before,
                AfterSha = after,
                Created = type == "ADD" || (before is null && after is not null),
                Deleted = type == "DELETE" || after is null,
                DeliveryId = deliveryId,
            });
        }

        return pushes.Count == 0
            ? new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], "The push changes no branch or tag.")
            : new WebhookParseResult(WebhookEventKind.Push, deliveryId, pushes);
    }

    // The repository's web page: links.self (…/browse, trimmed), else the http clone link without .git.
    private static string? RepositoryUrl(System.Text.Json.JsonElement repository)
    {
        var links = WebhookJson.Object(repository, "links");
        if (links is { } l && l.TryGetProperty("self", out var self) && self.ValueKind == System.Text.Json.JsonValueKind.Array &&
            self.EnumerateArray().Select(s => WebhookJson.String(s, "href")).FirstOrDefault(h => h is not null) is { } href)
        {
            return href.EndsWith("/browse", StringComparison.Ordinal) ? href[..^"/browse".Length] : href;
        }

        if (links is { } c && c.TryGetProperty("clone", out var clone) && clone.ValueKind == System.Text.Json.JsonValueKind.Array &&
            clone.EnumerateArray().FirstOrDefault(x => WebhookJson.String(x, "name") == "http") is { ValueKind: System.Text.Json.JsonValueKind.Object } http &&
            WebhookJson.String(http, "href") is { } cloneUrl)
        {
            return RemoteLocation.WithoutGitSuffix(cloneUrl);
        }

        return null;
    }
}
