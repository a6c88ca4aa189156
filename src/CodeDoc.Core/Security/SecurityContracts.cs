namespace CodeDoc.Core;

/// <summary>Where a secret was found; never the secret itself.</summary>
/// <param name="RuleId">The detector that matched, e.g. <c>aws-access-key-id</c>.</param>
/// <param name="Line">The 1-based line the secret starts on.</param>
public sealed record SecretFinding(string RuleId, int Line);

/// <summary>Text after redaction, and what was redacted.</summary>
/// <param name="Text">The text with every secret replaced by a typed placeholder; it has as many lines as the input.</param>
/// <param name="Findings">What was found, in order of position.</param>
public sealed record RedactionResult(string Text, IReadOnlyList<SecretFinding> Findings)
{
    /// <summary>Gets a value indicating whether anything was redacted.</summary>
    public bool HasFindings => Findings.Count > 0;
}

/// <summary>
/// Removes secrets from text before it can reach a model, a log or a report. Each secret is replaced by a typed
/// placeholder that keeps the line count, so line citations stay true to the commit.
/// </summary>
public interface ISecretRedactor
{
    /// <summary>Redacts a text.</summary>
    /// <param name="text">The text (a file, a prompt).</param>
    /// <param name="path">The file path, when the text is a file; some rules depend on it (e.g. <c>.env</c> files).</param>
    /// <returns>The redacted text and the findings.</returns>
    RedactionResult Redact(string text, string? path = null);
}

/// <summary>An <see cref="ISecretRedactor"/> that changes nothing: the default only where no pipeline is registered.</summary>
public sealed class NullSecretRedactor : ISecretRedactor
{
    private NullSecretRedactor()
    {
    }

    /// <summary>Gets the instance.</summary>
    public static NullSecretRedactor Instance { get; } = new();

    /// <inheritdoc />
    public RedactionResult Redact(string text, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new RedactionResult(text, []);
    }
}

/// <summary>One entry of the audit log: who did what to what, and when. Never holds content or secrets.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Actor">The actor id the embedding application supplies (or <c>system</c>).</param>
/// <param name="Action">What happened, e.g. <c>run.started</c>, <c>model.request</c>, <c>secret.rotated</c>.</param>
/// <param name="Target">What it happened to, e.g. a job id or repository id.</param>
public sealed record AuditEvent(DateTimeOffset Timestamp, string Actor, string Action, string Target)
{
    /// <summary>Gets extra metadata (counts, ids, hosts); never source code, prompts or secrets.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}

/// <summary>Receives audit events.</summary>
public interface IAuditSink
{
    /// <summary>Records an event.</summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when recorded.</returns>
    ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);
}

/// <summary>An <see cref="IAuditSink"/> that discards events: the default until hosting registers a store.</summary>
public sealed class NullAuditSink : IAuditSink
{
    private NullAuditSink()
    {
    }

    /// <summary>Gets the instance.</summary>
    public static NullAuditSink Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return ValueTask.CompletedTask;
    }
}
