using CodeDoc.Pipeline.Redaction;

namespace CodeDoc.Pipeline.Tests.Redaction;

public sealed class SecretRedactorRuleTests
{
    private static readonly Dictionary<string, Canary> CanariesByName = FakeSecrets.Canaries.ToDictionary(c => c.Name);

    private readonly SecretRedactor _redactor = new();

    public static TheoryData<string> CanaryNames => new(FakeSecrets.Canaries.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CanaryNames))]
    public void Redact_Canary_ReplacedByTypedPlaceholderOnItsLine(string name)
    {
        var canary = CanariesByName[name];
        var snippet = canary.Build(new Random(name.Length));
        var text = "first line of the file\n" + snippet.Text + "\nlast line of the file\n";

        var result = _redactor.Redact(text, canary.Path);

        Assert.DoesNotContain(snippet.Secret, result.Text, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:" + canary.RuleId + "]", result.Text, StringComparison.Ordinal);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(canary.RuleId, finding.RuleId);
        Assert.Equal(2, finding.Line);
        Assert.Equal(LineCount(text), LineCount(result.Text));
        Assert.StartsWith("first line of the file\n", result.Text, StringComparison.Ordinal);
        Assert.EndsWith("\nlast line of the file\n", result.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CanaryNames))]
    public void Redact_Canary_KeepsTheRestOfTheLine(string name)
    {
        var canary = CanariesByName[name];
        var snippet = canary.Build(new Random(name.Length + 1));
        var at = snippet.Text.IndexOf(snippet.Secret, StringComparison.Ordinal);
        var before = snippet.Text[..at];
        var after = snippet.Text[(at + snippet.Secret.Length)..];

        var result = _redactor.Redact(snippet.Text, canary.Path);

        var lineBreaks = new string(snippet.Secret.Where(c => c is '\r' or '\n').ToArray());
        Assert.Equal(before + "[REDACTED:" + canary.RuleId + "]" + lineBreaks + after, result.Text);
    }

    [Theory]
    [MemberData(nameof(CanaryNames))]
    public void Redact_Canary_NeverInFindingsOrToString(string name)
    {
        var canary = CanariesByName[name];
        var snippet = canary.Build(new Random(name.Length + 2));

        var result = _redactor.Redact(snippet.Text, canary.Path);

        Assert.True(result.HasFindings);
        Assert.DoesNotContain(snippet.Secret, result.ToString(), StringComparison.Ordinal);
        Assert.All(result.Findings, f => Assert.DoesNotContain(snippet.Secret, f.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Canaries_CoverEveryRule()
    {
        var covered = FakeSecrets.Canaries.Select(c => c.RuleId).ToHashSet(StringComparer.Ordinal);

        Assert.All(SecretDetectorCatalog.RuleIds, id => Assert.Contains(id, covered));
        Assert.Subset(SecretDetectorCatalog.RuleIds.ToHashSet(StringComparer.Ordinal), covered);
    }

    [Fact]
    public void RuleIds_AreLowerCaseKebabAndUnique()
    {
        Assert.All(SecretDetectorCatalog.RuleIds, id => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", id));
        Assert.Equal(SecretDetectorCatalog.RuleIds.Count, SecretDetectorCatalog.RuleIds.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(28, SecretDetectorCatalog.RuleIds.Count);
    }

    internal static int LineCount(string text)
    {
        var count = 1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                count++;
            }
        }

        return count;
    }
}
