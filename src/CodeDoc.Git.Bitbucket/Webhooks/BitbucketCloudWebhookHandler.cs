using System.Text.Json;
using CodeDoc.Core;
using CodeDoc.Transport;

namespace CodeDoc.Git.Bitbucket;

/// <summary>
/// Bitbucket Cloud webhooks: <c>X-Hub-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c> (sent when the hook has
/// a secret), event <c>repo:push</c> in <c>X-Event-Key</c>, one push event per entry of <c>push.changes</c>. The
/// payload lists no files; compare the SHAs for the changed paths.
/// </summary>
internal sealed class BitbucketCloudWebhookHandler : IWebhookHandler
{
    private const string Host = "Bitbucket Cloud";

    /// <inheritdoc />
    public string HostKind => BitbucketProviders.CloudWebhookKind;

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

        // X-Request-UUID names the request, X-Hook-UUID the webhook; together they identify a delivery.
        var request = delivery.GetHeader("X-Request-UUID");
        var hook = delivery.GetHeader("X-Hook-UUID");
        var deliveryId = request is null ? null : hook is null ? request : $"{hook}/{request}";
        var eventKey = delivery.GetHeader("X-Event-Key");
        if (eventKey is not null && eventKey != "repo:push")
        {
            return new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], $"Bitbucket Cloud event '{eventKey}' is not a push.");
        }

        using var document = WebhookJson.Parse(delivery.Body, Host);
        var root = document.RootElement;
        if (WebhookJson.Object(root, "push") is not { } push)
        {
            if (eventKey is null)
            {
                return new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], "The delivery has no X-Event-Key header and no push in its body.");
            }

            throw new WebhookPayloadException("The Bitbucket Cloud repo:push payload has no 'push' object: it is not a push event Bitbucket Cloud sends.");
        }

        var repository = WebhookJson.Object(root, "repository")
            ?? throw new WebhookPayloadException("The Bitbucket Cloud push payload has no 'repository' object.");
        var fullName = WebhookJson.String(repository, "full_name");
        var url = WebhookJson.String(WebhookJson.Object(WebhookJson.Object(repository, "links") ?? default, "html"), "href")
            ?? (fullName is null ? null : BitbucketOptions.CloudWebAddress + fullName)
            ?? throw new WebhookPayloadException("The Bitbucket Cloud push payload names no repository (no repository.full_name or links.html).");

        var pushes = new List<PushEvent>();
        foreach (var change in WebhookJson.RequiredArray(push, "changes", Host, "push.changes"))
        {
            var after = WebhookJson.Object(change, "new");
            var before = WebhookJson.Object(change, "old");
            var side = after ?? before;
            var name = WebhookJson.String(side, "name");
            RefKind? kind = WebhookJson.String(side, "type") switch
            {
                "branch" or "named_branch" => RefKind.Branch,
                "tag" => RefKind.Tag,
                _ => null,
            };
            if (name is null || kind is not { } refKind)
            {
                continue;
            }

            pushes.Add(new PushEvent
            {
                HostKind = HostKind,
                RepositoryId = WebhookJson.String(repository, "uuid"),
                RepositoryUrl = url,
                RepositoryFullName = fullName,
                Ref = (refKind == RefKind.Branch ? "refs/heads/" : "refs/tags/") + name,
                RefKind = refKind,
                RefName = name,
                BeforeSha = WebhookJson.Sha(WebhookJson.String(WebhookJson.Object(before ?? default, "target"), "hash")),
                AfterSha = WebhookJson.Sha(WebhookJson.String(WebhookJson.Object(after ?? default, "target"), "hash")),
                Created = WebhookJson.Boolean(change, "created") || (before is null && after is not null),
                Deleted = WebhookJson.Boolean(change, "closed") || after is null,
                Forced = WebhookJson.Boolean(change, "forced"),
                DeliveryId = deliveryId,
            });
        }

        return pushes.Count == 0
            ? new WebhookParseResult(WebhookEventKind.Ignored, deliveryId, [], "The push changes no branch or tag.")
            : new WebhookParseResult(WebhookEventKind.Push, deliveryId, pushes);
    }
}
