using CodeDoc.Core;

namespace CodeDoc.Pipeline.Tests.Snapshot;

/// <summary>Replaces the literal CANARY-SECRET with a placeholder and reports the line; counts its calls.</summary>
public sealed class FakeSecretRedactor : ISecretRedactor
{
    public const string Canary = "CANARY-SECRET";
    public const string Placeholder = "[REDACTED:canary]";

    private int _calls;

    public int Calls => _calls;

    public Func<string, string?, RedactionResult>? Override { get; init; }

    public RedactionResult Redact(string text, string? path = null)
    {
        Interlocked.Increment(ref _calls);
        if (Override is not null)
        {
            return Override(text, path);
        }

        var findings = new List<SecretFinding>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(Canary, StringComparison.Ordinal))
            {
                findings.Add(new SecretFinding("canary", i + 1));
            }
        }

        return new RedactionResult(text.Replace(Canary, Placeholder, StringComparison.Ordinal), findings);
    }
}
