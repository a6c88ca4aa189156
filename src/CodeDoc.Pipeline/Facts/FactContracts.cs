using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>What a symbol is.</summary>
internal enum CodeSymbolKind
{
    /// <summary>A namespace, package or module.</summary>
    Namespace,

    /// <summary>A class, struct, record, interface, enum, trait or type alias.</summary>
    Type,

    /// <summary>A method or member function.</summary>
    Method,

    /// <summary>A property or getter/setter pair.</summary>
    Property,

    /// <summary>A field or member variable.</summary>
    Field,

    /// <summary>An event.</summary>
    Event,

    /// <summary>A free function.</summary>
    Function,

    /// <summary>A top-level constant or variable.</summary>
    Constant,
}

/// <summary>A definition found in the code.</summary>
/// <param name="Name">The simple name, e.g. <c>PlanAsync</c>.</param>
/// <param name="Container">The enclosing type or namespace, e.g. <c>CodeDoc.Core.IDocumentationPlanner</c>; null at top level.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Path">The file it is defined in.</param>
/// <param name="Line">The 1-based line of the definition.</param>
/// <param name="IsPublic">Whether it is part of the public surface (public/exported).</param>
/// <param name="Language">The language id, e.g. <c>csharp</c>, <c>typescript</c>, <c>python</c>, <c>java</c>, <c>go</c>.</param>
internal sealed record CodeSymbol(string Name, string? Container, CodeSymbolKind Kind, string Path, int Line, bool IsPublic, string Language)
{
    /// <summary>Gets the qualified name, e.g. <c>CodeDoc.Core.IDocumentationPlanner.PlanAsync</c>.</summary>
    public string QualifiedName => Container is null ? Name : $"{Container}.{Name}";

    /// <summary>Gets the signature as written, when the indexer captured one (for API reference pages).</summary>
    public string? Signature { get; init; }

    /// <summary>Gets the documentation comment's summary, when there is one.</summary>
    public string? Summary { get; init; }
}

/// <summary>A project or package found in the repository (a .csproj, package.json, go.mod, pyproject.toml, pom.xml, ...).</summary>
/// <param name="Name">The project's name.</param>
/// <param name="Path">The manifest's path.</param>
/// <param name="Kind">The ecosystem, e.g. <c>dotnet</c>, <c>npm</c>, <c>go</c>, <c>python</c>, <c>maven</c>.</param>
internal sealed record ProjectFact(string Name, string Path, string Kind)
{
    /// <summary>Gets the target frameworks or runtimes, when declared.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Gets the external packages it depends on (name, version when declared).</summary>
    public IReadOnlyList<(string Name, string? Version)> Packages { get; init; } = [];

    /// <summary>Gets the manifest paths of other projects of this repository it references.</summary>
    public IReadOnlyList<string> ProjectReferences { get; init; } = [];
}

/// <summary>How deep the facts about one language go, for the coverage report.</summary>
/// <param name="Language">The language id.</param>
/// <param name="Files">How many included files are in it.</param>
/// <param name="Depth"><c>symbols</c> (definitions indexed) or <c>file-level</c> (only paths and sizes).</param>
internal sealed record LanguageCoverage(string Language, int Files, string Depth);

/// <summary>
/// The facts of a snapshot that no model has to invent: projects and their dependencies, and the definitions of the
/// languages with an indexer. Planning uses them to choose pages, verification to check the names pages mention.
/// </summary>
internal interface ISymbolIndex
{
    /// <summary>Gets every definition found.</summary>
    IReadOnlyList<CodeSymbol> Symbols { get; }

    /// <summary>Gets the projects and packages found.</summary>
    IReadOnlyList<ProjectFact> Projects { get; }

    /// <summary>Gets the coverage per language.</summary>
    IReadOnlyList<LanguageCoverage> Coverage { get; }

    /// <summary>Tells whether a name exists: a simple name (<c>PlanAsync</c>), a qualified one (<c>IDocumentationPlanner.PlanAsync</c>), or a namespace.</summary>
    /// <param name="name">The name as a page wrote it.</param>
    /// <returns>Whether it is defined in the repository.</returns>
    bool Contains(string name);

    /// <summary>Finds the definitions of a name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The definitions, possibly several (overloads, partial types).</returns>
    IReadOnlyList<CodeSymbol> Find(string name);
}

/// <summary>Builds the facts of a snapshot (which must hold content: <see cref="SnapshotOptions.RetainContent"/>).</summary>
internal interface ISymbolIndexBuilder
{
    /// <summary>Indexes every included file in a language with an indexer and reads every project manifest.</summary>
    /// <param name="snapshot">The snapshot, with content.</param>
    /// <param name="cancellationToken">Cancels the indexing.</param>
    /// <returns>The index.</returns>
    Task<ISymbolIndex> BuildAsync(RepositorySnapshot snapshot, CancellationToken cancellationToken = default);
}
