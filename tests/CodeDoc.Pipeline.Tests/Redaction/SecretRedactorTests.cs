using CodeDoc.Core;
using CodeDoc.Pipeline.Redaction;
using static CodeDoc.Pipeline.Tests.Redaction.FakeSecrets;

namespace CodeDoc.Pipeline.Tests.Redaction;

public sealed class SecretRedactorTests
{
    private readonly SecretRedactor _redactor = new();
    private readonly Random _random = new(42);

    private string GitHubToken() => "gh" + "p_" + Chars(_random, Alnum, 36);

    // Found by the property test: random base64 that happens to split into word-like pieces.
    [Theory]
    [InlineData("Fk916zmcuxtJw" + "lLxYt4onUAISYFZ==")]
    [InlineData("FguCOQVLYfsez" + "ciwNW2rIQIxQooa==")]
    public void Redact_BasicCredentialThatLooksWordLike_Redacted(string credential)
    {
        var result = _redactor.Redact("x Authorization: Basic " + credential + " y");

        Assert.Equal("x Authorization: Basic [REDACTED:authorization-header] y", result.Text);
    }

    // Found by the property test: a random token holding "duMmY" is not a placeholder.
    [Fact]
    public void Redact_TokenContainingAPlaceholderWordInMixedCase_Redacted()
    {
        var token = "gh" + "r_LtjryjDG3yH3TduMmYFUvziUkn3MLoSqbpND5C87JhYD1ZHBkF4p0pmeKOGyq15PgbbnQrRjaHLN";

        Assert.Equal("5pix [REDACTED:github-token] ", _redactor.Redact("5pix " + token + " ").Text);
    }

    [Theory]
    [InlineData("dummy")]
    [InlineData("DUMMY")]
    [InlineData("my-Dummy-key")]
    [InlineData("ChangeMe")]
    [InlineData("Change_Me_Now")]
    public void IsPlaceholder_WordWrittenAsAWord_True(string value) => Assert.True(SecretHeuristics.IsPlaceholder(value));

    [Fact]
    public void IsPlaceholder_WordInsideRandomCharacters_False() =>
        Assert.False(SecretHeuristics.IsPlaceholder("Q7TduMmYFUvziUkn3MLoSqbp"));

    [Fact]
    public void Redact_NullText_Throws() => Assert.Throws<ArgumentNullException>(() => _redactor.Redact(null!));

    [Fact]
    public void Redact_EmptyText_ReturnsTheSameStringAndNoFindings()
    {
        var text = string.Empty;

        var result = _redactor.Redact(text, "a.cs");

        Assert.Same(text, result.Text);
        Assert.False(result.HasFindings);
    }

    [Fact]
    public void Redact_NoSecret_ReturnsTheSameString()
    {
        var text = "namespace App;\n\npublic static class Program\n{\n    public static void Main() { }\n}\n";

        var result = _redactor.Redact(text, "Program.cs");

        Assert.Same(text, result.Text);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Redact_MultiLineKey_PlaceholderOnFirstLineThenEmptyLinesThenTheRestOfTheLastLine()
    {
        var key = PrivateKey(_random, "RSA ", 3);
        var text = "line 1\nkey: |\n  " + key.Replace("\n", "\n  ", StringComparison.Ordinal) + "\nline after\n";

        var result = _redactor.Redact(text);

        Assert.Equal("line 1\nkey: |\n  [REDACTED:private-key]\n\n\n\n\n\nline after\n", result.Text);
        Assert.Equal(new SecretFinding("private-key", 3), Assert.Single(result.Findings));
    }

    [Fact]
    public void Redact_TextAfterEndMarker_StaysOnTheLastLine()
    {
        var text = "x = \"" + PrivateKey(_random, "EC ", 2) + "\" # trailing";

        var result = _redactor.Redact(text);

        Assert.Equal("x = \"[REDACTED:private-key]\n\n\n\n\" # trailing", result.Text);
    }

    [Fact]
    public void Redact_WindowsAndOldMacLineBreaks_KeptExactlyAndCountedAsLines()
    {
        var text = "a\r\nb\rc\n" + PrivateKey(_random, "RSA ", 2, "\r\n") + "\r\nd " + GitHubToken() + "\r\n";

        var result = _redactor.Redact(text);

        Assert.Equal("a\r\nb\rc\n[REDACTED:private-key]\r\n\r\n\r\n\r\n\r\nd [REDACTED:github-token]\r\n", result.Text);
        Assert.Equal([new SecretFinding("private-key", 4), new SecretFinding("github-token", 9)], result.Findings);
    }

    [Fact]
    public void Redact_TwoSecretsOnOneLine_TwoFindingsInOrderOfPosition()
    {
        var aws = "AK" + "IA" + Chars(_random, Base32, 16);
        var text = "\n\nenv " + GitHubToken() + " then " + aws + " done";

        var result = _redactor.Redact(text);

        Assert.Equal("\n\nenv [REDACTED:github-token] then [REDACTED:aws-access-key-id] done", result.Text);
        Assert.Equal([new SecretFinding("github-token", 3), new SecretFinding("aws-access-key-id", 3)], result.Findings);
    }

    [Fact]
    public void Redact_AnthropicKeyAssignedToApiKey_ReportedAsAnthropicOnce()
    {
        var key = "sk-" + "ant-api03-" + Chars(_random, Base64Url, 93) + "AA";

        var result = _redactor.Redact("api_key = \"" + key + "\"", "config.py");

        Assert.Equal("api_key = \"[REDACTED:anthropic-api-key]\"", result.Text);
        Assert.Equal("anthropic-api-key", Assert.Single(result.Findings).RuleId);
    }

    [Fact]
    public void Redact_OpenAIKeyInGenericAssignment_ReportedAsOpenAIOnce()
    {
        var key = "sk-" + "proj-" + Chars(_random, Base64Url, 60);

        var result = _redactor.Redact("OPENAI_API_KEY: " + key, "docker-compose.yml");

        Assert.Equal("OPENAI_API_KEY: [REDACTED:openai-api-key]", result.Text);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Redact_JwtInAuthorizationHeader_ReportedAsJwt()
    {
        var jwt = "ey" + "J" + Chars(_random, Base64Url, 30) + ".ey" + Chars(_random, Base64Url, 40) + "." + Chars(_random, Base64Url, 43);

        var result = _redactor.Redact("Authorization: Bearer " + jwt);

        Assert.Equal("Authorization: Bearer [REDACTED:jwt]", result.Text);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Redact_TokenAsUrlPassword_ReportedAsTheTokenAndTheWholePasswordRedacted()
    {
        var token = GitHubToken();

        var result = _redactor.Redact("git clone https://x-access-token:" + token + "@github.com/o/r.git");

        Assert.Equal("git clone https://x-access-token:[REDACTED:github-token]@github.com/o/r.git", result.Text);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Redact_GenericValueHoldingATokenAndMore_WholeValueRedactedUnderTheSpecificRule()
    {
        var token = GitHubToken();

        var result = _redactor.Redact("password = \"prefix:" + token + "\"", "a.py");

        Assert.Equal("password = \"[REDACTED:github-token]\"", result.Text);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Redact_ConnectionStringWithPasswordAndAccountKey_EachEntryRedactedAndNamesKept()
    {
        var password = Chars(_random, Alnum, 14);
        var accountKey = Chars(_random, Base64, 86) + "==";
        var text = "{\n  \"Sql\": \"Server=db;User Id=sa;Password=" + password + ";\",\n  \"Blob\": \"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + accountKey + ";\"\n}";

        var result = _redactor.Redact(text, "appsettings.json");

        Assert.Equal(
            "{\n  \"Sql\": \"Server=db;User Id=sa;Password=[REDACTED:generic-secret-assignment];\",\n  \"Blob\": \"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[REDACTED:azure-storage-connection-string];\"\n}",
            result.Text);
        Assert.Equal([new SecretFinding("generic-secret-assignment", 2), new SecretFinding("azure-storage-connection-string", 3)], result.Findings);
    }

    [Fact]
    public void Redact_UnquotedValueInCode_OnlyRedactedInsideAKeyValueString()
    {
        var value = Chars(_random, Alnum, 16);

        Assert.Empty(_redactor.Redact("password = " + value + ";", "Login.cs").Findings);
        Assert.Single(_redactor.Redact("password: " + value, "config.yaml").Findings);
        Assert.Single(_redactor.Redact("var cs = \"user=app;password=" + value + "\";", "Login.cs").Findings);
    }

    [Fact]
    public void Redact_RandomValueWithoutSecretName_OnlyRedactedInDotEnvFiles()
    {
        var text = "SERVICE_BLOB=" + Chars(_random, Alnum, 32);

        Assert.Single(_redactor.Redact(text, "deploy/.env").Findings);
        Assert.Single(_redactor.Redact(text, "deploy/.env.local").Findings);
        Assert.Single(_redactor.Redact(text, "deploy/prod.env").Findings);
        Assert.Empty(_redactor.Redact(text, "deploy/.env.example").Findings);
        Assert.Empty(_redactor.Redact(text, "deploy/settings.ini").Findings);
        Assert.Empty(_redactor.Redact(text).Findings);
    }

    [Fact]
    public void Redact_KeyMaterialWithoutMarkers_OnlyRedactedInKeyFiles()
    {
        var text = "PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 2\n" + Chars(_random, Base64, 64) + "\n" + Chars(_random, Base64, 40) + "\nPrivate-MAC: " + Chars(_random, Hex, 40);

        var inKeyFile = _redactor.Redact(text, "keys/deploy.ppk");

        Assert.Equal("PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 2\n[REDACTED:private-key]\n\nPrivate-MAC: [REDACTED:private-key]", inKeyFile.Text);
        Assert.Equal([new SecretFinding("private-key", 3), new SecretFinding("private-key", 5)], inKeyFile.Findings);
        Assert.Empty(_redactor.Redact(text, "docs/putty.txt").Findings);
    }

    [Fact]
    public void Redact_SecretAssignmentInLockFile_Untouched_ButATokenIsStillRedacted()
    {
        var assignment = "\"token\": \"" + Chars(_random, Alnum, 32) + "\"";

        Assert.Empty(_redactor.Redact(assignment, "package-lock.json").Findings);
        Assert.Single(_redactor.Redact(assignment, "package.json").Findings);
        Assert.Single(_redactor.Redact("\"resolved\": \"" + GitHubToken() + "\"", "package-lock.json").Findings);
    }

    [Fact]
    public void Redact_GuidValue_UntouchedInProjectFilesOnly()
    {
        var text = "<ApiKey>" + Guid.NewGuid().ToString("D") + "</ApiKey>";

        Assert.Empty(_redactor.Redact(text, "App.csproj").Findings);
        Assert.Single(_redactor.Redact(text, "settings.xml").Findings);
    }

    [Fact]
    public void Redact_UnterminatedPrivateKey_RedactsMarkerAndKeyMaterialOnly()
    {
        var body = Chars(_random, Base64, 64) + "\n" + Chars(_random, Base64, 64);
        var text = "-----BEGIN OPENSSH " + "PRIVATE KEY-----\n" + body + "\n\nNext paragraph of text.";

        var result = _redactor.Redact(text);

        Assert.Equal("[REDACTED:private-key]\n\n\n\nNext paragraph of text.", result.Text);
    }

    [Fact]
    public void Redact_TwoKeysInOneFile_TwoFindings()
    {
        var text = PrivateKey(_random, "RSA ", 2) + "\n---\n" + PrivateKey(_random, "EC ", 2);

        var result = _redactor.Redact(text, "keys.yaml");

        Assert.Equal([new SecretFinding("private-key", 1), new SecretFinding("private-key", 7)], result.Findings);
        Assert.Equal("[REDACTED:private-key]\n\n\n\n\n---\n[REDACTED:private-key]\n\n\n\n", result.Text);
    }

    [Fact]
    public void Redact_SameInput_SameOutput()
    {
        var text = string.Join('\n', Canaries.Where(c => c.Path is null).Select(c => c.Build(new Random(7)).Text));

        var first = _redactor.Redact(text);
        var second = _redactor.Redact(text);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Findings, second.Findings);
    }

    [Fact]
    public void Redact_Concurrently_SameResults()
    {
        var texts = Enumerable.Range(0, 64).Select(i => string.Join('\n', Canaries.Where(c => c.Path is null).Select(c => c.Build(new Random(i)).Text))).ToArray();
        var expected = texts.Select(t => _redactor.Redact(t).Text).ToArray();

        var actual = texts.AsParallel().Select(t => _redactor.Redact(t).Text).ToArray();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Redact_LongUnquotedValue_WholeRunRedacted()
    {
        var blob = Chars(_random, Base64, 3000) + "==";
        var text = "data:\n  tls.key: " + blob + "\n  tls.crt: none\n";

        var result = _redactor.Redact(text, "k8s/secret.yaml");

        Assert.Equal("data:\n  tls.key: [REDACTED:generic-secret-assignment]\n  tls.crt: none\n", result.Text);
    }

    [Fact]
    public void Redact_LongQuotedValue_Redacted()
    {
        var blob = Chars(_random, Base64, 6000);

        var result = _redactor.Redact("{ \"privateKey\": \"" + blob + "\" }", "jwk.json");

        Assert.Equal("{ \"privateKey\": \"[REDACTED:generic-secret-assignment]\" }", result.Text);
    }

    [Fact]
    public void Redact_RepeatedNamesInsideOneLongRun_OneFindingCoveringTheRun()
    {
        var text = "key=" + string.Concat(Enumerable.Range(0, 200).Select(_ => Chars(_random, Alnum, 60) + "key="));

        var result = _redactor.Redact(text, "settings.conf");

        Assert.Equal("key=[REDACTED:generic-secret-assignment]", result.Text);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Redact_TokenWithMixedCaseXRun_StillRedacted()
    {
        var token = "gh" + "p_" + "KH0dxXXXc80IwzlZ2Ts" + Chars(_random, Alnum, 17);

        Assert.Equal("[REDACTED:github-token]", _redactor.Redact(token).Text);
    }
}
