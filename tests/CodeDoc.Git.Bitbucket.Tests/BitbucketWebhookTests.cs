using System.Security.Cryptography;
using System.Text;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.Bitbucket.Tests;

public sealed class BitbucketWebhookTests
{
    private const string Secret = "It's a Secret to Everybody";

    public static TheoryData<string, string> Payloads => new()
    {
        { "bitbucket-cloud", "repo-push.json" },
        { "bitbucket-cloud", "repo-push-branch-deleted.json" },
        { "bitbucket-cloud", "repo-push-tag-created.json" },
        { "bitbucket-dc", "repo-refs-changed-branch-deleted.json" },
        { "bitbucket-dc", "repo-refs-changed-multiple-branches.json" },
        { "bitbucket-dc", "repo-refs-changed-tag-deleted.json" },
    };

    [Theory]
    [InlineData("bitbucket-cloud", "repo-push.json", "sha256=ea189b5060ab01a76105518600479b4cd6915e42312f0e52a678589507348bbb")]
    [InlineData("bitbucket-dc", "repo-refs-changed-branch-deleted.json", "sha256=d475f10f85be2114db42cab93681ae9352f14950a2e6fd0bc23d422b61dc10dd")]
    public void Verify_PublishedFixtureSignature_IsValid(string host, string file, string signature)
    {
        var result = Handler(host).Verify(Delivery(host, Read(host, file), signature), new WebhookSecret(Secret));

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Theory]
    [InlineData("bitbucket-cloud")]
    [InlineData("bitbucket-dc")]
    public void Verify_GitHubDocumentationVector_IsValidInXHubSignature(string host)
    {
        var body = "Hello, World!"u8.ToArray();

        var result = Handler(host).Verify(Delivery(host, body, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"), new WebhookSecret(Secret));

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Verify_EveryPayloadSignedOverItsExactBytes_IsValidAndAChangedByteIsNot(string host, string file)
    {
        var body = Read(host, file);
        var signature = Sign(body);
        var tampered = body.ToArray();
        tampered[^2] ^= 0x01;

        Assert.True(Handler(host).Verify(Delivery(host, body, signature), new WebhookSecret(Secret)).IsValid);
        Assert.True(Handler(host).Verify(Delivery(host, body, signature.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal)), new WebhookSecret(Secret)).IsValid);
        var changed = Handler(host).Verify(Delivery(host, tampered, signature), new WebhookSecret(Secret));
        Assert.False(changed.IsValid);
        Assert.Contains("does not match", changed.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bitbucket-cloud", null, "missing")]
    [InlineData("bitbucket-dc", null, "missing")]
    [InlineData("bitbucket-cloud", "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59", "malformed")]
    [InlineData("bitbucket-dc", "sha256=757107ea", "malformed")]
    [InlineData("bitbucket-cloud", "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "malformed")]
    [InlineData("bitbucket-dc", "sha256=0000000000000000000000000000000000000000000000000000000000000000", "does not match")]
    public void Verify_MissingMalformedOrWrongSignature_IsRejectedWithReason(string host, string? signature, string reason)
    {
        var result = Handler(host).Verify(Delivery(host, "Hello, World!"u8.ToArray(), signature), new WebhookSecret(Secret));

        Assert.False(result.IsValid);
        Assert.Contains(reason, result.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CloudBranchUpdate_GivesBranchShasAndDeliveryId()
    {
        var parsed = Handler("bitbucket-cloud").Parse(Delivery("bitbucket-cloud", Read("bitbucket-cloud", "repo-push.json"), null));

        Assert.Equal(WebhookEventKind.Push, parsed.Kind);
        Assert.Equal("hook-1/request-1", parsed.DeliveryId);
        var push = Assert.Single(parsed.Pushes);
        Assert.Equal(("refs/heads/name-of-branch", RefKind.Branch, "name-of-branch"), (push.Ref, push.RefKind, push.RefName));
        Assert.Equal(("1e65c05c1d5171631d92438a13901ca7dae9618c", "709d658dc5b6d6afcd46049c2f332ee3f515a67d"), (push.BeforeSha, push.AfterSha));
        Assert.Equal("team_name/repo_name", push.RepositoryFullName);
        Assert.Equal("{673a6070-3421-46c9-9d48-90745f7bfe8e}", push.RepositoryId);
        Assert.False(push.Created || push.Deleted || push.Forced);
        Assert.Null(push.ChangedPaths);
    }

    [Fact]
    public void Parse_CloudBranchDeleted_IsDeletedWithoutAfter()
    {
        var push = Assert.Single(Handler("bitbucket-cloud").Parse(Delivery("bitbucket-cloud", Read("bitbucket-cloud", "repo-push-branch-deleted.json"), null)).Pushes);

        Assert.Equal(("refs/heads/master", true, false), (push.Ref, push.Deleted, push.Created));
        Assert.Equal("25f93d22b719e2d678a7ad5ee0ef0d1fcdf39c12", push.BeforeSha);
        Assert.Null(push.AfterSha);
        Assert.Equal("https://bitbucket.org/kolaszek/repository-name", push.RepositoryUrl);
    }

    [Fact]
    public void Parse_CloudTagCreated_IsCreatedTag()
    {
        var push = Assert.Single(Handler("bitbucket-cloud").Parse(Delivery("bitbucket-cloud", Read("bitbucket-cloud", "repo-push-tag-created.json"), null)).Pushes);

        Assert.Equal(("refs/tags/a", RefKind.Tag, true, false), (push.Ref, push.RefKind, push.Created, push.Deleted));
        Assert.Equal("450118afff93569d1ce362174e9f1a7f104f9166", push.AfterSha);
        Assert.Null(push.BeforeSha);
    }

    [Fact]
    public void Parse_DataCenterBranchDeleted_IsDeletedPersonalRepository()
    {
        var parsed = Handler("bitbucket-dc").Parse(Delivery("bitbucket-dc", Read("bitbucket-dc", "repo-refs-changed-branch-deleted.json"), null));

        Assert.Equal("request-1", parsed.DeliveryId);
        var push = Assert.Single(parsed.Pushes);
        Assert.Equal(("refs/heads/feature/wip", "feature/wip", RefKind.Branch, true), (push.Ref, push.RefName, push.RefKind, push.Deleted));
        Assert.Equal("32a0b8a740c2963c6f56bd8baf3dc05683d299e0", push.BeforeSha);
        Assert.Null(push.AfterSha);
        Assert.Equal("https://server.bitbucket.local/users/gopher/repos/webhook-test", push.RepositoryUrl);
    }

    [Fact]
    public void Parse_DataCenterTwoBranchesInOnePush_GivesOnePushPerRef()
    {
        var parsed = Handler("bitbucket-dc").Parse(Delivery("bitbucket-dc", Read("bitbucket-dc", "repo-refs-changed-multiple-branches.json"), null));

        Assert.Equal(
            [("refs/heads/branch1", "9e5afb9f11a396eae4bf24755505d931b530649a", "3980c2be32a7e23c795741d5dc1a2eecb9b85d6d"), ("refs/heads/master", "cb2e368ba3aca8a510f89667ae97b56d6a323db7", "fc43d13cff1abb28631196944ba4fc4ad06a2cf2")],
            parsed.Pushes.Select(p => (p.Ref, p.BeforeSha!, p.AfterSha!)));
        Assert.All(parsed.Pushes, p => Assert.Equal("SBOX/sandbox", p.RepositoryFullName));
        Assert.All(parsed.Pushes, p => Assert.False(p.Created || p.Deleted));
    }

    [Fact]
    public void Parse_DataCenterTagDeleted_IsDeletedTag()
    {
        var push = Assert.Single(Handler("bitbucket-dc").Parse(Delivery("bitbucket-dc", Read("bitbucket-dc", "repo-refs-changed-tag-deleted.json"), null)).Pushes);

        Assert.Equal(("refs/tags/test-tag", RefKind.Tag, true), (push.Ref, push.RefKind, push.Deleted));
    }

    [Fact]
    public void Parse_DataCenterPing_IsPing()
    {
        var delivery = new WebhookDelivery([new("X-Event-Key", "diagnostics:ping"), new("X-Request-Id", "ping-1")], "{\"test\": true}"u8.ToArray());

        var parsed = Handler("bitbucket-dc").Parse(delivery);

        Assert.Equal((WebhookEventKind.Ping, "ping-1"), (parsed.Kind, parsed.DeliveryId));
    }

    [Theory]
    [InlineData("bitbucket-cloud", "pullrequest:created")]
    [InlineData("bitbucket-dc", "pr:opened")]
    public void Parse_OtherEvent_IsIgnoredWithReason(string host, string eventKey)
    {
        var delivery = new WebhookDelivery([new("X-Event-Key", eventKey)], "{}"u8.ToArray());

        var parsed = Handler(host).Parse(delivery);

        Assert.Equal(WebhookEventKind.Ignored, parsed.Kind);
        Assert.Contains(eventKey, parsed.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bitbucket-cloud", "{\"push\": ")]
    [InlineData("bitbucket-cloud", "{\"push\": {\"changes\": []}}")]
    [InlineData("bitbucket-dc", "[1, 2]")]
    [InlineData("bitbucket-dc", "{\"eventKey\": \"repo:refs_changed\", \"changes\": []}")]
    public void Parse_MalformedOrIncompletePush_ThrowsPayloadException(string host, string body)
    {
        var delivery = Delivery(host, Encoding.UTF8.GetBytes(body), null);

        Assert.Throws<WebhookPayloadException>(() => Handler(host).Parse(delivery));
    }

    [Fact]
    public void AddBitbucketWebhooks_RegistersBothHandlersByHostKind()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc().AddBitbucketWebhooks();
        using var provider = services.BuildServiceProvider();

        Assert.Equal("bitbucket-cloud", provider.GetRequiredKeyedService<IWebhookHandler>("bitbucket-cloud").HostKind);
        Assert.Equal("bitbucket-dc", provider.GetRequiredKeyedService<IWebhookHandler>("bitbucket-dc").HostKind);
    }

    private static IWebhookHandler Handler(string host) =>
        host == "bitbucket-cloud" ? new BitbucketCloudWebhookHandler() : new BitbucketDataCenterWebhookHandler();

    private static byte[] Read(string host, string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", host, file));

    private static string Sign(byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));

    private static WebhookDelivery Delivery(string host, byte[] body, string? signature)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (host == "bitbucket-cloud")
        {
            headers.Add(new("X-Event-Key", "repo:push"));
            headers.Add(new("X-Hook-UUID", "hook-1"));
            headers.Add(new("X-Request-UUID", "request-1"));
            headers.Add(new("X-Attempt-Number", "1"));
        }
        else
        {
            headers.Add(new("X-Event-Key", "repo:refs_changed"));
            headers.Add(new("X-Request-Id", "request-1"));
        }

        if (signature is not null)
        {
            headers.Add(new("X-Hub-Signature", signature));
        }

        return new WebhookDelivery(headers, body);
    }
}
