using CsCheck;

namespace CodeDoc.Pipeline.Tests.Verification;

public sealed class MermaidValidatorTests
{
    private static readonly MermaidValidator Validator = new();

    public static TheoryData<string> Corpus(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Verification", "MermaidCorpus", folder), "*.mmd").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private static string Read(string folder, string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Verification", "MermaidCorpus", folder, name));

    [Theory]
    [MemberData(nameof(Corpus), "valid")]
    public void Check_RealValidDiagram_IsAcceptedUnchanged(string name)
    {
        var source = Read("valid", name);

        var check = Validator.Check(source);

        Assert.True(check.IsValid, string.Join("\n", check.Problems));
        Assert.Equal(source, check.Publishable(source));
    }

    [Theory]
    [MemberData(nameof(Corpus), "repairable")]
    public void Check_RealBrokenDiagramWithCertainFix_IsRepaired(string name)
    {
        var source = Read("repairable", name);

        var check = Validator.Check(source);

        Assert.False(check.IsValid);
        Assert.NotEmpty(check.Problems);
        Assert.NotNull(check.Repaired);
        Assert.True(Validator.Check(check.Repaired).IsValid);
        var expectations = source.Split('\n').Where(l => l.StartsWith("%% Expect: ", StringComparison.Ordinal)).Select(l => l["%% Expect: ".Length..].TrimEnd('\r')).ToList();
        Assert.NotEmpty(expectations);
        foreach (var expected in expectations)
        {
            Assert.Contains(expected, check.Repaired.Replace("%% Expect: " + expected, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Corpus), "unrepairable")]
    public void Check_RealBrokenDiagramWithoutCertainFix_IsRejected(string name)
    {
        var check = Validator.Check(Read("unrepairable", name));

        Assert.False(check.IsValid);
        Assert.Null(check.Repaired);
        Assert.NotEmpty(check.Problems);
        Assert.Null(check.Publishable("x"));
    }

    [Theory]
    [InlineData("journey\n  title My day\n  section Go to work\n    Make tea: 5: Me")]
    [InlineData("---\ntitle: Order example\n---\nerDiagram\n    CUSTOMER ||--o{ ORDER : places")]
    [InlineData("%%{init: {'theme':'dark'}}%%\nflowchart LR\n  A --> B")]
    [InlineData("sequenceDiagram\n  alt ok\n    A->>B: yes\n  else failed\n    A->>B: no\n  end\n  loop every minute (at most 3)\n    A-)B: ping\n  end")]
    [InlineData("stateDiagram-v2\n  [*] --> Idle\n  Idle --> Busy : start\n  note right of Busy\n    works hard\n  end note\n  Busy --> [*]")]
    [InlineData("classDiagram\n  class Shape {\n    <<interface>>\n    +area() double\n  }\n  Shape <|.. Circle\n  Circle \"1\" *-- \"many\" Point : has")]
    [InlineData("flowchart TB\n  subgraph one [\"Group (one)\"]\n    a1 & a2 --> b1:::hot\n  end\n  c1@{ shape: rect, label: \"x\" } --> d1((circle)) --> e1>flag] --> f1[/lean/]")]
    public void Check_ValidSyntaxOfEachKind_IsAccepted(string source)
    {
        var check = Validator.Check(source);

        Assert.True(check.IsValid, string.Join("\n", check.Problems));
    }

    [Theory]
    [InlineData("flowchart LR\n  A -> B", "A --> B")]
    [InlineData("flowchart LR\n  A ->> B", "A --> B")]
    [InlineData("flowchart LR\n  A => B", "A ==> B")]
    [InlineData("flowchart LR\n  A -->|calls run()| B", "A -->|\"calls run()\"| B")]
    [InlineData("flowchart LR\n  A -- calls run() --> B", "A -- \"calls run()\" --> B")]
    [InlineData("flowchart LR\n  A[/api/users] --> B", "A[\"/api/users\"] --> B")]
    [InlineData("flowchart LR\n  A[say \"hi\"] --> B", "A[\"say #quot;hi#quot;\"] --> B")]
    [InlineData("Flowchart LR\n  A --> B", "flowchart LR")]
    [InlineData("mermaid\ngraph TD\n  A --> B", "graph TD")]
    [InlineData("sequenceDiagram\n  A => B: hi", "A ->> B: hi")]
    [InlineData("sequenceDiagram\n  A->>B", "A->>B:")]
    [InlineData("sequenceDiagram\n  loop retry; then give up\n    A->>B: x\n  end", "loop retry#59; then give up")]
    [InlineData("stateDiagram-v2\n  Idle -> Busy", "Idle --> Busy")]
    [InlineData("classDiagram\n  Order -> Customer", "Order --> Customer")]
    [InlineData("erDiagram\n  CUSTOMER ||--o{ ORDER : places order", "CUSTOMER ||--o{ ORDER : \"places order\"")]
    public void Check_CertainFix_IsRepaired(string source, string expected)
    {
        var check = Validator.Check(source);

        Assert.False(check.IsValid);
        Assert.NotNull(check.Repaired);
        Assert.Contains(expected, check.Repaired, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("diagram LR\n  A --> B", "unknown diagram type")]
    [InlineData("flowchart sideways\n  A --> B", "unknown flowchart direction")]
    [InlineData("flowchart LR\n  subgraph one\n    A --> B", "not closed")]
    [InlineData("flowchart LR\n  A --> B\n  end", "without an open subgraph")]
    [InlineData("flowchart LR\n  A[unclosed --> B", "unclosed")]
    [InlineData("sequenceDiagram\n  alt ok\n    A->>B: yes", "not closed")]
    [InlineData("sequenceDiagram\n  A->>B: x\n  end", "without an open block")]
    [InlineData("sequenceDiagram\n  try\n    A->>B: x\n  end", "no sequence diagram keyword")]
    [InlineData("sequenceDiagram\n  A ~> B: x", "cannot read")]
    [InlineData("sequenceDiagram\n  Note A: x", "a note needs")]
    [InlineData("classDiagram\n  class A {\n    +x", "not closed")]
    [InlineData("classDiagram\n  A <|-|> B", "unknown relation")]
    [InlineData("stateDiagram-v2\n  Waiting for input --> Done", "cannot read")]
    [InlineData("stateDiagram-v2\n  state A {\n    B --> C", "not closed")]
    [InlineData("erDiagram\n  CUSTOMER }--{ ORDER : places", "cannot read")]
    [InlineData("erDiagram\n  CUSTOMER {\n    name: string\n  }", "cannot read attribute")]
    public void Check_NoCertainFix_IsRejectedWithTheReason(string source, string reason)
    {
        var check = Validator.Check(source);

        Assert.False(check.IsValid);
        Assert.Null(check.Repaired);
        Assert.Contains(check.Problems, p => p.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_GeneratedLabels_RepairsAlwaysToAValidDiagram()
    {
        // Whatever a model puts inside a label, a repair (if any) must itself validate.
        Gen.Char["A()[]{}\"|;: -x"].Array[0, 20].Select(chars => new string(chars)).Sample(label =>
        {
            var check = Validator.Check($"flowchart LR\n  A[{label}] --> B");
            if (check.Repaired is { } repaired)
            {
                Assert.True(Validator.Check(repaired).IsValid, repaired);
            }
        });
    }
}
