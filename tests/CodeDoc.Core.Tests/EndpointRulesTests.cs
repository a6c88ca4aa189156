using CodeDoc.Core;

namespace CodeDoc.Core.Tests;

public sealed class EndpointRulesTests
{
    [Theory]
    [InlineData("https://api.github.com/")]
    [InlineData("http://localhost:11434/")]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("http://127.8.9.10/")]
    [InlineData("http://[::1]:8080/")]
    public void Validate_HttpsOrLoopback_ReturnsNull(string url) =>
        Assert.Null(EndpointRules.Validate(new Uri(url), "CodeDoc:Git:oss:BaseAddress"));

    [Fact]
    public void Validate_PlainHttpToRemoteHost_NamesFieldAndFix()
    {
        var error = EndpointRules.Validate(new Uri("http://gitlab.example.com/"), "CodeDoc:Git:corp:BaseAddress");

        Assert.NotNull(error);
        Assert.Contains("CodeDoc:Git:corp:BaseAddress", error, StringComparison.Ordinal);
        Assert.Contains("https://", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CredentialsInUrl_RejectedWithoutEchoingThem()
    {
        var error = EndpointRules.Validate(new Uri("https://user:canary-secret-123@example.com/"), "X");

        Assert.NotNull(error);
        Assert.DoesNotContain("canary-secret-123", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingRequired_SaysRequired() =>
        Assert.Contains("required", EndpointRules.Validate(null, "X:BaseAddress"), StringComparison.Ordinal);

    [Fact]
    public void Validate_MissingOptional_ReturnsNull() =>
        Assert.Null(EndpointRules.Validate(null, "X:BaseAddress", required: false));

    [Theory]
    [InlineData("ftp://example.com/")]
    [InlineData("file:///etc/passwd")]
    public void Validate_OtherSchemes_Rejected(string url) =>
        Assert.NotNull(EndpointRules.Validate(new Uri(url), "X"));

    [Fact]
    public void SafeDisplay_StripsQueryAndUserInfo()
    {
        var shown = EndpointRules.SafeDisplay(new Uri("https://u:p@host.example/path?token=abc#frag"));

        Assert.Equal("https://host.example/path", shown);
    }
}
