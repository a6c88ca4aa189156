using CodeDoc.Core;

namespace CodeDoc.ConsoleHost.Rendering;

/// <summary>The aggregates a plan report shows, computed once for the table and the JSON views.</summary>
internal sealed class PlanFacts
{
    public PlanFacts(DocumentationPlan plan)
    {
        var snapshot = plan.Snapshot;
        ExcludedFiles = snapshot.Excluded.Sum(e => (long)(e.FileCount ?? 0));
        FoldersNotEntered = snapshot.Excluded.Count(e => e.FileCount is null);
        ByReason = snapshot.Excluded
            .GroupBy(e => e.Reason)
            .Select(g => new ReasonGroup(g.Key, g.Sum(e => (long)(e.FileCount ?? 0)), g.Count(e => e.FileCount is null), g.Sum(e => e.Bytes ?? 0), g.Take(5).Select(e => e.IsDirectory ? e.Path + "/" : e.Path).ToList()))
            .OrderByDescending(g => g.Files)
            .ThenBy(g => g.Reason.ToString(), StringComparer.Ordinal)
            .ToList();

        // Directories one and two levels deep, by the tokens a run would read from them.
        LargestDirectories = snapshot.Files
            .SelectMany(f => Ancestors(f.Path).Select(d => (Directory: d, File: f)))
            .GroupBy(x => x.Directory, StringComparer.Ordinal)
            .Select(g => new DirectorySize(g.Key, g.Count(), g.Sum(x => (long)x.File.Tokens), g.Sum(x => x.File.Bytes)))
            .OrderByDescending(d => d.Tokens)
            .ThenBy(d => d.Path, StringComparer.Ordinal)
            .Take(10)
            .ToList();

        RedactionsByRule = snapshot.Redactions
            .GroupBy(r => r.Finding.RuleId, StringComparer.Ordinal)
            .Select(g => new RuleCount(g.Key, g.Count(), g.Select(r => r.Path).Distinct(StringComparer.Ordinal).Count()))
            .OrderByDescending(r => r.Count)
            .ThenBy(r => r.Rule, StringComparer.Ordinal)
            .ToList();
    }

    public long ExcludedFiles { get; }

    public int FoldersNotEntered { get; }

    public IReadOnlyList<ReasonGroup> ByReason { get; }

    public IReadOnlyList<DirectorySize> LargestDirectories { get; }

    public IReadOnlyList<RuleCount> RedactionsByRule { get; }

    private static IEnumerable<string> Ancestors(string path)
    {
        var first = path.IndexOf('/', StringComparison.Ordinal);
        if (first < 0)
        {
            yield break;
        }

        yield return path[..first];
        var second = path.IndexOf('/', first + 1);
        if (second > 0)
        {
            yield return path[..second];
        }
    }
}

internal sealed record ReasonGroup(ExclusionReason Reason, long Files, int FoldersNotEntered, long Bytes, IReadOnlyList<string> Examples);

internal sealed record DirectorySize(string Path, int Files, long Tokens, long Bytes);

internal sealed record RuleCount(string Rule, int Count, int Files);
