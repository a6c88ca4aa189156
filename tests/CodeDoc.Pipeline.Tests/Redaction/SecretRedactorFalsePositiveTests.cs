using CodeDoc.Pipeline.Redaction;

namespace CodeDoc.Pipeline.Tests.Redaction;

public sealed class SecretRedactorFalsePositiveTests
{
    private readonly SecretRedactor _redactor = new();

    public static TheoryData<string?, string> Untouched => new()
    {
        // Declarations, references and expressions in code.
        { "src/Options.cs", "public string Password { get; set; } = string.Empty;" },
        { "src/Options.cs", "    [Required] public string? ApiKey { get; init; }" },
        { "src/Login.cs", "var password = GetPassword();" },
        { "src/Login.cs", "password = user.Password;" },
        { "src/Login.cs", "if (password == \"\") return;" },
        { "src/Login.cs", "if (token != null && token.Length > 0) { }" },
        { "src/Api.cs", "public Task RunAsync(CancellationToken cancellationToken = default)" },
        { "src/Api.cs", "await client.SendAsync(request, cancellationToken: cancellationToken);" },
        { "src/Api.cs", "private readonly ITokenProvider _tokenProvider = tokenProvider;" },
        { "src/Api.cs", "public string Secret => _secret;" },
        { "src/Api.cs", "var apiKey = configuration[\"ApiKey\"];" },
        { "src/Api.cs", "public const string ApiKeyHeaderName = \"X-Api-Key\";" },
        { "src/Api.cs", "private const string AuthTokenField = \"auth_token\";" },
        { "src/Api.cs", "const string TokenType = \"Bearer\";" },
        { "src/Api.cs", "var tokenEndpoint = \"https://login.example.org/oauth2/v2.0/token\";" },
        { "src/Api.cs", "var cacheKey = \"user-profile-settings-v2\";" },
        { "src/Api.cs", "options.PasswordHashAlgorithm = \"PBKDF2-SHA512\";" },
        { "src/app.js", "const token = process.env.TOKEN;" },
        { "src/app.js", "headers: { Authorization: `Bearer ${token}` }," },
        { "app.py", "SECRET_KEY = os.environ[\"SECRET_KEY\"]" },
        { "app.py", "password = None" },
        { "app.py", "token: str" },
        { "main.go", "password := os.Getenv(\"DB_PASSWORD\")" },
        { "src/app.ts", "private readonly apiKey: string;" },

        // Placeholders and templates in configuration.
        { "appsettings.json", "  \"Password\": \"changeme\"," },
        { "appsettings.json", "  \"ClientSecret\": \"\"," },
        { "appsettings.json", "  \"ApiKey\": \"<your-api-key>\"," },
        { "appsettings.json", "  \"ApiKey\": \"YOUR_API_KEY_HERE\"," },
        { "appsettings.json", "  \"Token\": \"***\"," },
        { "appsettings.json", "  \"Token\": \"xxxxxxxxxxxxxxxxxxxx\"," },
        { "appsettings.json", "  \"Secret\": \"__CLIENT_SECRET__\"," },
        { "appsettings.json", "  \"TokenLimit\": 4096," },
        { "appsettings.json", "  \"RequireToken\": true," },
        { "appsettings.json", "  \"Password\": \"#{DbPassword}#\"," },
        { "config.yml", "password: ${DB_PASSWORD}" },
        { "config.yml", "password: \"{{ .Values.db.password }}\"" },
        { ".github/workflows/ci.yml", "          token: ${{ secrets.GITHUB_TOKEN }}" },
        { ".github/workflows/ci.yml", "    secrets: inherit" },
        { "deploy.yml", "        secretName: my-app-tls" },
        { "deploy.yml", "          - name: DB_PASSWORD\n            valueFrom:\n              secretKeyRef:\n                name: db\n                key: password" },
        { "config.yml", "max_tokens: 1000" },
        { "config.yml", "auth: basic" },
        { "config.yml", "token: process.env.TOKEN" },
        { "run.bat", "set PASSWORD=%DB_PASSWORD%" },
        { "settings.ini", "password = changeme" },
        { "web.config", "<add key=\"ApiKey\" value=\"\" />" },
        { "web.config", "<add key=\"Token\" value=\"$(Token)\" />" },
        { "app.config", "<bindingRedirect name=\"System.Memory\" publicKeyToken=\"cc7b13ffcd2ddd51\" culture=\"neutral\" />" },
        { "app.config", "<assemblyIdentity name=\"Newtonsoft.Json\" PublicKeyToken=\"30ad4fe6b2a6aeed\" />" },
        { "appsettings.json", "  \"KeyVaultUri\": \"https://contoso-vault.vault.azure.net/\"," },
        { "appsettings.json", "  \"DefaultConnection\": \"Server=(localdb)\\\\mssqllocaldb;Database=App;Trusted_Connection=True;\"" },
        { "appsettings.json", "  \"ConnectionString\": \"Server=db;Database=app;Integrated Security=true\"" },
        { "appsettings.json", "  \"Password\": \"{0}\"," },
        { "i18n/en.json", "  \"key\": \"home.title.welcome\"," },
        { "cosmos.json", "  \"partitionKey\": \"/tenantId\"," },
        { "k8s.yml", "  tokenPath: /var/run/secrets/kubernetes.io/serviceaccount/token" },
        { "k8s.yml", "  token: /var/run/secrets/kubernetes.io/serviceaccount/token" },
        { ".env.example", "API_KEY=your-api-key-here\nSECRET_KEY=\nDEBUG=true" },
        { ".env", "NODE_ENV=production\nPORT=8080\nLOG_LEVEL=debug\nDATABASE_HOST=db.internal.example.org\nPATH=/usr/local/bin:/usr/bin" },
        { ".env", "DB_PASSWORD=${DB_PASSWORD}" },

        // Identifiers in project, solution and lock files.
        { "App.sln", "Project(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"App\", \"App\\App.csproj\", \"{5D7B1C35-8A53-4C0E-9E4F-3F0F8D7A2B11}\"" },
        { "src/App/App.csproj", "    <UserSecretsId>5d7b1c35-8a53-4c0e-9e4f-3f0f8d7a2b11</UserSecretsId>" },
        { "src/App/App.csproj", "    <ProjectGuid>{5D7B1C35-8A53-4C0E-9E4F-3F0F8D7A2B11}</ProjectGuid>" },
        { "src/App/App.csproj", "    <ApiKey>{5d7b1c35-8a53-4c0e-9e4f-3f0f8d7a2b11}</ApiKey>" },
        { "src/App/App.csproj", "    <AssemblyOriginatorKeyFile>..\\keys\\app.snk</AssemblyOriginatorKeyFile>" },
        { "package-lock.json", "      \"integrity\": \"sha512-Xb2w3y0WeFqF5u9Jm8mXwYyqXq0X7h2GdKq9aVQ0XpWm4T1H2GQ8n1ZbT6RzPuYc2qV+4Lq2A1Kk6cQ9fYf1Aw==\",\n      \"key\": \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"" },
        { "yarn.lock", "  resolved \"https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#5b8a3a7765dfe001261dde915589e782f8c94d1e\"" },
        { "go.sum", "golang.org/x/text v0.3.7 h1:olpwvP2KacW1ZWvsR7uQhoyTYvKAupfQrRGBFM352Gk=" },

        // Names, versions, types and patterns that sit where a value would.
        { "App.deps.json", "      \"NuGet.Credentials\": \"7.9.0-rc.42413\"," },
        { "testhost.exe.config", "    <add key=\"TestProjectRetargetTo35Allowed\" value=\"true\" />" },
        { "lib/App.xml", "            runs with a <i>restricted</i> token: Windows performs the normal access check" },
        { "lexers/shell.py", "    _core_token = r'(?:(?:(?:\\^[%s]?)?[^\"%s%s])+)' % (_nl, _nlws, _punct)" },
        { "lexers/jsonnet.py", "jsonnet_token = r'[^\\W\\d]\\w*'" },
        { "backends/ec.py", "    backend: \"Backend\", private_key: \"_EllipticCurvePrivateKey\", data: bytes" },
        { "net.properties", "#jdk.http.ntlm.transparentAuth=allHosts" },
        { "RuleIds.cs", "    public const string AzureStorageConnectionString = \"azure-storage-connection-string\";" },
        { "RuleIds.cs", "    public const string PrivateKey = \"private-key\";" },
        { "Strings.resx", "  <data name=\"TokenExpired\"><value>Your session token: expired</value></data>" },

        // Prose, documentation and examples.
        { "README.md", "Password: required. The token: a string sent by the client." },
        { "README.md", "Set the `Token` option to the personal access token you created." },
        { "README.md", "A PEM private key starts with `-----BEGIN RSA PRIVATE KEY-----` and ends with the END marker." },
        { "README.md", "-----BEGIN RSA PRIVATE KEY-----\n<your key here>\n-----END RSA PRIVATE KEY-----" },
        { "README.md", "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----" },
        { "README.md", "Connect with `postgres://user:password@localhost:5432/app` or `https://user:${PASSWORD}@host`." },
        { "README.md", "Open http://localhost:8080/health and https://example.org:443/path." },
        { "README.md", "curl -H \"Authorization: Bearer <token>\" -H \"Authorization: Bearer $TOKEN\" https://api.example.org" },
        { "README.md", "Use the class sk-spinner-double-bounce-with-extra-words for the loader." },
        { "README.md", "The hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX URL is an example." },
        { null, "The commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 fixed the password reset flow." },
        { null, "xoxb-your-token-here and ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx are placeholders" },
        { null, "<input type=\"password\" name=\"password\" autocomplete=\"current-password\" />" },
        { null, "The KeyValuePair<string, string> key = pair.Key; keyboard shortcuts; monkey = banana" },
        { null, "password_hash = \"$2b$12$abcdefghijklmnopqrstuvwx\"" },
    };

    [Theory]
    [MemberData(nameof(Untouched))]
    public void Redact_NotASecret_ReturnsTheSameString(string? path, string text)
    {
        var result = _redactor.Redact(text, path);

        Assert.Empty(result.Findings);
        Assert.Same(text, result.Text);
    }

    [Fact]
    public void Redact_AwsDocumentationExampleKeyId_Untouched()
    {
        var text = "aws_access_key_id = " + "AKIA" + "IOSFODNN7" + "EXAMPLE";

        Assert.Same(text, _redactor.Redact(text).Text);
    }

    [Fact]
    public void Redact_TokenBodyOfOneRepeatedCharacter_Untouched()
    {
        var text = "token: " + "gh" + "p_" + new string('0', 36) + " and " + "AI" + "za" + new string('A', 35);

        Assert.Same(text, _redactor.Redact(text).Text);
    }
}
