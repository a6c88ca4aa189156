using System.Text;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Git.AzureDevOps.Tests;

public sealed class AzureDevOpsWebhookTests
{
    private const string User = "codedoc";
    private const string Password = "It's a Secret to Everybody";

    public static TheoryData<string> Payloads => new() { "git-push.json", "git-push-real-org.json", "git-push-branch-deleted.json" };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Verify_EveryPayloadWithTheSubscriptionsBasicCredentials_IsValid(string file)
    {
        var delivery = Delivery(Read(file), ("Authorization", Basic(User, Password)));

        Assert.True(new AzureDevOpsWebhookHandler(null).Verify(delivery, new WebhookSecret(User + ":" + Password)).IsValid);
        Assert.True(new AzureDevOpsWebhookHandler(null).Verify(delivery, new WebhookSecret(Password)).IsValid);
    }

    [Theory]
    [InlineData("codedoc:wrong", "do not match")]
    [InlineData("other:" + Password, "do not match")]
    public void Verify_WrongBasicCredentials_AreRejected(string presented, string reason)
    {
        var colon = presented.IndexOf(':', StringComparison.Ordinal);
        var delivery = Delivery(Read("git-push-real-org.json"), ("Authorization", Basic(presented[..colon], presented[(colon + 1)..])));

        var result = new AzureDevOpsWebhookHandler(null).Verify(delivery, new WebhookSecret(User + ":" + Password));

        Assert.False(result.IsValid);
        Assert.Contains(reason, result.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("Bearer abc", "not Basic")]
    [InlineData("Basic !!!", "not base64")]
    [InlineData("Basic bm9jb2xvbg==", "no ':'")]
    public void Verify_MissingOrMalformedAuthorization_IsRejectedWithReason(string? authorization, string reason)
    {
        var headers = authorization is null ? [] : new[] { ("Authorization", authorization) };
        var result = new AzureDevOpsWebhookHandler(null).Verify(Delivery(Read("git-push.json"), headers), new WebhookSecret(Password));

        Assert.False(result.IsValid);
        Assert.Contains(reason, result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Password, true)]
    [InlineData("It's a Secret to Everybod", false)]
    [InlineData(Password + "!", false)]
    public void Verify_ConfiguredHeader_ComparesItsValue(string presented, bool valid)
    {
        var handler = new AzureDevOpsWebhookHandler("X-CodeDoc-Secret");

        var result = handler.Verify(Delivery(Read("git-push.json"), ("X-CodeDoc-Secret", presented), ("Authorization", Basic(User, Password))), new WebhookSecret(Password));
        var missing = handler.Verify(Delivery(Read("git-push.json"), ("Authorization", Basic(User, Password))), new WebhookSecret(Password));

        Assert.Equal(valid, result.IsValid);
        Assert.False(missing.IsValid);
        Assert.Contains("X-CodeDoc-Secret", missing.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RealPush_GivesBranchShasRepositoryAndDeliveryId()
    {
        var parsed = new AzureDevOpsWebhookHandler(null).Parse(Delivery(Read("git-push-real-org.json")));

        Assert.Equal((WebhookEventKind.Push, "9c335e3e-e047-405c-a420-d679bd54a299"), (parsed.Kind, parsed.DeliveryId));
        var push = Assert.Single(parsed.Pushes);
        Assert.Equal(("refs/heads/main", "main", RefKind.Branch), (push.Ref, push.RefName, push.RefKind));
        Assert.Equal(("51515957669f93c543df09f8f3e7f47c3613c879", "b0ce2f2009c3c87dbefadf61d7eb2c0697a6f369"), (push.BeforeSha, push.AfterSha));
        Assert.Equal("https://dev.azure.com/ttchong/test-zulip/_git/test-zulip", push.RepositoryUrl);
        Assert.Equal(("98f0ce59-a912-43d5-96d2-bc0942a03f7b", "test-zulip/test-zulip"), (push.RepositoryId, push.RepositoryFullName));
        Assert.False(push.Created || push.Deleted);
        Assert.Null(push.ChangedPaths);
    }

    [Fact]
    public void Parse_BranchDeleted_IsDeletedWithoutAfter()
    {
        var push = Assert.Single(new AzureDevOpsWebhookHandler(null).Parse(Delivery(Read("git-push-branch-deleted.json"))).Pushes);

        Assert.Equal(("refs/heads/dev", true, false), (push.Ref, push.Deleted, push.Created));
        Assert.Equal("0929a3404b39f6e39076a640779b2c1c961e19b5", push.BeforeSha);
        Assert.Null(push.AfterSha);
    }

    [Fact]
    public void Parse_DocumentedSampleOfTheTestButton_IsPing()
    {
        var parsed = new AzureDevOpsWebhookHandler(null).Parse(Delivery(Read("git-push.json")));

        Assert.Equal((WebhookEventKind.Ping, "03c164c2-8912-4d5e-8009-3707d5f83734"), (parsed.Kind, parsed.DeliveryId));
        Assert.Empty(parsed.Pushes);
    }

    [Fact]
    public void Parse_OtherEvent_IsIgnoredWithReason()
    {
        var parsed = new AzureDevOpsWebhookHandler(null).Parse(Delivery("{\"id\":\"1\",\"eventType\":\"git.pullrequest.created\",\"subscriptionId\":\"s\"}"u8.ToArray()));

        Assert.Equal(WebhookEventKind.Ignored, parsed.Kind);
        Assert.Contains("git.pullrequest.created", parsed.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"eventType\": ")]
    [InlineData("[]")]
    [InlineData("{\"id\":\"1\",\"eventType\":\"git.push\",\"subscriptionId\":\"s\",\"resource\":{}}")]
    [InlineData("{\"id\":\"1\",\"eventType\":\"git.push\",\"subscriptionId\":\"s\",\"resource\":{\"repository\":{\"remoteUrl\":\"https://x\"},\"refUpdates\":[]}}")]
    public void Parse_MalformedOrIncompletePush_ThrowsPayloadException(string body)
    {
        Assert.Throws<WebhookPayloadException>(() => new AzureDevOpsWebhookHandler(null).Parse(Delivery(Encoding.UTF8.GetBytes(body))));
    }

    [Fact]
    public void AddAzureDevOpsWebhooks_WithHeader_RegistersAHandlerCheckingThatHeader()
    {
        var services = new ServiceCollection();
        services.AddCodeDoc().AddAzureDevOpsWebhooks("X-CodeDoc-Secret");
        using var provider = services.BuildServiceProvider();
        var handler = provider.GetRequiredKeyedService<IWebhookHandler>("azure-devops");

        Assert.True(handler.Verify(Delivery(Read("git-push.json"), ("X-CodeDoc-Secret", Password)), new WebhookSecret(Password)).IsValid);
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    private static byte[] Read(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", file));

    private static WebhookDelivery Delivery(byte[] body, params (string Name, string Value)[] headers) =>
        new(headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)), body);
}
