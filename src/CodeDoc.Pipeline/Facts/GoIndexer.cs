namespace CodeDoc.Pipeline;

/// <summary>
/// Go definitions from the token stream: the package, functions, methods (with their receiver type), types with
/// their struct fields and interface methods, and top-level constants and variables. Exported means capitalized.
/// </summary>
internal sealed class GoIndexer : ILanguageIndexer
{
    public string Language => "go";

    public void Index(string path, string content, SymbolSink sink)
    {
        var tokens = SourceLexer.Tokenize(content, LexerOptions.Go);
        var reader = new Reader(content, tokens, sink);
        reader.Run();
    }

    private sealed class Reader(string text, List<SourceToken> tokens, SymbolSink sink)
    {
        private string? _package;
        private int _position;

        public void Run()
        {
            while (_position < tokens.Count)
            {
                var token = tokens[_position];
                if (token.Kind != SourceTokenKind.Identifier || !AtLineStart(_position))
                {
                    SkipNested();
                    continue;
                }

                switch (token.Text(text))
                {
                    case "package" when Peek(1) is { Kind: SourceTokenKind.Identifier } name:
                        _package = name.Text(text);
                        sink.Add(_package, null, CodeSymbolKind.Namespace, name.Line, isPublic: true);
                        _position += 2;
                        break;
                    case "func":
                        ReadFunction();
                        break;
                    case "type":
                        _position++;
                        ReadGroupOrOne(ReadTypeSpec);
                        break;
                    case "var" or "const":
                        _position++;
                        ReadGroupOrOne(ReadValueSpec);
                        break;
                    default:
                        _position++;
                        break;
                }
            }
        }

        private SourceToken? Peek(int offset)
        {
            var index = _position + offset;
            return index < tokens.Count ? tokens[index] : null;
        }

        private bool AtLineStart(int index) => index == 0 || tokens[index - 1].Kind == SourceTokenKind.NewLine;

        private bool IsPunctuation(int index, char c) => index < tokens.Count && tokens[index].IsPunctuation(text, c);

        /// <summary>Skips one token, or a whole bracketed group when it opens one (function bodies, literals).</summary>
        private void SkipNested()
        {
            var token = tokens[_position];
            if (token.Kind == SourceTokenKind.Punctuation && text[token.Start] is '{' or '(' or '[')
            {
                _position = MatchingClose(_position) + 1;
                return;
            }

            _position++;
        }

        private int MatchingClose(int open)
        {
            var depth = 0;
            for (var i = open; i < tokens.Count; i++)
            {
                var t = tokens[i];
                if (t.Kind != SourceTokenKind.Punctuation)
                {
                    continue;
                }

                switch (text[t.Start])
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

            return tokens.Count - 1;
        }

        private void ReadFunction()
        {
            var start = tokens[_position];
            _position++;
            string? receiver = null;
            if (IsPunctuation(_position, '('))
            {
                var close = MatchingClose(_position);
                receiver = ReceiverType(_position + 1, close);
                _position = close + 1;
            }

            if (Peek(0) is not { Kind: SourceTokenKind.Identifier } name)
            {
                return;
            }

            var signatureEnd = SignatureEnd(_position);
            var signature = SymbolSink.Collapse(text.AsSpan(start.Start, tokens[signatureEnd - 1].End - start.Start));
            var nameText = name.Text(text);
            if (receiver is null)
            {
                sink.Add(nameText, _package, CodeSymbolKind.Function, name.Line, IsExported(nameText), signature);
            }
            else
            {
                sink.Add(nameText, SymbolSink.Qualify(_package, receiver), CodeSymbolKind.Method, name.Line, IsExported(nameText) && IsExported(receiver), signature);
            }

            _position = signatureEnd;
        }

        /// <summary>The receiver's type in <c>(s *Server[T])</c> or <c>(*Server)</c>.</summary>
        private string? ReceiverType(int from, int close)
        {
            var names = new List<string>(2);
            for (var i = from; i < close; i++)
            {
                var t = tokens[i];
                if (t.IsPunctuation(text, '['))
                {
                    i = MatchingClose(i);
                    continue;
                }

                if (t.Kind == SourceTokenKind.Identifier)
                {
                    names.Add(t.Text(text));
                }
            }

            return names.Count switch
            {
                0 => null,
                1 => names[0],
                _ => names[1],
            };
        }

        /// <summary>Where a function header ends: before its body's brace, or at the line's end for a declaration.</summary>
        private int SignatureEnd(int from)
        {
            for (var i = from; i < tokens.Count; i++)
            {
                var t = tokens[i];
                if (t.Kind == SourceTokenKind.NewLine || t.IsPunctuation(text, '{'))
                {
                    // A struct or interface type in the result list opens a brace too; only a brace after the
                    // parameters' closing parenthesis (or a result type) starts the body, which is the common case.
                    return i;
                }

                if (t.Kind == SourceTokenKind.Punctuation && text[t.Start] is '(' or '[')
                {
                    i = MatchingClose(i);
                }
            }

            return tokens.Count;
        }

        private void ReadGroupOrOne(Action reader)
        {
            if (!IsPunctuation(_position, '('))
            {
                reader();
                return;
            }

            var close = MatchingClose(_position);
            _position++;
            while (_position < close)
            {
                if (tokens[_position].Kind == SourceTokenKind.Identifier && AtLineStart(_position))
                {
                    var before = _position;
                    reader();
                    if (_position == before)
                    {
                        _position++;
                    }

                    continue;
                }

                SkipNested();
            }

            _position = close + 1;
        }

        private void ReadTypeSpec()
        {
            if (Peek(0) is not { Kind: SourceTokenKind.Identifier } name)
            {
                return;
            }

            var typeName = name.Text(text);
            var qualified = SymbolSink.Qualify(_package, typeName);
            var lineEnd = _position;
            while (lineEnd < tokens.Count && tokens[lineEnd].Kind != SourceTokenKind.NewLine && !tokens[lineEnd].IsPunctuation(text, '{'))
            {
                if (tokens[lineEnd].IsPunctuation(text, '['))
                {
                    lineEnd = MatchingClose(lineEnd);
                }

                lineEnd++;
            }

            var signature = "type " + SymbolSink.Collapse(text.AsSpan(name.Start, tokens[Math.Max(lineEnd - 1, _position)].End - name.Start));
            sink.Add(typeName, _package, CodeSymbolKind.Type, name.Line, IsExported(typeName), signature);
            _position = lineEnd;
            if (!IsPunctuation(_position, '{'))
            {
                return;
            }

            var kindToken = tokens[_position - 1];
            var close = MatchingClose(_position);
            if (kindToken.Is(text, "struct"))
            {
                ReadMembers(_position + 1, close, qualified, typeName, isInterface: false);
            }
            else if (kindToken.Is(text, "interface"))
            {
                ReadMembers(_position + 1, close, qualified, typeName, isInterface: true);
            }

            _position = close + 1;
        }

        private void ReadMembers(int from, int close, string container, string typeName, bool isInterface)
        {
            for (var i = from; i < close; i++)
            {
                var t = tokens[i];
                if (t.Kind == SourceTokenKind.Punctuation && text[t.Start] is '{' or '(' or '[')
                {
                    i = MatchingClose(i);
                    continue;
                }

                if (t.Kind != SourceTokenKind.Identifier || !(i == from || tokens[i - 1].Kind == SourceTokenKind.NewLine || tokens[i - 1].IsPunctuation(text, '{')))
                {
                    continue;
                }

                var next = i + 1 < close ? tokens[i + 1] : default;
                if (isInterface)
                {
                    if (next.IsPunctuation(text, '('))
                    {
                        var name = t.Text(text);
                        var end = SignatureEnd(i);
                        sink.Add(name, container, CodeSymbolKind.Method, t.Line, IsExported(name) && IsExported(typeName), SymbolSink.Collapse(text.AsSpan(t.Start, tokens[end - 1].End - t.Start)));
                    }

                    continue;
                }

                // Embedded fields (a bare type, pkg.Type or *Type) have no name of their own.
                if (next.Kind is SourceTokenKind.NewLine || next.IsPunctuation(text, '.') || i + 1 >= close)
                {
                    continue;
                }

                var j = i;
                while (j < close && tokens[j].Kind == SourceTokenKind.Identifier)
                {
                    var field = tokens[j].Text(text);
                    sink.Add(field, container, CodeSymbolKind.Field, tokens[j].Line, IsExported(field) && IsExported(typeName));
                    if (j + 1 < close && tokens[j + 1].IsPunctuation(text, ','))
                    {
                        j += 2;
                        continue;
                    }

                    break;
                }
            }
        }

        private void ReadValueSpec()
        {
            while (Peek(0) is { Kind: SourceTokenKind.Identifier } name)
            {
                var nameText = name.Text(text);
                if (nameText != "_")
                {
                    sink.Add(nameText, _package, CodeSymbolKind.Constant, name.Line, IsExported(nameText));
                }

                if (IsPunctuation(_position + 1, ','))
                {
                    _position += 2;
                    continue;
                }

                _position++;
                break;
            }

            // The rest of the spec (type and value) may span lines inside brackets; skip it whole.
            while (_position < tokens.Count && tokens[_position].Kind != SourceTokenKind.NewLine && !IsPunctuation(_position, ')'))
            {
                SkipNested();
            }
        }

        private static bool IsExported(string name) => name.Length > 0 && char.IsUpper(name[0]);
    }
}
