namespace CodeDoc.Pipeline;

/// <summary>The verdict on one Mermaid diagram.</summary>
/// <param name="IsValid">Whether the diagram (as given) parses.</param>
/// <param name="Repaired">A repaired source when every problem had a certain fix; null when valid or not repairable.</param>
/// <param name="Problems">What was wrong, for the page's notes (e.g. "line 3: unquoted label with parentheses").</param>
internal sealed record MermaidCheck(bool IsValid, string? Repaired, IReadOnlyList<string> Problems)
{
    /// <summary>Gets the source to publish: the original when valid, the repair when there is one, otherwise null (drop it).</summary>
    /// <param name="original">The original source.</param>
    /// <returns>The source to publish, or null.</returns>
    public string? Publishable(string original) => IsValid ? original : Repaired;
}

/// <summary>
/// Checks Mermaid diagrams for the error classes models commonly make (flowchart, sequence, class, state and ER
/// diagrams: unquoted labels with brackets or parentheses, reserved words such as <c>end</c>, bad arrows,
/// unbalanced blocks, unknown diagram types), repairing where the fix is certain.
/// </summary>
internal interface IMermaidValidator
{
    /// <summary>Checks one diagram.</summary>
    /// <param name="source">The diagram source, without the code fence.</param>
    /// <returns>The verdict.</returns>
    MermaidCheck Check(string source);
}

/// <summary>A citation found in a page: <c>path:start-end</c> (or <c>path:line</c>, or a bare path).</summary>
/// <param name="Path">The cited path.</param>
/// <param name="StartLine">The first line, when cited.</param>
/// <param name="EndLine">The last line, when cited.</param>
/// <param name="Index">Where the citation starts in the page's Markdown.</param>
/// <param name="Length">How long the citation text is.</param>
internal sealed record Citation(string Path, int? StartLine, int? EndLine, int Index, int Length);
