namespace CodeDoc.Pipeline;

/// <summary>
/// Java definitions from the token stream: the package, classes, interfaces, enums, records and annotation types
/// (nested ones too, with their bases), their methods, constructors, fields, enum constants and record components.
/// Method bodies and initializers are skipped whole.
/// </summary>
internal sealed class JavaIndexer : ILanguageIndexer
{
    private static readonly HashSet<string> Modifiers = new(StringComparer.Ordinal)
    {
        "public", "protected", "private", "static", "final", "abstract", "sealed", "non-sealed", "default", "synchronized",
        "native", "transient", "volatile", "strictfp",
    };

    private static readonly HashSet<string> TypeKeywords = new(StringComparer.Ordinal) { "class", "interface", "enum", "record" };

    public string Language => "java";

    public void Index(string path, string content, SymbolSink sink)
    {
        var tokens = SourceLexer.Tokenize(content, LexerOptions.Java);
        new Reader(content, tokens, sink).ReadBody(0, tokens.Count, container: null, owner: null);
    }

    private sealed record Owner(string SimpleName, string QualifiedName, bool IsPublic, bool IsInterface, bool IsEnum);

    private sealed class Reader(string text, List<SourceToken> tokens, SymbolSink sink) : BracketReader(text, tokens)
    {
        private string? _package;

        public void ReadBody(int from, int to, string? container, Owner? owner)
        {
            var i = from;
            if (owner is { IsEnum: true })
            {
                i = ReadEnumConstants(i, to, owner);
            }

            string? doc = null;
            while (i < to)
            {
                var t = Tokens[i];
                if (t.Kind == SourceTokenKind.DocComment)
                {
                    doc = t.Text(Text);
                    i++;
                    continue;
                }

                if (t.IsPunctuation(Text, ';'))
                {
                    doc = null;
                    i++;
                    continue;
                }

                if (t.IsPunctuation(Text, '{'))
                {
                    // An initializer block.
                    i = MatchingClose(i) + 1;
                    doc = null;
                    continue;
                }

                if (owner is null && t.Is(Text, "package"))
                {
                    i = ReadPackage(i + 1, to);
                    container = _package;
                    continue;
                }

                if (owner is null && t.Is(Text, "import"))
                {
                    i = SkipPast(i, to, ';');
                    continue;
                }

                i = ReadDeclaration(i, to, container, owner, doc);
                doc = null;
            }
        }

        private int ReadPackage(int i, int to)
        {
            var start = i;
            i = SkipAnnotations(i, to);
            var nameStart = i;
            while (i < to && !Tokens[i].IsPunctuation(Text, ';'))
            {
                i++;
            }

            if (i > nameStart)
            {
                _package = string.Concat(Tokens.Skip(nameStart).Take(i - nameStart).Select(t => t.Text(Text)));
                var dot = _package.LastIndexOf('.');
                sink.Add(dot < 0 ? _package : _package[(dot + 1)..], dot < 0 ? null : _package[..dot], CodeSymbolKind.Namespace, Tokens[start].Line, isPublic: true);
            }

            return i + 1;
        }

        private int ReadDeclaration(int i, int to, string? container, Owner? owner, string? doc)
        {
            i = SkipAnnotations(i, to);
            var start = i;
            var modifiers = new HashSet<string>(StringComparer.Ordinal);
            while (i < to && Tokens[i].Kind == SourceTokenKind.Identifier && Modifiers.Contains(Tokens[i].Text(Text)))
            {
                modifiers.Add(Tokens[i].Text(Text));
                i = SkipAnnotations(i + 1, to);
            }

            // "non-sealed" lexes as non - sealed.
            if (i + 2 < to && Tokens[i].Is(Text, "non") && Tokens[i + 1].IsPunctuation(Text, '-'))
            {
                i += 3;
            }

            if (i >= to)
            {
                return to;
            }

            var isPublic = (modifiers.Contains("public") || (owner is { IsInterface: true } && !modifiers.Contains("private")))
                && (owner?.IsPublic ?? true);
            var keyword = Tokens[i];
            var isAnnotationType = keyword.IsPunctuation(Text, '@') && i + 1 < to && Tokens[i + 1].Is(Text, "interface");
            if (isAnnotationType || (keyword.Kind == SourceTokenKind.Identifier && TypeKeywords.Contains(keyword.Text(Text)) && i + 1 < to && Tokens[i + 1].Kind == SourceTokenKind.Identifier))
            {
                return ReadType(start, isAnnotationType ? i + 1 : i, to, container, isPublic, doc);
            }

            return ReadMember(start, i, to, container, owner, isPublic, doc);
        }

        private int ReadType(int start, int keywordIndex, int to, string? container, bool isPublic, string? doc)
        {
            var keyword = Tokens[keywordIndex].Text(Text);
            var name = Tokens[keywordIndex + 1];
            var nameText = name.Text(Text);
            var qualified = SymbolSink.Qualify(container, nameText);
            var i = keywordIndex + 2;
            var open = i;
            var components = -1;
            string? heritage = null;
            while (open < to && !Tokens[open].IsPunctuation(Text, '{') && !Tokens[open].IsPunctuation(Text, ';'))
            {
                var t = Tokens[open];
                if (t.IsPunctuation(Text, '<'))
                {
                    open = MatchingAngle(open, to) + 1;
                    continue;
                }

                if (t.IsPunctuation(Text, '('))
                {
                    components = open;
                    open = MatchingClose(open) + 1;
                    continue;
                }

                if (t.Is(Text, "extends") || t.Is(Text, "implements"))
                {
                    heritage = t.Text(Text);
                    open++;
                    continue;
                }

                if (t.Is(Text, "permits"))
                {
                    heritage = null;
                }
                else if (heritage is not null && t.Kind == SourceTokenKind.Identifier && !(open + 1 < to && Tokens[open + 1].IsPunctuation(Text, '.')))
                {
                    sink.AddBase(qualified, t.Text(Text));
                }

                open++;
            }

            var summary = doc is null ? null : SymbolSink.DocCommentSummary(doc);
            sink.Add(nameText, container, CodeSymbolKind.Type, name.Line, isPublic, SymbolSink.Collapse(Text.AsSpan(Tokens[start].Start, Tokens[open - 1].End - Tokens[start].Start)), summary);
            var owner = new Owner(nameText, qualified, isPublic, keyword == "interface", keyword == "enum");
            if (components >= 0)
            {
                ReadRecordComponents(components, owner);
            }

            if (open >= to || !Tokens[open].IsPunctuation(Text, '{'))
            {
                return open + 1;
            }

            var close = MatchingClose(open);
            ReadBody(open + 1, close, qualified, owner);
            return close + 1;
        }

        private void ReadRecordComponents(int open, Owner owner)
        {
            var close = MatchingClose(open);
            for (var i = open + 1; i < close; i++)
            {
                var t = Tokens[i];
                if (t.IsPunctuation(Text, '<') || t.IsPunctuation(Text, '('))
                {
                    i = t.IsPunctuation(Text, '<') ? MatchingAngle(i, close) : MatchingClose(i);
                    continue;
                }

                if (t.Kind == SourceTokenKind.Identifier && i + 1 <= close && (Tokens[i + 1].IsPunctuation(Text, ',') || i + 1 == close))
                {
                    sink.Add(t.Text(Text), owner.QualifiedName, CodeSymbolKind.Property, t.Line, owner.IsPublic);
                }
            }
        }

        private int ReadEnumConstants(int i, int to, Owner owner)
        {
            while (i < to)
            {
                var t = Tokens[i];
                if (t.Kind == SourceTokenKind.DocComment || t.IsPunctuation(Text, ','))
                {
                    i++;
                    continue;
                }

                if (t.IsPunctuation(Text, '@'))
                {
                    i = SkipAnnotations(i, to);
                    continue;
                }

                if (t.IsPunctuation(Text, ';'))
                {
                    return i + 1;
                }

                if (t.Kind != SourceTokenKind.Identifier)
                {
                    return i;
                }

                sink.Add(t.Text(Text), owner.QualifiedName, CodeSymbolKind.Field, t.Line, owner.IsPublic);
                i++;
                if (i < to && Tokens[i].IsPunctuation(Text, '('))
                {
                    i = MatchingClose(i) + 1;
                }

                if (i < to && Tokens[i].IsPunctuation(Text, '{'))
                {
                    i = MatchingClose(i) + 1;
                }
            }

            return i;
        }

        private int ReadMember(int start, int i, int to, string? container, Owner? owner, bool isPublic, string? doc)
        {
            // Walk the type to the name: the name is the identifier just before '(' (a method), or before '=', ';' or ','.
            var j = i;
            while (j < to)
            {
                var t = Tokens[j];
                if (t.IsPunctuation(Text, '<'))
                {
                    j = MatchingAngle(j, to) + 1;
                    continue;
                }

                if (t.IsPunctuation(Text, '(') || t.IsPunctuation(Text, '=') || t.IsPunctuation(Text, ';') || t.IsPunctuation(Text, ',') || t.IsPunctuation(Text, '{') || t.IsPunctuation(Text, '}'))
                {
                    break;
                }

                j++;
            }

            if (j >= to || j == i || Tokens[j - 1].Kind != SourceTokenKind.Identifier || owner is null)
            {
                return SkipStatement(j, to);
            }

            var name = Tokens[j - 1];
            var summary = doc is null ? null : SymbolSink.DocCommentSummary(doc);
            if (Tokens[j].IsPunctuation(Text, '('))
            {
                var close = MatchingClose(j);
                sink.Add(name.Text(Text), container, CodeSymbolKind.Method, name.Line, isPublic, SymbolSink.Collapse(Text.AsSpan(Tokens[start].Start, Tokens[close].End - Tokens[start].Start)), summary);
                var k = close + 1;
                while (k < to && !Tokens[k].IsPunctuation(Text, '{') && !Tokens[k].IsPunctuation(Text, ';'))
                {
                    k++;
                }

                return k < to && Tokens[k].IsPunctuation(Text, '{') ? MatchingClose(k) + 1 : k + 1;
            }

            var signature = SymbolSink.Collapse(Text.AsSpan(Tokens[start].Start, name.End - Tokens[start].Start));
            sink.Add(name.Text(Text), container, CodeSymbolKind.Field, name.Line, isPublic, signature, summary);
            while (j < to)
            {
                var t = Tokens[j];
                if (t.IsPunctuation(Text, ';'))
                {
                    return j + 1;
                }

                if (t.IsPunctuation(Text, ',') && j + 1 < to && Tokens[j + 1].Kind == SourceTokenKind.Identifier)
                {
                    var next = Tokens[j + 1];
                    sink.Add(next.Text(Text), container, CodeSymbolKind.Field, next.Line, isPublic);
                    j += 2;
                    continue;
                }

                if (t.Kind == SourceTokenKind.Punctuation && Text[t.Start] is '(' or '{' or '[')
                {
                    j = MatchingClose(j) + 1;
                    continue;
                }

                if (t.IsPunctuation(Text, '}'))
                {
                    return j;
                }

                j++;
            }

            return to;
        }

        private int SkipAnnotations(int i, int to)
        {
            while (i + 1 < to && Tokens[i].IsPunctuation(Text, '@') && Tokens[i + 1].Kind == SourceTokenKind.Identifier && !Tokens[i + 1].Is(Text, "interface"))
            {
                i += 2;
                while (i + 1 < to && Tokens[i].IsPunctuation(Text, '.') && Tokens[i + 1].Kind == SourceTokenKind.Identifier)
                {
                    i += 2;
                }

                if (i < to && Tokens[i].IsPunctuation(Text, '('))
                {
                    i = MatchingClose(i) + 1;
                }
            }

            return i;
        }

        private int SkipStatement(int i, int to)
        {
            while (i < to)
            {
                var t = Tokens[i];
                if (t.IsPunctuation(Text, ';'))
                {
                    return i + 1;
                }

                if (t.IsPunctuation(Text, '}'))
                {
                    return i + 1;
                }

                if (t.Kind == SourceTokenKind.Punctuation && Text[t.Start] is '(' or '{' or '[')
                {
                    i = MatchingClose(i) + 1;
                    if (Text[t.Start] == '{')
                    {
                        return i;
                    }

                    continue;
                }

                i++;
            }

            return to;
        }

        private int SkipPast(int i, int to, char c)
        {
            while (i < to && !Tokens[i].IsPunctuation(Text, c))
            {
                i++;
            }

            return i + 1;
        }
    }
}

/// <summary>Bracket matching over a token list, shared by the brace-language indexers.</summary>
internal abstract class BracketReader(string text, List<SourceToken> tokens)
{
    protected string Text { get; } = text;

    protected List<SourceToken> Tokens { get; } = tokens;

    /// <summary>The index of the bracket that closes the one at <paramref name="open"/> (any of <c>( [ {</c>).</summary>
    protected int MatchingClose(int open)
    {
        var depth = 0;
        for (var i = open; i < Tokens.Count; i++)
        {
            var t = Tokens[i];
            if (t.Kind != SourceTokenKind.Punctuation)
            {
                continue;
            }

            switch (Text[t.Start])
            {
                case '{' or '(' or '[':
                    depth++;
                    break;
                case '}' or ')' or ']':
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return Tokens.Count - 1;
    }

    /// <summary>The index of the <c>&gt;</c> that closes a type-argument list, or where it must have ended.</summary>
    protected int MatchingAngle(int open, int to)
    {
        var depth = 0;
        for (var i = open; i < to; i++)
        {
            var t = Tokens[i];
            if (t.Kind != SourceTokenKind.Punctuation)
            {
                continue;
            }

            switch (Text[t.Start])
            {
                case '<':
                    depth++;
                    break;
                case '>' when t.Start > 0 && Text[t.Start - 1] == '=':
                    // The arrow of a function type (x: T) => U inside type arguments.
                    break;
                case '>':
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }

                    break;
                case '(' or '[' or '{':
                    i = MatchingClose(i);
                    break;
                case '}' or ';':
                    // Not a type-argument list after all (a comparison): stop before the statement's structure.
                    return i - 1;
            }
        }

        return to - 1;
    }
}
