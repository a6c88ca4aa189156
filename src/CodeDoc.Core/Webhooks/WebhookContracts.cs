using System.Security.Cryptography;
using System.Text;

namespace CodeDoc.Core;

/// <summary>One HTTP delivery of a webhook, as received: headers and the exact body bytes.</summary>
public sealed class WebhookDelivery
{
    private readonly Dictionary<string, string> _headers;

    /// <summary>Initializes a new instance of the <see cref="WebhookDelivery"/> class.</summary>
    /// <param name="headers">The request headers; names compare case-insensitively. Repeated headers are joined with commas.</param>
    /// <param name="body">The body exactly as received; signatures are computed over these bytes.</param>
    public WebhookDelivery(IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            _headers[name] = _headers.TryGetValue(name, out var existing) ? existing + "," + value : value;
        }

        Body = body;
    }

    /// <summary>Gets the headers (case-insensitive names).</summary>
    public IReadOnlyDictionary<string, string> Headers => _headers;

    /// <summary>Gets the body bytes.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Gets a header's value, or <see langword="null"/> when absent.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value.</returns>
    public string? GetHeader(string name) => _headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A webhook secret (an HMAC key, a shared token or Basic credentials). Its <see cref="ToString"/> never shows the
/// value, so it cannot leak through logs or exception messages by accident.
/// </summary>
public sealed class WebhookSecret
{
    private readonly string _value;

    /// <summary>Initializes a new instance of the <see cref="WebhookSecret"/> class.</summary>
    /// <param name="value">The secret.</param>
    public WebhookSecret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary>Returns the secret's value. Call only to compute or compare a signature.</summary>
    /// <returns>The secret.</returns>
    public string Reveal() => _value;

    /// <summary>Compares a presented value with the secret in constant time.</summary>
    /// <param name="presented">The value from the request.</param>
    /// <returns>Whether they are equal.</returns>
    public bool FixedTimeEquals(string? presented) =>
        presented is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(_value));

    /// <inheritdoc />
    public override string ToString() => "[webhook secret]";
}

/// <summary>The outcome of verifying a delivery's authenticity.</summary>
/// <param name="IsValid">Whether the delivery is authentic.</param>
/// <param name="FailureReason">Why not (e.g. "signature header X-Hub-Signature-256 missing"); never contains the secret or the expected signature.</param>
public sealed record WebhookVerificationResult(bool IsValid, string? FailureReason = null)
{
    /// <summary>Gets a successful result.</summary>
    public static WebhookVerificationResult Valid { get; } = new(true);

    /// <summary>Creates a failed result.</summary>
    /// <param name="reason">Why it failed.</param>
    /// <returns>The result.</returns>
    public static WebhookVerificationResult Invalid(string reason) => new(false, reason);
}

/// <summary>A push to one ref, in host-neutral form.</summary>
public sealed record PushEvent
{
    /// <summary>Gets the host kind that sent it, e.g. <c>github</c>.</summary>
    public required string HostKind { get; init; }

    /// <summary>Gets the host's stable repository id (numeric id, UUID or GUID), when the payload has one.</summary>
    public string? RepositoryId { get; init; }

    /// <summary>Gets the repository's web or clone URL, used to match jobs.</summary>
    public required string RepositoryUrl { get; init; }

    /// <summary>Gets the repository's full name, e.g. <c>owner/repo</c>.</summary>
    public string? RepositoryFullName { get; init; }

    /// <summary>Gets the full ref, e.g. <c>refs/heads/main</c>.</summary>
    public required string Ref { get; init; }

    /// <summary>Gets whether the ref is a branch or a tag.</summary>
    public required RefKind RefKind { get; init; }

    /// <summary>Gets the short ref name, e.g. <c>main</c>.</summary>
    public required string RefName { get; init; }

    /// <summary>Gets the SHA before the push; <see langword="null"/> when the ref was created.</summary>
    public string? BeforeSha { get; init; }

    /// <summary>Gets the SHA after the push; <see langword="null"/> when the ref was deleted.</summary>
    public string? AfterSha { get; init; }

    /// <summary>Gets a value indicating whether the push created the ref.</summary>
    public bool Created { get; init; }

    /// <summary>Gets a value indicating whether the push deleted the ref.</summary>
    public bool Deleted { get; init; }

    /// <summary>Gets a value indicating whether the host reports a forced push.</summary>
    public bool Forced { get; init; }

    /// <summary>Gets the delivery id used to de-duplicate redeliveries.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>Gets changed paths listed in the payload, when the host lists any. Only a hint: compare is the truth.</summary>
    public IReadOnlyList<ChangedPath>? ChangedPaths { get; init; }
}

/// <summary>What a delivery turned out to be.</summary>
public enum WebhookEventKind
{
    /// <summary>One or more pushes.</summary>
    Push,

    /// <summary>A ping or test delivery sent when the hook was created.</summary>
    Ping,

    /// <summary>An event CodeDoc does not act on (answered 2xx "ignored").</summary>
    Ignored,
}

/// <summary>A parsed delivery.</summary>
/// <param name="Kind">What the delivery is.</param>
/// <param name="DeliveryId">The host's delivery id, when it sends one.</param>
/// <param name="Pushes">The pushes it carries; several for hosts that batch refs.</param>
/// <param name="Reason">For ignored events, why.</param>
public sealed record WebhookParseResult(WebhookEventKind Kind, string? DeliveryId, IReadOnlyList<PushEvent> Pushes, string? Reason = null);

/// <summary>
/// Verifies and parses one Git host's webhook deliveries. Registered keyed by <see cref="HostKind"/>, so hosting
/// code finds the handler without referencing the host package.
/// </summary>
public interface IWebhookHandler
{
    /// <summary>Gets the host kind, e.g. <c>github</c>, <c>gitlab</c>, <c>bitbucket-cloud</c>, <c>bitbucket-dc</c>, <c>azure-devops</c>.</summary>
    string HostKind { get; }

    /// <summary>Verifies a delivery against the configured secret.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="secret">The secret configured for the hook.</param>
    /// <returns>Whether the delivery is authentic, and why not.</returns>
    WebhookVerificationResult Verify(WebhookDelivery delivery, WebhookSecret secret);

    /// <summary>Parses a verified delivery.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <returns>The parsed event.</returns>
    /// <exception cref="WebhookPayloadException">The body is not a payload this host sends.</exception>
    WebhookParseResult Parse(WebhookDelivery delivery);
}
