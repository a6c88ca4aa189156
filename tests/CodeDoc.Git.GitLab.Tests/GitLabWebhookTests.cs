using System.Security.Cryptography;
using System.Text;
using CodeDoc.Core;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CodeDoc.Git.GitLab.Tests;

/// <summary>Verification (secret token and signing token) and parsing of GitLab deliveries, on the real payloads.</summary>
public sealed class GitLabWebhookTests : IDisposable
{
    private const string Secret = "It's a Secret to Everybody";
    private const string SigningToken = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly ServiceProvider _services;
    private readonly IWebhookHandler _handler;

    public GitLabWebhookTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddCodeDoc().AddGitLab();
        _services = services.BuildServiceProvider();
        _handler = _services.GetRequiredKeyedService<IWebhookHandler>("gitlab");
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Verify_MatchingSecretToken_Valid()
    {
        var result = _handler.Verify(Delivery(Payload("push.json"), ("X-Gitlab-Token", Secret)), new WebhookSecret(Secret));

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("", "missing")]
    [InlineData("It's a Secret to Everybody ", "does not match")]
    [InlineData("it's a secret to everybody", "does not match")]
    [InlineData("It's a Secret", "does not match")]
    public void Verify_WrongOrMissingToken_RejectedWithAReasonWithoutTheSecret(string? token, string reason)
    {
        var headers = token is null ? [] : new[] { ("X-Gitlab-Token", token) };

        var result = _handler.Verify(Delivery(Payload("push.json"), headers), new WebhookSecret(Secret));

        Assert.False(result.IsValid);
        Assert.Contains(reason, result.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AnyTokenPair_ValidExactlyWhenEqual()
    {
        Gen.Select(Gen.String[1, 40], Gen.String[1, 40]).Sample((configured, presented) =>
        {
            var result = _handler.Verify(Delivery([], ("X-Gitlab-Token", presented)), new WebhookSecret(configured));

            Assert.Equal(configured == presented, result.IsValid);
        });
    }

    [Fact]
    public void Verify_SigningTokenVectorOverTheRealPayload_Valid()
    {
        var delivery = Delivery(
            Payload("push.json"),
            ("webhook-id", "f5e5f430-f57b-4e6e-9fac-d9128cd7232f"),
            ("webhook-timestamp", "1700000000"),
            ("webhook-signature", "v1,3Q04y+BFo8UBCl3/ps5pMW9CCoT6pplmQa7z9ubpdRA="));

        var result = _handler.Verify(delivery, new WebhookSecret(SigningToken));

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Fact]
    public void Verify_StandardWebhooksReferenceVector_Valid()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_614_265_330)));
        services.AddCodeDoc().AddGitLab();
        using var provider = services.BuildServiceProvider();
        var handler = provider.GetRequiredKeyedService<IWebhookHandler>("gitlab");
        var delivery = Delivery(
            """{"test": 2432232314}"""u8.ToArray(),
            ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
            ("webhook-timestamp", "1614265330"),
            ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));

        Assert.True(handler.Verify(delivery, new WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).IsValid);
    }

    [Fact]
    public void Verify_SignedButBodyChanged_RejectedWithoutFallingBackToTheToken()
    {
        var signed = Signed(Payload("push.json"), ("X-Gitlab-Token", SigningToken));
        var body = signed.Body.ToArray();
        body[^2] ^= 0x01;
        var delivery = new WebhookDelivery(signed.Headers, body);

        var result = _handler.Verify(delivery, new WebhookSecret(SigningToken));

        Assert.False(result.IsValid);
        Assert.Contains("does not match", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedDeliveryReplayedLater_RejectedAsOutsideTheWindow()
    {
        _clock.Advance(TimeSpan.FromMinutes(6));

        var result = _handler.Verify(Signed(Payload("push.json")), new WebhookSecret(SigningToken));

        Assert.False(result.IsValid);
        Assert.Contains("5-minute window", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedButMalformedOrIncomplete_RejectedWithAReason()
    {
        var body = Payload("push.json");
        var noId = Delivery(body, ("webhook-timestamp", "1700000000"), ("webhook-signature", "v1,3Q04y+BFo8UBCl3/ps5pMW9CCoT6pplmQa7z9ubpdRA="));
        var badTime = Delivery(body, ("webhook-id", "x"), ("webhook-timestamp", "soon"), ("webhook-signature", "v1,AAAA"));
        var noV1 = Delivery(body, ("webhook-id", "x"), ("webhook-timestamp", "1700000000"), ("webhook-signature", "v2,AAAA"));

        Assert.Contains("webhook-id", _handler.Verify(noId, new WebhookSecret(SigningToken)).FailureReason, StringComparison.Ordinal);
        Assert.Contains("malformed", _handler.Verify(badTime, new WebhookSecret(SigningToken)).FailureReason, StringComparison.Ordinal);
        Assert.Contains("malformed", _handler.Verify(noV1, new WebhookSecret(SigningToken)).FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Push_BranchBeforeAfterAndNoPathsBecauseCommitsWereLeftOut()
    {
        var result = _handler.Parse(Delivery(Payload("push.json"), ("X-Gitlab-Event", "Push Hook"), ("Idempotency-Key", "f5e5f430-f57b-4e6e-9fac-d9128cd7232f")));

        Assert.Equal(WebhookEventKind.Push, result.Kind);
        Assert.Equal("f5e5f430-f57b-4e6e-9fac-d9128cd7232f", result.DeliveryId);
        var push = Assert.Single(result.Pushes);
        Assert.Equal("gitlab", push.HostKind);
        Assert.Equal("15", push.RepositoryId);
        Assert.Equal("http://example.com/mike/diaspora", push.RepositoryUrl);
        Assert.Equal("mike/diaspora", push.RepositoryFullName);
        Assert.Equal(RefKind.Branch, push.RefKind);
        Assert.Equal("master", push.RefName);
        Assert.Equal("95790bf891e76fee5e1747ab589903a6a1f80f22", push.BeforeSha);
        Assert.Equal("da1560886d4f094c3e6c9ef40349f7d38b5d27d7", push.AfterSha);
        Assert.False(push.Created);
        Assert.False(push.Deleted);

        // total_commits_count is 4 but only 2 are listed: the listed paths would be a partial picture.
        Assert.Null(push.ChangedPaths);
    }

    [Fact]
    public void Parse_BranchDeleted_DeletedWithNoAfter()
    {
        var push = Assert.Single(_handler.Parse(Delivery(Payload("push-branch-deleted.json"), ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Event-UUID", "u-1"))).Pushes);

        Assert.True(push.Deleted);
        Assert.Null(push.AfterSha);
        Assert.Equal("68595bc36ba5561c86c73c34ca7a3aae5a0dcfd8", push.BeforeSha);
        Assert.Equal("tomek", push.RefName);
        Assert.Equal("1740047", push.RepositoryId);
        Assert.Equal("u-1", push.DeliveryId);
        Assert.Null(push.ChangedPaths);
    }

    [Fact]
    public void Parse_TagPush_CreatedTagWithItsPaths()
    {
        var push = Assert.Single(_handler.Parse(Delivery(Payload("tag-push.json"), ("X-Gitlab-Event", "Tag Push Hook"))).Pushes);

        Assert.Equal(RefKind.Tag, push.RefKind);
        Assert.Equal("v1.0.0", push.RefName);
        Assert.True(push.Created);
        Assert.Null(push.BeforeSha);
        Assert.Equal("82b3d5ae55f7080f1e6022629cdb57bfae7cccc7", push.AfterSha);
        Assert.Equal([new ChangedPath("CHANGELOG", ChangeKind.Added), new ChangedPath("UPGRADE.md", ChangeKind.Modified)], push.ChangedPaths);
    }

    [Fact]
    public void Parse_TagRemoved_DeletedBecauseCheckoutShaIsNull()
    {
        var push = Assert.Single(_handler.Parse(Delivery(Payload("tag-push-deleted.json"), ("X-Gitlab-Event", "Tag Push Hook"))).Pushes);

        Assert.Equal("xyz", push.RefName);
        Assert.True(push.Deleted);
        Assert.False(push.Created);
        Assert.Null(push.AfterSha);
    }

    [Fact]
    public void Parse_SystemHookPush_ParsedAndOtherSystemEventsIgnored()
    {
        var push = _handler.Parse(Delivery(Payload("tag-push.json"), ("X-Gitlab-Event", "System Hook")));
        var other = _handler.Parse(Delivery("""{"object_kind":"repository_update"}"""u8.ToArray(), ("X-Gitlab-Event", "System Hook")));

        Assert.Equal(WebhookEventKind.Push, push.Kind);
        Assert.Equal(WebhookEventKind.Ignored, other.Kind);
    }

    [Fact]
    public void Parse_MergeRequestHook_IgnoredWithTheEventNamed()
    {
        var result = _handler.Parse(Delivery("{}"u8.ToArray(), ("X-Gitlab-Event", "Merge Request Hook")));

        Assert.Equal(WebhookEventKind.Ignored, result.Kind);
        Assert.Contains("Merge Request Hook", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"object_kind\":\"push\",", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"object_kind\":\"push\",\"before\":\"a\",\"after\":\"b\"}", "'ref'")]
    [InlineData("{\"object_kind\":\"push\",\"ref\":\"refs/heads/main\",\"before\":\"a\",\"after\":\"b\"}", "'project'")]
    public void Parse_MalformedPush_PayloadExceptionSayingWhatIsWrong(string body, string expected)
    {
        var error = Assert.Throws<WebhookPayloadException>(() => _handler.Parse(Delivery(Encoding.UTF8.GetBytes(body), ("X-Gitlab-Event", "Push Hook"))));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoEventHeader_PayloadExceptionNamingTheHeader()
    {
        var error = Assert.Throws<WebhookPayloadException>(() => _handler.Parse(Delivery(Payload("push.json"))));

        Assert.Contains("X-Gitlab-Event", error.Message, StringComparison.Ordinal);
    }

    // GitLab's signing mode as the reference computes it (vector #5 for push.json at 1700000000).
    private static WebhookDelivery Signed(byte[] body, params (string Name, string Value)[] extra)
    {
        const string Id = "f5e5f430-f57b-4e6e-9fac-d9128cd7232f";
        var key = Convert.FromBase64String(SigningToken["whsec_".Length..]);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes($"{Id}.1700000000."), .. body]));
        return Delivery(body, [("webhook-id", Id), ("webhook-timestamp", "1700000000"), ("webhook-signature", "v1," + signature), .. extra]);
    }

    private static WebhookDelivery Delivery(byte[] body, params (string Name, string Value)[] headers) =>
        new(headers.Select(h => KeyValuePair.Create(h.Name, h.Value)), body);

    private static byte[] Payload(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Payloads", file));
}
