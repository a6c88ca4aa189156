namespace CodeDoc.Pipeline;

/// <summary>
/// Python definitions from logical lines and their indentation: the module, classes (with their bases), functions,
/// methods and properties, module constants, class attributes and the <c>self.x</c> attributes methods assign.
/// A leading underscore makes a name private.
/// </summary>
internal sealed class PythonIndexer : ILanguageIndexer
{
    public string Language => "python";

    public void Index(string path, string content, SymbolSink sink)
    {
        var tokens = SourceLexer.Tokenize(content, LexerOptions.Python);
        var module = ModuleName(path);
        sink.Add(module[(module.LastIndexOf('.') + 1)..], module.Contains('.', StringComparison.Ordinal) ? module[..module.LastIndexOf('.')] : null, CodeSymbolKind.Namespace, 1, isPublic: !module.Split('.')[^1].StartsWith('_'));
        new Reader(content, tokens, sink, module).Run();
    }

    /// <summary>The dotted module of a path: <c>src/pkg/sub/mod.py</c> is <c>pkg.sub.mod</c>; a package's <c>__init__.py</c> is the package.</summary>
    internal static string ModuleName(string path)
    {
        var trimmed = path;
        foreach (var root in (string[])["src/", "lib/", "python/"])
        {
            if (trimmed.StartsWith(root, StringComparison.Ordinal) && trimmed.IndexOf('/', root.Length) > 0)
            {
                trimmed = trimmed[root.Length..];
                break;
            }
        }

        var dot = trimmed.LastIndexOf('.');
        if (dot > trimmed.LastIndexOf('/'))
        {
            trimmed = trimmed[..dot];
        }

        if (trimmed.EndsWith("/__init__", StringComparison.Ordinal))
        {
            trimmed = trimmed[..^"/__init__".Length];
        }

        return trimmed.Replace('/', '.');
    }

    private enum ScopeKind
    {
        Class,
        Function,
    }

    private sealed record Scope(int Indent, ScopeKind Kind, string QualifiedName, bool IsPublic);

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "else", "try", "finally", "except", "lambda", "return", "pass", "break", "continue", "match", "case", "global", "nonlocal", "print",
    };

    private sealed class Reader(string text, List<SourceToken> tokens, SymbolSink sink, string module)
    {
        private readonly List<Scope> _scopes = [];
        private readonly HashSet<string> _selfAttributes = new(StringComparer.Ordinal);
        private bool _pendingProperty;

        public void Run()
        {
            var position = 0;
            while (position < tokens.Count)
            {
                var end = LogicalLineEnd(position);
                if (end > position && tokens[position].Kind != SourceTokenKind.NewLine)
                {
                    ReadLine(position, end);
                }

                position = end + 1;
            }
        }

        /// <summary>The index of the line end that closes the logical line starting at <paramref name="start"/>.</summary>
        private int LogicalLineEnd(int start)
        {
            var depth = 0;
            for (var i = start; i < tokens.Count; i++)
            {
                var t = tokens[i];
                if (t.Kind == SourceTokenKind.NewLine)
                {
                    if (depth <= 0)
                    {
                        return i;
                    }

                    continue;
                }

                if (t.Kind == SourceTokenKind.Punctuation)
                {
                    switch (text[t.Start])
                    {
                        case '(' or '[' or '{':
                            depth++;
                            break;
                        case ')' or ']' or '}':
                            depth--;
                            break;
                    }
                }
            }

            return tokens.Count;
        }

        private void ReadLine(int start, int end)
        {
            var first = tokens[start];
            var indent = first.Column;
            while (_scopes.Count > 0 && _scopes[^1].Indent >= indent)
            {
                _scopes.RemoveAt(_scopes.Count - 1);
            }

            var scope = _scopes.Count > 0 ? _scopes[^1] : null;
            if (first.IsPunctuation(text, '@'))
            {
                _pendingProperty |= start + 1 < end && (tokens[start + 1].Is(text, "property") || tokens[start + 1].Is(text, "cached_property"));
                return;
            }

            var position = start;
            if (first.Is(text, "async") && position + 1 < end)
            {
                position++;
            }

            var keyword = tokens[position];
            if (keyword.Is(text, "class") && position + 1 < end && tokens[position + 1].Kind == SourceTokenKind.Identifier)
            {
                ReadClass(start, position + 1, end, indent, scope);
            }
            else if (keyword.Is(text, "def") && position + 1 < end && tokens[position + 1].Kind == SourceTokenKind.Identifier)
            {
                ReadFunction(start, position + 1, end, indent, scope);
            }
            else if (scope is null || scope.Kind == ScopeKind.Class)
            {
                ReadAssignment(start, end, scope);
            }
            else if (IsMethodScope(scope))
            {
                ReadSelfAssignment(start, end);
            }

            _pendingProperty = false;
        }

        private void ReadClass(int start, int nameIndex, int end, int indent, Scope? scope)
        {
            var name = tokens[nameIndex];
            var nameText = name.Text(text);
            if (scope is { Kind: ScopeKind.Function })
            {
                _scopes.Add(new(indent, ScopeKind.Function, SymbolSink.Qualify(scope.QualifiedName, nameText), false));
                return;
            }

            var container = scope?.QualifiedName ?? module;
            var isPublic = IsPublicName(nameText) && (scope?.IsPublic ?? true);
            var headerEnd = HeaderEnd(nameIndex, end);
            var qualified = SymbolSink.Qualify(container, nameText);
            sink.Add(nameText, container, CodeSymbolKind.Type, name.Line, isPublic, Signature(start, headerEnd), Docstring(end));
            if (nameIndex + 1 < end && tokens[nameIndex + 1].IsPunctuation(text, '('))
            {
                ReadBases(nameIndex + 2, headerEnd, qualified);
            }

            _scopes.Add(new(indent, ScopeKind.Class, qualified, isPublic));
            _selfAttributes.Clear();
        }

        private void ReadBases(int from, int end, string qualified)
        {
            var depth = 0;
            var expressionStart = from;
            for (var i = from; i < end; i++)
            {
                var t = tokens[i];
                if (t.Kind != SourceTokenKind.Punctuation)
                {
                    continue;
                }

                var c = text[t.Start];
                if (c is '(' or '[')
                {
                    depth++;
                }
                else if (c is ')' or ']')
                {
                    if (depth == 0)
                    {
                        AddBase(expressionStart, i, qualified);
                        return;
                    }

                    depth--;
                }
                else if (c == ',' && depth == 0)
                {
                    AddBase(expressionStart, i, qualified);
                    expressionStart = i + 1;
                }
            }
        }

        private void AddBase(int from, int to, string qualified)
        {
            // Keyword arguments (metaclass=...) are not bases.
            if (to - from >= 1 && !(to - from >= 2 && tokens[from + 1].IsPunctuation(text, '=')) && tokens[to - 1].Kind == SourceTokenKind.Identifier)
            {
                sink.AddBase(qualified, tokens[to - 1].Text(text));
            }
        }

        private void ReadFunction(int start, int nameIndex, int end, int indent, Scope? scope)
        {
            var name = tokens[nameIndex];
            var nameText = name.Text(text);
            var headerEnd = HeaderEnd(nameIndex, end);
            if (scope is { Kind: ScopeKind.Function })
            {
                // A nested function is local: not a definition a page can point at.
                _scopes.Add(new(indent, ScopeKind.Function, SymbolSink.Qualify(scope.QualifiedName, nameText), false));
                return;
            }

            var container = scope?.QualifiedName ?? module;
            var kind = scope is null ? CodeSymbolKind.Function : _pendingProperty ? CodeSymbolKind.Property : CodeSymbolKind.Method;
            var isPublic = IsPublicName(nameText) && (scope?.IsPublic ?? true);
            var qualified = SymbolSink.Qualify(container, nameText);
            sink.Add(nameText, container, kind, name.Line, isPublic, Signature(start, headerEnd), Docstring(end));

            _scopes.Add(new(indent, ScopeKind.Function, qualified, isPublic));
        }

        private void ReadAssignment(int start, int end, Scope? scope)
        {
            var names = new List<SourceToken>();
            for (var i = start; i < end; i++)
            {
                var t = tokens[i];
                if (t.Kind == SourceTokenKind.Identifier && (i + 1 < end) && (tokens[i + 1].IsPunctuation(text, '=') || tokens[i + 1].IsPunctuation(text, ':') || tokens[i + 1].IsPunctuation(text, ',')))
                {
                    // "x == y" and "x: int" without a value in a function signature never reach here; "a, b = ..." does.
                    if (tokens[i + 1].IsPunctuation(text, '=') && i + 2 < end && tokens[i + 2].IsPunctuation(text, '='))
                    {
                        return;
                    }

                    names.Add(t);
                    if (!tokens[i + 1].IsPunctuation(text, ','))
                    {
                        break;
                    }

                    i++;
                    continue;
                }

                return;
            }

            var container = scope?.QualifiedName ?? module;
            var kind = scope is null ? CodeSymbolKind.Constant : CodeSymbolKind.Field;
            foreach (var name in names)
            {
                var nameText = name.Text(text);
                if (nameText is "_" or "__all__" || Keywords.Contains(nameText) || (scope is not null && !_selfAttributes.Add(nameText)))
                {
                    continue;
                }

                sink.Add(nameText, container, kind, name.Line, IsPublicName(nameText) && (scope?.IsPublic ?? true));
            }
        }

        private void ReadSelfAssignment(int start, int end)
        {
            // self.name = ... / self.name: T = ... inside a method defines an instance attribute of its class.
            if (end - start < 4 || !tokens[start].Is(text, "self") || !tokens[start + 1].IsPunctuation(text, '.')
                || tokens[start + 2].Kind != SourceTokenKind.Identifier
                || !(tokens[start + 3].IsPunctuation(text, '=') || tokens[start + 3].IsPunctuation(text, ':'))
                || (tokens[start + 3].IsPunctuation(text, '=') && start + 4 < end && tokens[start + 4].IsPunctuation(text, '=')))
            {
                return;
            }

            var owner = _scopes[^2];
            var name = tokens[start + 2];
            var nameText = name.Text(text);
            if (_selfAttributes.Add(nameText))
            {
                sink.Add(nameText, owner.QualifiedName, CodeSymbolKind.Field, name.Line, IsPublicName(nameText) && owner.IsPublic);
            }
        }

        private bool IsMethodScope(Scope scope) =>
            scope.Kind == ScopeKind.Function && _scopes.Count >= 2 && _scopes[^2].Kind == ScopeKind.Class;

        /// <summary>The index of the colon that ends a def or class header.</summary>
        private int HeaderEnd(int from, int end)
        {
            var depth = 0;
            for (var i = from; i < end; i++)
            {
                var t = tokens[i];
                if (t.Kind != SourceTokenKind.Punctuation)
                {
                    continue;
                }

                switch (text[t.Start])
                {
                    case '(' or '[' or '{':
                        depth++;
                        break;
                    case ')' or ']' or '}':
                        depth--;
                        break;
                    case ':' when depth == 0:
                        return i;
                }
            }

            return end;
        }

        private string Signature(int start, int headerEnd) =>
            SymbolSink.Collapse(text.AsSpan(tokens[start].Start, tokens[Math.Max(start, headerEnd - 1)].End - tokens[start].Start));

        /// <summary>The docstring: a string that is the first statement of the body (on the next logical line).</summary>
        private string? Docstring(int headerLineEnd)
        {
            var i = headerLineEnd + 1;
            while (i < tokens.Count && tokens[i].Kind == SourceTokenKind.NewLine)
            {
                i++;
            }

            return i < tokens.Count && tokens[i].Kind == SourceTokenKind.String
                ? SymbolSink.DocstringSummary(text.AsSpan(tokens[i].Start, tokens[i].Length))
                : null;
        }

        private static bool IsPublicName(string name) =>
            !name.StartsWith('_') || (name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal) && name.Length > 4);
    }
}
