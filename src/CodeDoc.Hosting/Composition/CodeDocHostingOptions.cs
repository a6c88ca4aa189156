namespace CodeDoc.Hosting;

/// <summary>Options of the CodeDoc host: where it stores its data, how it encrypts secrets, how its worker runs.</summary>
public sealed class CodeDocHostingOptions
{
    /// <summary>Gets or sets the SQLite database file (created with its folder when missing). Default <c>codedoc.db</c> in the current folder.</summary>
    public string DatabasePath { get; set; } = "codedoc.db";

    /// <summary>Gets the source of the key that encrypts stored secrets.</summary>
    public HostingEncryptionOptions Encryption { get; } = new();

    /// <summary>Gets the background worker's options.</summary>
    public HostingWorkerOptions Worker { get; } = new();

    /// <summary>Gets the webhook intake's options.</summary>
    public HostingWebhookOptions Webhooks { get; } = new();

    /// <summary>Gets the outbound HTTP rules of the host.</summary>
    public HostingEgressOptions Egress { get; } = new();

    /// <summary>Gets the outgoing notification webhook's options.</summary>
    public HostingNotificationOptions Notifications { get; } = new();
}

/// <summary>
/// Where the key that encrypts stored secrets comes from. Set exactly one source; the host refuses to start without
/// one, and never keeps an unprotected key beside the database.
/// </summary>
public sealed class HostingEncryptionOptions
{
    /// <summary>
    /// Gets or sets a key file (a key ring in JSON, created by <c>codedoc keys init</c>). On Unix it must be readable by
    /// its owner only (mode 600 or stricter).
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// Gets or sets the name of an environment variable holding the key: 32 bytes in base64. During a rotation,
    /// <c>{name}_PREVIOUS</c> holds the retired keys, comma-separated, until <c>ReencryptAsync</c> has run.
    /// </summary>
    public string? KeyEnvironmentVariable { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether ASP.NET Core Data Protection encrypts the secrets. Its key ring must itself
    /// be protected at rest (<c>ProtectKeysWith...</c>); an unprotected key ring is refused.
    /// </summary>
    public bool UseDataProtection { get; set; }
}

/// <summary>The background worker's options.</summary>
public sealed class HostingWorkerOptions
{
    /// <summary>Gets or sets how many runs may be under way at once. Default 2.</summary>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Gets or sets how long a pushed branch waits for further pushes before its run starts. Default 10 seconds.</summary>
    public TimeSpan DebounceWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long shutdown waits for runs under way before cancelling them. Default 30 seconds.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the shortest poll interval a job may ask for. Default 1 minute.</summary>
    public TimeSpan MinimumPollInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The webhook intake's options.</summary>
public sealed class HostingWebhookOptions
{
    /// <summary>Gets or sets how long delivery ids are remembered for de-duplication. Default 7 days.</summary>
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets the largest body accepted, in bytes. Default 25 MiB (GitHub's own cap).</summary>
    public long MaxBodyBytes { get; set; } = 25 * 1024 * 1024;
}

/// <summary>The host's outbound HTTP rules.</summary>
public sealed class HostingEgressOptions
{
    /// <summary>Gets or sets a value indicating whether outbound requests are limited to the configured providers' hosts. Default on.</summary>
    public bool Enforce { get; set; } = true;

    /// <summary>
    /// Gets extra hosts outbound requests may reach (e.g. an identity provider): a host name (HTTPS on port 443),
    /// <c>host:port</c> (HTTPS on that port) or an absolute URL (its scheme, host and port). The configured providers'
    /// endpoints and the notification webhook are allowed without being listed.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>
    /// Gets or sets a value indicating whether provider endpoints may use plain HTTP to remote hosts. Off by default:
    /// HTTP is accepted only for loopback addresses. Turning it on is logged as a warning at start.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }
}

/// <summary>The outgoing notification webhook.</summary>
public sealed class HostingNotificationOptions
{
    /// <summary>Gets or sets the URL notifications are POSTed to as JSON; <see langword="null"/> for none.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Gets or sets a secret the JSON body is signed with (HMAC-SHA256 in <c>X-CodeDoc-Signature-256</c>). Never logged.</summary>
    public string? WebhookSecret { get; set; }
}
