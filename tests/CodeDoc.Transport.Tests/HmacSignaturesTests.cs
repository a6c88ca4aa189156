using System.Text;
using CodeDoc.Core;

namespace CodeDoc.Transport.Tests;

public sealed class HmacSignaturesTests
{
    // GitHub's documented test vector (validating-webhook-deliveries).
    private static readonly WebhookSecret Secret = new("It's a Secret to Everybody");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");
    private const string Expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void Sign_DocumentedVector_MatchesGitHub() => Assert.Equal(Expected, HmacSignatures.Sign(Secret, Body));

    [Theory]
    [InlineData(Expected)]
    [InlineData("SHA256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17")]
    public void Verify_CorrectSignature_Valid(string header) => Assert.True(HmacSignatures.Verify("X-Hub-Signature-256", header, Secret, Body).IsValid);

    [Fact]
    public void Verify_ChangedBody_InvalidWithoutRevealingTheExpectedSignature()
    {
        var result = HmacSignatures.Verify("X-Hub-Signature-256", Expected, Secret, Encoding.UTF8.GetBytes("Hello, World?"));

        Assert.False(result.IsValid);
        Assert.DoesNotContain("757107", result.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret to Everybody", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("", "missing")]
    [InlineData("sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59", "malformed")]
    [InlineData("sha256=xyz", "malformed")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1z", "malformed")]
    public void Verify_MissingOrMalformed_ReasonSaysWhich(string? header, string expected)
    {
        var result = HmacSignatures.Verify("X-Hub-Signature", header, Secret, Body);

        Assert.False(result.IsValid);
        Assert.Contains(expected, result.FailureReason, StringComparison.Ordinal);
        Assert.Contains("X-Hub-Signature", result.FailureReason, StringComparison.Ordinal);
    }
}
