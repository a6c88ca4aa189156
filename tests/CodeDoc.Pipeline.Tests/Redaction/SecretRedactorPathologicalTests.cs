using System.Text;
using CodeDoc.Pipeline.Redaction;

namespace CodeDoc.Pipeline.Tests.Redaction;

/// <summary>Inputs built to make a careless pattern backtrack; each must simply complete with the line count kept.</summary>
public sealed class SecretRedactorPathologicalTests
{
    private const int OneMegabyte = 1024 * 1024;

    private readonly SecretRedactor _redactor = new();

    public static TheoryData<string, string?> Inputs => new()
    {
        { "a-line", null },
        { "a-line", "deploy/id_rsa" },
        { "a-line", ".env" },
        { "equals", null },
        { "equals", ".env" },
        { "password-equals", "app.yaml" },
        { "password-equals", "Program.cs" },
        { "open-quotes", "appsettings.json" },
        { "key-colon-key", "config.yml" },
        { "begin-markers", null },
        { "begin-markers-then-material", null },
        { "dashes", null },
        { "github-prefixes", null },
        { "openai-prefixes", null },
        { "slack-prefixes", null },
        { "gitlab-dots", null },
        { "jwt-segments", null },
        { "scheme-colons", null },
        { "at-signs-and-colons", null },
        { "account-keys", null },
        { "sig-params", null },
        { "authorization-headers", null },
        { "xml-elements", "settings.xml" },
        { "base64-line", null },
        { "base64-line", "keys/server.key" },
        { "many-short-lines", ".env" },
        { "many-secrets", null },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Redact_PathologicalInput_CompletesAndKeepsLineCount(string shape, string? path)
    {
        var text = Build(shape);

        var result = _redactor.Redact(text, path);

        Assert.Equal(SecretRedactorRuleTests.LineCount(text), SecretRedactorRuleTests.LineCount(result.Text));
    }

    [Fact]
    public void Redact_ManySecrets_OneFindingEach()
    {
        var result = _redactor.Redact(Build("many-secrets"));

        Assert.Equal(20_000, result.Findings.Count);
        Assert.All(result.Findings, f => Assert.Equal("github-token", f.RuleId));
        Assert.Equal(Enumerable.Range(1, 20_000), result.Findings.Select(f => f.Line));
    }

    private static string Build(string shape) => shape switch
    {
        "a-line" => new string('a', OneMegabyte),
        "equals" => new string('=', 100_000),
        "password-equals" => Repeat("password=", OneMegabyte),
        "open-quotes" => Repeat("\"password\": \"", OneMegabyte),
        "key-colon-key" => Repeat("key: key: ", OneMegabyte),
        "begin-markers" => Repeat("-----BEGIN RSA " + "PRIVATE KEY-----", OneMegabyte),
        "begin-markers-then-material" => Repeat("-----BEGIN " + "PRIVATE KEY-----\n" + new string('A', 64) + "\n", OneMegabyte),
        "dashes" => new string('-', OneMegabyte),
        "github-prefixes" => Repeat("gh" + "p_", OneMegabyte) + new string('a', 4096),
        "openai-prefixes" => Repeat("sk-", OneMegabyte) + new string('a', 4096),
        "slack-prefixes" => Repeat("xo" + "xb-1-", OneMegabyte),
        "gitlab-dots" => "gl" + "pat-" + Repeat("abcdefghijklmnopqrstuvwxyz.", OneMegabyte),
        "jwt-segments" => Repeat("ey" + "J" + new string('a', 12) + ".", OneMegabyte),
        "scheme-colons" => Repeat("https://a:", OneMegabyte),
        "at-signs-and-colons" => Repeat("x://" + new string(':', 100) + "@", OneMegabyte),
        "account-keys" => Repeat("Account" + "Key=", OneMegabyte),
        "sig-params" => Repeat("&sig=&sig=", OneMegabyte),
        "authorization-headers" => Repeat("Authorization: Bearer Authorization: ", OneMegabyte),
        "xml-elements" => Repeat("<password>", OneMegabyte),
        "base64-line" => new string('Q', OneMegabyte),
        "many-short-lines" => Repeat("K=v\n", OneMegabyte),
        "many-secrets" => ManySecrets(),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown shape."),
    };

    private static string ManySecrets()
    {
        var random = new Random(3);
        var text = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            text.Append("gh").Append("p_").Append(FakeSecrets.Chars(random, FakeSecrets.Alnum, 36)).Append('\n');
        }

        return text.ToString();
    }

    private static string Repeat(string unit, int length)
    {
        var text = new StringBuilder(length + unit.Length);
        while (text.Length < length)
        {
            text.Append(unit);
        }

        return text.ToString();
    }
}
