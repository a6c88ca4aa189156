using CodeDoc.Pipeline.Tests.Planning;

namespace CodeDoc.Pipeline.Tests.Generation;

public sealed class ModelOutlineTests
{
    private static readonly Core.RepositorySnapshot Snapshot = CostForecasterTests.Snapshot(
        ("README.md", 100), ("src/a/a.csproj", 10), ("src/a/A.cs", 100), ("src/b/b.csproj", 10), ("src/b/B.cs", 100));

    private static Outline Draft => PresetOutline.Build(CostForecasterTests.Presets.Get("wiki"), Snapshot, RepositoryOutline.FindModules(Snapshot.Files), steering: null, maxPages: 100);

    [Fact]
    public void Read_ValidAnswerInAFence_KeepsTheDraftsFixedPagesAndUsesTheModelsModules()
    {
        var answer = """
            ```json
            {"pages":[{"key":"overview","title":"Overview","kind":"overview"},
                      {"key":"core","title":"Core library","parent":"modules","kind":"module","purpose":"The core.","sources":["src/a/","src/b/B.cs"]}]}
            ```
            """;

        var (outline, problems) = ModelOutline.Read(answer, Draft, Snapshot, cap: 100);

        Assert.NotNull(outline);
        Assert.Equal("model", outline.Origin);
        var core = Assert.Single(outline.Pages, p => p.Kind == "module");
        Assert.Equal(["src/a/A.cs", "src/a/a.csproj", "src/b/B.cs"], core.SourceFiles.Order(StringComparer.Ordinal));
        Assert.Equal(Draft.Pages.Where(p => p.Module is null).Select(p => p.Key), outline.Pages.Where(p => p.Module is null).Select(p => p.Key));
        Assert.Contains(problems, p => p.Contains("missing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"pages\":[]}")]
    [InlineData("{\"pages\":[{\"key\":\"x\",\"title\":\"X\",\"sources\":[\"../../etc/\",\"https://evil.example/\",\"/etc/passwd\"]}]}")]
    [InlineData("{\"pages\":[{\"key\":\"Bad Key!\",\"title\":\"X\",\"sources\":[\"src/a/\"]}]}")]
    public void Read_UnusableAnswer_ReturnsNoOutlineAndSaysWhy(string answer)
    {
        var (outline, problems) = ModelOutline.Read(answer, Draft, Snapshot, cap: 100);

        Assert.Null(outline);
        Assert.NotEmpty(problems);
    }

    [Fact]
    public void Read_SourcesOutsideTheRepository_AreDroppedAndReported()
    {
        var answer = """{"pages":[{"key":"a","title":"A","sources":["src/a/","../secrets/","https://evil.example/x"]}]}""";

        var (outline, problems) = ModelOutline.Read(answer, Draft, Snapshot, cap: 100);

        Assert.NotNull(outline);
        Assert.All(outline.Pages.SelectMany(p => p.Selectors), s => Assert.DoesNotContain("..", s, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("../secrets/", StringComparison.Ordinal) && p.Contains("https://evil.example/x", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_MorePagesThanTheCap_CutsToTheCap()
    {
        var pages = string.Join(",", Enumerable.Range(0, 30).Select(i => $"{{\"key\":\"m{i}\",\"title\":\"M{i}\",\"sources\":[\"src/a/A.cs\"]}}"));

        var (outline, _) = ModelOutline.Read($"{{\"pages\":[{pages}]}}", Draft, Snapshot, cap: 12);

        Assert.NotNull(outline);
        Assert.Equal(12, outline.Pages.Count);
    }
}
