using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CodeDoc.Core;
using CodeDoc.Pipeline.Tests.Planning;

namespace CodeDoc.Pipeline.Tests.Generation;

public sealed class SteeringFileTests
{
    [Fact]
    public void Parse_ValidFile_ReadsEveryField()
    {
        var file = SteeringFile.Parse("""
            {
              // comments are allowed
              "$schema": "https://codedoc.dev/schemas/codedoc-config.schema.json",
              "preset": "overview",
              "notes": "The billing engine is the core.",
              "include": ["src/**"],
              "exclude": ["src/legacy/"],
              "maxPages": 12,
              "pages": [
                { "key": "billing", "title": "Billing", "sources": ["src/billing/**"] },
                { "key": "invoices", "title": "Invoices", "parent": "billing" },
              ],
            }
            """);

        Assert.Equal("overview", file.Preset);
        Assert.Equal(["src/**"], file.Include);
        Assert.Equal(12, file.MaxPages);
        Assert.Equal("billing", file.Pages[1].Parent);
    }

    [Theory]
    [InlineData("{\n  \"preset\": \"wiki\",\n  \"maxPages\": \"ten\"\n}", "line 3", "maxPages")]
    [InlineData("{\n  \"preset\": \"wiki\",\n  \"pageCap\": 3\n}", "line 3", "pageCap")]
    [InlineData("{\n  \"include\": [\n    \"src/\",\n    \"../secrets/\"\n  ]\n}", "line 4", "include[1]")]
    [InlineData("{\n  \"maxPages\": 500\n}", "line 2", "maxPages")]
    [InlineData("{\n  \"exclude\": [\"https://example.com/x\"]\n}", "line 2", "exclude[0]")]
    [InlineData("{\n  \"pages\": [\n    { \"key\": \"a\", \"title\": \"A\" },\n    { \"key\": \"b\", \"title\": \"B\", \"parent\": \"zzz\" }\n  ]\n}", "line 4", "pages[1].parent")]
    public void Parse_InvalidFile_NamesTheLineAndTheField(string text, string line, string field)
    {
        var error = Assert.Throws<CodeDocConfigurationException>(() => SteeringFile.Parse(text));

        Assert.Contains(SteeringFile.RelativePath, error.Message, StringComparison.Ordinal);
        Assert.Contains(line, error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{field}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_IncludeAndExclude_OnlyNarrowTheSnapshot()
    {
        var snapshot = CostForecasterTests.Snapshot(("src/a/A.cs", 10), ("src/legacy/L.cs", 10), ("tools/t.py", 10));
        var steering = SteeringFile.Parse("""{ "include": ["src/**", "secrets/**"], "exclude": ["src/legacy/"] }""");

        var narrowed = SnapshotNarrowing.Apply(snapshot, steering);

        Assert.Equal(["src/a/A.cs"], narrowed.Files.Select(f => f.Path));
        Assert.Contains(narrowed.Excluded, e => e.Path == "tools/t.py");
        Assert.Contains(narrowed.Excluded, e => e.Path == "src/legacy/L.cs");
    }

    [Fact]
    public void Build_SteeringPages_ReplaceThePresetAndKeepTheCap()
    {
        var snapshot = CostForecasterTests.Snapshot(("src/billing/B.cs", 10), ("README.md", 10));
        var steering = SteeringFile.Parse("""
            { "maxPages": 1, "pages": [ { "key": "billing", "title": "Billing", "sources": ["src/billing/**"] } ] }
            """);

        var outline = PresetOutline.Build(CostForecasterTests.Presets.Get("wiki"), snapshot, RepositoryOutline.FindModules(snapshot.Files), steering, maxPages: 100);

        Assert.Equal("steering", outline.Origin);
        var page = Assert.Single(outline.Pages);
        Assert.Equal(["src/billing/B.cs"], page.SourceFiles);
    }

    [Fact]
    public void Schema_PropertiesAndLimits_MatchWhatTheParserAccepts()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Generation", "codedoc-config.schema.json")))!;
        var properties = schema["properties"]!.AsObject();

        Assert.Equal(JsonNames(typeof(SteeringFile)), properties.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(JsonNames(typeof(SteeringPage)), properties["pages"]!["items"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(SteeringFile.MaxPagesCap, (int)properties["maxPages"]!["maximum"]!);
        Assert.Equal(SteeringFile.MaxNotesLength, (int)properties["notes"]!["maxLength"]!);
        Assert.Equal(SteeringFile.MaxGlobs, (int)properties["include"]!["maxItems"]!);
    }

    private static IEnumerable<string> JsonNames(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
        .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name))
        .Order(StringComparer.Ordinal);
}
