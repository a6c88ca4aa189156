using System.Text.RegularExpressions;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// A documentation preset: which pages to write, for whom, in what tone and at what length. Presets are data
/// (embedded JSON files and users' own files), never code.
/// </summary>
internal sealed partial record DocumentationPreset
{
    /// <summary>The source selectors a preset page may use; <c>glob:PATTERN</c> selects by a gitignore-style glob.</summary>
    public static readonly IReadOnlyList<string> SourceSelectors = ["readme", "root", "docs", "configuration", "deployment", "code", "tests", "all"];

    /// <summary>The kinds of context a preset page may draw on.</summary>
    public static readonly IReadOnlyList<string> ContextKinds = [PageContextKinds.Repository, PageContextKinds.Modules, PageContextKinds.Module, PageContextKinds.Children];

    /// <summary>Gets the preset's name, e.g. <c>wiki</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets what the preset produces, for people choosing one.</summary>
    public required string Description { get; init; }

    /// <summary>Gets who the pages are written for.</summary>
    public required string Audience { get; init; }

    /// <summary>Gets the tone of the pages.</summary>
    public required string Tone { get; init; }

    /// <summary>Gets the length a page aims for, in words.</summary>
    public int PageWords { get; init; } = 700;

    /// <summary>Gets the most pages the preset writes.</summary>
    public int MaxPages { get; init; } = 60;

    /// <summary>Gets a value indicating whether the deterministic facts pages (repository map, API reference, ...) are published too.</summary>
    public bool FactsPages { get; init; } = true;

    /// <summary>Gets the pages, in outline order.</summary>
    public required IReadOnlyList<PresetPage> Pages { get; init; }

    /// <summary>Gets the style pages of this preset are written in.</summary>
    public PageStyle Style => new(Audience, Tone, PageWords);

    /// <summary>Lists the problems of a preset, each with its field path.</summary>
    /// <returns>The problems.</returns>
    public IEnumerable<(string Field, string Problem)> Validate()
    {
        if (!NamePattern().IsMatch(Name))
        {
            yield return ("name", $"'{Name}' is not a valid preset name: use lowercase letters, digits and '-'.");
        }

        if (PageWords is < 100 or > 5_000)
        {
            yield return ("pageWords", $"{PageWords} is outside 100-5000 words.");
        }

        if (MaxPages is < 1 or > GenerationOptions.MaxPagesLimit)
        {
            yield return ("maxPages", $"{MaxPages} is outside 1-{GenerationOptions.MaxPagesLimit} pages.");
        }

        if (Pages.Count == 0)
        {
            yield return ("pages", "a preset needs at least one page.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        var perModule = 0;
        for (var i = 0; i < Pages.Count; i++)
        {
            var page = Pages[i];
            var at = $"pages[{i}]";
            if (page.PerModule)
            {
                perModule++;
                if (page.Key is not null || page.Title is not null)
                {
                    yield return (at, "a page with perModule gets one page per module, keyed and titled after the module: remove key and title.");
                }
            }
            else if (page.Key is null || !DocumentSetValidator.IsValidKey(page.Key) || page.Key.StartsWith("module-", StringComparison.Ordinal))
            {
                yield return (at + ".key", $"'{page.Key}' is not a valid page key: use lowercase letters, digits and '-', and do not start with 'module-' (kept for module pages).");
            }
            else if (!keys.Add(page.Key))
            {
                yield return (at + ".key", $"'{page.Key}' is used by two pages.");
            }
            else if (string.IsNullOrWhiteSpace(page.Title) || page.Title.Length > DocumentSetValidator.MaxTitleLength)
            {
                yield return (at + ".title", "every page needs a title of at most 255 characters.");
            }

            if (string.IsNullOrWhiteSpace(page.Kind) || !NamePattern().IsMatch(page.Kind))
            {
                yield return (at + ".kind", $"'{page.Kind}' is not a valid kind: use lowercase letters, digits and '-'.");
            }

            if (string.IsNullOrWhiteSpace(page.Purpose))
            {
                yield return (at + ".purpose", "every page needs a purpose: say in a sentence what it covers.");
            }

            for (var s = 0; s < page.Sources.Count; s++)
            {
                var source = page.Sources[s];
                if (!SourceSelectors.Contains(source, StringComparer.Ordinal) && !(source.StartsWith("glob:", StringComparison.Ordinal) && SteeringFile.GlobProblem(source[5..]) is null))
                {
                    yield return ($"{at}.sources[{s}]", $"'{source}' is not a source selector: use one of {string.Join(", ", SourceSelectors)}, or glob:PATTERN with a relative pattern.");
                }
            }

            for (var c = 0; c < page.Context.Count; c++)
            {
                if (!ContextKinds.Contains(page.Context[c], StringComparer.Ordinal))
                {
                    yield return ($"{at}.context[{c}]", $"'{page.Context[c]}' is not a context kind: use one of {string.Join(", ", ContextKinds)}.");
                }
            }
        }

        if (perModule > 1)
        {
            yield return ("pages", "at most one page may have perModule.");
        }

        for (var i = 0; i < Pages.Count; i++)
        {
            if (Pages[i].Parent is { } parent && !keys.Contains(parent))
            {
                yield return ($"pages[{i}].parent", $"'{parent}' is not the key of another page of this preset.");
            }
            else if (Pages[i].Parent is { } self && self == Pages[i].Key)
            {
                yield return ($"pages[{i}].parent", "a page cannot be its own parent.");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

/// <summary>One page (or, with <see cref="PerModule"/>, one page per module) of a preset.</summary>
internal sealed record PresetPage
{
    /// <summary>Gets the page key; absent for per-module pages.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the title; absent for per-module pages (they take the module's name).</summary>
    public string? Title { get; init; }

    /// <summary>Gets the kind, e.g. <c>overview</c> or <c>module</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the parent page's key.</summary>
    public string? Parent { get; init; }

    /// <summary>Gets what the page covers, in a sentence, for the model.</summary>
    public required string Purpose { get; init; }

    /// <summary>Gets a value indicating whether the page is repeated for each module.</summary>
    public bool PerModule { get; init; }

    /// <summary>Gets a value indicating whether the page is left out when its sources select no file.</summary>
    public bool Optional { get; init; }

    /// <summary>Gets the source selectors: files the page is written from.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Gets the context kinds the page draws on (summaries, child abstracts).</summary>
    public IReadOnlyList<string> Context { get; init; } = [];
}

/// <summary>The kinds of context a page draws on besides its sources.</summary>
internal static class PageContextKinds
{
    /// <summary>The summary of the root files and the first paragraph of every module summary.</summary>
    public const string Repository = "repository";

    /// <summary>The summary of the root files and every module summary in full.</summary>
    public const string Modules = "modules";

    /// <summary>The summary of the page's own module.</summary>
    public const string Module = "module";

    /// <summary>The first paragraph of each child page.</summary>
    public const string Children = "children";
}
