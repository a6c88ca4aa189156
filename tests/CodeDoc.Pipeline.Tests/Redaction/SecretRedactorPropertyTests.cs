using System.Text;
using CodeDoc.Core;
using CodeDoc.Pipeline.Redaction;
using CsCheck;

namespace CodeDoc.Pipeline.Tests.Redaction;

public sealed class SecretRedactorPropertyTests
{
    // No character that any rule needs next to a word (= : " ' / - _ @ < >, upper case), so filler text alone
    // never matches and every finding comes from an inserted secret.
    private const string FillerAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789      .,;!?()#*";

    // Secrets found wherever they stand. An unterminated key is left out: its extent is "the key material lines
    // after the marker", which random filler may legitimately continue.
    private static readonly Canary[] Portable = [.. FakeSecrets.Canaries.Where(c => c.Path is null && c.Name != "pem-unterminated")];

    private static readonly Gen<string> FillerLine = Gen.Char[FillerAlphabet].Array[0, 60].Select(chars => new string(chars));

    private static readonly Gen<(string[] Lines, bool[] Crlf, (int Line, int Canary, int Seed, int Column)[] Secrets)> Documents =
        Gen.Int[1, 40].SelectMany(lineCount => Gen.Select(
            FillerLine.Array[lineCount],
            Gen.Bool.Array[lineCount],
            Gen.Select(Gen.Int[0, lineCount - 1], Gen.Int[0, Portable.Length - 1], Gen.Int, Gen.Int[0, 60]).Array[0, Math.Min(lineCount, 6)]));

    private readonly SecretRedactor _redactor = new();

    [Fact]
    public void Redact_SecretsAtRandomLines_SameLineCountNoSecretLeftOneFindingEachOnItsLine()
    {
        Documents.Sample(
            document =>
            {
                var (text, inserted) = Build(document.Lines, document.Crlf, document.Secrets);

                var result = _redactor.Redact(text);

                Assert.Equal(SecretRedactorRuleTests.LineCount(text), SecretRedactorRuleTests.LineCount(result.Text));
                Assert.All(inserted, s => Assert.DoesNotContain(s.Secret, result.Text, StringComparison.Ordinal));
                Assert.All(inserted, s => Assert.DoesNotContain(s.Secret, result.ToString(), StringComparison.Ordinal));
                Assert.Equal(inserted.Select(s => new SecretFinding(s.RuleId, s.Line)), result.Findings);
                if (inserted.Count == 0)
                {
                    Assert.Same(text, result.Text);
                }
            },
            iter: 2_000,
            print: document => Build(document.Lines, document.Crlf, document.Secrets).Text);
    }

    [Fact]
    public void Redact_FillerOnly_ReturnsTheSameString()
    {
        Gen.Select(FillerLine.Array[1, 50], Gen.Bool.Array[50]).Sample(
            document =>
            {
                var (text, _) = Build(document.Item1, document.Item2, []);

                Assert.Same(text, _redactor.Redact(text).Text);
            },
            iter: 200);
    }

    private static (string Text, List<(string Secret, string RuleId, int Line)> Inserted) Build(
        string[] lines, bool[] crlf, (int Line, int Canary, int Seed, int Column)[] secrets)
    {
        // One secret per line at most, so that each line's expected finding is unambiguous.
        var byLine = secrets.GroupBy(s => s.Line).ToDictionary(g => g.Key, g => g.First());
        var text = new StringBuilder();
        var inserted = new List<(string Secret, string RuleId, int Line)>();
        var line = 1;
        for (var i = 0; i < lines.Length; i++)
        {
            var filler = lines[i];
            if (byLine.TryGetValue(i, out var secret))
            {
                var canary = Portable[secret.Canary];
                var snippet = canary.Build(new Random(secret.Seed));
                var column = Math.Min(secret.Column, filler.Length);
                var withSecret = filler[..column] + " " + snippet.Text + " " + filler[column..];
                inserted.Add((snippet.Secret, canary.RuleId, line));
                filler = withSecret;
            }

            text.Append(filler).Append(crlf[i] ? "\r\n" : "\n");
            line += 1 + filler.Count(c => c == '\n');
        }

        return (text.ToString(), inserted);
    }
}
