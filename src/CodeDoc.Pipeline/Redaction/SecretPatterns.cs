using System.Text.RegularExpressions;

namespace CodeDoc.Pipeline.Redaction;

/// <summary>
/// The detectors' regular expressions. A pattern with a trigger starts with <c>\G</c> and its trigger literal: the
/// detector finds the triggers with one vectorized multi-string search and tries the pattern only there. Every
/// quantifier is bounded and the variable-length runs are atomic (<c>(?&gt;...)</c>), so an attempt costs at most
/// its bounds and never backtracks into a run; .NET's non-backtracking engine is not used because these patterns
/// need lookarounds and atomic groups, and anchored attempts of bounded length are already linear in the input.
/// The group <c>secret</c>, where present, is the part to redact; otherwise the whole match is.
/// </summary>
internal static partial class SecretPatterns
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    private const RegexOptions IgnoreCaseOptions = Options | RegexOptions.IgnoreCase;

    /// <summary>The most characters of an unquoted value <see cref="SecretAssignment"/> matches.</summary>
    internal const int BareValueLimit = 256;

    /// <summary>
    /// A PEM or PGP private key block. Either BEGIN through END with no <c>---</c> in between (so a mention of the
    /// marker in prose never reaches into a later block), or, when no END follows, BEGIN and the run of key
    /// material lines (base64, armour headers; also inside string literals with <c>\n</c> escapes) after it.
    /// </summary>
    [GeneratedRegex(
        @"\G-{4,5} ?BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)? ?-{4,5}" +
        @"(?:(?>(?:[^-]|-(?!--)){0,65536})-{4,5} ?END (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)? ?-{4,5}" +
        @"|(?:(?>(?:\s|\\[nr]|[""'+,]){1,16})(?>[A-Za-z0-9+/=]{16,128}|[A-Za-z][A-Za-z-]{1,31}:[^\r\n\\""]{0,200})){1,4096})",
        Options)]
    internal static partial Regex PrivateKeyBlock();

    /// <summary>Contiguous lines of base64 or hex key material, for files that are private keys by name.</summary>
    [GeneratedRegex(@"(?>[A-Za-z0-9+/]{20,4096}={0,2})(?:(?>\r\n|\n|\r)(?>[A-Za-z0-9+/]{20,4096}={0,2})){0,100000}", Options)]
    internal static partial Regex KeyMaterialLines();

    /// <summary>An Anthropic API, admin or OAuth key: <c>sk-ant-</c> and a base64url body.</summary>
    [GeneratedRegex(@"\G\bsk-ant-(?>[A-Za-z0-9_-]{32,250})", Options)]
    internal static partial Regex AnthropicKey();

    /// <summary>An OpenAI key: <c>sk-</c>, <c>sk-proj-</c>, <c>sk-svcacct-</c>, <c>sk-admin-</c> and a random body.</summary>
    [GeneratedRegex(@"\G\bsk-(?>[A-Za-z0-9_-]{32,250})", Options)]
    internal static partial Regex OpenAIKey();

    /// <summary>A GitHub fine-grained personal access token.</summary>
    [GeneratedRegex(@"\G\bgithub_pat_(?>[A-Za-z0-9_]{36,251})", Options)]
    internal static partial Regex GitHubFineGrainedToken();

    /// <summary>A GitHub classic token: personal (<c>ghp_</c>), OAuth (<c>gho_</c>), user-to-server (<c>ghu_</c>), server-to-server (<c>ghs_</c>), refresh (<c>ghr_</c>).</summary>
    [GeneratedRegex(@"\G\bgh[pousr]_(?>[A-Za-z0-9]{36,251})(?![A-Za-z0-9_])", Options)]
    internal static partial Regex GitHubToken();

    /// <summary>A GitLab token (<c>glpat-</c>, deploy, runner, trigger, feed, OAuth, agent, CI job, ... prefixes) or a legacy runner registration token.</summary>
    [GeneratedRegex(
        @"\G\b(?:(?:glpat|gloas|gldt|glrtr|glrt|glcbt|glptt|glft|glimt|glagent|glffct|glsoat|glcst|glwt)-(?>[A-Za-z0-9_-]{20,255})(?:\.(?>[A-Za-z0-9_-]{2,64})){0,4}" +
        @"|GR1348941(?>[A-Za-z0-9_-]{20,64}))",
        Options)]
    internal static partial Regex GitLabToken();

    /// <summary>A Slack incoming-webhook, workflow or trigger URL; the secret is the path after the kind.</summary>
    [GeneratedRegex(@"\Ghooks\.slack\.com/(?:services|workflows|triggers)/(?<secret>(?>[A-Za-z0-9+/_-]{20,200}))", Options)]
    internal static partial Regex SlackWebhookUrl();

    /// <summary>A Slack bot, user, app, configuration or refresh token: <c>xox?-</c> or <c>xapp-</c>, a number, a body.</summary>
    [GeneratedRegex(@"\G\b(?:xox[abeposr]|xoxe\.xox[bp]|xapp)-[0-9]{1,16}-(?>[A-Za-z0-9-]{8,250})", Options)]
    internal static partial Regex SlackToken();

    /// <summary>A Discord webhook URL; the secret is the token after the webhook id.</summary>
    [GeneratedRegex(@"\Gdiscord(?:app)?\.com/api/webhooks/[0-9]{5,30}/(?<secret>(?>[A-Za-z0-9_-]{50,100}))", Options)]
    internal static partial Regex DiscordWebhookUrl();

    /// <summary>A Stripe secret or restricted key, live or test (publishable keys are public and left alone).</summary>
    [GeneratedRegex(@"\G\b[rs]k_(?:live|test)_(?>[A-Za-z0-9]{20,247})", Options)]
    internal static partial Regex StripeSecretKey();

    /// <summary>A Stripe (or Svix) webhook signing secret.</summary>
    [GeneratedRegex(@"\G\bwhsec_(?>[A-Za-z0-9+/=]{24,128})", Options)]
    internal static partial Regex StripeWebhookSecret();

    /// <summary>An npm access token.</summary>
    [GeneratedRegex(@"\G\bnpm_(?>[A-Za-z0-9]{36,40})(?![A-Za-z0-9])", Options)]
    internal static partial Regex NpmToken();

    /// <summary>A PyPI (or TestPyPI) API token: a macaroon after <c>pypi-</c>.</summary>
    [GeneratedRegex(@"\G\bpypi-AgE(?>[A-Za-z0-9_-]{50,4096})", Options)]
    internal static partial Regex PyPIToken();

    /// <summary>An Atlassian (Jira, Confluence, Bitbucket) API token.</summary>
    [GeneratedRegex(@"\G\bATATT3(?>[A-Za-z0-9_=-]{100,400})", Options)]
    internal static partial Regex AtlassianApiToken();

    /// <summary>A Hugging Face access token.</summary>
    [GeneratedRegex(@"\G\bhf_(?>[A-Za-z0-9]{30,64})(?![A-Za-z0-9_])", Options)]
    internal static partial Regex HuggingFaceToken();

    /// <summary>A SendGrid API key: <c>SG.</c>, an id, a dot, a secret.</summary>
    [GeneratedRegex(@"\G\bSG\.(?>[A-Za-z0-9_-]{16,32})\.(?>[A-Za-z0-9_-]{30,64})", Options)]
    internal static partial Regex SendGridApiKey();

    /// <summary>A Google API key: <c>AIza</c> and 35 characters.</summary>
    [GeneratedRegex(@"\G\bAIza(?>[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])", Options)]
    internal static partial Regex GoogleApiKey();

    /// <summary>A Google OAuth client secret.</summary>
    [GeneratedRegex(@"\G\bGOCSPX-(?>[A-Za-z0-9_-]{24,40})(?![A-Za-z0-9_-])", Options)]
    internal static partial Regex GoogleOAuthClientSecret();

    /// <summary>An AWS access key id (long-term <c>AKIA</c>, temporary <c>ASIA</c>, and the rarer key prefixes); not user or role ids.</summary>
    [GeneratedRegex(@"\G\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)(?>[A-Z2-7]{16})(?![A-Za-z0-9])", Options)]
    internal static partial Regex AwsAccessKeyId();

    /// <summary>An AWS secret access key: 40 base64 characters assigned to a name like <c>aws_secret_access_key</c> or <c>SecretAccessKey</c>.</summary>
    [GeneratedRegex(
        @"\G(?:aws[_.-]?secret(?:[_.-]?access)?(?:[_.-]?key)?|secret[_.-]?access[_.-]?key)[""'`]?\]?[ \t]{0,8}(?:=>|:=|=|:)[ \t]{0,8}[""'`]?" +
        @"(?<secret>(?>[A-Za-z0-9/+]{40}))(?![A-Za-z0-9/+=])",
        IgnoreCaseOptions)]
    internal static partial Regex AwsSecretAccessKey();

    /// <summary>The account key of an Azure Storage or Cosmos DB connection string (<c>AccountKey=</c>).</summary>
    [GeneratedRegex(@"\GAccountKey[ \t]{0,4}=[ \t]{0,4}(?<secret>(?>[A-Za-z0-9+/]{20,200})={0,2})", IgnoreCaseOptions)]
    internal static partial Regex AzureStorageAccountKey();

    /// <summary>The key of an Azure Service Bus, Event Hubs, IoT Hub, Relay or SignalR connection string (<c>SharedAccessKey=</c>, <c>;AccessKey=</c>).</summary>
    [GeneratedRegex(
        @"\G(?:SharedAccessKey|(?<=[;""'\s]|^)AccessKey)[ \t]{0,4}=[ \t]{0,4}(?<secret>(?>[A-Za-z0-9+/]{20,200})={0,2})",
        IgnoreCaseOptions)]
    internal static partial Regex AzureSharedAccessKey();

    /// <summary>The signature of an Azure shared access signature (<c>sig=</c> in a SAS URL or token).</summary>
    [GeneratedRegex(@"\G(?<=[?&;""'\s]|^)sig=(?<secret>(?>[A-Za-z0-9%+/_-]{20,256})={0,2})", IgnoreCaseOptions)]
    internal static partial Regex AzureSasSignature();

    /// <summary>
    /// An Azure AD (Entra ID) client secret: three characters, a digit, <c>Q~</c> and 31 to 34 characters. The match
    /// starts at <c>Q~</c> (its trigger); the four characters before it, checked by the lookbehind, belong to the secret.
    /// </summary>
    [GeneratedRegex(@"\G(?<=(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}[0-9])Q~(?>[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])", Options)]
    internal static partial Regex AzureAdClientSecret();

    /// <summary>A JSON Web Token: a header and a payload that are base64url JSON objects (<c>eyJ</c>...), then an optional signature.</summary>
    [GeneratedRegex(@"\G\beyJ(?>[A-Za-z0-9_-]{10,8192})\.ey(?>[A-Za-z0-9_-]{8,16384})\.(?>[A-Za-z0-9_-]{0,8192})", Options)]
    internal static partial Regex Jwt();

    /// <summary>The password of a URL with credentials (<c>scheme://user:password@host</c>).</summary>
    [GeneratedRegex(
        @"\G(?<=\b[A-Za-z][A-Za-z0-9+.-]{1,31})://(?>[^\s:/?#@""'<>\[\]]{0,128}):(?<secret>(?>[^\s/?#@""'<>]{1,256}))@",
        Options)]
    internal static partial Regex UrlCredentials();

    /// <summary>The credential of an HTTP <c>Authorization</c> header with the Bearer, Basic, token or Bot scheme.</summary>
    [GeneratedRegex(
        @"\Gauthorization[""'`]?[ \t]{0,4}[:=][ \t]{0,4}[""'`]?(?:bearer|basic|token|bot)[ \t]{1,4}(?<secret>(?>[A-Za-z0-9._~+/-]{8,4096})={0,2})",
        IgnoreCaseOptions)]
    internal static partial Regex AuthorizationHeader();

    /// <summary>
    /// A value assigned to a name that holds a secret word. The match starts at the word (the name is extended to
    /// the left in code, which keeps the search on a literal). Shapes: <c>name = value</c>, <c>name: value</c>,
    /// <c>"name": "value"</c>, <c>name := value</c>, <c>name =&gt; value</c>, <c>name: Type = value</c>,
    /// <c>['name'] = value</c>, XML attributes, <c>&lt;name&gt;value&lt;/name&gt;</c> and
    /// <c>&lt;add key="name" value="value"/&gt;</c>. Groups: <c>quoted</c>, <c>bare</c> (unquoted), <c>element</c>,
    /// <c>attribute</c>. A bare value is matched up to <see cref="BareValueLimit"/> characters; the detector judges it
    /// by those and redacts the whole run.
    /// </summary>
    [GeneratedRegex(
        @"\G(?<word>pass|pwd|secret|token|credential|key|auth|connection)(?<suffix>[A-Za-z0-9_.-]{0,48})" +
        @"(?:" +
            @"[""'`]?\]?[ \t]{0,8}" +
            @"(?::[ \t]{0,4}(?>[&A-Za-z_][A-Za-z0-9_.<>\[\]?&']{0,40}(?:[ \t]{1,4}[A-Za-z_][A-Za-z0-9_.<>\[\]?]{0,40})?)[ \t]{0,8}=(?![=>~])" +
            @"|:=|=>|=(?![=>~])|:(?![:=/]))[ \t]{0,8}" +
            @"(?:(?:@|\$|[rbfuRBFUL]{1,2})?""(?<quoted>(?>(?:[^""\\\r\n]|\\.){0,16384}))""" +
            @"|(?:@|[rbfuRBFUL]{1,2})?'(?<quoted>(?>(?:[^'\\\r\n]|\\.){0,16384}))'" +
            @"|`(?<quoted>(?>[^`\r\n]{0,16384}))`" +
            @"|(?<bare>(?>[^\s""'`,;&<>(){}\[\]\\]{1,256})))" +
        @"|>(?<element>(?>[^<\r\n]{1,16384}))</" +
        @"|""[ \t]{1,8}value[ \t]{0,4}=[ \t]{0,4}""(?<attribute>(?>[^""\r\n]{0,16384}))""" +
        @")",
        IgnoreCaseOptions)]
    internal static partial Regex SecretAssignment();

    /// <summary>
    /// One <c>NAME=value</c> line of a dotenv file (with an optional <c>export</c>) whose value has at least six
    /// characters, the shortest any rule counts; shorter lines are skipped inside the engine.
    /// </summary>
    [GeneratedRegex(
        @"^[ \t]{0,16}(?:export[ \t]{1,8})?(?<name>[A-Za-z_][A-Za-z0-9_.-]{0,127})[ \t]{0,8}=[ \t]{0,8}" +
        @"(?:""(?<quoted>(?>[^""\r\n]{6,65536}))""|'(?<quoted>(?>[^'\r\n]{6,65536}))'|(?<bare>[^\r\n""'](?>[^\r\n]{5,65535})))",
        Options | RegexOptions.Multiline)]
    internal static partial Regex EnvAssignment();
}
