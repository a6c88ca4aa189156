using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>The full result of checking one page: the Core verdict plus the counts the engine and report need.</summary>
/// <param name="Verification">The verdict: verified Markdown, truthfulness, pass/fail and problems.</param>
internal sealed record PageCheckResult(PageVerification Verification)
{
    /// <summary>Gets how many citations the page had.</summary>
    public int Citations { get; init; }

    /// <summary>Gets how many citations were removed because their file or lines do not exist at the commit.</summary>
    public int InvalidCitations { get; init; }

    /// <summary>Gets the repository files the page's valid citations and links point at (for provenance and coverage).</summary>
    public IReadOnlyList<string> CitedFiles { get; init; } = [];

    /// <summary>Gets how many distinct names the page presents as code were checked.</summary>
    public int CheckedNames { get; init; }

    /// <summary>Gets the names (and file paths) the page presents as code that do not exist, for a regeneration prompt.</summary>
    public IReadOnlyList<string> UnknownNames { get; init; } = [];

    /// <summary>Gets how many links reaching outside the repository (or to missing paths) were removed.</summary>
    public int RemovedLinks { get; init; }

    /// <summary>Gets how many diagrams were repaired.</summary>
    public int RepairedDiagrams { get; init; }

    /// <summary>Gets how many diagrams were dropped with a note.</summary>
    public int DroppedDiagrams { get; init; }
}

/// <summary>
/// Verifies one page against the snapshot it was written from. Citations become permalinks when their file and lines
/// exist and are removed (and counted) when not; links that leave the repository (other hosts, bare and <c>www.</c>
/// URLs, HTML links, images and frames, absolute paths, <c>../</c> escapes, other schemes) are removed and reported, so repository text can never smuggle a link into the
/// wiki; Mermaid diagrams are kept, repaired or dropped with a visible note; the names the page presents as code are
/// checked against the symbol index. One checker serves every page of a run (it builds its lookups once).
/// </summary>
internal sealed partial class PageChecker
{
    /// <summary>The note that replaces a diagram that could not be repaired.</summary>
    public const string DroppedDiagramNote = "> **Note:** a diagram was removed here because it is not valid Mermaid";

    private static readonly HashSet<string> PlainWords = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "nil", "None", "True", "False", "undefined", "void", "this", "self", "base", "super",
        "new", "return", "async", "await", "var", "let", "const", "string", "int", "bool", "object", "any", "number",
        "boolean", "NaN", "Infinity", "default", "static", "public", "private", "internal", "protected",
    };

    private readonly RepositorySnapshot _snapshot;
    private readonly ISymbolIndex _index;
    private readonly IMermaidValidator _mermaid;
    private readonly Func<string, LineRange?, string> _permalink;
    private readonly Dictionary<string, SnapshotFile> _files;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExcludedPath> _excludedFiles = new(StringComparer.Ordinal);
    private readonly List<string> _excludedDirectories = [];
    private readonly HashSet<string> _fileNames = new(StringComparer.Ordinal);
    private readonly Lazy<HashSet<string>> _vocabulary;
    private readonly Regex? _permalinkPattern;

    /// <summary>Initializes a new instance of the <see cref="PageChecker"/> class.</summary>
    /// <param name="snapshot">The snapshot the pages describe, with content (names used but not defined are looked up in it).</param>
    /// <param name="index">The symbol index of the snapshot.</param>
    /// <param name="mermaid">The diagram validator.</param>
    /// <param name="permalink">Builds the permalink of a path (and lines) at the snapshot's commit, e.g. through <see cref="IGitProvider.GetPermalink"/>.</param>
    public PageChecker(RepositorySnapshot snapshot, ISymbolIndex index, IMermaidValidator mermaid, Func<string, LineRange?, string> permalink)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(mermaid);
        ArgumentNullException.ThrowIfNull(permalink);
        _snapshot = snapshot;
        _index = index;
        _mermaid = mermaid;
        _permalink = permalink;
        _files = snapshot.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        foreach (var file in snapshot.Files)
        {
            AddDirectories(file.Path);
            _fileNames.Add(ProjectManifests.FileName(file.Path));
        }

        foreach (var excluded in snapshot.Excluded)
        {
            if (excluded.IsDirectory)
            {
                _excludedDirectories.Add(excluded.Path.TrimEnd('/'));
            }
            else
            {
                _excludedFiles.TryAdd(excluded.Path, excluded);
                _fileNames.Add(ProjectManifests.FileName(excluded.Path));
            }
        }

        _vocabulary = new Lazy<HashSet<string>>(BuildVocabulary);
        _permalinkPattern = snapshot.Files.Count > 0 ? PermalinkPattern(snapshot.Files[0].Path) : null;
    }

    /// <summary>Checks one page.</summary>
    /// <param name="markdown">The page as the model wrote it.</param>
    /// <param name="threshold">The truthfulness a page needs to pass, from 0 to 1.</param>
    /// <returns>The verified page and what was found.</returns>
    public PageCheckResult Check(string markdown, double threshold)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1);
        var run = new CheckRun();
        var elements = MarkdownScanner.Scan(markdown);
        var groups = CitationParser.ParseGroups(elements).ToDictionary(g => g.Start);
        var diagram = 0;
        foreach (var element in elements)
        {
            switch (element.Kind)
            {
                case MarkdownElementKind.Bracket when groups.TryGetValue(element.Start, out var group):
                    CheckCitations(markdown, group, run);
                    break;
                case MarkdownElementKind.Link or MarkdownElementKind.Image:
                    CheckLink(element, run);
                    break;
                case MarkdownElementKind.LinkDefinition:
                    CheckLinkDefinition(element, run);
                    break;
                case MarkdownElementKind.BareUrl:
                    CheckBareUrl(element, run);
                    break;
                case MarkdownElementKind.HtmlTag:
                    CheckHtmlTag(element, run);
                    break;
                case MarkdownElementKind.CodeSpan:
                    CheckCodeSpan(element.Text, run);
                    break;
                case MarkdownElementKind.Fence when FenceLanguage(element.Info) == "mermaid":
                    CheckDiagram(element, ++diagram, run);
                    break;
                case MarkdownElementKind.Fence:
                    CheckCodeBlock(element, run);
                    break;
            }
        }

        var verified = Apply(markdown, run.Edits);
        var checkedClaims = run.Citations + run.CheckedNames.Count;
        var trueClaims = run.Citations - run.InvalidCitations + run.CheckedNames.Count - run.UnknownNames.Count;
        var truthfulness = checkedClaims == 0 ? 1.0 : (double)trueClaims / checkedClaims;
        var verification = new PageVerification(verified, truthfulness, truthfulness >= threshold, run.Problems);
        return new PageCheckResult(verification)
        {
            Citations = run.Citations,
            InvalidCitations = run.InvalidCitations,
            CitedFiles = run.CitedFiles.Order(StringComparer.Ordinal).ToList(),
            CheckedNames = run.CheckedNames.Count,
            UnknownNames = run.UnknownNames,
            RemovedLinks = run.RemovedLinks,
            RepairedDiagrams = run.RepairedDiagrams,
            DroppedDiagrams = run.DroppedDiagrams,
        };
    }

    private void CheckCitations(string markdown, CitationGroup group, CheckRun run)
    {
        var links = new List<string>();
        foreach (var citation in group.Citations)
        {
            run.Citations++;
            var text = markdown.Substring(citation.Index, citation.Length);
            var error = ResolveCitation(citation.Path, citation.StartLine, citation.EndLine, out var path, out var lines);
            if (error is not null)
            {
                run.InvalidCitations++;
                run.Problems.Add($"Removed citation [{text}]: {error}.");
                continue;
            }

            run.CitedFiles.Add(path);
            links.Add($"[{EscapeLinkText(text)}]({_permalink(path, lines)})");
        }

        var start = group.Start;
        var length = group.Length;
        if (links.Count == 0 && start > 0 && markdown[start - 1] == ' ')
        {
            // Keep "a claim [x.cs:1]." from becoming "a claim ." once the citation is gone.
            start--;
            length++;
        }

        run.Edits.Add(new Edit(start, length, string.Join(", ", links)));
    }

    private string? ResolveCitation(string cited, int? startLine, int? endLine, out string path, out LineRange? lines)
    {
        path = cited;
        lines = null;
        if (IsOutsidePath(cited))
        {
            return "the path reaches outside the repository";
        }

        if (_files.TryGetValue(cited, out var file))
        {
            if (startLine is { } first && endLine is { } last)
            {
                if (first < 1 || last < first)
                {
                    return $"the line range {first}-{last} is not a range";
                }

                if (last > file.Lines)
                {
                    return $"the file has {file.Lines.ToString(CultureInfo.InvariantCulture)} lines at commit {ShortSha}";
                }

                lines = new LineRange(first, last);
            }

            return null;
        }

        var directory = cited.TrimEnd('/');
        if (_directories.Contains(directory))
        {
            path = directory;
            return startLine is null ? null : "a folder has no lines";
        }

        if (ExclusionOf(cited) is { } reason)
        {
            return $"the file was left out of the snapshot ({reason}), so the citation cannot be checked";
        }

        return $"no such file at commit {ShortSha}";
    }

    private void CheckLink(MarkdownElement link, CheckRun run)
    {
        var target = link.Target;
        var isImage = link.Kind == MarkdownElementKind.Image;
        if (target.Length == 0 || target.StartsWith('#') || target.StartsWith(DocumentLinks.PageScheme, StringComparison.Ordinal)
            || target.StartsWith(DocumentLinks.AttachmentScheme, StringComparison.Ordinal))
        {
            return;
        }

        if (TryRepositoryTarget(target, out var path, out var lines, out var error))
        {
            if (!isImage)
            {
                run.CitedFiles.Add(path);
            }

            var rebuilt = _permalink(path, lines);
            if (!string.Equals(rebuilt, target, StringComparison.Ordinal))
            {
                run.Edits.Add(new Edit(link.Start, link.Length, $"{(isImage ? "!" : string.Empty)}[{link.Text}]({rebuilt})"));
            }

            return;
        }

        run.RemovedLinks++;
        run.Problems.Add($"Removed {(isImage ? "image" : "link")} to {Describe(target)}: {error}.");
        run.Edits.Add(new Edit(link.Start, link.Length, link.Text));
    }

    private void CheckLinkDefinition(MarkdownElement definition, CheckRun run)
    {
        if (definition.Target.StartsWith(DocumentLinks.PageScheme, StringComparison.Ordinal) || definition.Target.StartsWith('#'))
        {
            return;
        }

        if (TryRepositoryTarget(definition.Target, out var path, out var lines, out var error))
        {
            run.CitedFiles.Add(path);
            run.Edits.Add(new Edit(definition.Start, definition.Length, $"[{definition.Text}]: {_permalink(path, lines)}"));
            return;
        }

        run.RemovedLinks++;
        run.Problems.Add($"Removed link definition to {Describe(definition.Target)}: {error}.");
        run.Edits.Add(new Edit(definition.Start, definition.Length, string.Empty));
    }

    private void CheckBareUrl(MarkdownElement url, CheckRun run)
    {
        if (TryRepositoryTarget(url.Text, out var path, out _, out var error))
        {
            run.CitedFiles.Add(path);
            return;
        }

        run.RemovedLinks++;
        run.Problems.Add($"Removed URL {Describe(url.Text)}: {error}.");
        run.Edits.Add(new Edit(url.Start, url.Length, "(link removed)"));
    }

    /// <summary>
    /// Keeps HTML tags only when they point into the set (attachments, pages); every other link, image, frame or script
    /// is removed with its closing tag, keeping the text between them.
    /// </summary>
    private static void CheckHtmlTag(MarkdownElement tag, CheckRun run)
    {
        if (tag.Text.StartsWith('/'))
        {
            if (run.OpenRemovedTags.TryGetValue(tag.Text[1..], out var open) && open > 0)
            {
                run.OpenRemovedTags[tag.Text[1..]] = open - 1;
                run.Edits.Add(new Edit(tag.Start, tag.Length, string.Empty));
            }

            return;
        }

        var target = tag.Target;
        if (tag.Text is "a" or "img" && (target.StartsWith(DocumentLinks.AttachmentScheme, StringComparison.Ordinal)
            || target.StartsWith(DocumentLinks.PageScheme, StringComparison.Ordinal) || (tag.Text == "a" && target.StartsWith('#'))))
        {
            return;
        }

        run.RemovedLinks++;
        run.OpenRemovedTags[tag.Text] = run.OpenRemovedTags.GetValueOrDefault(tag.Text) + 1;
        run.Problems.Add($"Removed HTML <{tag.Text}>{(target.Length > 0 ? " to " + Describe(target) : string.Empty)}: only Markdown links into the repository are kept.");
        run.Edits.Add(new Edit(tag.Start, tag.Length, string.Empty));
    }

    /// <summary>Reads a link target as a repository path: a permalink of this repository (at any commit) or a relative path.</summary>
    private bool TryRepositoryTarget(string target, out string path, out LineRange? lines, out string error)
    {
        path = string.Empty;
        lines = null;
        string relative;
        var permalink = _permalinkPattern?.Match(target);
        if (permalink is { Success: true })
        {
            relative = permalink.Groups["path"].Value;
        }
        else if (SchemePattern().IsMatch(target) || target.StartsWith("//", StringComparison.Ordinal))
        {
            error = "it leads outside the repository";
            return false;
        }
        else
        {
            relative = target;
        }

        var anchor = relative.IndexOf('#', StringComparison.Ordinal);
        var fragment = anchor < 0 ? string.Empty : relative[(anchor + 1)..];
        relative = anchor < 0 ? relative : relative[..anchor];
        var query = relative.IndexOf('?', StringComparison.Ordinal);
        relative = query < 0 ? relative : relative[..query];
        relative = Uri.UnescapeDataString(relative).Replace('\\', '/');
        if (relative.StartsWith("./", StringComparison.Ordinal))
        {
            relative = relative[2..];
        }

        if (IsOutsidePath(relative))
        {
            error = "the path reaches outside the repository";
            return false;
        }

        var range = LineAnchorPattern().Match(fragment);
        int? first = range.Success ? int.Parse(range.Groups["start"].ValueSpan, CultureInfo.InvariantCulture) : null;
        int? last = range.Success ? (range.Groups["end"].Success ? int.Parse(range.Groups["end"].ValueSpan, CultureInfo.InvariantCulture) : first) : null;
        var problem = ResolveCitation(relative, first, last, out path, out lines);
        if (problem is not null && first is not null && ResolveCitation(relative, null, null, out path, out lines) is null)
        {
            // The file exists but the lines do not (a permalink of an older commit): keep the link to the file.
            problem = null;
        }

        error = problem ?? string.Empty;
        return problem is null;
    }

    private void CheckCodeSpan(string code, CheckRun run)
    {
        var text = code.Trim();
        if (text.Length == 0 || text.Any(char.IsWhiteSpace) || text.Contains("://", StringComparison.Ordinal))
        {
            return;
        }

        if (LooksLikeRepositoryPath(text))
        {
            CheckPath(text, run);
            return;
        }

        if (!text.Contains('/', StringComparison.Ordinal) && (SourceLanguages.Of(text) is not null || ProjectManifests.IsManifest(text)) && !text.EndsWith(')'))
        {
            CheckName(text, _fileNames.Contains(text), run);
            return;
        }

        var parts = SymbolNames.Split(text);
        if (parts is null || !IsSymbolLike(text, parts))
        {
            return;
        }

        CheckName(text, Exists(parts), run);
    }

    private void CheckCodeBlock(MarkdownElement fence, CheckRun run)
    {
        var options = FenceLanguage(fence.Info) switch
        {
            "csharp" or "cs" or "c#" or "java" or "kotlin" => LexerOptions.CStyle,
            "ts" or "typescript" or "tsx" or "js" or "javascript" or "jsx" => LexerOptions.JavaScript,
            "go" or "golang" => LexerOptions.Go,
            "python" or "py" => LexerOptions.Python,
            _ => null,
        };
        if (options is null)
        {
            return;
        }

        // In example code most names are locals; only member chains on a type the repository defines are claims about it.
        var code = fence.Text;
        var tokens = SourceLexer.Tokenize(code, options);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind != SourceTokenKind.Identifier || (i > 0 && tokens[i - 1].IsPunctuation(code, '.')))
            {
                continue;
            }

            var chain = new List<string> { tokens[i].Text(code) };
            var j = i + 1;
            while (j + 1 < tokens.Count && tokens[j].IsPunctuation(code, '.') && tokens[j + 1].Kind == SourceTokenKind.Identifier)
            {
                chain.Add(tokens[j + 1].Text(code));
                j += 2;
            }

            if (chain.Count > 1 && _index.Find(chain[0]).Any(s => s.Kind == CodeSymbolKind.Type))
            {
                CheckName(string.Join('.', chain), _index.Contains(string.Join('.', chain)), run);
            }

            i = j - 1;
        }
    }

    private void CheckDiagram(MarkdownElement fence, int number, CheckRun run)
    {
        var check = _mermaid.Check(fence.Text);
        if (check.IsValid)
        {
            return;
        }

        if (check.Repaired is { } repaired)
        {
            run.RepairedDiagrams++;
            run.Problems.Add($"Repaired diagram {number.ToString(CultureInfo.InvariantCulture)}: {string.Join("; ", check.Problems)}.");
            var body = repaired.EndsWith('\n') || fence.Text.Length == 0 ? repaired : repaired + "\n";
            run.Edits.Add(new Edit(fence.TextStart, fence.Text.Length, body));
            return;
        }

        run.DroppedDiagrams++;
        var problems = string.Join("; ", check.Problems);
        run.Problems.Add($"Dropped diagram {number.ToString(CultureInfo.InvariantCulture)}: {problems}.");
        run.Edits.Add(new Edit(fence.Start, fence.Length, $"{DroppedDiagramNote} ({EscapeNote(problems)})."));
    }

    private void CheckPath(string text, CheckRun run)
    {
        var path = text.StartsWith("./", StringComparison.Ordinal) ? text[2..] : text;
        var trimmed = path.TrimEnd('/');
        var exists = _files.ContainsKey(path) || _directories.Contains(trimmed) || ExclusionOf(path) is not null || _excludedDirectories.Contains(trimmed);
        if (exists && _files.ContainsKey(path))
        {
            run.CitedFiles.Add(path);
        }

        CheckName(text, exists, run);
    }

    private static void CheckName(string name, bool exists, CheckRun run)
    {
        if (!run.CheckedNames.Add(name))
        {
            return;
        }

        if (!exists)
        {
            run.UnknownNames.Add(name);
            run.Problems.Add($"Unknown name `{name}`: not found in the repository.");
        }
    }

    /// <summary>
    /// A name the index defines exists. A name starting with something the repository defines (a type, a namespace)
    /// is a claim about the repository and must be in the index. Any other name (a framework API the code calls)
    /// exists when each of its parts appears in the repository's code.
    /// </summary>
    private bool Exists(string[] parts)
    {
        var name = string.Join('.', parts);
        if (_index.Contains(name))
        {
            return true;
        }

        var first = _index.Find(parts[0]);
        var startsInRepository = first.Any(s => s.Kind is CodeSymbolKind.Type or CodeSymbolKind.Namespace)
            || (first.Count == 0 && _index.Contains(parts[0]));
        if (parts.Length > 1 && startsInRepository)
        {
            return false;
        }

        return parts.All(_vocabulary.Value.Contains);
    }

    private static bool IsSymbolLike(string text, string[] parts)
    {
        if (parts.Length > 1)
        {
            return true;
        }

        var name = parts[0];
        if (PlainWords.Contains(name))
        {
            return false;
        }

        if (text.EndsWith(')'))
        {
            return true;
        }

        var hasLower = name.Any(char.IsLower);
        var innerUpper = name.Skip(1).Any(char.IsUpper);
        var innerUnderscore = name.Trim('_').Contains('_', StringComparison.Ordinal);
        return (hasLower && innerUpper) || innerUnderscore;
    }

    private static bool LooksLikeRepositoryPath(string text)
    {
        if (!text.Contains('/', StringComparison.Ordinal) || text.StartsWith('/') || text.StartsWith('~') || text.Contains("..", StringComparison.Ordinal)
            || text.IndexOfAny(['*', '?', '{', '$', '<', '@', ':', '=']) >= 0)
        {
            return false;
        }

        if (text.EndsWith('/'))
        {
            return true;
        }

        var name = text[(text.LastIndexOf('/') + 1)..];
        var dot = name.LastIndexOf('.');
        return dot > 0 && dot < name.Length - 1 && char.IsAsciiLetter(name[dot + 1]);
    }

    private static bool IsOutsidePath(string path) =>
        path.Length == 0 || path.StartsWith('/') || path.StartsWith('~') || path.Contains(':', StringComparison.Ordinal)
        || path.Split('/').Any(segment => segment == "..");

    private string? ExclusionOf(string path)
    {
        if (_excludedFiles.TryGetValue(path, out var excluded))
        {
            return excluded.Reason.ToString();
        }

        foreach (var directory in _excludedDirectories)
        {
            if (path.StartsWith(directory + "/", StringComparison.Ordinal))
            {
                return $"under {directory}";
            }
        }

        return null;
    }

    private void AddDirectories(string path)
    {
        var slash = path.LastIndexOf('/');
        while (slash > 0)
        {
            var directory = path[..slash];
            if (!_directories.Add(directory))
            {
                return;
            }

            slash = directory.LastIndexOf('/');
        }
    }

    private HashSet<string> BuildVocabulary()
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in _snapshot.Files)
        {
            var text = file.Content;
            if (text is null)
            {
                continue;
            }

            var i = 0;
            while (i < text.Length)
            {
                if (!SourceLexer.IsIdentifierStart(text[i]))
                {
                    i++;
                    continue;
                }

                var start = i;
                while (i < text.Length && SourceLexer.IsIdentifierPart(text[i]))
                {
                    i++;
                }

                if (i - start <= SymbolNames.MaxLength)
                {
                    words.Add(text.Substring(start, i - start));
                }
            }
        }

        return words;
    }

    /// <summary>
    /// Learns how this repository's permalinks look from one real permalink, with the commit generalized so that links
    /// carried over from a page published at an earlier commit are recognized (and rebuilt at the current one).
    /// </summary>
    private Regex? PermalinkPattern(string samplePath)
    {
        var sample = _permalink(samplePath, null);
        var escapedPath = string.Join('/', samplePath.Split('/').Select(Uri.EscapeDataString));
        string prefix;
        if (sample.EndsWith(escapedPath, StringComparison.Ordinal))
        {
            prefix = sample[..^escapedPath.Length];
        }
        else if (sample.EndsWith(samplePath, StringComparison.Ordinal))
        {
            prefix = sample[..^samplePath.Length];
        }
        else
        {
            return null;
        }

        if (!SchemePattern().IsMatch(prefix))
        {
            // Relative permalinks (a local source) are plain repository paths.
            return null;
        }

        var pattern = Regex.Escape(prefix);
        if (_snapshot.CommitSha.Length > 0)
        {
            pattern = pattern.Replace(Regex.Escape(_snapshot.CommitSha), "[0-9a-fA-F]{7,64}", StringComparison.Ordinal);
        }

        return new Regex("^" + pattern + "(?<path>.+)$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));
    }

    private string ShortSha => _snapshot.CommitSha.Length > 7 ? _snapshot.CommitSha[..7] : _snapshot.CommitSha;

    private static string FenceLanguage(string info)
    {
        var end = info.IndexOfAny([' ', '\t', '{']);
        return (end < 0 ? info : info[..end]).ToLowerInvariant();
    }

    private static string Describe(string target)
    {
        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
        {
            return $"{uri.Scheme}://{uri.Host}";
        }

        return target.Length > 80 ? target[..80] + "…" : target;
    }

    private static string EscapeLinkText(string text) => text.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);

    private static string EscapeNote(string text) => text.Replace("\n", " ", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);

    private static string Apply(string markdown, List<Edit> edits)
    {
        if (edits.Count == 0)
        {
            return markdown;
        }

        edits.Sort((a, b) => a.Start.CompareTo(b.Start));
        var builder = new StringBuilder(markdown.Length);
        var position = 0;
        foreach (var edit in edits)
        {
            if (edit.Start < position)
            {
                continue;
            }

            builder.Append(markdown, position, edit.Start - position).Append(edit.Replacement);
            position = edit.Start + edit.Length;
        }

        return builder.Append(markdown, position, markdown.Length - position).ToString();
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePattern();

    [GeneratedRegex(@"^L(?<start>\d{1,7})(?:-L?(?<end>\d{1,7}))?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex LineAnchorPattern();

    private readonly record struct Edit(int Start, int Length, string Replacement);

    private sealed class CheckRun
    {
        public List<Edit> Edits { get; } = [];

        public List<string> Problems { get; } = [];

        public HashSet<string> CitedFiles { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> OpenRemovedTags { get; } = new(StringComparer.Ordinal);

        public HashSet<string> CheckedNames { get; } = new(StringComparer.Ordinal);

        public List<string> UnknownNames { get; } = [];

        public int Citations { get; set; }

        public int InvalidCitations { get; set; }

        public int RemovedLinks { get; set; }

        public int RepairedDiagrams { get; set; }

        public int DroppedDiagrams { get; set; }
    }
}
