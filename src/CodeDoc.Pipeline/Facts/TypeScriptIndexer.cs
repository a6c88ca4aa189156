namespace CodeDoc.Pipeline;

/// <summary>
/// TypeScript and JavaScript definitions from the token stream: functions, classes (with their members and bases),
/// interfaces, type aliases, enums, namespaces and top-level constants. Exported means <c>export</c>ed (directly, by
/// an <c>export { }</c> list, or through <c>module.exports</c>/<c>exports.x</c>); class members are public unless
/// private, protected or <c>#</c>-named. Function bodies and initializers are skipped whole.
/// </summary>
internal sealed class TypeScriptIndexer(string language) : ILanguageIndexer
{
    private static readonly HashSet<string> StatementStarts = new(StringComparer.Ordinal)
    {
        "export", "function", "class", "interface", "type", "const", "let", "var", "enum", "namespace", "module", "declare", "import", "abstract", "async",
    };

    private static readonly HashSet<string> MemberModifiers = new(StringComparer.Ordinal)
    {
        "public", "private", "protected", "static", "readonly", "abstract", "override", "declare", "async", "accessor",
    };

    public string Language { get; } = language;

    public void Index(string path, string content, SymbolSink sink)
    {
        var tokens = SourceLexer.Tokenize(content, LexerOptions.JavaScript);
        var reader = new Reader(content, tokens, sink);
        reader.ReadBlock(0, tokens.Count, container: null, exportedContainer: true);
        reader.ApplyExportLists();
    }

    private sealed class Reader(string text, List<SourceToken> tokens, SymbolSink sink) : BracketReader(text, tokens)
    {
        private readonly HashSet<string> _exportedNames = new(StringComparer.Ordinal);
        private readonly int _firstSymbol = sink.Symbols.Count;

        /// <summary>Marks the top-level symbols named in <c>export { }</c> lists and <c>module.exports</c> as public.</summary>
        public void ApplyExportLists()
        {
            if (_exportedNames.Count == 0)
            {
                return;
            }

            var exportedTypes = new HashSet<string>(StringComparer.Ordinal);
            for (var i = _firstSymbol; i < sink.Symbols.Count; i++)
            {
                var symbol = sink.Symbols[i];
                if (symbol.Container is null && !symbol.IsPublic && _exportedNames.Contains(symbol.Name))
                {
                    sink.Symbols[i] = symbol with { IsPublic = true };
                    exportedTypes.Add(symbol.Name);
                }
            }

            // Members of a class exported by a list become public with it, unless they were private.
            for (var i = _firstSymbol; i < sink.Symbols.Count; i++)
            {
                var symbol = sink.Symbols[i];
                if (symbol.Container is not null && exportedTypes.Contains(symbol.Container) && !symbol.IsPublic && symbol.Signature is not null && !IsPrivateSignature(symbol.Signature))
                {
                    sink.Symbols[i] = symbol with { IsPublic = true };
                }
            }
        }

        public void ReadBlock(int from, int to, string? container, bool exportedContainer)
        {
            var i = from;
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
                    i++;
                    continue;
                }

                var before = i;
                i = ReadStatement(i, to, container, exportedContainer, doc);
                doc = null;
                if (i <= before)
                {
                    i = before + 1;
                }
            }
        }

        private int ReadStatement(int i, int to, string? container, bool exportedContainer, string? doc)
        {
            var start = i;
            var exported = false;
            while (i < to && Tokens[i].Kind == SourceTokenKind.Identifier && (Tokens[i].Is(Text, "export") || Tokens[i].Is(Text, "declare") || Tokens[i].Is(Text, "default") || Tokens[i].Is(Text, "abstract") || Tokens[i].Is(Text, "async")))
            {
                exported |= Tokens[i].Is(Text, "export");
                i++;
            }

            if (i >= to)
            {
                return to;
            }

            var t = Tokens[i];
            var isPublic = exported && exportedContainer;
            if (exported && (t.IsPunctuation(Text, '{') || t.IsPunctuation(Text, '*')))
            {
                return ReadExportList(i, to);
            }

            if (exported && t.IsPunctuation(Text, '='))
            {
                if (i + 1 < to && Tokens[i + 1].Kind == SourceTokenKind.Identifier)
                {
                    _exportedNames.Add(Tokens[i + 1].Text(Text));
                }

                return SkipStatement(i, to);
            }

            if (t.Kind != SourceTokenKind.Identifier)
            {
                return SkipStatement(i, to);
            }

            var summary = doc is null ? null : SymbolSink.DocCommentSummary(doc);
            switch (t.Text(Text))
            {
                case "import":
                    return SkipImport(i, to);
                case "function":
                    return ReadFunction(start, i + 1, to, container, isPublic, summary);
                case "class":
                    return ReadClass(start, i + 1, to, container, isPublic, summary);
                case "interface" when NextIsName(i, to):
                    return ReadInterface(start, i + 1, to, container, isPublic, summary);
                case "type" when NextIsName(i, to):
                    return ReadTypeAlias(start, i + 1, to, container, isPublic, summary);
                case "enum" when NextIsName(i, to):
                    return ReadEnum(start, i + 1, to, container, isPublic, summary);
                case "const" when i + 1 < to && Tokens[i + 1].Is(Text, "enum"):
                    return ReadEnum(start, i + 2, to, container, isPublic, summary);
                case "namespace" or "module" when NextIsName(i, to):
                    return ReadNamespace(i + 1, to, container, isPublic || !exportedContainer);
                case "const" or "let" or "var":
                    return ReadVariables(start, i + 1, to, container, isPublic, summary);
                case "module" when i + 2 < to && Tokens[i + 1].IsPunctuation(Text, '.') && Tokens[i + 2].Is(Text, "exports"):
                    return ReadModuleExports(i + 3, to);
                case "exports" when i + 3 < to && Tokens[i + 1].IsPunctuation(Text, '.') && Tokens[i + 2].Kind == SourceTokenKind.Identifier && Tokens[i + 3].IsPunctuation(Text, '='):
                    return ReadCommonJsExport(i + 2, to, container);
                default:
                    return SkipStatement(i, to);
            }
        }

        private bool NextIsName(int i, int to) => i + 1 < to && Tokens[i + 1].Kind == SourceTokenKind.Identifier && Tokens[i + 1].Line == Tokens[i].Line;

        private int ReadFunction(int start, int i, int to, string? container, bool isPublic, string? summary)
        {
            if (i < to && Tokens[i].IsPunctuation(Text, '*'))
            {
                i++;
            }

            if (i >= to || Tokens[i].Kind != SourceTokenKind.Identifier)
            {
                return SkipStatement(i, to);
            }

            var name = Tokens[i];
            var (headerEnd, bodyOpen) = ReadCallableHeader(i + 1, to);
            sink.Add(name.Text(Text), container, CodeSymbolKind.Function, name.Line, isPublic, Span(start, headerEnd), summary);
            return bodyOpen >= 0 ? MatchingClose(bodyOpen) + 1 : headerEnd + 1;
        }

        /// <summary>Reads type parameters, parameters and a return type; returns the header's last token and the body's brace (or -1).</summary>
        private (int HeaderEnd, int BodyOpen) ReadCallableHeader(int i, int to)
        {
            if (i < to && Tokens[i].IsPunctuation(Text, '<'))
            {
                i = MatchingAngle(i, to) + 1;
            }

            if (i >= to || !Tokens[i].IsPunctuation(Text, '('))
            {
                return (Math.Min(i, to - 1), -1);
            }

            var close = MatchingClose(i);
            var end = close;
            var j = close + 1;
            if (j < to && Tokens[j].IsPunctuation(Text, ':'))
            {
                // A return type: everything up to the body's brace, object types and type arguments included.
                j++;
                while (j < to)
                {
                    var t = Tokens[j];
                    if (t.IsPunctuation(Text, '{') && !PreviousIsTypeContinuation(j))
                    {
                        break;
                    }

                    if (t.IsPunctuation(Text, ';') || t.IsPunctuation(Text, '}') || (t.Line != Tokens[j - 1].Line && !PreviousIsTypeContinuation(j)))
                    {
                        return (j - 1, -1);
                    }

                    if (t.IsPunctuation(Text, '<'))
                    {
                        j = MatchingAngle(j, to) + 1;
                        end = j - 1;
                        continue;
                    }

                    if (t.Kind == SourceTokenKind.Punctuation && Text[t.Start] is '(' or '[' or '{')
                    {
                        j = MatchingClose(j) + 1;
                        end = j - 1;
                        continue;
                    }

                    end = j;
                    j++;
                }
            }

            return j < to && Tokens[j].IsPunctuation(Text, '{') ? (end, j) : (end, -1);
        }

        /// <summary>Whether the token before <paramref name="index"/> leaves a type unfinished (<c>:</c>, <c>|</c>, <c>=&gt;</c>...).</summary>
        private bool PreviousIsTypeContinuation(int index)
        {
            var previous = Tokens[index - 1];
            return previous.Kind == SourceTokenKind.Punctuation && Text[previous.Start] is ':' or '|' or '&' or ',' or '<' or '(' or '>' && !(Text[previous.Start] == '>' && previous.Start > 0 && Text[previous.Start - 1] != '=');
        }

        private int ReadClass(int start, int i, int to, string? container, bool isPublic, string? summary)
        {
            var name = i < to && Tokens[i].Kind == SourceTokenKind.Identifier && !Tokens[i].Is(Text, "extends") && !Tokens[i].Is(Text, "implements") ? Tokens[i] : (SourceToken?)null;
            var nameText = name?.Text(Text) ?? "default";
            var qualified = SymbolSink.Qualify(container, nameText);
            var open = name is null ? i : i + 1;
            var heritage = false;
            while (open < to && !Tokens[open].IsPunctuation(Text, '{'))
            {
                var t = Tokens[open];
                if (t.IsPunctuation(Text, '<'))
                {
                    open = MatchingAngle(open, to) + 1;
                    continue;
                }

                if (t.Is(Text, "extends") || t.Is(Text, "implements"))
                {
                    heritage = true;
                }
                else if (heritage && t.Kind == SourceTokenKind.Identifier && !(open + 1 < to && Tokens[open + 1].IsPunctuation(Text, '.')))
                {
                    sink.AddBase(qualified, t.Text(Text));
                }

                open++;
            }

            if (name is { } n)
            {
                sink.Add(nameText, container, CodeSymbolKind.Type, n.Line, isPublic, Span(start, open - 1), summary);
            }

            if (open >= to)
            {
                return to;
            }

            var close = MatchingClose(open);
            if (name is not null)
            {
                ReadClassMembers(open + 1, close, qualified, isPublic);
            }

            return close + 1;
        }

        private void ReadClassMembers(int from, int to, string container, bool classIsPublic)
        {
            var i = from;
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

                if (t.IsPunctuation(Text, ';') || t.IsPunctuation(Text, ','))
                {
                    i++;
                    continue;
                }

                if (t.IsPunctuation(Text, '@'))
                {
                    i = SkipDecorator(i, to);
                    continue;
                }

                var start = i;
                var isPrivate = false;
                var accessor = false;
                while (i + 1 < to && Tokens[i].Kind == SourceTokenKind.Identifier && IsMemberModifier(i, to))
                {
                    isPrivate |= Tokens[i].Is(Text, "private") || Tokens[i].Is(Text, "protected");
                    accessor |= Tokens[i].Is(Text, "get") || Tokens[i].Is(Text, "set");
                    i++;
                }

                if (i < to && Tokens[i].IsPunctuation(Text, '#'))
                {
                    isPrivate = true;
                    i++;
                }

                if (i < to && Tokens[i].IsPunctuation(Text, '*'))
                {
                    i++;
                }

                if (i >= to || Tokens[i].Kind is not (SourceTokenKind.Identifier or SourceTokenKind.String))
                {
                    // A computed name ([Symbol.iterator]), an index signature, or something this reader does not know.
                    i = SkipMember(i, to);
                    doc = null;
                    continue;
                }

                var name = Tokens[i];
                var nameText = name.Kind == SourceTokenKind.String ? name.Text(Text).Trim('"', '\'') : name.Text(Text);
                i++;
                while (i < to && (Tokens[i].IsPunctuation(Text, '?') || Tokens[i].IsPunctuation(Text, '!')))
                {
                    i++;
                }

                var summary = doc is null ? null : SymbolSink.DocCommentSummary(doc);
                doc = null;
                var isPublic = classIsPublic && !isPrivate;
                if (i < to && (Tokens[i].IsPunctuation(Text, '(') || Tokens[i].IsPunctuation(Text, '<')))
                {
                    var (headerEnd, bodyOpen) = ReadCallableHeader(i, to);
                    sink.Add(nameText, container, accessor ? CodeSymbolKind.Property : CodeSymbolKind.Method, name.Line, isPublic, Span(start, headerEnd), summary);
                    i = bodyOpen >= 0 ? MatchingClose(bodyOpen) + 1 : headerEnd + 1;
                    continue;
                }

                var end = SkipMember(i, to);
                sink.Add(nameText, container, CodeSymbolKind.Property, name.Line, isPublic, Span(start, PropertySignatureEnd(i, end)), summary);
                i = end;
            }
        }

        /// <summary>Whether the identifier at <paramref name="i"/> is a modifier rather than the member's name.</summary>
        private bool IsMemberModifier(int i, int to)
        {
            var text = Tokens[i].Text(Text);
            var next = Tokens[i + 1];
            var nextStartsName = next.Kind is SourceTokenKind.Identifier or SourceTokenKind.String || next.IsPunctuation(Text, '#') || next.IsPunctuation(Text, '[') || next.IsPunctuation(Text, '*');
            return nextStartsName && next.Line == Tokens[i].Line && (MemberModifiers.Contains(text) || text is "get" or "set") && i + 1 < to;
        }

        private int PropertySignatureEnd(int i, int end)
        {
            // The signature keeps the declared type, not the initializer.
            for (var j = i; j < end; j++)
            {
                if (Tokens[j].IsPunctuation(Text, '=') || Tokens[j].IsPunctuation(Text, ';'))
                {
                    return j - 1;
                }
            }

            return end - 1;
        }

        private int ReadInterface(int start, int i, int to, string? container, bool isPublic, string? summary)
        {
            var name = Tokens[i];
            var qualified = SymbolSink.Qualify(container, name.Text(Text));
            var open = i + 1;
            var heritage = false;
            while (open < to && !Tokens[open].IsPunctuation(Text, '{'))
            {
                var t = Tokens[open];
                if (t.IsPunctuation(Text, '<'))
                {
                    open = MatchingAngle(open, to) + 1;
                    continue;
                }

                if (t.Is(Text, "extends"))
                {
                    heritage = true;
                }
                else if (heritage && t.Kind == SourceTokenKind.Identifier && !(open + 1 < to && Tokens[open + 1].IsPunctuation(Text, '.')))
                {
                    sink.AddBase(qualified, t.Text(Text));
                }

                open++;
            }

            sink.Add(name.Text(Text), container, CodeSymbolKind.Type, name.Line, isPublic, Span(start, open - 1), summary);
            if (open >= to)
            {
                return to;
            }

            var close = MatchingClose(open);
            ReadObjectTypeMembers(open + 1, close, qualified, isPublic);
            return close + 1;
        }

        private void ReadObjectTypeMembers(int from, int to, string container, bool isPublic)
        {
            var i = from;
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

                var start = i;
                if (t.Is(Text, "readonly") && i + 1 < to && Tokens[i + 1].Kind is SourceTokenKind.Identifier or SourceTokenKind.String)
                {
                    i++;
                    t = Tokens[i];
                }

                if (t.Kind is SourceTokenKind.Identifier or SourceTokenKind.String)
                {
                    var nameText = t.Kind == SourceTokenKind.String ? t.Text(Text).Trim('"', '\'') : t.Text(Text);
                    var j = i + 1;
                    if (j < to && Tokens[j].IsPunctuation(Text, '?'))
                    {
                        j++;
                    }

                    if (j < to && (Tokens[j].IsPunctuation(Text, ':') || Tokens[j].IsPunctuation(Text, '(') || Tokens[j].IsPunctuation(Text, '<')))
                    {
                        var isMethod = !Tokens[j].IsPunctuation(Text, ':');
                        var end = SkipMember(j, to);
                        var summary = doc is null ? null : SymbolSink.DocCommentSummary(doc);
                        sink.Add(nameText, container, isMethod ? CodeSymbolKind.Method : CodeSymbolKind.Property, t.Line, isPublic, Span(start, end - 1), summary);
                        doc = null;
                        i = end;
                        continue;
                    }
                }

                i = SkipMember(i, to);
                doc = null;
            }
        }

        private int ReadTypeAlias(int start, int i, int to, string? container, bool isPublic, string? summary)
        {
            var name = Tokens[i];
            var end = SkipStatement(i, to);
            var headerEnd = i + 1;
            if (headerEnd < to && Tokens[headerEnd].IsPunctuation(Text, '<'))
            {
                headerEnd = MatchingAngle(headerEnd, to) + 1;
            }

            sink.Add(name.Text(Text), container, CodeSymbolKind.Type, name.Line, isPublic, Span(start, Math.Max(i, headerEnd - 1)), summary);
            return end;
        }

        private int ReadEnum(int start, int i, int to, string? container, bool isPublic, string? summary)
        {
            if (i >= to || Tokens[i].Kind != SourceTokenKind.Identifier)
            {
                return SkipStatement(i, to);
            }

            var name = Tokens[i];
            var qualified = SymbolSink.Qualify(container, name.Text(Text));
            sink.Add(name.Text(Text), container, CodeSymbolKind.Type, name.Line, isPublic, Span(start, i), summary);
            var open = i + 1;
            if (open >= to || !Tokens[open].IsPunctuation(Text, '{'))
            {
                return SkipStatement(open, to);
            }

            var close = MatchingClose(open);
            var expectName = true;
            for (var j = open + 1; j < close; j++)
            {
                var t = Tokens[j];
                if (t.IsPunctuation(Text, ','))
                {
                    expectName = true;
                    continue;
                }

                if (t.Kind == SourceTokenKind.Punctuation && Text[t.Start] is '(' or '[' or '{')
                {
                    j = MatchingClose(j);
                    continue;
                }

                if (expectName && t.Kind is SourceTokenKind.Identifier or SourceTokenKind.String)
                {
                    sink.Add(t.Kind == SourceTokenKind.String ? t.Text(Text).Trim('"', '\'') : t.Text(Text), qualified, CodeSymbolKind.Field, t.Line, isPublic);
                    expectName = false;
                }
            }

            return close + 1;
        }

        private int ReadNamespace(int i, int to, string? container, bool isPublic)
        {
            var qualified = container;
            while (i < to && Tokens[i].Kind == SourceTokenKind.Identifier)
            {
                var name = Tokens[i];
                sink.Add(name.Text(Text), qualified, CodeSymbolKind.Namespace, name.Line, isPublic);
                qualified = SymbolSink.Qualify(qualified, name.Text(Text));
                if (i + 2 < to && Tokens[i + 1].IsPunctuation(Text, '.'))
                {
                    i += 2;
                    continue;
                }

                i++;
                break;
            }

            if (i >= to || !Tokens[i].IsPunctuation(Text, '{'))
            {
                return SkipStatement(i, to);
            }

            var close = MatchingClose(i);
            ReadBlock(i + 1, close, qualified, isPublic);
            return close + 1;
        }

        private int ReadVariables(int start, int i, int to, string? container, bool isPublic, string? summary)
        {
            while (i < to)
            {
                var t = Tokens[i];
                if (t.Kind != SourceTokenKind.Identifier)
                {
                    // Destructuring ({ a, b } = ...) declares names this reader does not track.
                    return SkipStatement(i, to);
                }

                var j = i + 1;
                if (j < to && Tokens[j].IsPunctuation(Text, '!'))
                {
                    j++;
                }

                var typeEnd = j;
                if (j < to && Tokens[j].IsPunctuation(Text, ':'))
                {
                    j = SkipExpression(j + 1, to, stopAtEquals: true);
                    typeEnd = j;
                }

                var kind = CodeSymbolKind.Constant;
                if (j < to && Tokens[j].IsPunctuation(Text, '='))
                {
                    kind = InitializerKind(j + 1, to);
                    j = SkipExpression(j + 1, to, stopAtEquals: false);
                }

                sink.Add(t.Text(Text), container, kind, t.Line, isPublic, Span(start, Math.Max(i, typeEnd - 1)), summary);
                if (j < to && Tokens[j].IsPunctuation(Text, ','))
                {
                    i = j + 1;
                    continue;
                }

                return j < to && Tokens[j].IsPunctuation(Text, ';') ? j + 1 : j;
            }

            return to;
        }

        private CodeSymbolKind InitializerKind(int i, int to)
        {
            if (i >= to)
            {
                return CodeSymbolKind.Constant;
            }

            var t = Tokens[i];
            if (t.Is(Text, "async") && i + 1 < to)
            {
                i++;
                t = Tokens[i];
            }

            if (t.Is(Text, "function"))
            {
                return CodeSymbolKind.Function;
            }

            if (t.Is(Text, "class"))
            {
                return CodeSymbolKind.Type;
            }

            if (t.Kind == SourceTokenKind.Identifier && i + 2 < to && Tokens[i + 1].IsPunctuation(Text, '=') && Tokens[i + 2].IsPunctuation(Text, '>') && Tokens[i + 2].Start == Tokens[i + 1].End)
            {
                return CodeSymbolKind.Function;
            }

            if (t.IsPunctuation(Text, '<'))
            {
                i = MatchingAngle(i, to) + 1;
                t = i < to ? Tokens[i] : t;
            }

            if (t.IsPunctuation(Text, '('))
            {
                var close = MatchingClose(i);
                var j = close + 1;
                if (j < to && Tokens[j].IsPunctuation(Text, ':'))
                {
                    // A return type annotation before the arrow.
                    while (j < to && !(Tokens[j].IsPunctuation(Text, '=') && j + 1 < to && Tokens[j + 1].IsPunctuation(Text, '>')) && !Tokens[j].IsPunctuation(Text, ';'))
                    {
                        j = Tokens[j].Kind == SourceTokenKind.Punctuation && Text[Tokens[j].Start] is '(' or '[' or '{' ? MatchingClose(j) + 1 : j + 1;
                    }
                }

                if (j + 1 < to && Tokens[j].IsPunctuation(Text, '=') && Tokens[j + 1].IsPunctuation(Text, '>'))
                {
                    return CodeSymbolKind.Function;
                }
            }

            return CodeSymbolKind.Constant;
        }

        private int ReadExportList(int i, int to)
        {
            if (Tokens[i].IsPunctuation(Text, '*'))
            {
                return SkipImport(i, to);
            }

            var close = MatchingClose(i);
            var isReExport = close + 1 < to && Tokens[close + 1].Is(Text, "from");
            if (!isReExport)
            {
                for (var j = i + 1; j < close; j++)
                {
                    var t = Tokens[j];
                    if (t.Kind == SourceTokenKind.Identifier && !t.Is(Text, "as") && !t.Is(Text, "type") && !(j > 0 && Tokens[j - 1].Is(Text, "as")))
                    {
                        _exportedNames.Add(t.Text(Text));
                    }
                }
            }

            return isReExport ? SkipImport(close, to) : close + 1;
        }

        private int ReadModuleExports(int i, int to)
        {
            // module.exports = { a, b: c } / module.exports = name / module.exports.x = ...
            if (i + 1 < to && Tokens[i].IsPunctuation(Text, '.') && Tokens[i + 1].Kind == SourceTokenKind.Identifier)
            {
                _exportedNames.Add(Tokens[i + 1].Text(Text));
                return SkipStatement(i, to);
            }

            if (i + 1 < to && Tokens[i].IsPunctuation(Text, '='))
            {
                var value = Tokens[i + 1];
                if (value.Kind == SourceTokenKind.Identifier)
                {
                    _exportedNames.Add(value.Text(Text));
                }
                else if (value.IsPunctuation(Text, '{'))
                {
                    var close = MatchingClose(i + 1);
                    for (var j = i + 2; j < close; j++)
                    {
                        var t = Tokens[j];
                        if (t.Kind == SourceTokenKind.Punctuation && Text[t.Start] is '(' or '[' or '{')
                        {
                            j = MatchingClose(j);
                            continue;
                        }

                        if (t.Kind == SourceTokenKind.Identifier)
                        {
                            _exportedNames.Add(t.Text(Text));
                        }
                    }
                }
            }

            return SkipStatement(i, to);
        }

        private int ReadCommonJsExport(int nameIndex, int to, string? container)
        {
            var name = Tokens[nameIndex];
            _exportedNames.Add(name.Text(Text));
            var kind = InitializerKind(nameIndex + 2, to);
            sink.Add(name.Text(Text), container, kind, name.Line, isPublic: true);
            return SkipStatement(nameIndex, to);
        }

        private int SkipImport(int i, int to)
        {
            // Up to and including the module specifier: import x, { y } from "m"; export * from "m".
            for (var j = i + 1; j < to; j++)
            {
                var t = Tokens[j];
                if (t.Kind == SourceTokenKind.String)
                {
                    return j + 1 < to && Tokens[j + 1].IsPunctuation(Text, ';') ? j + 2 : j + 1;
                }

                if (t.IsPunctuation(Text, '(') || t.IsPunctuation(Text, ';'))
                {
                    return SkipStatement(i, to);
                }
            }

            return to;
        }

        private int SkipDecorator(int i, int to)
        {
            i++;
            while (i < to && (Tokens[i].Kind == SourceTokenKind.Identifier || Tokens[i].IsPunctuation(Text, '.')))
            {
                i++;
            }

            return i < to && Tokens[i].IsPunctuation(Text, '(') ? MatchingClose(i) + 1 : i;
        }

        /// <summary>Skips one class or object-type member: to its ';' or ',', past its body, or to the next line's member.</summary>
        private int SkipMember(int i, int to)
        {
            var first = i;
            while (i < to)
            {
                var t = Tokens[i];
                if (t.IsPunctuation(Text, ';') || t.IsPunctuation(Text, ','))
                {
                    return i + 1;
                }

                if (i > first && t.Line != Tokens[i - 1].Line && !ContinuesExpression(i))
                {
                    return i;
                }

                if (t.IsPunctuation(Text, '<') && i > first && Tokens[i - 1].Kind == SourceTokenKind.Identifier)
                {
                    i = MatchingAngle(i, to) + 1;
                    continue;
                }

                if (t.Kind == SourceTokenKind.Punctuation && Text[t.Start] is '(' or '[' or '{')
                {
                    i = MatchingClose(i) + 1;
                    continue;
                }

                i++;
            }

            return to;
        }

        /// <summary>Skips a statement the reader does not index, with the usual automatic-semicolon rules.</summary>
        private int SkipStatement(int i, int to)
        {
            var first = i;
            while (i < to)
            {
                var t = Tokens[i];
                if (t.IsPunctuation(Text, ';'))
                {
                    return i + 1;
                }

                if (t.IsPunctuation(Text, '}') || t.IsPunctuation(Text, ')') || t.IsPunctuation(Text, ']'))
                {
                    // A closer this statement did not open: the enclosing block's end (or stray input).
                    return i + 1;
                }

                if (i > first && t.Line != Tokens[i - 1].Line && !ContinuesExpression(i) && (t.Kind != SourceTokenKind.Identifier || StatementStarts.Contains(t.Text(Text)) || EndsExpression(i - 1)))
                {
                    return i;
                }

                if (t.Kind == SourceTokenKind.Punctuation && Text[t.Start] is '(' or '[' or '{')
                {
                    i = MatchingClose(i) + 1;
                    continue;
                }

                i++;
            }

            return to;
        }

        /// <summary>Skips an expression or a type up to a ',' or ';' at its own level (or '=' when asked).</summary>
        private int SkipExpression(int i, int to, bool stopAtEquals)
        {
            var first = i;
            while (i < to)
            {
                var t = Tokens[i];
                if (t.IsPunctuation(Text, ',') || t.IsPunctuation(Text, ';') || t.IsPunctuation(Text, '}') || t.IsPunctuation(Text, ')') || t.IsPunctuation(Text, ']'))
                {
                    return i;
                }

                if (stopAtEquals && t.IsPunctuation(Text, '=') && !(i + 1 < to && Tokens[i + 1].IsPunctuation(Text, '>') && Tokens[i + 1].Start == t.End))
                {
                    return i;
                }

                if (i > first && t.Line != Tokens[i - 1].Line && !ContinuesExpression(i) && (t.Kind != SourceTokenKind.Identifier || StatementStarts.Contains(t.Text(Text)) || EndsExpression(i - 1)))
                {
                    return i;
                }

                if (t.IsPunctuation(Text, '<') && stopAtEquals)
                {
                    i = MatchingAngle(i, to) + 1;
                    continue;
                }

                if (t.Kind == SourceTokenKind.Punctuation && Text[t.Start] is '(' or '[' or '{')
                {
                    i = MatchingClose(i) + 1;
                    continue;
                }

                i++;
            }

            return to;
        }

        /// <summary>Whether a token on a new line continues the previous line (an operator on either side of the break).</summary>
        private bool ContinuesExpression(int i)
        {
            var previous = Tokens[i - 1];
            if (previous.Kind == SourceTokenKind.Punctuation && Text[previous.Start] is '=' or ',' or '.' or '(' or '[' or '{' or '+' or '-' or '*' or '/' or '%' or '&' or '|' or '^' or '!' or '?' or ':' or '<' or '>' or '~')
            {
                return true;
            }

            var current = Tokens[i];
            return current.Kind == SourceTokenKind.Punctuation && Text[current.Start] is '.' or '?' or ':' or '=' or '+' or '*' or '/' or '%' or '&' or '|' or '^' or '>' or '<' or ',' or '(' or '[';
        }

        /// <summary>Whether a token can end an expression (a name, a literal, a closer).</summary>
        private bool EndsExpression(int i)
        {
            var t = Tokens[i];
            return t.Kind is SourceTokenKind.Identifier or SourceTokenKind.Number or SourceTokenKind.String
                || (t.Kind == SourceTokenKind.Punctuation && Text[t.Start] is ')' or ']' or '}');
        }

        private string Span(int start, int end) =>
            SymbolSink.Collapse(Text.AsSpan(Tokens[start].Start, Tokens[Math.Max(start, Math.Min(end, Tokens.Count - 1))].End - Tokens[start].Start));

        private static bool IsPrivateSignature(string signature) =>
            signature.StartsWith("private ", StringComparison.Ordinal) || signature.StartsWith("protected ", StringComparison.Ordinal) || signature.StartsWith('#');
    }
}
