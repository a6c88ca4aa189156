using System.Text;

namespace CodeDoc.Pipeline.Tests.Redaction;

/// <summary>A piece of text holding one secret, and the secret itself (the part that must disappear).</summary>
public sealed record SecretSnippet(string Text, string Secret);

/// <summary>
/// A format-valid but fake secret for one rule, built at run time from random characters, so that no string in the
/// repository looks like a live credential to a secret scanner.
/// </summary>
/// <param name="Name">The case name.</param>
/// <param name="RuleId">The rule that must find it.</param>
/// <param name="Path">The file path to redact it under, or <see langword="null"/> when it is found anywhere.</param>
/// <param name="Build">Builds the snippet from a random source.</param>
public sealed record Canary(string Name, string RuleId, string? Path, Func<Random, SecretSnippet> Build)
{
    public override string ToString() => Name;
}

internal static class FakeSecrets
{
    public const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string Lower = "abcdefghijklmnopqrstuvwxyz";
    public const string Digits = "0123456789";
    public const string Alnum = Upper + Lower + Digits;
    public const string Base64 = Alnum + "+/";
    public const string Base64Url = Alnum + "-_";
    public const string Base32 = Upper + "234567";
    public const string Hex = "0123456789abcdef";

    /// <summary>Random characters from an alphabet, with at least one upper-case letter, lower-case letter and digit where the alphabet has them.</summary>
    public static string Chars(Random random, string alphabet, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        var slot = 0;
        foreach (var required in new[] { Upper, Lower, Digits })
        {
            var present = alphabet.Where(required.Contains).ToArray();
            if (present.Length > 0 && length > 3)
            {
                chars[slot++ * (length / 3)] = present[random.Next(present.Length)];
            }
        }

        return new string(chars);
    }

    public static string PemBody(Random random, int lines)
    {
        var body = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            body.Append(Chars(random, Base64, 64)).Append('\n');
        }

        return body.ToString();
    }

    private static string Marker(string edge, string label) => "-----" + edge + " " + label + "PRIVATE" + " KEY-----";

    public static string PrivateKey(Random random, string label, int lines, string newline = "\n") =>
        (Marker("BEGIN", label) + "\n" + PemBody(random, lines) + Chars(random, Base64, 20) + "==\n" + Marker("END", label)).Replace("\n", newline, StringComparison.Ordinal);

    private static SecretSnippet Same(string secret) => new(secret, secret);

    private static SecretSnippet Around(string before, string secret, string after = "") => new(before + secret + after, secret);

    /// <summary>One or more canaries per rule, in several shapes.</summary>
    public static IReadOnlyList<Canary> Canaries { get; } =
    [
        new("pem-rsa", "private-key", "certs/server.pem", r => Same(PrivateKey(r, "RSA ", 25))),
        new("pem-openssh", "private-key", null, r => Same(PrivateKey(r, "OPENSSH ", 6))),
        new("pem-ec", "private-key", null, r => Same(PrivateKey(r, "EC ", 3))),
        new("pem-dsa", "private-key", null, r => Same(PrivateKey(r, "DSA ", 3))),
        new("ssh2-encrypted", "private-key", null, r =>
            Same("---- BEGIN SSH2 ENCRYPTED " + "PRIVATE KEY ----\nComment: \"rsa-key-20240101\"\n" + PemBody(r, 6) + "---- END SSH2 ENCRYPTED " + "PRIVATE KEY ----")),
        new("pem-pkcs8-encrypted", "private-key", null, r => Same(PrivateKey(r, "ENCRYPTED ", 12))),
        new("pem-pkcs8", "private-key", null, r => Same(PrivateKey(r, string.Empty, 10))),
        new("pem-crlf", "private-key", null, r => Same(PrivateKey(r, "RSA ", 4, "\r\n"))),
        new("pem-legacy-encrypted", "private-key", null, r =>
            Same("-----BEGIN RSA " + "PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC," + Chars(r, "0123456789ABCDEF", 32) + "\n\n" +
                 PemBody(r, 5) + "-----END RSA " + "PRIVATE KEY-----")),
        new("pgp-block", "private-key", "keys/signing.asc", r =>
            Same("-----BEGIN PGP " + "PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n" + PemBody(r, 8) + "=" + Chars(r, Base64, 4) + "\n-----END PGP " + "PRIVATE KEY BLOCK-----")),
        new("pem-in-json-string", "private-key", "service-account.json", r =>
            Around("  \"private_key\": \"", "-----BEGIN " + "PRIVATE KEY-----\\n" + PemBody(r, 4).Replace("\n", "\\n", StringComparison.Ordinal) + "-----END " + "PRIVATE KEY-----", "\\n\",")),
        new("pem-unterminated", "private-key", null, r => Same("-----BEGIN RSA " + "PRIVATE KEY-----\n" + PemBody(r, 3).TrimEnd('\n'))),
        new("key-file-raw", "private-key", "deploy/id_ed25519", r => Same(PemBody(r, 3).TrimEnd('\n'))),
        new("anthropic-env", "anthropic-api-key", null, r => Around("ANTHROPIC_API_KEY=", "sk-ant-" + "api03-" + Chars(r, Base64Url, 93) + "AA")),
        new("anthropic-bare", "anthropic-api-key", "Program.cs", r => Around("var key = \"", "sk-ant-" + "admin01-" + Chars(r, Base64Url, 60), "\";")),
        new("openai-project", "openai-api-key", null, r => Same("sk-" + "proj-" + Chars(r, Base64Url, 74) + "T3Blbk" + "FJ" + Chars(r, Base64Url, 74))),
        new("openai-legacy", "openai-api-key", null, r => Same("sk-" + Chars(r, Alnum, 20) + "T3Blbk" + "FJ" + Chars(r, Alnum, 20))),
        new("openai-service-account", "openai-api-key", "app.py", r => Around("client = OpenAI(api_key=\"", "sk-" + "svcacct-" + Chars(r, Base64Url, 60), "\")")),
        new("github-classic-pat", "github-token", null, r => Same("gh" + "p_" + Chars(r, Alnum, 36))),
        new("github-oauth", "github-token", null, r => Same("gh" + "o_" + Chars(r, Alnum, 36))),
        new("github-user-to-server", "github-token", null, r => Same("gh" + "u_" + Chars(r, Alnum, 36))),
        new("github-server-to-server", "github-token", null, r => Same("gh" + "s_" + Chars(r, Alnum, 36))),
        new("github-refresh", "github-token", null, r => Same("gh" + "r_" + Chars(r, Alnum, 76))),
        new("github-fine-grained", "github-fine-grained-token", null, r => Same("github" + "_pat_" + Chars(r, Alnum, 22) + "_" + Chars(r, Alnum, 59))),
        new("gitlab-pat", "gitlab-token", null, r => Same("gl" + "pat-" + Chars(r, Base64Url, 20))),
        new("gitlab-routable-pat", "gitlab-token", null, r => Same("gl" + "pat-" + Chars(r, Base64Url, 27) + ".01." + Chars(r, Alnum, 9))),
        new("gitlab-deploy", "gitlab-token", null, r => Same("gl" + "dt-" + Chars(r, Base64Url, 20))),
        new("gitlab-runner", "gitlab-token", ".gitlab-ci.yml", r => Around("  token: ", "gl" + "rt-" + Chars(r, Base64Url, 20))),
        new("gitlab-trigger", "gitlab-token", null, r => Same("gl" + "ptt-" + Chars(r, Hex, 40))),
        new("gitlab-runner-registration", "gitlab-token", null, r => Same("GR134" + "8941" + Chars(r, Base64Url, 20))),
        new("slack-bot", "slack-token", null, r => Same("xo" + "xb-" + Chars(r, Digits, 12) + "-" + Chars(r, Digits, 13) + "-" + Chars(r, Alnum, 24))),
        new("slack-user", "slack-token", null, r => Same("xo" + "xp-" + Chars(r, Digits, 12) + "-" + Chars(r, Digits, 12) + "-" + Chars(r, Digits, 13) + "-" + Chars(r, Hex, 32))),
        new("slack-app", "slack-token", null, r => Same("xa" + "pp-1-" + Chars(r, Upper + Digits, 11) + "-" + Chars(r, Digits, 13) + "-" + Chars(r, Hex, 64))),
        new("slack-webhook", "slack-webhook-url", "notify.sh", r =>
            Around("curl -X POST https://hooks.slack.com/services/", "T" + Chars(r, Upper + Digits, 10) + "/B" + Chars(r, Upper + Digits, 10) + "/" + Chars(r, Alnum, 24), " -d @msg.json")),
        new("discord-webhook", "discord-webhook-url", null, r =>
            Around("https://discord.com/api/webhooks/" + Chars(r, Digits, 18) + "/", Chars(r, Base64Url, 68))),
        new("stripe-live", "stripe-secret-key", null, r => Same("sk" + "_live_" + Chars(r, Alnum, 99))),
        new("stripe-restricted-test", "stripe-secret-key", null, r => Same("rk" + "_test_" + Chars(r, Alnum, 24))),
        new("stripe-webhook", "stripe-webhook-secret", null, r => Same("wh" + "sec_" + Chars(r, Alnum, 32))),
        new("npm", "npm-token", ".npmrc", r => Around("//registry.npmjs.org/:_authToken=", "np" + "m_" + Chars(r, Alnum, 36))),
        new("pypi", "pypi-token", null, r => Same("py" + "pi-AgEIcHlwaS5vcmc" + Chars(r, Base64Url, 70))),
        new("atlassian", "atlassian-api-token", null, r => Same("ATA" + "TT3xFfGF0" + Chars(r, Base64Url, 170) + "=" + Chars(r, "0123456789ABCDEF", 8))),
        new("huggingface", "huggingface-token", null, r => Same("h" + "f_" + Chars(r, Upper + Lower, 34))),
        new("sendgrid", "sendgrid-api-key", null, r => Same("S" + "G." + Chars(r, Base64Url, 22) + "." + Chars(r, Base64Url, 43))),
        new("google-api-key", "google-api-key", "index.html", r => Around("<script src=\"https://maps.googleapis.com/maps/api/js?key=", "AI" + "za" + Chars(r, Base64Url, 35), "\"></script>")),
        new("google-oauth-client-secret", "google-oauth-client-secret", null, r => Same("GOC" + "SPX-" + Chars(r, Base64Url, 28))),
        new("aws-access-key-id", "aws-access-key-id", null, r => Same("AK" + "IA" + Chars(r, Base32, 16))),
        new("aws-temporary-key-id", "aws-access-key-id", null, r => Same("AS" + "IA" + Chars(r, Base32, 16))),
        new("aws-secret-credentials-file", "aws-secret-access-key", ".aws/credentials", r => Around("aws_secret_access_key = ", Chars(r, Base64, 40))),
        new("aws-secret-json", "aws-secret-access-key", "appsettings.json", r => Around("    \"SecretAccessKey\": \"", Chars(r, Base64, 40), "\",")),
        new("aws-secret-env", "aws-secret-access-key", null, r => Around("export AWS_SECRET_ACCESS_KEY=", Chars(r, Base64, 40))),
        new("azure-storage", "azure-storage-connection-string", null, r =>
            Around("DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=", Chars(r, Base64, 86) + "==", ";EndpointSuffix=core.windows.net")),
        new("azure-cosmos", "azure-storage-connection-string", "appsettings.json", r =>
            Around("  \"Cosmos\": \"AccountEndpoint=https://contoso.documents.azure.com:443/;AccountKey=", Chars(r, Base64, 86) + "==", ";\"")),
        new("azure-service-bus", "azure-shared-access-key", null, r =>
            Around("Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=", Chars(r, Base64, 43) + "=")),
        new("azure-signalr", "azure-shared-access-key", null, r =>
            Around("Endpoint=https://contoso.service.signalr.net;AccessKey=", Chars(r, Base64, 43) + "=", ";Version=1.0;")),
        new("azure-sas-url", "azure-sas-token", null, r =>
            Around("https://contoso.blob.core.windows.net/data?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=", Chars(r, Alnum, 40) + "%2B" + Chars(r, Alnum, 3) + "%3D")),
        new("azure-ad-client-secret", "azure-ad-client-secret", null, r => Same(Chars(r, Alnum, 3) + "8Q~" + Chars(r, Base64Url, 34))),
        new("jwt", "jwt", null, r =>
            Same("ey" + "JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "ey" + "J" + Chars(r, Base64Url, 60) + "." + Chars(r, Base64Url, 43))),
        new("url-postgres", "url-credentials", "docker-compose.yml", r => Around("      DATABASE_URL: postgres://app:", Chars(r, Alnum, 16), "@db:5432/app")),
        new("url-git-credentials", "url-credentials", null, r => Around("https://deploy:", Chars(r, Alnum, 20), "@git.example.org/team/repo.git")),
        new("authorization-bearer", "authorization-header", "README.md", r =>
            Around("curl -H \"Authorization: Bearer ", Chars(r, Base64Url, 40), "\" https://api.example.org/v1/me")),
        new("authorization-basic", "authorization-header", null, r => Around("Authorization: Basic ", Chars(r, Base64, 28) + "==")),
        new("generic-csharp", "generic-secret-assignment", "src/Settings.cs", r => Around("    private const string AdminPassword = \"", Chars(r, Base64, 18), "\";")),
        new("generic-json", "generic-secret-assignment", "appsettings.json", r => Around("    \"ClientSecret\": \"", Chars(r, Base64Url, 32), "\",")),
        new("generic-yaml-bare", "generic-secret-assignment", "config/app.yaml", r => Around("  db_password: ", Chars(r, Alnum + "!#%", 14))),
        new("generic-env", "generic-secret-assignment", ".env", r => Around("API_TOKEN=", Chars(r, Alnum, 24))),
        new("generic-env-any-name", "generic-secret-assignment", ".env.production", r => Around("SERVICE_BLOB=", Chars(r, Alnum, 32))),
        new("generic-env-to-end-of-line", "generic-secret-assignment", ".env", r => Around("DB_PASSWORD=", Chars(r, Alnum, 8) + ";" + Chars(r, Alnum, 8), " # primary")),
        new("generic-web-config", "generic-secret-assignment", "web.config", r => Around("    <add key=\"PaymentApiKey\" value=\"", Chars(r, Alnum, 32), "\" />")),
        new("generic-xml-element", "generic-secret-assignment", "settings.xml", r => Around("  <password>", Chars(r, Alnum, 12), "</password>")),
        new("generic-xml-attribute", "generic-secret-assignment", "server.xml", r => Around("<Connector port=\"8443\" keystorePass=\"", Chars(r, Alnum, 12), "\" />")),
        new("generic-connection-string", "generic-secret-assignment", "appsettings.json", r =>
            Around("    \"Default\": \"Server=db;Database=app;User Id=sa;Password=", Chars(r, Alnum + "!@#", 16), ";TrustServerCertificate=true\"")),
        new("generic-connection-string-in-code", "generic-secret-assignment", "Db.cs", r =>
            Around("var cs = \"Host=db;Username=app;Pwd=", Chars(r, Alnum, 12), ";\";")),
        new("generic-python-annotated", "generic-secret-assignment", "settings.py", r => Around("SECRET_KEY: str = \"", Chars(r, Base64Url, 50), "\"")),
        new("generic-go", "generic-secret-assignment", "main.go", r => Around("\tapiKey := \"", Chars(r, Hex, 32), "\"")),
        new("generic-php", "generic-secret-assignment", "config.php", r => Around("    'password' => '", Chars(r, Alnum, 12), "',")),
        new("generic-query-string", "generic-secret-assignment", "Client.cs", r => Around("var url = \"https://api.example.org/v2/items?api_key=", Chars(r, Alnum, 24), "&page=1\";")),
        new("generic-toml", "generic-secret-assignment", "Cargo.toml", r => Around("token = \"", Chars(r, Alnum, 30), "\"")),
        new("generic-properties", "generic-secret-assignment", "application.properties", r => Around("spring.datasource.password=", Chars(r, Alnum, 14))),
        new("generic-encryption-key", "generic-secret-assignment", "config.json", r => Around("  \"encryption_key\": \"", Chars(r, Hex, 64), "\"")),
        new("generic-bare-key-name", "generic-secret-assignment", "config.json", r => Around("  \"key\": \"", Chars(r, Hex, 40), "\"")),
        new("generic-docker-auth", "generic-secret-assignment", ".docker/config.json", r => Around("      \"auth\": \"", Chars(r, Base64, 30) + "=", "\"")),
        new("generic-kotlin", "generic-secret-assignment", "Config.kt", r => Around("    val signingSecret: String = \"", Chars(r, Alnum, 20), "\"")),
    ];
}
