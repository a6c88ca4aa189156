using System.Security.Cryptography;
using System.Text;
using CodeDoc.Core;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.GitHub.Tests;

/// <summary>Verification and parsing of GitHub deliveries, on the documentation's test vector and real payloads.</summary>
public sealed class GitHubWebhookTests : IDisposable
{
    private const string DocumentationSecret = "It's a Secret to Everybody";
    private const string Zeros = "0000000000000000000000000000000000000000";

    private readonly ServiceProvider _services;
    private readonly IWebhookHandler _handler;

    public GitHubWebhookTests()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc().AddGitHub();
        _services = services.BuildServiceProvider();
        _handler = _services.GetRequiredKeyedService<IWebhookHandler>("github");
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Verify_DocumentationTestVector_Valid()
    {
        var delivery = Delivery("Hello, World!"u8.ToArray(), ("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));

        var result = _handler.Verify(delivery, new WebhookSecret(DocumentationSecret));

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Fact]
    public void Verify_RealPayloadSignedOverItsExactBytes_Valid()
    {
        var delivery = Delivery(Payload("push-branch-created.json"), ("X-Hub-Signature-256", "sha256=8932d8769b1f990ebb7d03235a66217b1de8e48d0c626166d4e8fcac027a123d"));

        Assert.True(_handler.Verify(delivery, new WebhookSecret(DocumentationSecret)).IsValid);
    }

    [Fact]
    public void Verify_BodyChangedByOneByte_RejectedSayingItDoesNotMatch()
    {
        var body = Payload("push-branch-created.json");
        body[^2] ^= 0x01;
        var delivery = Delivery(body, ("X-Hub-Signature-256", "sha256=8932d8769b1f990ebb7d03235a66217b1de8e48d0c626166d4e8fcac027a123d"));

        var result = _handler.Verify(delivery, new WebhookSecret(DocumentationSecret));

        Assert.False(result.IsValid);
        Assert.Contains("does not match", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("", "missing")]
    [InlineData("sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59", "malformed")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d", "malformed")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "malformed")]
    [InlineData("sha256=657107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "does not match")]
    public void Verify_WrongMissingOrMalformedSignature_RejectedWithAReason(string? signature, string reason)
    {
        var headers = signature is null ? [] : new[] { ("X-Hub-Signature-256", signature) };
        var delivery = Delivery("Hello, World!"u8.ToArray(), headers);

        var result = _handler.Verify(delivery, new WebhookSecret(DocumentationSecret));

        Assert.False(result.IsValid);
        Assert.Contains(reason, result.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain(DocumentationSecret, result.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain("757107ea", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_LegacySha1HeaderOnly_Rejected()
    {
        var delivery = Delivery("Hello, World!"u8.ToArray(), ("X-Hub-Signature", "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59"));

        var result = _handler.Verify(delivery, new WebhookSecret(DocumentationSecret));

        Assert.False(result.IsValid);
        Assert.Contains("X-Hub-Signature-256", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BranchCreated_CreatedWithNoBaseAndTheAddedFile()
    {
        var result = _handler.Parse(Push("push-branch-created.json", "d1f3c2a0-0000-11ee-8000-000000000001"));

        Assert.Equal(WebhookEventKind.Push, result.Kind);
        Assert.Equal("d1f3c2a0-0000-11ee-8000-000000000001", result.DeliveryId);
        var push = Assert.Single(result.Pushes);
        Assert.Equal("github", push.HostKind);
        Assert.Equal("186853002", push.RepositoryId);
        Assert.Equal("https://github.com/Codertocat/Hello-World", push.RepositoryUrl);
        Assert.Equal("Codertocat/Hello-World", push.RepositoryFullName);
        Assert.Equal("refs/heads/master", push.Ref);
        Assert.Equal(RefKind.Branch, push.RefKind);
        Assert.Equal("master", push.RefName);
        Assert.True(push.Created);
        Assert.False(push.Deleted);
        Assert.Null(push.BeforeSha);
        Assert.Equal("6113728f27ae82c7b1a177c8d03f9e96e0adf246", push.AfterSha);
        Assert.Equal("d1f3c2a0-0000-11ee-8000-000000000001", push.DeliveryId);
        Assert.Equal([new ChangedPath("README.md", ChangeKind.Added)], push.ChangedPaths);
    }

    [Fact]
    public void Parse_BranchUpdated_BeforeAfterAndTheAddedAndModifiedFiles()
    {
        var push = Assert.Single(_handler.Parse(Push("push-branch-updated.json")).Pushes);

        Assert.False(push.Created);
        Assert.False(push.Deleted);
        Assert.False(push.Forced);
        Assert.Equal("737d38c599c1b2991664dfc6155d6bf516fcce36", push.BeforeSha);
        Assert.Equal("fd489864e7642b48eaad6e3f155c10e46810ec72", push.AfterSha);
        Assert.Equal(
            [new ChangedPath(".razorops.yaml", ChangeKind.Added), new ChangedPath("app/controllers/application_controller.rb", ChangeKind.Modified)],
            push.ChangedPaths);
    }

    [Fact]
    public void Parse_EnterpriseServerTagCreated_TagOnTheServersAddress()
    {
        var push = Assert.Single(_handler.Parse(Push("push-ghes-tag-created.json")).Pushes);

        Assert.Equal(RefKind.Tag, push.RefKind);
        Assert.Equal("simple-tag", push.RefName);
        Assert.Equal("https://octocoders.github.io/Codertocat/Hello-World", push.RepositoryUrl);
        Assert.True(push.Created);
        Assert.Equal("6113728f27ae82c7b1a177c8d03f9e96e0adf246", push.AfterSha);
    }

    [Fact]
    public void Parse_TagDeleted_DeletedWithNoAfterAndNoPaths()
    {
        var push = Assert.Single(_handler.Parse(Push("push-tag-deleted.json")).Pushes);

        Assert.Equal(RefKind.Tag, push.RefKind);
        Assert.True(push.Deleted);
        Assert.Equal("6113728f27ae82c7b1a177c8d03f9e96e0adf246", push.BeforeSha);
        Assert.Null(push.AfterSha);
        Assert.Null(push.ChangedPaths);
    }

    [Fact]
    public void Parse_Ping_RecognisedAsPing()
    {
        var delivery = Delivery("""{"zen":"Keep it logically awesome.","hook_id":1}"""u8.ToArray(), ("X-GitHub-Event", "ping"), ("X-GitHub-Delivery", "abc"));

        var result = _handler.Parse(delivery);

        Assert.Equal(WebhookEventKind.Ping, result.Kind);
        Assert.Equal("abc", result.DeliveryId);
        Assert.Empty(result.Pushes);
    }

    [Fact]
    public void Parse_OtherEvent_IgnoredWithTheEventNamed()
    {
        var result = _handler.Parse(Delivery("{}"u8.ToArray(), ("X-GitHub-Event", "issues")));

        Assert.Equal(WebhookEventKind.Ignored, result.Kind);
        Assert.Contains("issues", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PushToANoteRef_IgnoredAsNeitherBranchNorTag()
    {
        var body = $$$"""{"ref":"refs/notes/commits","before":"{{{Zeros}}}","after":"{{{new string('a', 40)}}}","repository":{"html_url":"https://github.com/a/b"}}""";

        var result = _handler.Parse(Delivery(Encoding.UTF8.GetBytes(body), ("X-GitHub-Event", "push")));

        Assert.Equal(WebhookEventKind.Ignored, result.Kind);
    }

    [Theory]
    [InlineData("{\"ref\":\"refs/heads/main\",", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"before\":\"a\",\"after\":\"b\"}", "'ref'")]
    [InlineData("{\"ref\":\"refs/heads/main\",\"before\":\"a\",\"after\":\"b\"}", "'repository'")]
    public void Parse_MalformedPush_PayloadExceptionSayingWhatIsWrong(string body, string expected)
    {
        var error = Assert.Throws<WebhookPayloadException>(() => _handler.Parse(Delivery(Encoding.UTF8.GetBytes(body), ("X-GitHub-Event", "push"))));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoEventHeader_PayloadExceptionNamingTheHeader()
    {
        var error = Assert.Throws<WebhookPayloadException>(() => _handler.Parse(Delivery(Payload("push-branch-created.json"))));

        Assert.Contains("X-GitHub-Event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AnySecretAndBody_OnlyTheRightSignaturePassesInEitherCase()
    {
        Gen.Select(Gen.String[1, 40], Gen.Byte.Array[0, 512], Gen.Bool).Sample((secretText, body, upper) =>
        {
            var secret = new WebhookSecret(secretText);
            var hex = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretText), body));
            var signature = "sha256=" + (upper ? hex.ToUpperInvariant() : hex);

            Assert.True(_handler.Verify(Delivery(body, ("X-Hub-Signature-256", signature)), secret).IsValid);
            Assert.False(_handler.Verify(Delivery(body, ("X-Hub-Signature-256", signature)), new WebhookSecret(secretText + "x")).IsValid);
            Assert.False(_handler.Verify(Delivery([.. body, 0x20], ("X-Hub-Signature-256", signature)), secret).IsValid);
        });
    }

    private static WebhookDelivery Push(string file, string? deliveryId = null) =>
        deliveryId is null
            ? Delivery(Payload(file), ("X-GitHub-Event", "push"))
            : Delivery(Payload(file), ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", deliveryId));

    private static WebhookDelivery Delivery(byte[] body, params (string Name, string Value)[] headers) =>
        new(headers.Select(h => KeyValuePair.Create(h.Name, h.Value)), body);

    private static byte[] Payload(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Payloads", file));
}
