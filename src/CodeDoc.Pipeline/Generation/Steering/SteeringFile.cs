using System.Text.Json.Serialization;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// The repository's steering file, <c>.codedoc/config.json</c> (schema: <c>schemas/codedoc-config.schema.json</c>):
/// notes for the model, the preset, explicit pages, include and exclude globs, and a page cap. It can only narrow
/// what is read (globs apply after the secret and size rules) and its page cap is bounded. Its notes are repository
/// text: prompts fence them as data, never as instructions.
/// </summary>
internal sealed record SteeringFile
{
    /// <summary>Where the file lives in a repository.</summary>
    public const string RelativePath = ".codedoc/config.json";

    /// <summary>The longest notes accepted, in characters.</summary>
    public const int MaxNotesLength = 10_000;

    /// <summary>The highest page cap a steering file may set.</summary>
    public const int MaxPagesCap = 100;

    /// <summary>The most globs in each of include and exclude.</summary>
    public const int MaxGlobs = 200;

    /// <summary>Gets the schema reference editors use; ignored by CodeDoc.</summary>
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    /// <summary>Gets the preset to use unless the run names one.</summary>
    public string? Preset { get; init; }

    /// <summary>Gets notes for the model about the repository (data, never instructions).</summary>
    public string? Notes { get; init; }

    /// <summary>Gets globs: when any is given, only matching files are documented.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Gets globs of files not to document.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Gets the most pages to write (1 to <see cref="MaxPagesCap"/>).</summary>
    public int? MaxPages { get; init; }

    /// <summary>Gets explicit pages; when given, they replace the preset's pages and no outline is asked of the model.</summary>
    public IReadOnlyList<SteeringPage> Pages { get; init; } = [];

    /// <summary>Finds, parses and validates the steering file of a snapshot.</summary>
    /// <param name="snapshot">The snapshot; the steering file's content must be retained.</param>
    /// <returns>The file, or <see langword="null"/> when the repository has none.</returns>
    /// <exception cref="CodeDocConfigurationException">The file is invalid; the message names the line and field.</exception>
    public static SteeringFile? Find(RepositorySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var file = snapshot.Files.FirstOrDefault(f => string.Equals(f.Path, RelativePath, StringComparison.Ordinal));
        if (file is null)
        {
            return null;
        }

        return file.Content is { } text
            ? Parse(text)
            : throw new InvalidOperationException($"The snapshot was read without the content of {RelativePath}; add it to SnapshotOptions.RetainContentOf.");
    }

    /// <summary>Parses and validates a steering file's text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The file.</returns>
    /// <exception cref="CodeDocConfigurationException">The file is invalid; the message names the line and field.</exception>
    public static SteeringFile Parse(string text)
    {
        var (file, lines) = LocatedJson.Parse<SteeringFile>(text, RelativePath);
        var problems = file.Validate().Select(p => LocatedJson.Describe(RelativePath, lines.LineOf(p.Field), p.Field, p.Problem)).ToList();
        return problems.Count == 0
            ? file
            : throw new CodeDocConfigurationException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>Tells what is wrong with a glob a repository file gives, or <see langword="null"/> when it is acceptable.</summary>
    /// <param name="glob">The glob.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? GlobProblem(string glob)
    {
        var pattern = glob.TrimStart('!');
        if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > 500)
        {
            return "an empty or overlong glob";
        }

        if (pattern.Contains("://", StringComparison.Ordinal) || pattern.Contains('\\', StringComparison.Ordinal) ||
            (pattern.Length >= 2 && pattern[1] == ':' && char.IsAsciiLetter(pattern[0])) || pattern.StartsWith('~'))
        {
            return "a glob must be a path pattern inside the repository (no URLs, drive letters, '~' or backslashes)";
        }

        return pattern.Split('/').Any(part => part == "..")
            ? "a glob cannot reach outside the repository with '..'"
            : null;
    }

    private IEnumerable<(string Field, string Problem)> Validate()
    {
        if (Notes is { Length: > MaxNotesLength })
        {
            yield return ("notes", $"the notes have {Notes.Length:N0} characters; at most {MaxNotesLength:N0} are read. Shorten them.");
        }

        if (MaxPages is { } cap and (< 1 or > MaxPagesCap))
        {
            yield return ("maxPages", $"{cap} is outside 1-{MaxPagesCap}.");
        }

        foreach (var (name, globs) in new[] { ("include", Include), ("exclude", Exclude) })
        {
            if (globs.Count > MaxGlobs)
            {
                yield return (name, $"{globs.Count} globs; at most {MaxGlobs} are allowed.");
            }

            for (var i = 0; i < globs.Count; i++)
            {
                if (GlobProblem(globs[i]) is { } problem)
                {
                    yield return ($"{name}[{i}]", $"'{globs[i]}' is not allowed: {problem}.");
                }
            }
        }

        var limit = MaxPages ?? MaxPagesCap;
        if (Pages.Count > limit)
        {
            yield return ("pages", $"{Pages.Count} pages are listed but the cap is {limit}.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Pages.Count; i++)
        {
            var page = Pages[i];
            if (!DocumentSetValidator.IsValidKey(page.Key))
            {
                yield return ($"pages[{i}].key", $"'{page.Key}' is not a valid page key: use 1-100 lowercase letters, digits, '-', '_' or '.'.");
            }
            else if (!keys.Add(page.Key))
            {
                yield return ($"pages[{i}].key", $"'{page.Key}' is used by two pages.");
            }

            if (string.IsNullOrWhiteSpace(page.Title) || page.Title.Length > DocumentSetValidator.MaxTitleLength || page.Title.Any(char.IsControl))
            {
                yield return ($"pages[{i}].title", "every page needs a title of at most 255 characters, on one line.");
            }

            if (page.Purpose is { Length: > 2_000 })
            {
                yield return ($"pages[{i}].purpose", "the purpose is longer than 2,000 characters.");
            }

            for (var s = 0; s < page.Sources.Count; s++)
            {
                if (GlobProblem(page.Sources[s]) is { } problem)
                {
                    yield return ($"pages[{i}].sources[{s}]", $"'{page.Sources[s]}' is not allowed: {problem}.");
                }
            }
        }

        for (var i = 0; i < Pages.Count; i++)
        {
            if (Pages[i].Parent is { } parent && (!keys.Contains(parent) || parent == Pages[i].Key))
            {
                yield return ($"pages[{i}].parent", $"'{parent}' is not the key of another page in this file.");
            }
        }
    }
}

/// <summary>An explicit page of a steering file.</summary>
internal sealed record SteeringPage
{
    /// <summary>Gets the page key.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the parent page's key.</summary>
    public string? Parent { get; init; }

    /// <summary>Gets what the page covers.</summary>
    public string? Purpose { get; init; }

    /// <summary>Gets globs of the files it is written from.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
}
