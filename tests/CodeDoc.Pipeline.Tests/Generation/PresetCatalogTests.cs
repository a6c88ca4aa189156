using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Pipeline.Tests.Generation;

public sealed class PresetCatalogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codedoc-presets-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Presets_BuiltIn_AreTheFourDocumentedOnesEachWithPagesAudienceToneAndLength()
    {
        var catalog = new PresetCatalog(Options.Create(new CodeDocOptions()));

        Assert.Equal(["api", "onboarding", "overview", "wiki"], catalog.Presets.Keys.Order(StringComparer.Ordinal));
        Assert.All(catalog.Presets.Values, p =>
        {
            Assert.NotEmpty(p.Pages);
            Assert.False(string.IsNullOrWhiteSpace(p.Audience));
            Assert.False(string.IsNullOrWhiteSpace(p.Tone));
            Assert.True(p.PageWords > 0);
        });
    }

    [Fact]
    public void Presets_UserFile_AddsAPresetAndWinsOverABuiltInOfTheSameName()
    {
        var file = Write("team.json", """
            { "name": "overview", "description": "Ours.", "audience": "our team", "tone": "terse", "pageWords": 200,
              "pages": [ { "key": "intro", "title": "Intro", "kind": "overview", "sources": ["readme"], "purpose": "What it is." } ] }
            """);
        var options = new CodeDocOptions();
        options.Generation.PresetFiles.Add(file);

        var preset = new PresetCatalog(Options.Create(options)).Get("overview");

        Assert.Equal("our team", preset.Audience);
        Assert.Equal("intro", Assert.Single(preset.Pages).Key);
    }

    [Fact]
    public void Get_InvalidUserFile_NamesTheFileLineAndField()
    {
        var file = Write("bad.json", "{\n  \"name\": \"x\",\n  \"description\": \"d\",\n  \"audience\": \"a\",\n  \"tone\": \"t\",\n  \"pageWords\": \"many\",\n  \"pages\": []\n}");
        var options = new CodeDocOptions();
        options.Generation.PresetFiles.Add(file);

        var error = Assert.Throws<CodeDocConfigurationException>(() => new PresetCatalog(Options.Create(options)).Get("x"));

        Assert.Contains("bad.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 6", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"pageWords\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_UnknownName_ListsTheKnownPresets()
    {
        var error = Assert.Throws<CodeDocConfigurationException>(() => new PresetCatalog(Options.Create(new CodeDocOptions())).Get("handbook"));

        Assert.Contains("wiki", error.Message, StringComparison.Ordinal);
        Assert.Contains("PresetFiles", error.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
