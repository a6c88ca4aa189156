using System.Text.Json;
using System.Text.Json.Serialization;
using CodeDoc.Core;

namespace CodeDoc.ConsoleHost.Rendering;

/// <summary>The machine-readable form of a plan (<c>codedoc plan --json</c>).</summary>
internal static class PlanJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(DocumentationPlan plan)
    {
        var facts = new PlanFacts(plan);
        var snapshot = plan.Snapshot;
        var forecast = plan.Forecast;
        var document = new
        {
            repository = new { plan.Repository.Id, plan.Repository.DisplayName, plan.Repository.Location, provider = plan.Repository.ProviderName },
            commit = new { plan.Commit.Reference, sha = plan.Commit.CommitSha, kind = plan.Commit.Kind },
            summary = new
            {
                includedFiles = snapshot.Files.Count,
                includedBytes = snapshot.TotalBytes,
                tokens = snapshot.TotalTokens,
                excludedFiles = facts.ExcludedFiles,
                foldersNotEntered = facts.FoldersNotEntered,
                redactions = facts.RedactionsByRule.Sum(r => r.Count),
            },
            exclusionsByReason = facts.ByReason.Select(g => new { g.Reason, g.Files, g.FoldersNotEntered, g.Bytes }),
            largestDirectories = facts.LargestDirectories,
            redactionsByRule = facts.RedactionsByRule,
            redactions = snapshot.Redactions.Select(r => new { r.Path, r.Finding.Line, rule = r.Finding.RuleId }),
            included = snapshot.Files.Select(f => new { f.Path, f.Bytes, f.Lines, f.Tokens, redactions = f.Redactions.Count }),
            excluded = snapshot.Excluded.Select(e => new { e.Path, e.Reason, e.Detail, e.IsDirectory, e.FileCount, e.Bytes }),
            pages = plan.Pages.Select(p => new { p.Key, p.Title, p.ParentKey, p.Kind, sourceFiles = p.SourceFiles.Count, p.SourceTokens }),
            forecast = new
            {
                forecast.Vendor,
                model = forecast.ModelId,
                costStatus = forecast.Cost is not null ? "known" : forecast.ModelId is null ? "no-model" : "unknown-price",
                cost = forecast.Cost is null ? null : new { low = decimal.Round(forecast.Cost.Low, 2), high = decimal.Round(forecast.Cost.High, 2), currency = "USD" },
                forecast.PriceVersion,
                forecast.Requests,
                inputTokens = forecast.InputTokens,
                outputTokens = forecast.OutputTokens,
                stages = forecast.Stages,
                forecast.Assumptions,
            },
            dataFlows = plan.DataFlows,
            notes = plan.Notes,
            warnings = snapshot.Warnings,
        };
        return JsonSerializer.Serialize(document, Options);
    }
}
