using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodeDoc.Core;
using CodeDoc.FakeServers.Ai;
using CodeDoc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc.Pipeline.Tests.Generation;

/// <summary>
/// Whole runs over real parts: a git repository made with the git CLI, the local provider, the OpenAI provider talking
/// HTTP to the fake model server, and the Markdown folder publisher writing into a temporary folder.
/// </summary>
public sealed class DocumentationRunnerEndToEndTests : IAsyncLifetime
{
    private const string Model = "gpt-6.1-terra";
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly TemporaryGitRepository _git = TemporaryGitRepository.Init();
    private readonly string _output = Directory.CreateTempSubdirectory("codedoc-run-").FullName;
    private FakeAiServer _ai = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _ai = await FakeAiServer.StartAsync();
        _git.Write("README.md", "# Calc\n\nA tiny calculator library with a console front end.\n")
            .Write("src/Calc/Calc.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n")
            .Write("src/Calc/Adder.cs", "namespace Calc;\n\n/// <summary>Adds numbers.</summary>\npublic static class Adder\n{\n    public static int Add(int a, int b) => a + b;\n}\n")
            .Write("src/App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>\n")
            .Write("src/App/Program.cs", "System.Console.WriteLine(Calc.Adder.Add(1, 2));\n")
            .Commit("initial");
    }

    public async ValueTask DisposeAsync()
    {
        await _ai.DisposeAsync();
        _git.Dispose();
        Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public async Task RunAsync_FirstRun_WritesEveryPageThroughTheModelAndPublishesThem()
    {
        using var services = Services(withModel: true);

        var report = await Runner(services).RunAsync(Request(), cancellationToken: Token);

        Assert.Equal(RunStopReason.Completed, report.StopReason);
        Assert.NotEmpty(report.Pages);
        Assert.All(report.Pages, p => Assert.Equal(PageRunAction.Generated, p.Action));
        Assert.NotNull(report.Publish);
        Assert.False(report.Publish.HasFailures);
        Assert.True(report.Usage.InputTokens > 0);
        Assert.True(File.Exists(Path.Combine(_output, ".codedoc", "manifest.json")));
        Assert.Contains(report.Pages, p => File.Exists(Path.Combine(_output, p.Key + ".md")));
        Assert.Contains(_ai.ModelCalls, c => c.ToJsonString().Contains("Task: summarize", StringComparison.Ordinal));
        Assert.Contains(_ai.ModelCalls, c => c.ToJsonString().Contains("Task: write-page", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WithProviderInstances_UsesThemInsteadOfTheRegisteredOnes()
    {
        // A host builds providers at run time from stored settings: no model is registered, and the registered
        // Markdown folder must stay untouched.
        using var services = Services(withModel: false, builder => builder.AddOpenAIFactories());
        var elsewhere = Directory.CreateTempSubdirectory("codedoc-run-instances-").FullName;
        try
        {
            var ai = services.GetServices<IAiProviderFactory>().Single(f => f.Kind == "openai").Create(new ProviderSettings("openai", "stored-model", new Dictionary<string, string?>
            {
                ["Endpoint"] = new Uri(_ai.BaseAddress, "v1/").ToString(),
                ["ApiKey"] = FakeAiServer.DefaultKey,
                ["Model"] = Model,
            }));
            var publisher = services.GetServices<IDocPublisherFactory>().Single(f => f.Kind == "markdown").Create(new ProviderSettings("markdown", "stored-folder", new Dictionary<string, string?>
            {
                ["OutputPath"] = elsewhere,
            }));
            var request = new RunRequest { Plan = new PlanRequest { Location = _git.Path, Preset = "overview", Providers = new RunProviders(Ai: ai, Publisher: publisher) } };

            var report = await Runner(services).RunAsync(request, cancellationToken: Token);

            Assert.Equal(RunStopReason.Completed, report.StopReason);
            Assert.All(report.Pages, p => Assert.Equal(PageRunAction.Generated, p.Action));
            Assert.NotEmpty(_ai.ModelCalls);
            Assert.True(File.Exists(Path.Combine(elsewhere, "overview.md")));
            Assert.Empty(Directory.EnumerateFileSystemEntries(_output));
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_Publish_LabelsTheSetWithCodeDocRepositoryAndPreset()
    {
        var recorder = new RecordingPublisher();
        using var services = Services(withModel: true, builder => builder.AddDocPublisher("recorder", "recorder", sp =>
            recorder.Wrapping(sp.GetRequiredKeyedService<IDocPublisher>("markdown"))));

        await Runner(services).RunAsync(new RunRequest { Plan = new PlanRequest { Location = _git.Path, Preset = "overview", Publisher = "recorder" } }, cancellationToken: Token);

        var set = Assert.Single(recorder.Published);
        Assert.Equal(["codedoc", Path.GetFileName(_git.Path), "overview"], set.Labels);
    }

    [Fact]
    public async Task RunAsync_SecondRunOnTheSameCommit_SpendsNoTokensAndReusesEveryPage()
    {
        using var services = Services(withModel: true);
        await Runner(services).RunAsync(Request(), cancellationToken: Token);
        var callsAfterFirst = _ai.ModelCalls.Count;

        var second = await Runner(services).RunAsync(Request(), cancellationToken: Token);

        Assert.Equal(callsAfterFirst, _ai.ModelCalls.Count);
        Assert.Equal(AiUsage.Zero, second.Usage);
        Assert.All(second.Pages, p => Assert.Equal(PageRunAction.Reused, p.Action));
        Assert.Null(second.Publish);
    }

    [Fact]
    public async Task RunAsync_AfterACommitToOneFile_WritesOnlyThePagesThatDrewOnIt()
    {
        using var services = Services(withModel: true);
        var first = await Runner(services).RunAsync(Request(), cancellationToken: Token);
        var overviewBefore = await File.ReadAllTextAsync(Path.Combine(_output, "overview.md"), Token);
        _git.Write("src/App/Program.cs", "System.Console.WriteLine(Calc.Adder.Add(2, 3));\n").Commit("change the sum");

        var second = await Runner(services).RunAsync(Request(), cancellationToken: Token);

        Assert.Equal(RunStopReason.Completed, second.StopReason);
        Assert.Equal(PageRunAction.Reused, second.Pages.Single(p => p.Key == "overview").Action);
        Assert.Contains(second.Pages.Single(p => p.Key == "architecture").Action, new[] { PageRunAction.Generated, PageRunAction.Updated });
        Assert.True(second.Usage.InputTokens < first.Usage.InputTokens);
        Assert.Equal(PageOutcomeKind.Unchanged, second.Publish!.Pages.Single(p => p.Key == "overview").Kind);
        Assert.Equal(overviewBefore, await File.ReadAllTextAsync(Path.Combine(_output, "overview.md"), Token));
        var manifest = await services.GetRequiredService<IProviderRegistry>().GetPublisher(null).ReadManifestAsync(DocumentSet.CreateId(second.Plan.Repository.Id, "main"), Token);
        Assert.Equal(_git.Head(), manifest!.SourceCommit);
    }

    [Fact]
    public async Task RunAsync_AfterACommit_UpdatesAPageFromItsPublishedTextWhenTheModelSaysNothingChanged()
    {
        using var services = Services(withModel: true);
        await Runner(services).RunAsync(Request(), cancellationToken: Token);
        var before = await File.ReadAllTextAsync(Path.Combine(_output, "architecture.md"), Token);
        _git.Write("src/App/Program.cs", "System.Console.WriteLine(Calc.Adder.Add(2, 3));\n").Commit("change the sum");

        // An update needs no summaries: the page's published text and the changed file are the whole request.
        _ai.Enqueue(new FakeReply { Text = "NO CHANGES" });
        var callsBefore = _ai.ModelCalls.Count;
        var second = await Runner(services).RunAsync(Request(), cancellationToken: Token);

        Assert.Equal(PageRunAction.Updated, second.Pages.Single(p => p.Key == "architecture").Action);
        var update = Assert.Single(_ai.ModelCalls.Skip(callsBefore));
        Assert.Contains("Task: update-page", update.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("src/App/Program.cs", update.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(_output, "architecture.md"), Token));
    }

    [Fact]
    public async Task RunAsync_ChildUpdateChangesItsFirstParagraph_UpdatesTheParentWithTheNewAbstract()
    {
        using var services = Services(withModel: true);
        await Runner(services).RunAsync(Wiki(), cancellationToken: Token);
        _git.Write("src/App/Program.cs", "System.Console.WriteLine(Calc.Adder.Add(2, 3));\n").Commit("change the sum");

        // The module page is the only page one level down, so it is answered first.
        _ai.Enqueue(new FakeReply { Text = "<<<<<<< FIND\nHello from the fake model.\n=======\nThe console front end prints the sum of two and three.\n>>>>>>> REPLACE" });
        var callsBefore = _ai.ModelCalls.Count;
        var second = await Runner(services).RunAsync(Wiki(), cancellationToken: Token);

        Assert.Equal(PageRunAction.Updated, second.Pages.Single(p => p.Key == "module-src-app").Action);
        Assert.Contains(second.Pages.Single(p => p.Key == "modules").Action, new[] { PageRunAction.Updated, PageRunAction.Generated });
        var parentCalls = _ai.ModelCalls.Skip(callsBefore).Select(c => c.ToJsonString()).Where(c => c.Contains("Page: modules:", StringComparison.Ordinal)).ToList();
        Assert.Contains(parentCalls, c => c.Contains("Task: update-page", StringComparison.Ordinal) && c.Contains("prints the sum of two and three", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ChildUpdateKeepsItsGist_ReusesTheParentEvenWhenItRecordedTheChangedFile()
    {
        using var services = Services(withModel: true);
        await Runner(services).RunAsync(Wiki(), cancellationToken: Token);
        _git.Write("src/App/Program.cs", "System.Console.WriteLine(Calc.Adder.Add(2, 3));\n").Commit("change the sum");

        // The module page first, then the three pages one level up (architecture, data flow, modules) keep their text;
        // the parent's update records the changed file it was shown.
        _ai.Enqueue(
            new FakeReply { Text = "<<<<<<< FIND\nHello from the fake model.\n=======\nThe console front end prints the sum of two and three.\n>>>>>>> REPLACE" },
            new FakeReply { Text = "NO CHANGES" },
            new FakeReply { Text = "NO CHANGES" },
            new FakeReply { Text = "NO CHANGES" });
        var callsBefore = _ai.ModelCalls.Count;
        var second = await Runner(services).RunAsync(Wiki(), cancellationToken: Token);
        Assert.Equal(4, _ai.ModelCalls.Count - callsBefore);
        Assert.Equal(PageRunAction.Updated, second.Pages.Single(p => p.Key == "modules").Action);
        var modulesBefore = await File.ReadAllTextAsync(Path.Combine(_output, "modules.md"), Token);
        var manifest = await services.GetRequiredService<IProviderRegistry>().GetPublisher(null).ReadManifestAsync(DocumentSet.CreateId(second.Plan.Repository.Id, "main"), Token);
        Assert.Contains("src/App/Program.cs", manifest!.Pages.Single(p => p.Key == "modules").SourceFiles);

        // The child's update changes neither its first paragraph, its headings nor its names: the parent stays.
        _git.Write("src/App/Program.cs", "System.Console.WriteLine(Calc.Adder.Add(3, 4));\n").Commit("change the sum again");
        _ai.Enqueue(new FakeReply { Text = "<<<<<<< FIND\nprints the sum of two and three.\n=======\nprints  the sum of two and three.\n>>>>>>> REPLACE" });
        callsBefore = _ai.ModelCalls.Count;
        var third = await Runner(services).RunAsync(Wiki(), cancellationToken: Token);

        Assert.Equal(PageRunAction.Updated, third.Pages.Single(p => p.Key == "module-src-app").Action);
        Assert.Equal(PageRunAction.Reused, third.Pages.Single(p => p.Key == "modules").Action);
        Assert.DoesNotContain(_ai.ModelCalls.Skip(callsBefore), c => c.ToJsonString().Contains("Page: modules:", StringComparison.Ordinal));
        Assert.Equal(modulesBefore, await File.ReadAllTextAsync(Path.Combine(_output, "modules.md"), Token));
    }

    [Fact]
    public async Task RunAsync_TokenBudgetTooSmallForOneRequest_StopsWithoutSendingOrPublishing()
    {
        using var services = Services(withModel: true);

        var report = await Runner(services).RunAsync(Request() with { MaxTokens = 10 }, cancellationToken: Token);

        Assert.Equal(RunStopReason.BudgetReached, report.StopReason);
        Assert.Empty(_ai.ModelCalls);
        Assert.All(report.Pages, p => Assert.Equal(PageRunAction.NotWritten, p.Action));
        Assert.Contains(report.Warnings, w => w.Contains("budget", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_output, ".codedoc", "manifest.json")));
    }

    [Fact]
    public async Task RunAsync_ConfirmationDeclined_SpendsAndPublishesNothing()
    {
        using var services = Services(withModel: true);
        RunPreview? seen = null;

        var report = await Runner(services).RunAsync(
            Request() with { Confirm = (preview, _) => { seen = preview; return ValueTask.FromResult(false); } },
            cancellationToken: Token);

        Assert.Equal(RunStopReason.Declined, report.StopReason);
        Assert.NotNull(seen);
        Assert.NotEmpty(seen.PagesToGenerate);
        Assert.True(seen.Forecast.InputTokens.High > 0);
        Assert.Empty(_ai.ModelCalls);
        Assert.False(File.Exists(Path.Combine(_output, ".codedoc", "manifest.json")));
    }

    [Fact]
    public async Task RunAsync_NoModelConfigured_FailsNamingTheSettings()
    {
        using var services = Services(withModel: false);

        var error = await Assert.ThrowsAsync<CodeDocConfigurationException>(() => Runner(services).RunAsync(Request(), cancellationToken: Token));

        Assert.Contains("CodeDoc:Ai", error.Message, StringComparison.Ordinal);
        Assert.Contains("openai-compatible", error.Message, StringComparison.Ordinal);
        Assert.Contains("--facts-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FactsOnlyWithoutModel_PublishesTheFactsPagesAndRepeatsForFree()
    {
        using var services = Services(withModel: false);
        var request = Request() with { Plan = Request().Plan with { FactsOnly = true } };

        var first = await Runner(services).RunAsync(request, cancellationToken: Token);
        var second = await Runner(services).RunAsync(request, cancellationToken: Token);

        Assert.Equal(RunStopReason.Completed, first.StopReason);
        Assert.NotNull(first.Publish);
        Assert.Contains(first.Publish.Pages, p => p.Key == "facts-api" && p.Kind == PageOutcomeKind.Created);
        Assert.Contains(Directory.EnumerateFiles(_output, "*.md", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("Adder", StringComparison.Ordinal));
        Assert.Null(second.Publish);
        Assert.Equal(AiUsage.Zero, first.Usage);
    }

    [Fact]
    public async Task RunAsync_WikiPreset_PublishesModelPagesAndFactsPagesTogether()
    {
        using var services = Services(withModel: true);

        var report = await Runner(services).RunAsync(Request() with { Plan = Request().Plan with { Preset = "wiki" } }, cancellationToken: Token);

        Assert.NotNull(report.Publish);
        Assert.Contains(report.Publish.Pages, p => p.Key == "architecture");
        Assert.Contains(report.Publish.Pages, p => p.Key == "facts-dependencies");
        Assert.All(report.Pages.Where(p => p.Action == PageRunAction.Generated), p => Assert.NotNull(p.Truthfulness));
        Assert.Contains(report.Pages, p => p.Action == PageRunAction.Facts);
        Assert.Contains(report.Warnings, w => w.Contains("preset's outline was used instead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WikiPresetWithAModelOutline_WritesTheModelsModulePagesAndDropsOutsideSources()
    {
        using var services = Services(withModel: true);

        // Three scopes (src/Calc, src/App, the root) are summarized first; the outline request comes next.
        _ai.Enqueue(new FakeReply(), new FakeReply(), new FakeReply(), new FakeReply
        {
            Text = """{"pages":[{"key":"calculator","title":"Calculator core","parent":"modules","kind":"module","purpose":"The arithmetic.","sources":["src/Calc/"]},{"key":"console-app","title":"Console app","kind":"module","sources":["src/App/Program.cs","../etc/passwd"]}]}""",
        });

        var report = await Runner(services).RunAsync(Request() with { Plan = Request().Plan with { Preset = "wiki" } }, cancellationToken: Token);

        Assert.Contains(report.Pages, p => p.Key == "calculator" && p.Title == "Calculator core" && p.Action == PageRunAction.Generated);
        Assert.Contains(report.Pages, p => p.Key == "console-app");
        Assert.Contains(report.Warnings, w => w.Contains("../etc/passwd", StringComparison.Ordinal));
        Assert.Contains(report.Coverage.FilesByPage["calculator"], f => f.StartsWith("src/Calc/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeStart_PublishesNothing()
    {
        using var services = Services(withModel: true);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner(services).RunAsync(Request(), cancellationToken: cancelled.Token));

        Assert.False(File.Exists(Path.Combine(_output, ".codedoc", "manifest.json")));
    }

    [Fact]
    public async Task RunAsync_CancelledAfterTheFirstPage_PublishesNothingAndTheNextRunConverges()
    {
        using var services = Services(withModel: true);
        using var cancel = new CancellationTokenSource();
        var progress = new CancelOnFirstPage(cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner(services).RunAsync(Request(), progress, cancel.Token));

        Assert.True(progress.Cancelled);
        Assert.False(File.Exists(Path.Combine(_output, ".codedoc", "manifest.json")));
        var again = await Runner(services).RunAsync(Request(), cancellationToken: Token);
        Assert.Equal(RunStopReason.Completed, again.StopReason);
        Assert.All(again.Publish!.Pages, p => Assert.Equal(PageOutcomeKind.Created, p.Kind));
    }

    [Fact]
    public async Task RunAsync_PageCitesAMissingFileAndLinesPastTheEnd_PublishesWithoutThemAndValidCitationsAsPermalinks()
    {
        using var services = Services(withModel: true);
        _ai.Responder = WritePage("overview", _ => new FakeReply
        {
            Text = "Calc adds numbers [src/Calc/Adder.cs:3-7] and prints them [src/App/Program.cs:1]. " +
                "It reads a config [src/Calc/Settings.cs:2] and checks overflow [src/Calc/Adder.cs:40-41]. " +
                "See [README.md:1], [README.md:3], [src/Calc/Adder.cs:6], [src/Calc/Calc.csproj:1], [src/App/App.csproj:1], [src/Calc/Adder.cs:4] and [src/Calc/Adder.cs:1].\n",
        });

        var report = await Runner(services).RunAsync(Request(), cancellationToken: Token);

        Assert.Equal(RunStopReason.Completed, report.StopReason);
        var page = await File.ReadAllTextAsync(Path.Combine(_output, "overview.md"), Token);
        Assert.DoesNotContain("Settings.cs", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Adder.cs:40", page, StringComparison.Ordinal);
        Assert.DoesNotContain("#L40", page, StringComparison.Ordinal);
        Assert.Contains("[src/Calc/Adder.cs:3-7](src/Calc/Adder.cs#L3-L7)", page, StringComparison.Ordinal);
        Assert.Contains("[src/App/Program.cs:1](src/App/Program.cs#L1)", page, StringComparison.Ordinal);
        Assert.Contains(report.Verification["overview"].Problems, p => p.Contains("src/Calc/Settings.cs:2", StringComparison.Ordinal));
        Assert.Contains(report.Verification["overview"].Problems, p => p.Contains("src/Calc/Adder.cs:40-41", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_PageNamesUnknownSymbolsTwice_RegeneratesOnceNamingThemAndPublishesWithAWarning()
    {
        using var services = Services(withModel: true);
        _ai.Responder = WritePage("overview", _ => new FakeReply
        {
            Text = "Calc offers `Adder.Subtract`, `Calc.Multiplier` and `Calc.Divider.Divide` next to `Adder.Add`.\n",
        });

        var report = await Runner(services).RunAsync(Request(), cancellationToken: Token);

        var calls = WritePageCalls("overview");
        Assert.Equal(2, calls.Count);
        Assert.DoesNotContain("A previous draft of this page had these problems", calls[0], StringComparison.Ordinal);
        Assert.Contains("A previous draft of this page had these problems", calls[1], StringComparison.Ordinal);
        Assert.All(["Adder.Subtract", "Calc.Multiplier", "Calc.Divider.Divide"], name => Assert.Contains($"Unknown name `{name}`", calls[1], StringComparison.Ordinal));
        Assert.DoesNotContain("Unknown name `Adder.Add`", calls[1], StringComparison.Ordinal);
        var truthfulness = report.Pages.Single(p => p.Key == "overview").Truthfulness;
        Assert.NotNull(truthfulness);
        Assert.True(truthfulness < new GenerationOptions().TruthfulnessThreshold);
        Assert.Equal(RunStopReason.Completed, report.StopReason);
        var page = await File.ReadAllTextAsync(Path.Combine(_output, "overview.md"), Token);
        Assert.Contains("> **Warning:** this page could not be fully verified against the code", page, StringComparison.Ordinal);
        Assert.Contains("`Calc.Multiplier`", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PageWithBrokenDiagrams_PublishesTheRepairableOneRepairedAndDropsTheOtherWithANote()
    {
        using var services = Services(withModel: true);
        _ai.Responder = WritePage("overview", _ => new FakeReply
        {
            Text = "The console front end calls the adder.\n\n```mermaid\nflowchart LR\n  A[Console (App)] --> B[Adder]\n```\n\n" +
                "It has no states.\n\n```mermaid\nstateDiagram-v2\n  Waiting for input --> Done\n```\n\nThe end.\n",
        });

        var report = await Runner(services).RunAsync(Request(), cancellationToken: Token);

        Assert.Equal(RunStopReason.Completed, report.StopReason);
        Assert.Single(WritePageCalls("overview"));
        Assert.Contains(report.Publish!.Pages, p => p.Key == "overview" && p.Kind == PageOutcomeKind.Created);
        var page = await File.ReadAllTextAsync(Path.Combine(_output, "overview.md"), Token);
        Assert.Contains("```mermaid\nflowchart LR\n  A[\"Console (App)\"] --> B[Adder]\n```", page, StringComparison.Ordinal);
        Assert.DoesNotContain("stateDiagram-v2", page, StringComparison.Ordinal);
        Assert.Contains(PageChecker.DroppedDiagramNote, page, StringComparison.Ordinal);
        Assert.Contains("The end.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("> **Warning:**", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ModelOutlineInvalidTwice_ReasksOnceThenUsesThePresetOutlineAndCompletes()
    {
        using var services = Services(withModel: true);
        var outlineAnswers = 0;
        _ai.Responder = request =>
        {
            if (!request.ToJsonString().Contains("Task: outline", StringComparison.Ordinal))
            {
                return null;
            }

            return ++outlineAnswers == 1
                ? new FakeReply { Text = """{"pages":"all of them"}""" }
                : new FakeReply { Text = "Here is the outline you asked for: an overview and a page per module." };
        };

        var report = await Runner(services).RunAsync(Wiki(), cancellationToken: Token);

        var outlineCalls = _ai.ModelCalls.Select(c => c.ToJsonString(Unescaped)).Where(c => c.Contains("Task: outline", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, outlineCalls.Count);
        Assert.DoesNotContain("Your outline could not be used", outlineCalls[0], StringComparison.Ordinal);
        Assert.Contains("Your outline could not be used", outlineCalls[1], StringComparison.Ordinal);
        Assert.Contains("all of them", outlineCalls[1], StringComparison.Ordinal);
        Assert.Contains(report.Warnings, w => w.Contains("preset's outline was used instead", StringComparison.Ordinal));
        Assert.Equal(RunStopReason.Completed, report.StopReason);
        Assert.Contains(report.Pages, p => p.Key == "architecture" && p.Action == PageRunAction.Generated);
        Assert.Contains(report.Pages, p => p.Key == "module-src-app" && p.Action == PageRunAction.Generated);
        Assert.NotNull(report.Publish);
        Assert.False(report.Publish.HasFailures);
        Assert.True(File.Exists(Path.Combine(_output, "architecture.md")));
    }

    [Fact]
    public async Task RunAsync_PageAnswerCutAtTheOutputLimit_ContinuesItAndPublishesBothParts()
    {
        using var services = Services(withModel: true);
        _ai.Responder = WritePage("overview", body => body.Contains("Task: continue", StringComparison.Ordinal)
            ? new FakeReply { Text = " and prints the sum on the console.\n" }
            : new FakeReply { Text = "Calc adds two numbers", Finish = FakeFinish.Length });

        var report = await Runner(services).RunAsync(Request(), cancellationToken: Token);

        var calls = WritePageCalls("overview");
        Assert.Equal(2, calls.Count);
        Assert.DoesNotContain("Task: continue", calls[0], StringComparison.Ordinal);
        Assert.Contains("Task: continue", calls[1], StringComparison.Ordinal);
        Assert.Contains("Calc adds two numbers", calls[1], StringComparison.Ordinal);
        Assert.Equal(RunStopReason.Completed, report.StopReason);
        Assert.DoesNotContain(report.Warnings, w => w.Contains("cut off", StringComparison.Ordinal));
        var page = await File.ReadAllTextAsync(Path.Combine(_output, "overview.md"), Token);
        Assert.Contains("Calc adds two numbers and prints the sum on the console.", page, StringComparison.Ordinal);
    }

    private RunRequest Request() => new() { Plan = new PlanRequest { Location = _git.Path, Preset = "overview" } };

    private RunRequest Wiki() => new() { Plan = new PlanRequest { Location = _git.Path, Preset = "wiki" } };

    private static IDocumentationRunner Runner(ServiceProvider services) => services.GetRequiredService<IDocumentationRunner>();

    /// <summary>Answers the requests that write (or continue writing) one page; every other request gets the default reply.</summary>
    private static Func<JsonNode, FakeReply?> WritePage(string key, Func<string, FakeReply> answer) => request =>
    {
        var body = request.ToJsonString();
        return body.Contains("Task: write-page", StringComparison.Ordinal) && body.Contains($"Page: {key}:", StringComparison.Ordinal) ? answer(body) : null;
    };

    /// <summary>The bodies of the requests that wrote one page, with text unescaped (the default encoder escapes backticks).</summary>
    private List<string> WritePageCalls(string key) =>
        [.. _ai.ModelCalls.Select(c => c.ToJsonString(Unescaped)).Where(c => c.Contains("Task: write-page", StringComparison.Ordinal) && c.Contains($"Page: {key}:", StringComparison.Ordinal))];

    private ServiceProvider Services(bool withModel, Action<ICodeDocBuilder>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Markdown:OutputPath"] = _output })
            .Build();
        var services = new ServiceCollection();
        var builder = services.AddCodeDoc(configuration);
        if (withModel)
        {
            builder.AddOpenAI(o =>
            {
                o.Endpoint = new Uri(_ai.BaseAddress, "v1/");
                o.ApiKey = FakeAiServer.DefaultKey;
                o.Model = Model;
                o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            });
        }

        configure?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    /// <summary>Publishes through another publisher and keeps the sets it was given.</summary>
    private sealed class RecordingPublisher : IDocPublisher
    {
        private IDocPublisher _inner = null!;

        public List<DocumentSet> Published { get; } = [];

        public ProviderMetadata Metadata => _inner.Metadata;

        public RecordingPublisher Wrapping(IDocPublisher inner)
        {
            _inner = inner;
            return this;
        }

        public Task<AccessCheckResult> CheckAccessAsync(CancellationToken cancellationToken = default) => _inner.CheckAccessAsync(cancellationToken);

        public Task<PublishManifest?> ReadManifestAsync(string documentSetId, CancellationToken cancellationToken = default) =>
            _inner.ReadManifestAsync(documentSetId, cancellationToken);

        public Task<PublishResult> PublishAsync(DocumentSet documentSet, PublishOptions? options = null, CancellationToken cancellationToken = default)
        {
            Published.Add(documentSet);
            return _inner.PublishAsync(documentSet, options, cancellationToken);
        }
    }

    /// <summary>Cancels the run synchronously when the first page is written (no timing involved).</summary>
    private sealed class CancelOnFirstPage(CancellationTokenSource cancel) : IProgress<RunProgress>
    {
        public bool Cancelled { get; private set; }

        public void Report(RunProgress value)
        {
            if (value.Stage == RunStage.Generating && !Cancelled)
            {
                Cancelled = true;
                cancel.Cancel();
            }
        }
    }
}
