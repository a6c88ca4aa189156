using CodeDoc.Pipeline.Redaction;

namespace CodeDoc.Pipeline.Tests.Redaction;

public sealed class SecretHeuristicsTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("aaaa", 0)]
    [InlineData("ab", 1)]
    [InlineData("abcd", 2)]
    [InlineData("0123456789abcdef", 4)]
    public void Entropy_KnownDistributions_BitsPerCharacter(string value, double expected) =>
        Assert.Equal(expected, SecretHeuristics.Entropy(value), precision: 10);

    [Theory]
    [InlineData("abc", 1)]
    [InlineData("aB", 2)]
    [InlineData("aB3", 3)]
    [InlineData("aB3!", 4)]
    [InlineData("", 0)]
    public void CharacterClasses_Counts(string value, int expected) => Assert.Equal(expected, SecretHeuristics.CharacterClasses(value));

    [Theory]
    [InlineData("${DB_PASSWORD}")]
    [InlineData("$DB_PASSWORD")]
    [InlineData("$(Password)")]
    [InlineData("%DB_PASSWORD%")]
    [InlineData("{{ secrets.TOKEN }}")]
    [InlineData("#{Token}#")]
    [InlineData("<your-key>")]
    [InlineData("[API_KEY]")]
    [InlineData("@db.password@")]
    [InlineData("__TOKEN__")]
    [InlineData("{0}")]
    [InlineData("***")]
    [InlineData("********")]
    [InlineData("xxxxxxxx")]
    [InlineData("XXXXX-XXXXX")]
    [InlineData("changeme")]
    [InlineData("Change_Me_Now")]
    [InlineData("your-api-key-here")]
    [InlineData("replace-with-your-token")]
    [InlineData("AKIAEXAMPLEKEY")]
    [InlineData("dummy-secret-value")]
    [InlineData("00000000")]
    [InlineData("true")]
    [InlineData("None")]
    [InlineData("null")]
    [InlineData("12345")]
    [InlineData("3.14")]
    [InlineData("0xFF")]
    [InlineData("process.env.TOKEN")]
    [InlineData("os.environ['TOKEN']")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/x)")]
    [InlineData("string")]
    [InlineData("Password")]
    public void IsPlaceholder_StandIns_True(string value) => Assert.True(SecretHeuristics.IsPlaceholder(value));

    [Theory]
    [InlineData("hunter22")]
    [InlineData("Tr0ub4dor&3")]
    [InlineData("dxXXXc80IwzlZ2Ts")]
    [InlineData("a8Fk2LmQ9zXw")]
    public void IsPlaceholder_Secrets_False(string value) => Assert.False(SecretHeuristics.IsPlaceholder(value));

    [Theory]
    [InlineData("user-profile-settings-v2", true)]
    [InlineData("app.settings.theme", true)]
    [InlineData("RootManageSharedAccessKey", true)]
    [InlineData("AES-256-GCM", true)]
    [InlineData("2024", true)]
    [InlineData("a8Fk2LmQ9zXw", false)]
    [InlineData("5d7b1c35-8a53-4c0e", false)]
    [InlineData("3f2a9c1e8b7d6a5f", false)]
    [InlineData("TestProjectRetargetTo35Allowed", true)]
    [InlineData("_EllipticCurvePrivateKey", true)]
    [InlineData("APIKeyName", true)]
    [InlineData("h480djs93hd8", false)]
    [InlineData("SlAV32hkKG", false)]
    [InlineData("build-20240101", false)]
    public void IsWordLike_ReadsWordsNotRandom(string value, bool expected) => Assert.Equal(expected, SecretHeuristics.IsWordLike(value));

    [Theory]
    [InlineData("/run/secrets/db_password", true)]
    [InlineData("./certs/server.key", true)]
    [InlineData("~/.ssh/id_rsa", true)]
    [InlineData("C:\\keys\\app.pfx", true)]
    [InlineData("/K7MDENG/bPxRfiCY+abc", false)]
    [InlineData("/tenantId", false)]
    [InlineData("abc/def", false)]
    public void IsPath_FileSystemPaths(string value, bool expected) => Assert.Equal(expected, SecretHeuristics.IsPath(value));

    [Theory]
    [InlineData("X-Api-Key", true)]
    [InlineData("auth_token", true)]
    [InlineData("db-password", true)]
    [InlineData("a8Fk2LmQ9zXw", false)]
    public void NamesASecret_ValuesThatAreNames(string value, bool expected) => Assert.Equal(expected, SecretHeuristics.NamesASecret(value));

    [Theory]
    [InlineData("{5D7B1C35-8A53-4C0E-9E4F-3F0F8D7A2B11}", true)]
    [InlineData("5d7b1c35-8a53-4c0e-9e4f-3f0f8d7a2b11", true)]
    [InlineData("5d7b1c358a534c0e9e4f3f0f8d7a2b11", false)]
    public void IsGuid_HyphenatedGuids(string value, bool expected) => Assert.Equal(expected, SecretHeuristics.IsGuid(value));

    [Theory]
    [InlineData("7.9.0", true)]
    [InlineData("v2.1.3-rc.4", true)]
    [InlineData("1.0.0+build.5", true)]
    [InlineData("10.0", true)]
    [InlineData("7", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("a8Fk2.LmQ9", false)]
    public void IsVersion_VersionNumbers(string value, bool expected) => Assert.Equal(expected, SecretHeuristics.IsVersion(value));
}
