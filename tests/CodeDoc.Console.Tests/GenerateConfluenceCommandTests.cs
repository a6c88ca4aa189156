using System.Text.Json;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.FakeServers.Confluence;
using CodeDoc.Testing;

namespace CodeDoc.Console.Tests;

/// <summary><c>codedoc generate --publisher confluence</c> end to end: the OpenAI provider on the fake model server, Confluence on the fake site.</summary>
public sealed class GenerateConfluenceCommandTests : IAsyncLifetime
{
    private const string Space = "DOC";
    private readonly TemporaryGitRepository _repository = TemporaryGitRepository.Init();
    private readonly string _folder = Directory.CreateTempSubdirectory("codedoc-cli-gen-confluence-").FullName;
    private FakeAiServer _ai = null!;
    private FakeConfluence _confluence = null!;
    private FakeConfluencePage _parent = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _ai = await FakeAiServer.StartAsync();
        _confluence = await FakeConfluence.StartAsync();
        _confluence.AddSpace(Space, "Documentation");
        _parent = _confluence.AddPage(Space, null, "Engineering handbook");
        _repository
            .Write("README.md", "# Sample\n\nA sample service with a small library.\n")
            .Write("src/App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n")
            .Write("src/App/Program.cs", "System.Console.WriteLine(Sample.Lib.Greeter.Greet(\"world\"));\n")
            .Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n")
            .Write("src/Lib/Greeter.cs", "namespace Sample.Lib;\n\n/// <summary>Greets.</summary>\npublic static class Greeter\n{\n    /// <summary>Greets someone.</summary>\n    public static string Greet(string name) => \"Hello, \" + name;\n}\n")
            .Commit("sample");
    }

    public async ValueTask DisposeAsync()
    {
        await _ai.DisposeAsync();
        await _confluence.DisposeAsync();
        _repository.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Generate_ToConfluence_PublishesUnderTheParentThenRerunWritesNothingAndACommitUpdatesOnlyItsPages()
    {
        var config = await WriteConfigAsync();

        var (code, output, error) = await RunAsync(config);

        Assert.True(code == 0, error + output);
        var pages = SetPages();
        Assert.True(pages.Count > 0, output + error);
        Assert.All(pages, p => Assert.True(IsUnder(p, _parent.Id), $"page \"{p.Title}\" is not under the parent page"));
        Assert.Contains(_confluence.Children(_parent.Id), p => pages.Contains(p));
        Assert.DoesNotContain(_confluence.Children(_confluence.Pages(Space)[0].Id), p => pages.Contains(p));
        var calls = _ai.ModelCalls.Count;
        Assert.True(calls > 0);

        _confluence.Server.ClearRequests();
        var (again, secondOutput, secondError) = await RunAsync(config);

        Assert.True(again == 0, secondError + secondOutput);
        Assert.Empty(_confluence.WriteRequests);
        Assert.Equal(calls, _ai.ModelCalls.Count);
        Assert.Contains("No model tokens were spent.", secondOutput, StringComparison.Ordinal);

        var versions = SetPages().ToDictionary(p => p.Id, p => p.Version, StringComparer.Ordinal);
        var drawsOnGreeter = SetPages().Where(p => FilesOf(p).Contains("src/Lib/Greeter.cs")).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        Assert.True(drawsOnGreeter.Count > 0, string.Join("\n", SetPages().Select(p => $"{p.Title}: {string.Join(", ", FilesOf(p))}")));
        Assert.NotEqual(versions.Count, drawsOnGreeter.Count);
        _repository
            .Write("src/Lib/Greeter.cs", "namespace Sample.Lib;\n\n/// <summary>Greets.</summary>\npublic static class Greeter\n{\n    /// <summary>Greets someone politely.</summary>\n    public static string Greet(string name) => \"Good day, \" + name;\n}\n")
            .Commit("greet politely");
        _confluence.Server.ClearRequests();

        // The update request gets the page's published text back from Confluence; the fake model edits it.
        _ai.Enqueue(new FakeReply { Text = "<<<<<<< FIND\nHello from the fake model.\n=======\nThe greeter now says good day.\n>>>>>>> REPLACE" });
        var (third, thirdOutput, thirdError) = await RunAsync(config);

        Assert.True(third == 0, thirdError + thirdOutput);
        var after = SetPages();
        Assert.Equal(versions.Keys.Order(StringComparer.Ordinal), after.Select(p => p.Id).Order(StringComparer.Ordinal));
        var updated = after.Where(p => p.Version != versions[p.Id]).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        Assert.True(updated.Count > 0, thirdOutput + thirdError + string.Join("\n", SetPages().Select(p => $"{p.Title}: {string.Join(", ", FilesOf(p))}")));
        Assert.Subset(drawsOnGreeter, updated);
        Assert.True(updated.Count < versions.Count, "every page was written again");
        var update = _ai.ModelCalls[calls].ToJsonString();
        Assert.Contains("Task: update-page", update, StringComparison.Ordinal);
        Assert.All(updated, id => Assert.Contains("The greeter now says good day.", _confluence.Page(id)!.Body, StringComparison.Ordinal));
        var writtenPages = _confluence.WriteRequests.Where(r => r.Method == "PUT" && r.Path.Contains("/pages/", StringComparison.Ordinal) && !r.Path.Contains("/properties", StringComparison.Ordinal))
            .Select(r => r.Path.Split('/')[^1]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(updated, writtenPages);
        Assert.DoesNotContain(_confluence.WriteRequests, r => r.Method == "POST" && r.Path.EndsWith("/pages", StringComparison.Ordinal));
    }

    private Task<(int ExitCode, string Out, string Error)> RunAsync(string config) =>
        CliRunner.RunAsync(AddModel, "generate", _repository.Path, "--preset", "overview", "--publisher", "confluence", "--config", config, "--yes");

    private async Task<string> WriteConfigAsync()
    {
        var config = Path.Combine(_folder, "codedoc.json");
        var publishers = new Dictionary<string, object>
        {
            ["Kind"] = "confluence",
            ["BaseAddress"] = _confluence.SiteAddress.AbsoluteUri,
            ["Deployment"] = "Cloud",
            ["Email"] = _confluence.Options.Email,
            ["ApiToken"] = _confluence.Options.ApiToken,
            ["SpaceKey"] = Space,
            ["ParentPageId"] = _parent.Id,
        };
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { CodeDoc = new { Publishers = publishers } }), Ct);
        return config;
    }

    /// <summary>Gets the pages CodeDoc published for the set: the current pages of the space that carry CodeDoc's page record.</summary>
    private List<FakeConfluencePage> SetPages() =>
        [.. _confluence.Pages(Space).Where(p => p.Status == "current" && p.Properties.Any(q => q.Key == "codedoc.page"))];

    private static HashSet<string> FilesOf(FakeConfluencePage page)
    {
        using var record = JsonDocument.Parse(page.Properties.Single(p => p.Key == "codedoc.page").ValueJson);
        return record.RootElement.GetProperty("entry").GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    private bool IsUnder(FakeConfluencePage page, string ancestorId)
    {
        for (var parentId = page.ParentId; parentId is not null; parentId = _confluence.Page(parentId)?.ParentId)
        {
            if (parentId == ancestorId)
            {
                return true;
            }
        }

        return false;
    }

    private void AddModel(ICodeDocBuilder builder) => builder.AddOpenAI(o =>
    {
        o.Endpoint = new Uri(_ai.BaseAddress, "v1/");
        o.ApiKey = FakeAiServer.DefaultKey;
        o.Model = "gpt-6.1-terra";
        o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
    });
}
