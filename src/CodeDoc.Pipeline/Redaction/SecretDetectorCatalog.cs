namespace CodeDoc.Pipeline.Redaction;

/// <summary>
/// The detection rules, in precedence order. Each secret is replaced by <c>[REDACTED:&lt;rule-id&gt;]</c>; where a rule
/// names a part (a value after its name, a password inside a URL), only that part is replaced and the rest of the
/// line stays. When matches overlap, the union of their spans is replaced once, under the rule that comes first in
/// this list (so an Anthropic key inside <c>api_key = "..."</c> is reported as <c>anthropic-api-key</c>, never as
/// <c>openai-api-key</c> or <c>generic-secret-assignment</c>).
/// <list type="table">
/// <listheader><term>rule id</term><description>what it matches (what is replaced)</description></listheader>
/// <item><term><c>private-key</c></term><description>PEM/PGP private key blocks (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP, PKCS#8, SSH2), BEGIN through END, multi-line or with <c>\n</c> escapes inside a string; an unterminated block with the key material lines after it; in files that are keys by name (<c>id_rsa</c>, <c>id_ed25519</c>, <c>*.key</c>, <c>*.ppk</c>) every run of base64 key material lines. The block, whole.</description></item>
/// <item><term><c>anthropic-api-key</c></term><description><c>sk-ant-</c> keys (api, admin, OAuth). The key.</description></item>
/// <item><term><c>openai-api-key</c></term><description><c>sk-</c>, <c>sk-proj-</c>, <c>sk-svcacct-</c>, <c>sk-admin-</c> keys with a random body of 32+ characters (letters and digits, entropy at least 3 bits per character). The key.</description></item>
/// <item><term><c>github-fine-grained-token</c></term><description><c>github_pat_</c> tokens. The token.</description></item>
/// <item><term><c>github-token</c></term><description><c>ghp_</c>, <c>gho_</c>, <c>ghu_</c>, <c>ghs_</c>, <c>ghr_</c> tokens. The token.</description></item>
/// <item><term><c>gitlab-token</c></term><description><c>glpat-</c> and the other GitLab prefixes (<c>gldt-</c>, <c>glrt-</c>, <c>glptt-</c>, <c>glft-</c>, <c>gloas-</c>, <c>glcbt-</c>, <c>glagent-</c>, ...), and legacy <c>GR1348941</c> runner registration tokens. The token.</description></item>
/// <item><term><c>slack-webhook-url</c></term><description><c>hooks.slack.com/services|workflows|triggers/...</c>. The path after the kind.</description></item>
/// <item><term><c>slack-token</c></term><description><c>xoxb-</c>, <c>xoxp-</c>, <c>xoxa-</c>, <c>xoxo-</c>, <c>xoxs-</c>, <c>xoxr-</c>, <c>xoxe-</c>, <c>xoxe.xoxp-</c>, <c>xapp-</c> tokens. The token.</description></item>
/// <item><term><c>discord-webhook-url</c></term><description><c>discord.com/api/webhooks/&lt;id&gt;/&lt;token&gt;</c>. The token.</description></item>
/// <item><term><c>stripe-secret-key</c></term><description><c>sk_live_</c>, <c>sk_test_</c>, <c>rk_live_</c>, <c>rk_test_</c> keys (not the public <c>pk_</c> keys). The key.</description></item>
/// <item><term><c>stripe-webhook-secret</c></term><description><c>whsec_</c> signing secrets. The secret.</description></item>
/// <item><term><c>npm-token</c></term><description><c>npm_</c> access tokens. The token.</description></item>
/// <item><term><c>pypi-token</c></term><description><c>pypi-AgE...</c> API tokens. The token.</description></item>
/// <item><term><c>atlassian-api-token</c></term><description><c>ATATT3...</c> Jira/Confluence/Bitbucket API tokens. The token.</description></item>
/// <item><term><c>huggingface-token</c></term><description><c>hf_</c> access tokens. The token.</description></item>
/// <item><term><c>sendgrid-api-key</c></term><description><c>SG.&lt;id&gt;.&lt;secret&gt;</c>. The key.</description></item>
/// <item><term><c>google-api-key</c></term><description><c>AIza</c> and 35 characters. The key.</description></item>
/// <item><term><c>google-oauth-client-secret</c></term><description><c>GOCSPX-</c> client secrets. The secret.</description></item>
/// <item><term><c>aws-access-key-id</c></term><description><c>AKIA</c>, <c>ASIA</c>, <c>ABIA</c>, <c>ACCA</c>, <c>A3T?</c> and 16 base32 characters (AWS's documentation examples ending in <c>EXAMPLE</c> are left alone). The id.</description></item>
/// <item><term><c>aws-secret-access-key</c></term><description>40 base64 characters assigned to <c>aws_secret_access_key</c>, <c>AWS_SECRET</c>, <c>SecretAccessKey</c> and similar names. The value.</description></item>
/// <item><term><c>azure-storage-connection-string</c></term><description><c>AccountKey=</c> in Azure Storage and Cosmos DB connection strings. The key.</description></item>
/// <item><term><c>azure-shared-access-key</c></term><description><c>SharedAccessKey=</c> and <c>;AccessKey=</c> in Service Bus, Event Hubs, IoT Hub, Relay and SignalR connection strings. The key.</description></item>
/// <item><term><c>azure-sas-token</c></term><description>The <c>sig=</c> of a shared access signature. The signature.</description></item>
/// <item><term><c>azure-ad-client-secret</c></term><description>Entra ID (Azure AD) client secrets: three characters, a digit, <c>Q~</c>, 31 to 34 characters. The secret.</description></item>
/// <item><term><c>jwt</c></term><description>Three base64url segments, the first two JSON objects (<c>eyJ...</c>). The token.</description></item>
/// <item><term><c>url-credentials</c></term><description><c>scheme://user:password@host</c> with a password that is not a placeholder. The password.</description></item>
/// <item><term><c>authorization-header</c></term><description><c>Authorization: Bearer|Basic|token|Bot &lt;credential&gt;</c> in headers, JSON, curl commands. The credential.</description></item>
/// <item><term><c>generic-secret-assignment</c></term><description>A value assigned to a name ending in a secret word (<c>password</c>, <c>passwd</c>, <c>pwd</c>, <c>passphrase</c>, <c>pass</c>, <c>secret</c>, <c>token</c>, <c>credential(s)</c>, <c>api_key</c>, <c>access_key</c>, <c>private_key</c>, ..., <c>key</c>, <c>auth</c>, <c>connection_string</c>; a trailing <c>value</c>, <c>string</c>, <c>base64</c>, ... is looked through), in the shapes <c>x = "v"</c>, <c>x: v</c>, <c>"x": "v"</c>, <c>x := v</c>, <c>x =&gt; v</c>, <c>x: Type = v</c>, <c>['x'] = v</c>, <c>X=v</c>, <c>&lt;x&gt;v&lt;/x&gt;</c>, <c>x="v"</c>, <c>&lt;add key="x" value="v"/&gt;</c>, and <c>;Password=v;</c> or <c>?api_key=v&amp;</c> inside connection strings and URLs. The value only. See below for what counts.</description></item>
/// </list>
/// <para>
/// What <c>generic-secret-assignment</c> counts. For names that end in a strong secret word: a value of at least 6
/// characters with at least 2.5 bits of entropy per character and two character classes (or 12+ characters). For
/// names whose only secret word is <c>key</c> or <c>auth</c> (<c>cacheKey</c>, <c>sortKey</c>, <c>transparentAuth</c>):
/// at least 16 characters, 3 bits per character, and not word-like (camelCase, kebab-case and dotted words are word-like).
/// It never counts placeholders and references (<c>changeme</c>, <c>&lt;your-key&gt;</c>, <c>${VAR}</c>, <c>$VAR</c>,
/// <c>{{ secrets.X }}</c>, <c>%ENV%</c>, <c>***</c>, <c>xxxxx</c>, <c>__TOKEN__</c>), template, format and regular
/// expression syntax, booleans, numbers and version numbers, values with spaces, URLs (see <c>url-credentials</c>),
/// paths, values that themselves name a secret (<c>"X-Api-Key"</c>, <c>"auth_token"</c>, <c>"_RSAPrivateKey"</c>),
/// key=value connection strings (read entry by entry), the <c>key</c> attribute of <c>&lt;add key= value=&gt;</c>,
/// names about a secret rather than holding one (<c>passwordHash</c>, <c>tokenEndpoint</c>, <c>secretName</c>,
/// <c>maxTokens</c>, <c>PublicKeyToken</c>), and declarations without a value (<c>string Password { get; set; }</c>).
/// Unquoted values count only where they are literals: in configuration, scripts, prose and prompts, and inside
/// key=value strings; in source code (<c>password = GetPassword()</c>, <c>token: process.env.TOKEN</c>) and in
/// JSON or XML they are expressions, numbers or prose. An unquoted value is judged by its first 256 characters and
/// redacted whole. Lock files are skipped and GUIDs in MSBuild project and solution files are identifiers. In dotenv
/// files (<c>.env</c>, <c>.env.local</c>, <c>prod.env</c>; not <c>.env.example</c>) it is stricter: an unquoted value
/// runs to the end of the line, and any value that passes the <c>key</c> test counts, whatever its name.
/// </para>
/// </summary>
internal static class SecretDetectorCatalog
{
    /// <summary>Gets the detectors, in precedence order.</summary>
    public static IReadOnlyList<SecretDetector> Detectors { get; } =
    [
        new PatternSecretDetector(SecretRuleIds.PrivateKey, SecretPatterns.PrivateKeyBlock(), ["-----BEGIN", "---- BEGIN"], validator: HasKeyMaterial),
        new PatternSecretDetector(SecretRuleIds.PrivateKey, SecretPatterns.KeyMaterialLines(), triggers: null, appliesTo: static p => p.IsKeyFile),
        new PatternSecretDetector(SecretRuleIds.AnthropicApiKey, SecretPatterns.AnthropicKey(), ["sk-ant-"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.OpenAIApiKey, SecretPatterns.OpenAIKey(), ["sk-"], validator: IsOpenAIKey),
        new PatternSecretDetector(SecretRuleIds.GitHubFineGrainedToken, SecretPatterns.GitHubFineGrainedToken(), ["github_pat_"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.GitHubToken, SecretPatterns.GitHubToken(), ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], validator: LooksRandom),
        new PatternSecretDetector(
            SecretRuleIds.GitLabToken,
            SecretPatterns.GitLabToken(),
            ["glpat-", "gloas-", "gldt-", "glrt-", "glrtr-", "glcbt-", "glptt-", "glft-", "glimt-", "glagent-", "glffct-", "glsoat-", "glcst-", "glwt-", "GR1348941"],
            validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.SlackWebhookUrl, SecretPatterns.SlackWebhookUrl(), ["hooks.slack.com/"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.SlackToken, SecretPatterns.SlackToken(), ["xox", "xapp-"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.DiscordWebhookUrl, SecretPatterns.DiscordWebhookUrl(), ["discord"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.StripeSecretKey, SecretPatterns.StripeSecretKey(), ["sk_live_", "sk_test_", "rk_live_", "rk_test_"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.StripeWebhookSecret, SecretPatterns.StripeWebhookSecret(), ["whsec_"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.NpmToken, SecretPatterns.NpmToken(), ["npm_"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.PyPIToken, SecretPatterns.PyPIToken(), ["pypi-AgE"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.AtlassianApiToken, SecretPatterns.AtlassianApiToken(), ["ATATT3"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.HuggingFaceToken, SecretPatterns.HuggingFaceToken(), ["hf_"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.SendGridApiKey, SecretPatterns.SendGridApiKey(), ["SG."], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.GoogleApiKey, SecretPatterns.GoogleApiKey(), ["AIza"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.GoogleOAuthClientSecret, SecretPatterns.GoogleOAuthClientSecret(), ["GOCSPX-"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.AwsAccessKeyId, SecretPatterns.AwsAccessKeyId(), ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"], validator: IsNotAwsExample),
        new PatternSecretDetector(SecretRuleIds.AwsSecretAccessKey, SecretPatterns.AwsSecretAccessKey(), ["aws", "secret"], ignoreCase: true, validator: IsAwsSecretAccessKey),
        new PatternSecretDetector(SecretRuleIds.AzureStorageConnectionString, SecretPatterns.AzureStorageAccountKey(), ["AccountKey"], ignoreCase: true, validator: IsRandomValue),
        new PatternSecretDetector(SecretRuleIds.AzureSharedAccessKey, SecretPatterns.AzureSharedAccessKey(), ["SharedAccessKey", "AccessKey"], ignoreCase: true, validator: IsRandomValue),
        new PatternSecretDetector(SecretRuleIds.AzureSasToken, SecretPatterns.AzureSasSignature(), ["sig="], ignoreCase: true, validator: IsRandomValue),
        new PatternSecretDetector(SecretRuleIds.AzureAdClientSecret, SecretPatterns.AzureAdClientSecret(), ["Q~"], validator: LooksRandom, leadingCharacters: 4),
        new PatternSecretDetector(SecretRuleIds.Jwt, SecretPatterns.Jwt(), ["eyJ"], validator: LooksRandom),
        new PatternSecretDetector(SecretRuleIds.UrlCredentials, SecretPatterns.UrlCredentials(), ["://"], validator: IsUrlPassword),
        new PatternSecretDetector(SecretRuleIds.AuthorizationHeader, SecretPatterns.AuthorizationHeader(), ["authorization"], ignoreCase: true, validator: IsHeaderCredential),
        new SecretAssignmentDetector(),
    ];

    /// <summary>Gets every rule id, once, in precedence order.</summary>
    public static IReadOnlyList<string> RuleIds { get; } = Detectors.Select(d => d.RuleId).Distinct(StringComparer.Ordinal).ToArray();

    // A token whose body is filler ("ghp_xxxxx...", "...EXAMPLE...", one repeated character) is documentation.
    private static bool LooksRandom(ReadOnlySpan<char> secret) => !SecretHeuristics.IsPlaceholder(secret) && SecretHeuristics.Entropy(secret) >= 2.5;

    private static bool IsRandomValue(ReadOnlySpan<char> secret) => LooksRandom(secret) && SecretHeuristics.Entropy(secret) >= 3.0;

    // "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----" in a README shows the layout, not a key.
    private static bool HasKeyMaterial(ReadOnlySpan<char> block)
    {
        var run = 0;
        foreach (var c in block)
        {
            run = char.IsAsciiLetterOrDigit(c) || c is '+' or '/' ? run + 1 : 0;
            if (run >= 16)
            {
                return true;
            }
        }

        return false;
    }

    // "sk-" also starts CSS class names ("sk-spinner-double-bounce"); a key body has letters, digits and entropy.
    private static bool IsOpenAIKey(ReadOnlySpan<char> secret)
    {
        var body = secret["sk-".Length..];
        return !body.StartsWith("ant-", StringComparison.Ordinal) && body.ContainsAnyInRange('0', '9')
            && (body.ContainsAnyInRange('a', 'z') || body.ContainsAnyInRange('A', 'Z')) && SecretHeuristics.Entropy(body) >= 3.0
            && LooksRandom(body);
    }

    private static bool IsNotAwsExample(ReadOnlySpan<char> secret) => !secret.EndsWith("EXAMPLE", StringComparison.Ordinal) && LooksRandom(secret);

    private static bool IsAwsSecretAccessKey(ReadOnlySpan<char> secret) => !secret.Contains("EXAMPLE", StringComparison.OrdinalIgnoreCase) && IsRandomValue(secret);

    // "https://user:password@host" and "postgres://postgres:${PG_PASSWORD}@db" are examples; a bare port is not a password.
    private static bool IsUrlPassword(ReadOnlySpan<char> secret) => !SecretHeuristics.IsPlaceholder(secret) && !(secret.Length <= 5 && SecretHeuristics.IsNumber(secret));

    // After "Authorization: Basic|Bearer|token|Bot" a literal of eight characters or more is a credential by
    // construction; only placeholders are documentation. Word-likeness is no test here: a random base64 value of
    // 28 characters splits into word-like pieces often enough to leak (found by the property test).
    private static bool IsHeaderCredential(ReadOnlySpan<char> secret) =>
        LooksRandom(secret) && SecretHeuristics.CharacterClasses(secret) >= 2;
}
