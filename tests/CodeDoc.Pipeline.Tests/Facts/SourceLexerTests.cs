using CsCheck;

namespace CodeDoc.Pipeline.Tests.Facts;

public sealed class SourceLexerTests
{
    [Fact]
    public void Tokenize_CommentsAndStrings_HideTheirWords()
    {
        const string source = "a // b c\n/* d */ \"e f\" 'g' h";

        var identifiers = Identifiers(source, LexerOptions.CStyle);

        Assert.Equal(["a", "h"], identifiers);
    }

    [Fact]
    public void Tokenize_TemplateWithNestedHoles_IsOneString()
    {
        const string source = "const a = `x ${ f({ b: `y ${c}` }) } z`; const d = 1;";

        var identifiers = Identifiers(source, LexerOptions.JavaScript);

        Assert.Equal(["const", "a", "const", "d"], identifiers);
    }

    [Fact]
    public void Tokenize_RegexLiteralWithQuotesAndSlashesInClass_IsOneString()
    {
        const string source = "x = /[\"'/]+/g; y = a / b / c;";

        var tokens = SourceLexer.Tokenize(source, LexerOptions.JavaScript);

        Assert.Equal(["x", "y", "a", "b", "c"], tokens.Where(t => t.Kind == SourceTokenKind.Identifier).Select(t => t.Text(source)));
        Assert.Equal("/[\"'/]+/g", tokens.Single(t => t.Kind == SourceTokenKind.String).Text(source));
    }

    [Fact]
    public void Tokenize_PythonTripleQuotedAndPrefixedStrings_SpanLinesAndKeepLineNumbers()
    {
        const string source = "a = r'''x\ndef fake():\n'''\nb = f\"{c}\"\ndef real(): pass";

        var tokens = SourceLexer.Tokenize(source, LexerOptions.Python);

        Assert.Equal(["a", "b", "def", "real", "pass"], tokens.Where(t => t.Kind == SourceTokenKind.Identifier).Select(t => t.Text(source)));
        Assert.Equal(5, tokens.Single(t => t.Is(source, "real")).Line);
    }

    [Fact]
    public void Tokenize_UnterminatedString_StopsAtTheLineEnd()
    {
        const string source = "x = \"open\nfunc Next() {}";

        var identifiers = Identifiers(source, LexerOptions.Go);

        Assert.Contains("Next", identifiers);
    }

    [Fact]
    public void Tokenize_GoRawString_SpansLines()
    {
        const string source = "var s = `a\nfunc Hidden()\n`\nfunc Shown()";

        var identifiers = Identifiers(source, LexerOptions.Go);

        Assert.DoesNotContain("Hidden", identifiers);
        Assert.Contains("Shown", identifiers);
    }

    [Fact]
    public void Tokenize_JavaDocComment_IsAToken()
    {
        const string source = "/** Does things. */ class A {} /* plain */";

        var tokens = SourceLexer.Tokenize(source, LexerOptions.Java);

        Assert.Equal("/** Does things. */", Assert.Single(tokens, t => t.Kind == SourceTokenKind.DocComment).Text(source));
    }

    [Fact]
    public void Tokenize_RandomText_NeverThrowsAndCoversItInOrder()
    {
        Gen.Char[" \n\"'`/*#${}()[]abc123\\"].Array[0, 80].Select(chars => new string(chars)).Sample(text =>
        {
            foreach (var options in (LexerOptions[])[LexerOptions.JavaScript, LexerOptions.Python, LexerOptions.Go, LexerOptions.Java])
            {
                var tokens = SourceLexer.Tokenize(text, options);
                var end = 0;
                foreach (var token in tokens)
                {
                    Assert.True(token.Start >= end && token.End <= text.Length);
                    end = token.End;
                }
            }
        });
    }

    private static List<string> Identifiers(string source, LexerOptions options) =>
        SourceLexer.Tokenize(source, options).Where(t => t.Kind == SourceTokenKind.Identifier).Select(t => t.Text(source)).ToList();
}
