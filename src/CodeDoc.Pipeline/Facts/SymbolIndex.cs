namespace CodeDoc.Pipeline;

/// <summary>
/// The symbol index: definitions by simple name, namespaces with every prefix, and the base types each type names,
/// so that a member a page reaches through a derived type (<c>Derived.BaseMember</c>) still counts as existing.
/// </summary>
internal sealed class SymbolIndex : ISymbolIndex
{
    private const int MaxBaseDepth = 8;

    private readonly Dictionary<string, List<CodeSymbol>> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _bases = new(StringComparer.Ordinal);

    public SymbolIndex(IReadOnlyList<CodeSymbol> symbols, IReadOnlyList<ProjectFact> projects, IReadOnlyList<LanguageCoverage> coverage, IEnumerable<(string Type, string Base)> baseTypes)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(projects);
        ArgumentNullException.ThrowIfNull(coverage);
        ArgumentNullException.ThrowIfNull(baseTypes);
        Symbols = symbols;
        Projects = projects;
        Coverage = coverage;
        foreach (var symbol in symbols)
        {
            if (!_byName.TryGetValue(symbol.Name, out var list))
            {
                _byName[symbol.Name] = list = [];
            }

            list.Add(symbol);
            if (symbol.Kind == CodeSymbolKind.Namespace)
            {
                AddNamespace(symbol.QualifiedName);
            }
        }

        foreach (var (type, baseName) in baseTypes)
        {
            var simple = type[(type.LastIndexOf('.') + 1)..];
            if (!_bases.TryGetValue(simple, out var list))
            {
                _bases[simple] = list = [];
            }

            if (!list.Contains(baseName, StringComparer.Ordinal))
            {
                list.Add(baseName);
            }
        }
    }

    public static SymbolIndex Empty { get; } = new([], [], [], []);

    public IReadOnlyList<CodeSymbol> Symbols { get; }

    public IReadOnlyList<ProjectFact> Projects { get; }

    public IReadOnlyList<LanguageCoverage> Coverage { get; }

    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = SymbolNames.Split(name);
        if (parts is null)
        {
            return false;
        }

        return _namespaces.Contains(string.Join('.', parts)) || Find(parts).Count > 0;
    }

    public IReadOnlyList<CodeSymbol> Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = SymbolNames.Split(name);
        return parts is null ? [] : Find(parts);
    }

    private List<CodeSymbol> Find(string[] parts)
    {
        if (!_byName.TryGetValue(parts[^1], out var candidates))
        {
            return [];
        }

        if (parts.Length == 1)
        {
            return candidates;
        }

        var qualifier = string.Join('.', parts, 0, parts.Length - 1);
        var suffix = "." + qualifier + "." + parts[^1];
        var exact = candidates
            .Where(c => c.QualifiedName.Length == suffix.Length - 1 ? string.Equals(c.QualifiedName, suffix[1..], StringComparison.Ordinal) : c.QualifiedName.EndsWith(suffix, StringComparison.Ordinal))
            .ToList();
        if (exact.Count > 0)
        {
            return exact;
        }

        // A member reached through a type that inherits it.
        var owner = parts[^2];
        if (_byName.TryGetValue(owner, out var owners) && owners.Any(o => o.Kind == CodeSymbolKind.Type))
        {
            return Inherited(owner, candidates);
        }

        // The qualifier is no name the repository defines (a variable, a parameter: options.Retries):
        // the member alone decides.
        if (!_namespaces.Contains(qualifier) && !_byName.ContainsKey(owner))
        {
            return candidates.Where(c => c.Kind is CodeSymbolKind.Method or CodeSymbolKind.Property or CodeSymbolKind.Field or CodeSymbolKind.Event).ToList();
        }

        return [];
    }

    private List<CodeSymbol> Inherited(string type, List<CodeSymbol> candidates)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { type };
        var frontier = new List<string> { type };
        for (var depth = 0; depth < MaxBaseDepth && frontier.Count > 0; depth++)
        {
            var next = new List<string>();
            foreach (var current in frontier)
            {
                if (!_bases.TryGetValue(current, out var bases))
                {
                    continue;
                }

                foreach (var baseName in bases)
                {
                    var found = candidates.Where(c => c.Container is not null && LastSegment(c.Container) == baseName).ToList();
                    if (found.Count > 0)
                    {
                        return found;
                    }

                    if (seen.Add(baseName))
                    {
                        next.Add(baseName);
                    }
                }
            }

            frontier = next;
        }

        return [];
    }

    private void AddNamespace(string qualified)
    {
        var name = qualified;
        while (_namespaces.Add(name))
        {
            var dot = name.LastIndexOf('.');
            if (dot < 0)
            {
                return;
            }

            name = name[..dot];
        }
    }

    private static string LastSegment(string qualified) => qualified[(qualified.LastIndexOf('.') + 1)..];
}

/// <summary>Reads a name as a page writes it (<c>Foo.Bar()</c>, <c>List&lt;T&gt;.Add</c>, <c>pkg::f</c>, <c>Foo#bar</c>) into its segments.</summary>
internal static class SymbolNames
{
    /// <summary>The longest text read as a name; anything longer is prose or code, not a name.</summary>
    internal const int MaxLength = 200;

    /// <summary>Splits a name into its dotted segments, or returns null when the text is not a name.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The segments, or null.</returns>
    public static string[]? Split(string text)
    {
        var span = text.AsSpan().Trim();
        if (span.Length == 0 || span.Length > MaxLength)
        {
            return null;
        }

        if (span.StartsWith("global::"))
        {
            span = span["global::".Length..];
        }

        var builder = new System.Text.StringBuilder(span.Length);
        var depth = 0;
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            switch (c)
            {
                case '<' or '(' or '[':
                    depth++;
                    continue;
                case '>' or ')' or ']':
                    depth--;
                    if (depth < 0)
                    {
                        return null;
                    }

                    continue;
            }

            if (depth > 0)
            {
                continue;
            }

            if (c == ':' && i + 1 < span.Length && span[i + 1] == ':')
            {
                builder.Append('.');
                i++;
                continue;
            }

            if (c == '-' && i + 1 < span.Length && span[i + 1] == '>')
            {
                builder.Append('.');
                i++;
                continue;
            }

            if (c == '#')
            {
                builder.Append('.');
                continue;
            }

            builder.Append(c);
        }

        if (depth != 0)
        {
            return null;
        }

        var cleaned = builder.ToString().TrimEnd('?', '!', ';', '.', ',');
        if (cleaned.Length == 0)
        {
            return null;
        }

        var parts = cleaned.Split('.');
        foreach (var part in parts)
        {
            if (part.Length == 0 || !SourceLexer.IsIdentifierStart(part[0]) || !part.All(SourceLexer.IsIdentifierPart))
            {
                return null;
            }
        }

        return parts;
    }
}
