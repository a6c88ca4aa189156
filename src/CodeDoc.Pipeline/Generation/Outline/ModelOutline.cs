using System.Text.Json;
using System.Text.Json.Serialization;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>
/// Reads the outline a model proposes (JSON, as <see cref="Prompts.Outline"/> asks for) against the deterministic
/// draft: strict JSON only (never evaluated), every fixed page of the draft kept, module pages checked (valid unique
/// keys, parents that exist, sources that are folders or files of the snapshot — nothing outside the repository),
/// the page cap applied. What can be repaired is repaired and reported; an outline without usable module pages is
/// rejected so the caller re-asks or falls back to the draft.
/// </summary>
internal static class ModelOutline
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads a model's answer.</summary>
    /// <param name="answer">The answer text.</param>
    /// <param name="draft">The deterministic outline the model refined.</param>
    /// <param name="snapshot">The snapshot sources must come from.</param>
    /// <param name="cap">The page cap.</param>
    /// <returns>The outline (or <see langword="null"/> when unusable) and the problems found.</returns>
    public static (Outline? Outline, IReadOnlyList<string> Problems) Read(string answer, Outline draft, RepositorySnapshot snapshot, int cap)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(snapshot);
        var problems = new List<string>();
        Answer? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<Answer>(JsonPart(answer), JsonOptions);
        }
        catch (JsonException e)
        {
            return (null, [$"the answer is not the JSON asked for ({e.Message})"]);
        }

        if (parsed?.Pages is not { Count: > 0 } proposed)
        {
            return (null, ["the answer has no pages"]);
        }

        var files = snapshot.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var folders = files.SelectMany(Folders).ToHashSet(StringComparer.Ordinal);
        var fixedPages = draft.Pages.Where(p => p.Module is null).ToList();
        var used = fixedPages.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var modules = new List<OutlinePage>();
        foreach (var page in proposed.OfType<AnswerPage>().Where(p => !fixedPages.Any(f => f.Key == p.Key)))
        {
            var sources = (page.Sources ?? []).OfType<string>().ToList();
            var outside = sources.Where(s => !(s.EndsWith('/') ? folders.Contains(s.TrimEnd('/')) : files.Contains(s))).ToList();
            if (outside.Count > 0)
            {
                problems.Add($"page '{page.Key}' names sources that are not folders or files of the repository: {string.Join(", ", outside.Take(5))}");
            }

            var valid = sources.Except(outside).ToList();
            if (!DocumentSetValidator.IsValidKey(page.Key) || string.IsNullOrWhiteSpace(page.Title) || valid.Count == 0 || !used.Add(page.Key!))
            {
                problems.Add($"page '{page.Key}' was left out: it needs a new valid key, a title and sources inside the repository");
                continue;
            }

            var module = valid.Count == 1 && valid[0].EndsWith('/') ? valid[0].TrimEnd('/') : page.Title!;
            modules.Add(SourceSelection.WithSources(
                new OutlinePage
                {
                    Key = page.Key!,
                    Title = OneLine(page.Title!),
                    ParentKey = page.Parent,
                    Kind = "module",
                    Purpose = string.IsNullOrWhiteSpace(page.Purpose) ? draft.Pages.First(p => p.Module is not null).Purpose : OneLine(page.Purpose),
                    Selectors = [.. valid.Select(s => SourceSelection.PathPrefix + s)],
                    Context = draft.Pages.First(p => p.Module is not null).Context,
                    Module = module,
                },
                snapshot));
        }

        if (modules.Count == 0)
        {
            problems.Add("the outline has no usable module pages");
            return (null, problems);
        }

        var missing = fixedPages.Where(f => !proposed.Any(p => p?.Key == f.Key)).Select(f => f.Key).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"pages of the draft were missing and were kept: {string.Join(", ", missing)}");
        }

        // The draft's module parent (e.g. "modules") stays the parent of module pages unless the model chose another existing page.
        var draftParent = draft.Pages.First(p => p.Module is not null).ParentKey;
        var keys = used;
        modules = [.. modules.Select(m => m.ParentKey is { } parent && keys.Contains(parent) && parent != m.Key ? m : m with { ParentKey = draftParent })];
        var pages = new List<OutlinePage>();
        foreach (var page in draft.Pages)
        {
            if (page.Module is null)
            {
                pages.Add(page);
            }
            else if (pages.All(p => p.Module is null || modules.Contains(p)))
            {
                pages.AddRange(modules.Where(m => !pages.Contains(m)));
            }
        }

        if (pages.Count > cap)
        {
            problems.Add($"the outline had {pages.Count} pages; the cap is {cap}");
        }

        return (new Outline(draft.Preset, PresetOutline.Tidy(pages, cap)) { Origin = "model" }, problems);
    }

    private static string JsonPart(string answer)
    {
        var start = answer.IndexOf('{', StringComparison.Ordinal);
        var end = answer.LastIndexOf('}');
        return start >= 0 && end > start ? answer[start..(end + 1)] : answer;
    }

    private static IEnumerable<string> Folders(string path)
    {
        for (var folder = RepositoryOutline.DirectoryOf(path); folder.Length > 0; folder = RepositoryOutline.DirectoryOf(folder))
        {
            yield return folder;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private sealed record Answer([property: JsonPropertyName("pages")] IReadOnlyList<AnswerPage?>? Pages);

    private sealed record AnswerPage(string? Key, string? Title, string? Parent, string? Kind, string? Purpose, IReadOnlyList<string>? Sources);
}
