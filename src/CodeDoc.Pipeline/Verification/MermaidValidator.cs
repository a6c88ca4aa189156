using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CodeDoc.Pipeline;

/// <summary>
/// Checks Mermaid diagrams line by line for the mistakes models make, per diagram type: in flowcharts unquoted labels
/// holding brackets, parentheses, braces or quotes, the reserved node id <c>end</c>, arrows of other notations
/// (<c>-&gt;</c>, <c>=&gt;</c>, <c>--&gt;&gt;</c>) and unbalanced <c>subgraph</c>/<c>end</c>; in sequence diagrams
/// unknown block keywords, unbalanced blocks, bad arrows and semicolons in text; in class diagrams <c>&lt;T&gt;</c>
/// generics and bad relations; in state diagrams bad arrows and unbalanced braces; in ER diagrams unknown cardinalities,
/// missing or unquoted relationship labels and unreadable attributes; and unknown diagram types. A problem is repaired
/// only when the fix cannot change the meaning (quoting a label, renaming a reserved id everywhere, the one arrow a
/// notation means); the repair is checked again, and anything else makes the diagram unrepairable, so the page drops
/// it with a note instead of publishing a diagram that fails to render.
/// </summary>
internal sealed partial class MermaidValidator : IMermaidValidator
{
    private static readonly Dictionary<string, string> CheckedTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["flowchart"] = "flowchart",
        ["graph"] = "graph",
        ["sequenceDiagram"] = "sequenceDiagram",
        ["classDiagram"] = "classDiagram",
        ["classDiagram-v2"] = "classDiagram-v2",
        ["stateDiagram"] = "stateDiagram",
        ["stateDiagram-v2"] = "stateDiagram-v2",
        ["erDiagram"] = "erDiagram",
    };

    /// <summary>Diagram types Mermaid knows that this validator passes through unchecked.</summary>
    private static readonly HashSet<string> OtherTypes = new(StringComparer.Ordinal)
    {
        "gantt", "pie", "journey", "gitGraph", "mindmap", "timeline", "quadrantChart", "xychart-beta", "xychart", "sankey-beta", "sankey",
        "requirementDiagram", "C4Context", "C4Container", "C4Component", "C4Dynamic", "C4Deployment", "block-beta", "block",
        "architecture-beta", "packet-beta", "packet", "kanban", "radar-beta", "treemap-beta", "zenuml", "flowchart-elk",
    };

    private static readonly HashSet<string> FlowchartDirections = new(StringComparer.Ordinal) { "TB", "TD", "BT", "RL", "LR" };

    private static readonly (string Open, string Close)[] Shapes =
    [
        ("(((", ")))"), ("((", "))"), ("([", "])"), ("[[", "]]"), ("[(", ")]"), ("{{", "}}"), ("[/", "/]"), ("[\\", "\\]"),
        ("[", "]"), ("(", ")"), ("{", "}"), (">", "]"),
    ];

    private static readonly HashSet<string> SequenceArrows = new(StringComparer.Ordinal)
    {
        "->>", "-->>", "->", "-->", "-x", "--x", "-)", "--)", "<<->>", "<<-->>",
    };

    private static readonly Dictionary<string, string> SequenceArrowFixes = new(StringComparer.Ordinal)
    {
        ["=>"] = "->>", ["=>>"] = "->>", ["==>"] = "-->>", ["==>>"] = "-->>", ["->>>"] = "->>", ["-->>>"] = "-->>", ["--->>"] = "-->>", ["--->"] = "-->",
    };

    /// <inheritdoc />
    public MermaidCheck Check(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var first = Analyze(source);
        if (first.Problems.Count == 0)
        {
            return new MermaidCheck(true, null, []);
        }

        if (first.IsUncertain)
        {
            return new MermaidCheck(false, null, first.Problems);
        }

        // A repair must itself be clean; otherwise the fixes interacted in a way nobody checked.
        var repaired = string.Join('\n', first.Lines);
        var second = Analyze(repaired);
        return second.Problems.Count == 0
            ? new MermaidCheck(false, repaired, first.Problems)
            : new MermaidCheck(false, null, [.. first.Problems, .. second.Problems.Select(p => "after repair, " + p)]);
    }

    private static Analysis Analyze(string source)
    {
        var analysis = new Analysis(source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'));
        var header = FindHeader(analysis);
        if (header < 0)
        {
            analysis.Uncertain("the diagram is empty");
            return analysis;
        }

        var words = analysis.Lines[header].Trim().TrimEnd(';').Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        var keyword = words[0];
        if (OtherTypes.Contains(keyword))
        {
            return analysis;
        }

        if (!CheckedTypes.TryGetValue(keyword, out var canonical))
        {
            analysis.Uncertain($"line {header + 1}: unknown diagram type '{Shorten(keyword)}'");
            return analysis;
        }

        if (!string.Equals(canonical, keyword, StringComparison.Ordinal))
        {
            analysis.Fix(header, analysis.Lines[header].Replace(keyword, canonical, StringComparison.Ordinal), $"line {header + 1}: diagram type '{keyword}' is spelled '{canonical}'");
        }

        switch (canonical)
        {
            case "flowchart" or "graph":
                if (words.Length > 1 && !FlowchartDirections.Contains(words[1].Trim().TrimEnd(';')))
                {
                    analysis.Uncertain($"line {header + 1}: unknown flowchart direction '{Shorten(words[1])}'");
                }

                CheckFlowchart(analysis, header + 1);
                break;
            case "sequenceDiagram":
                CheckSequence(analysis, header + 1);
                break;
            case "classDiagram" or "classDiagram-v2":
                CheckClass(analysis, header + 1);
                break;
            case "stateDiagram" or "stateDiagram-v2":
                CheckState(analysis, header + 1);
                break;
            default:
                CheckEr(analysis, header + 1);
                break;
        }

        return analysis;
    }

    /// <summary>Skips front matter, init directives and comments; a stray first line <c>mermaid</c> (the fence's language repeated) is removed.</summary>
    private static int FindHeader(Analysis analysis)
    {
        var lines = analysis.Lines;
        var i = 0;
        if (i < lines.Count && lines[i].Trim() == "---")
        {
            var close = lines.FindIndex(1, l => l.Trim() == "---");
            if (close < 0)
            {
                analysis.Uncertain("line 1: front matter is not closed with '---'");
                return -1;
            }

            i = close + 1;
        }

        for (; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("%%", StringComparison.Ordinal))
            {
                continue;
            }

            if (string.Equals(line, "mermaid", StringComparison.OrdinalIgnoreCase))
            {
                analysis.Fix(i, string.Empty, $"line {i + 1}: the fence's language 'mermaid' is repeated inside the diagram");
                continue;
            }

            return i;
        }

        return -1;
    }

    private static void CheckFlowchart(Analysis analysis, int start)
    {
        var depth = 0;
        for (var i = start; i < analysis.Lines.Count; i++)
        {
            var line = analysis.Lines[i];
            var statement = line.Trim().TrimEnd(';').TrimEnd();
            if (statement.Length == 0 || statement.StartsWith("%%", StringComparison.Ordinal))
            {
                continue;
            }

            var number = i + 1;
            if (statement == "end")
            {
                if (--depth < 0)
                {
                    analysis.Uncertain($"line {number}: 'end' without an open subgraph");
                    depth = 0;
                }

                continue;
            }

            if (StartsWithWord(statement, "subgraph"))
            {
                depth++;
                CheckSubgraphTitle(analysis, i, line);
                continue;
            }

            if (StartsWithWord(statement, "direction") || StartsWithWord(statement, "style") || StartsWithWord(statement, "classDef")
                || StartsWithWord(statement, "class") || StartsWithWord(statement, "click") || StartsWithWord(statement, "linkStyle"))
            {
                continue;
            }

            var indent = line[..(line.Length - line.TrimStart().Length)];
            var parsed = new FlowchartLine(line.Trim(), number);
            var rewritten = parsed.Read();
            if (parsed.Error is { } error)
            {
                analysis.Uncertain(error);
            }
            else if (parsed.Problems.Count > 0)
            {
                analysis.Fix(i, indent + rewritten, string.Join("; ", parsed.Problems));
            }
        }

        if (depth > 0)
        {
            analysis.Uncertain($"{depth.ToString(CultureInfo.InvariantCulture)} subgraph(s) not closed with 'end'");
        }
    }

    private static void CheckSubgraphTitle(Analysis analysis, int index, string line)
    {
        var match = SubgraphTitle().Match(line);
        if (!match.Success)
        {
            return;
        }

        var title = match.Groups["title"].Value;
        if (!title.StartsWith('"') && title.IndexOfAny(['(', ')', '[', ']', '{', '}', '"']) >= 0)
        {
            var quoted = $"{match.Groups["head"].Value}[\"{title.Replace("\"", "#quot;", StringComparison.Ordinal)}\"]";
            analysis.Fix(index, line[..match.Index] + quoted + line[(match.Index + match.Length)..], $"line {index + 1}: unquoted subgraph title with brackets or parentheses");
        }
    }

    private static void CheckSequence(Analysis analysis, int start)
    {
        var depth = 0;
        for (var i = start; i < analysis.Lines.Count; i++)
        {
            var line = analysis.Lines[i];
            var statement = line.Trim();
            var number = i + 1;
            if (statement.Length == 0 || statement.StartsWith("%%", StringComparison.Ordinal))
            {
                continue;
            }

            var keyword = FirstWord(statement);
            switch (keyword)
            {
                case "participant" or "actor" or "create" or "destroy" or "activate" or "deactivate" or "autonumber" or "title" or "link" or "links" or "properties" or "details" or "accTitle" or "accDescr":
                    continue;
                case "loop" or "alt" or "opt" or "par" or "critical" or "break" or "rect" or "box":
                    depth++;
                    FixSemicolons(analysis, i, keyword.Length);
                    continue;
                case "else" or "and" or "option":
                    if (depth == 0)
                    {
                        analysis.Uncertain($"line {number}: '{keyword}' outside a block");
                    }

                    FixSemicolons(analysis, i, keyword.Length);
                    continue;
                case "end":
                    if (statement != "end")
                    {
                        break;
                    }

                    if (--depth < 0)
                    {
                        analysis.Uncertain($"line {number}: 'end' without an open block");
                        depth = 0;
                    }

                    continue;
                case "group" or "try" or "catch" or "finally" or "if" or "while" or "for" or "switch" or "case" or "section":
                    analysis.Uncertain($"line {number}: '{keyword}' is no sequence diagram keyword");
                    continue;
            }

            if (string.Equals(keyword, "note", StringComparison.OrdinalIgnoreCase))
            {
                if (!SequenceNote().IsMatch(statement))
                {
                    analysis.Uncertain($"line {number}: a note needs 'left of', 'right of' or 'over', participants and ': text'");
                    continue;
                }

                FixSemicolons(analysis, i, statement.IndexOf(':', StringComparison.Ordinal));
                continue;
            }

            CheckMessage(analysis, i, line, number);
        }

        if (depth > 0)
        {
            analysis.Uncertain($"{depth.ToString(CultureInfo.InvariantCulture)} block(s) not closed with 'end'");
        }
    }

    private static void CheckMessage(Analysis analysis, int index, string line, int number)
    {
        var match = SequenceMessage().Match(line);
        if (!match.Success)
        {
            analysis.Uncertain($"line {number}: cannot read '{Shorten(line.Trim())}' as a message");
            return;
        }

        var arrow = match.Groups["arrow"].Value;
        var problems = new List<string>();
        var fixedArrow = arrow;
        if (!SequenceArrows.Contains(arrow))
        {
            if (!SequenceArrowFixes.TryGetValue(arrow, out var replacement))
            {
                analysis.Uncertain($"line {number}: unknown arrow '{arrow}'");
                return;
            }

            fixedArrow = replacement;
            problems.Add($"line {number}: arrow '{arrow}' is written '{replacement}'");
        }

        var text = match.Groups["text"];
        var fixedText = text.Success ? text.Value : ":";
        if (!text.Success)
        {
            problems.Add($"line {number}: a message needs ':' after its receiver");
        }
        else if (BareSemicolon().IsMatch(text.Value))
        {
            fixedText = BareSemicolon().Replace(text.Value, "#59;");
            problems.Add($"line {number}: ';' ends a statement; written '#59;' in text");
        }

        if (problems.Count > 0)
        {
            // Text first: it lies after the arrow, so the arrow's position stays valid.
            var rebuilt = text.Success ? line[..text.Index] + fixedText + line[(text.Index + text.Length)..] : line.TrimEnd() + fixedText;
            var at = match.Groups["arrow"].Index;
            rebuilt = rebuilt[..at] + fixedArrow + rebuilt[(at + arrow.Length)..];
            analysis.Fix(index, rebuilt, string.Join("; ", problems));
        }
    }

    private static void FixSemicolons(Analysis analysis, int index, int from)
    {
        var line = analysis.Lines[index];
        var offset = line.Length - line.TrimStart().Length + Math.Max(from, 0);
        if (offset < line.Length && BareSemicolon().IsMatch(line, offset))
        {
            analysis.Fix(index, line[..offset] + BareSemicolon().Replace(line[offset..], "#59;"), $"line {index + 1}: ';' ends a statement; written '#59;' in text");
        }
    }

    private static void CheckClass(Analysis analysis, int start)
    {
        var depth = 0;
        for (var i = start; i < analysis.Lines.Count; i++)
        {
            var line = analysis.Lines[i];
            var statement = line.Trim();
            var number = i + 1;
            if (statement.Length == 0 || statement.StartsWith("%%", StringComparison.Ordinal))
            {
                continue;
            }

            if (statement == "}")
            {
                if (--depth < 0)
                {
                    analysis.Uncertain($"line {number}: '}}' without an open class or namespace");
                    depth = 0;
                }

                continue;
            }

            if (depth > 0 && !StartsWithWord(statement, "class") && !StartsWithWord(statement, "namespace"))
            {
                // A member line: free text, except that it may close the block on the same line.
                continue;
            }

            var opens = statement.EndsWith('{');
            var keyword = FirstWord(statement);
            if (keyword is "class" or "namespace")
            {
                var generic = AngleGeneric().Replace(line, m => "~" + m.Groups["arg"].Value + "~");
                if (!string.Equals(generic, line, StringComparison.Ordinal) && keyword == "class")
                {
                    analysis.Fix(i, generic, $"line {number}: generics are written with '~' in class diagrams");
                }

                if (opens)
                {
                    depth++;
                }

                continue;
            }

            if (keyword is "direction" or "style" or "classDef" or "cssClass" or "click" or "callback" or "link" or "note" or "title" or "accTitle" or "accDescr"
                || statement.StartsWith("<<", StringComparison.Ordinal))
            {
                continue;
            }

            var relation = ClassRelation().Match(statement);
            if (relation.Success)
            {
                var arrow = relation.Groups["arrow"].Value;
                if (!IsClassArrow(arrow))
                {
                    if (arrow is "->" or "-->>" or "==>" or "=>")
                    {
                        var at = line.IndexOf(statement, StringComparison.Ordinal) + relation.Groups["arrow"].Index;
                        analysis.Fix(i, line[..at] + "-->" + line[(at + arrow.Length)..], $"line {number}: relation '{arrow}' is written '-->'");
                    }
                    else
                    {
                        analysis.Uncertain($"line {number}: unknown relation '{arrow}'");
                    }
                }

                continue;
            }

            if (ClassMember().IsMatch(statement))
            {
                continue;
            }

            analysis.Uncertain($"line {number}: cannot read '{Shorten(statement)}'");
        }

        if (depth > 0)
        {
            analysis.Uncertain("a class or namespace block is not closed with '}'");
        }
    }

    private static bool IsClassArrow(string arrow)
    {
        foreach (var head in new[] { string.Empty, "<|", "*", "o", "<" })
        {
            foreach (var body in new[] { "--", ".." })
            {
                foreach (var tail in new[] { string.Empty, "|>", "*", "o", ">" })
                {
                    if (string.Equals(arrow, head + body + tail, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static void CheckState(Analysis analysis, int start)
    {
        var depth = 0;
        var inNote = false;
        for (var i = start; i < analysis.Lines.Count; i++)
        {
            var line = analysis.Lines[i];
            var statement = line.Trim();
            var number = i + 1;
            if (inNote)
            {
                inNote = !string.Equals(statement, "end note", StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (statement.Length == 0 || statement.StartsWith("%%", StringComparison.Ordinal) || statement == "--")
            {
                continue;
            }

            if (statement == "}")
            {
                if (--depth < 0)
                {
                    analysis.Uncertain($"line {number}: '}}' without an open composite state");
                    depth = 0;
                }

                continue;
            }

            var keyword = FirstWord(statement);
            if (keyword == "state")
            {
                if (statement.EndsWith('{'))
                {
                    depth++;
                }

                continue;
            }

            if (string.Equals(keyword, "note", StringComparison.OrdinalIgnoreCase))
            {
                inNote = !statement.Contains(':', StringComparison.Ordinal);
                continue;
            }

            if (keyword is "direction" or "classDef" or "class" or "style" or "hide" or "scale" or "title" or "accTitle" or "accDescr")
            {
                continue;
            }

            var transition = StateTransition().Match(statement);
            if (transition.Success)
            {
                var arrow = transition.Groups["arrow"].Value;
                if (arrow != "-->")
                {
                    if (arrow is "->" or "--->" or "==>" or "=>")
                    {
                        var at = line.IndexOf(statement, StringComparison.Ordinal) + transition.Groups["arrow"].Index;
                        analysis.Fix(i, line[..at] + "-->" + line[(at + arrow.Length)..], $"line {number}: transition '{arrow}' is written '-->'");
                    }
                    else
                    {
                        analysis.Uncertain($"line {number}: unknown transition '{arrow}'");
                    }
                }

                continue;
            }

            if (StateDeclaration().IsMatch(statement))
            {
                continue;
            }

            analysis.Uncertain($"line {number}: cannot read '{Shorten(statement)}' (state ids have no spaces; use 'state \"...\" as id')");
        }

        if (depth > 0 || inNote)
        {
            analysis.Uncertain(inNote ? "a note is not closed with 'end note'" : "a composite state is not closed with '}'");
        }
    }

    private static void CheckEr(Analysis analysis, int start)
    {
        var inEntity = false;
        for (var i = start; i < analysis.Lines.Count; i++)
        {
            var line = analysis.Lines[i];
            var statement = line.Trim();
            var number = i + 1;
            if (statement.Length == 0 || statement.StartsWith("%%", StringComparison.Ordinal))
            {
                continue;
            }

            if (inEntity)
            {
                if (statement == "}")
                {
                    inEntity = false;
                }
                else if (!ErAttribute().IsMatch(statement))
                {
                    analysis.Uncertain($"line {number}: cannot read attribute '{Shorten(statement)}' (write 'type name [PK|FK|UK] [\"comment\"]')");
                }

                continue;
            }

            if (ErEntityOpen().IsMatch(statement))
            {
                inEntity = !statement.EndsWith('}');
                continue;
            }

            if (statement == "}")
            {
                analysis.Uncertain($"line {number}: '}}' without an open entity");
                continue;
            }

            var keyword = FirstWord(statement);
            if (keyword is "direction" or "title" or "style" or "classDef" or "class" or "accTitle" or "accDescr")
            {
                continue;
            }

            var relation = ErRelation().Match(statement);
            if (relation.Success)
            {
                var label = relation.Groups["label"];
                if (!label.Success)
                {
                    analysis.Fix(i, line.TrimEnd() + " : \"\"", $"line {number}: a relationship needs a label; an empty one was added");
                }
                else
                {
                    var text = label.Value.Trim();
                    if (text.Length == 0 || (!text.StartsWith('"') && !ErRoleWord().IsMatch(text)))
                    {
                        var at = line.IndexOf(':', relation.Groups["b"].Index + relation.Groups["b"].Length);
                        analysis.Fix(i, line[..(at + 1)] + " \"" + text.Replace("\"", "'", StringComparison.Ordinal) + "\"", $"line {number}: a relationship label with spaces or symbols is quoted");
                    }
                }

                continue;
            }

            if (ErEntityName().IsMatch(statement))
            {
                continue;
            }

            analysis.Uncertain($"line {number}: cannot read '{Shorten(statement)}' as an entity or a relationship");
        }

        if (inEntity)
        {
            analysis.Uncertain("an entity's attribute block is not closed with '}'");
        }
    }

    private static bool StartsWithWord(string statement, string word) =>
        statement.StartsWith(word, StringComparison.Ordinal) && (statement.Length == word.Length || !char.IsLetterOrDigit(statement[word.Length]));

    private static string FirstWord(string statement)
    {
        var end = 0;
        while (end < statement.Length && (char.IsLetterOrDigit(statement[end]) || statement[end] is '_' or '-'))
        {
            end++;
        }

        return statement[..end];
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;

    [GeneratedRegex(@"^\s*(?<head>subgraph\s+[\w\-]+)\s*\[(?<title>.*)\]\s*$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex SubgraphTitle();

    /// <summary>A semicolon that is not the end of an entity code such as <c>#59;</c> or <c>#quot;</c>.</summary>
    [GeneratedRegex(@"(?<!#[A-Za-z0-9]+);", RegexOptions.CultureInvariant)]
    private static partial Regex BareSemicolon();

    [GeneratedRegex(@"^note\s+(left\s+of|right\s+of|over)\s+[^:]+:.*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SequenceNote();

    [GeneratedRegex(@"^\s*(?<from>[^\s<>=:;+\-][^<>=:;]*?)\s*(?<arrow>(?:<<)?[-=]+(?:>>>|>>|>|x|\))?)\s*(?<to>[+\-]?[^\s<>=:;+\-][^<>=:;]*?)\s*(?<text>:.*)?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex SequenceMessage();

    [GeneratedRegex(@"(?<=\w)<(?<arg>[\w, ]+)>(?!>)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex AngleGeneric();

    [GeneratedRegex(@"^[\w~`.\-]+?\s*(""[^""]*""\s*)?(?<arrow>[<>|*o.\-=]{2,})\s*(""[^""]*""\s*)?[\w~`.\-]+\s*(:.*)?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex ClassRelation();

    [GeneratedRegex(@"^[\w~`.\-]+\s*(:.*|\[""[^""]*""\])?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex ClassMember();

    [GeneratedRegex(@"^(\[\*\]|[\w.\-]+?)\s*(?<arrow>[-=]+>)\s*(\[\*\]|[\w.\-]+)\s*(:.*)?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex StateTransition();

    [GeneratedRegex(@"^[\w.\-]+\s*(:.*)?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex StateDeclaration();

    [GeneratedRegex(@"^[A-Za-z_][\w\-\[\]()]*\s+\*?[A-Za-z_][\w\-\[\]()]*(\s+(PK|FK|UK)(\s*,\s*(PK|FK|UK))*)?(\s+""[^""]*"")?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex ErAttribute();

    [GeneratedRegex(@"^(""[^""]+""|[\w\-]+)(\s*\[[^\]]*\])?\s*\{\s*\}?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex ErEntityOpen();

    [GeneratedRegex(@"^(""[^""]+""|[\w\-]+)(\s*\[[^\]]*\])?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex ErEntityName();

    [GeneratedRegex(@"^(?<a>""[^""]+""|[\w\-]+)\s*(\|o|\|\||\}o|\}\|)(--|\.\.)(o\||\|\||o\{|\|\{)\s*(?<b>""[^""]+""|[\w\-]+)\s*(:(?<label>.*))?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex ErRelation();

    [GeneratedRegex(@"^[A-Za-z_][\w\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ErRoleWord();

    private sealed class Analysis(string[] lines)
    {
        public List<string> Lines { get; } = [.. lines];

        public List<string> Problems { get; } = [];

        public bool IsUncertain { get; private set; }

        public void Fix(int index, string replacement, string problem)
        {
            Lines[index] = replacement;
            Problems.Add(problem);
        }

        public void Uncertain(string problem)
        {
            IsUncertain = true;
            Problems.Add(problem);
        }
    }

    /// <summary>
    /// Reads one flowchart statement — nodes (with an optional shape and label), links (with an optional label) and
    /// <c>&amp;</c> groups — and writes it back with the certain fixes applied.
    /// </summary>
    private sealed class FlowchartLine(string statement, int number)
    {
        private readonly string _text = statement.EndsWith(';') ? statement[..^1] : statement;
        private readonly StringBuilder _output = new();
        private int _position;

        public List<string> Problems { get; } = [];

        public string? Error { get; private set; }

        public string Read()
        {
            var trailing = statement.EndsWith(';') ? ";" : string.Empty;
            if (!ReadNode())
            {
                return statement;
            }

            while (Error is null)
            {
                SkipSpaces();
                if (_position >= _text.Length)
                {
                    break;
                }

                if (_text[_position] == '&')
                {
                    _output.Append(" & ");
                    _position++;
                    if (!ReadNode())
                    {
                        break;
                    }

                    continue;
                }

                if (!ReadLink() || !ReadNode())
                {
                    break;
                }
            }

            return _output.Append(trailing).ToString();
        }

        private bool ReadNode()
        {
            SkipSpaces();
            var start = _position;
            while (_position < _text.Length && IsIdChar(_position))
            {
                _position++;
            }

            if (_position == start)
            {
                Fail(_position < _text.Length ? $"expected a node at '{Shorten(_text[_position..])}'" : "expected a node at the end of the line");
                return false;
            }

            var id = _text[start.._position];
            var hasShape = false;
            if (_position < _text.Length && _text[_position] == '@' && _position + 1 < _text.Length && _text[_position + 1] == '{')
            {
                var close = _text.IndexOf('}', _position);
                if (close < 0)
                {
                    Fail("unclosed '@{' shape");
                    return false;
                }

                _output.Append(id).Append(_text, _position, close + 1 - _position);
                _position = close + 1;
                return true;
            }

            if (id == "end")
            {
                Problems.Add($"line {number}: 'end' is reserved and cannot be a node id; renamed to 'endNode'");
                id = "endNode";
            }

            _output.Append(id);
            if (_position < _text.Length && !ReadShape(ref hasShape))
            {
                return false;
            }

            if (!hasShape && id == "endNode")
            {
                _output.Append("[\"end\"]");
            }

            if (_text.AsSpan(_position).StartsWith(":::"))
            {
                var classStart = _position;
                _position += 3;
                while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] is '_' or '-'))
                {
                    _position++;
                }

                _output.Append(_text, classStart, _position - classStart);
            }

            return true;
        }

        private bool ReadShape(ref bool hasShape)
        {
            foreach (var (open, close) in Shapes)
            {
                if (!_text.AsSpan(_position).StartsWith(open))
                {
                    continue;
                }

                // '>' opens a shape only right after an id, never an arrow's head.
                hasShape = true;
                var labelStart = _position + open.Length;
                var labelEnd = FindLabelEnd(labelStart, close, out var closer, out var needsQuotes);
                if (labelEnd < 0)
                {
                    Fail($"unclosed node label '{Shorten(_text[_position..])}'");
                    return false;
                }

                var label = _text[labelStart..labelEnd];
                var actualOpen = open;
                if (open is "[/" or "[\\" && closer == "]")
                {
                    // "[/api/users]" is a square label starting with a slash, not a parallelogram.
                    actualOpen = "[";
                    label = _text[(_position + 1)..labelEnd];
                    needsQuotes = true;
                }

                if (needsQuotes && !IsQuoted(label))
                {
                    Problems.Add($"line {number}: unquoted label '{Shorten(label)}' with brackets, parentheses, braces or quotes");
                    _output.Append(actualOpen).Append('"').Append(label.Replace("\"", "#quot;", StringComparison.Ordinal)).Append('"').Append(closer);
                }
                else
                {
                    _output.Append(actualOpen).Append(label).Append(closer);
                }

                _position = labelEnd + closer.Length;
                return true;
            }

            return true;
        }

        private int FindLabelEnd(int start, string close, out string closer, out bool needsQuotes)
        {
            closer = close;
            needsQuotes = false;
            if (start < _text.Length && _text[start] == '"')
            {
                var quoteEnd = _text.IndexOf('"', start + 1);
                if (quoteEnd >= 0 && _text.AsSpan(quoteEnd + 1).StartsWith(close))
                {
                    return quoteEnd + 1;
                }
            }

            var stack = new Stack<char>();
            for (var i = start; i < _text.Length; i++)
            {
                var c = _text[i];
                if (stack.Count == 0 && _text.AsSpan(i).StartsWith(close) && (close.Length > 1 || i > start || close == "]"))
                {
                    return i;
                }

                if (stack.Count == 0 && close is "/]" or "\\]" && c == ']')
                {
                    // A trapezoid may close with either slash; without one the label merely starts with a slash.
                    if (i - 1 >= start && _text[i - 1] is '/' or '\\')
                    {
                        closer = _text.Substring(i - 1, 2);
                        return i - 1;
                    }

                    closer = "]";
                    return i;
                }

                switch (c)
                {
                    case '(' or '[' or '{':
                        stack.Push(c);
                        needsQuotes = true;
                        break;
                    case ')' or ']' or '}':
                        needsQuotes = true;
                        if (stack.Count == 0 || stack.Pop() != Opening(c))
                        {
                            return -1;
                        }

                        break;
                    case '"':
                        needsQuotes = true;
                        break;
                }
            }

            return -1;
        }

        private bool ReadLink()
        {
            var rest = _text.AsSpan(_position);
            var match = InlineTextLink().Match(_text, _position);
            if (match.Success)
            {
                var label = match.Groups["text"].Value;
                _output.Append(' ').Append(match.Groups["open"].Value).Append(' ');
                if (!IsQuoted(label) && label.IndexOfAny(['(', ')', '[', ']', '{', '}', '"', '|']) >= 0)
                {
                    Problems.Add($"line {number}: unquoted link text '{Shorten(label)}' with brackets or parentheses");
                    _output.Append('"').Append(label.Replace("\"", "#quot;", StringComparison.Ordinal)).Append('"');
                }
                else
                {
                    _output.Append(label);
                }

                _output.Append(' ').Append(match.Groups["close"].Value).Append(' ');
                _position = match.Index + match.Length;
                return ReadPipeLabel();
            }

            var arrow = LinkArrow().Match(_text, _position);
            if (arrow.Success && !IsLink(arrow.Groups[1].Value, arrow.Groups[2].Value, arrow.Groups[3].Value))
            {
                Fail($"'{arrow.Value}' is no flowchart link (reverse arrows and '--' alone are not supported)");
                return false;
            }

            if (arrow.Success)
            {
                _output.Append(' ').Append(arrow.Value).Append(' ');
                _position += arrow.Length;
                return ReadPipeLabel();
            }

            foreach (var (bad, good) in new[] { ("-->>", "-->"), ("->>", "-->"), ("->", "-->"), ("=>", "==>") })
            {
                if (rest.StartsWith(bad))
                {
                    Problems.Add($"line {number}: arrow '{bad}' is written '{good}' in flowcharts");
                    _output.Append(' ').Append(good).Append(' ');
                    _position += bad.Length;
                    return ReadPipeLabel();
                }
            }

            Fail($"expected a link at '{Shorten(_text[_position..])}'");
            return false;
        }

        private bool ReadPipeLabel()
        {
            SkipSpaces();
            if (_position >= _text.Length || _text[_position] != '|')
            {
                return true;
            }

            var close = _text.IndexOf('|', _position + 1);
            if (close < 0)
            {
                Fail("unclosed '|' link label");
                return false;
            }

            var label = _text[(_position + 1)..close];
            _output.Length--;
            if (!IsQuoted(label) && label.IndexOfAny(['(', ')', '[', ']', '{', '}', '"']) >= 0)
            {
                Problems.Add($"line {number}: unquoted link label '{Shorten(label)}' with brackets or parentheses");
                _output.Append("|\"").Append(label.Trim().Replace("\"", "#quot;", StringComparison.Ordinal)).Append("\"| ");
            }
            else
            {
                _output.Append('|').Append(label).Append("| ");
            }

            _position = close + 1;
            return true;
        }

        /// <summary>A head on the left needs its twin on the right (<c>&lt;--&gt;</c>, <c>o--o</c>); a bare line needs three dashes.</summary>
        private static bool IsLink(string head, string body, string tail)
        {
            if (head.Length > 0)
            {
                return (head == "<" && tail == ">") || (head is "o" or "x" && tail == head);
            }

            return tail.Length > 0 || body.Length >= 3;
        }

        private bool IsIdChar(int i)
        {
            var c = _text[i];
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                return true;
            }

            // '-' and '.' belong to an id only between id characters, never as an arrow's start.
            return c is '-' or '.' && i > 0 && (char.IsLetterOrDigit(_text[i - 1]) || _text[i - 1] == '_')
                && i + 1 < _text.Length && char.IsLetterOrDigit(_text[i + 1]);
        }

        private void SkipSpaces()
        {
            while (_position < _text.Length && _text[_position] is ' ' or '\t')
            {
                _position++;
            }
        }

        private void Fail(string message) => Error ??= $"line {number}: {message}";

        private static bool IsQuoted(string label)
        {
            var trimmed = label.Trim();
            return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' && trimmed.IndexOf('"', 1) == trimmed.Length - 1;
        }

        private static char Opening(char closing) => closing switch
        {
            ')' => '(',
            ']' => '[',
            _ => '{',
        };
    }

    [GeneratedRegex(@"\G\s*(?<open>--|==|-\.)\s+(?<text>""[^""]*""|[^\s>|\-""][^>|]*?)\s+(?<close>-{2,}>|-{3,}|={2,}>|={3,}|\.-+>|\.-+)(?=[\s\w""]|$)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex InlineTextLink();

    [GeneratedRegex(@"\G(<|o|x)?(-{2,}|={2,}|-\.+-|~{3,})(>|o|x)?(?=[\s\w""|]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex LinkArrow();
}
