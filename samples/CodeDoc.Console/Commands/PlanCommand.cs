using System.CommandLine;
using CodeDoc.ConsoleHost.Rendering;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CodeDoc.ConsoleHost.Commands;

/// <summary><c>codedoc plan &lt;repo&gt;</c>: what a documentation run would read, skip, spend and send where.</summary>
internal static class PlanCommand
{
    public static Command Create(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var repository = new Argument<string>("repo") { Description = "A local path (a folder or a git repository) or a repository URL." };
        var reference = new Option<string?>("--ref") { Description = "The branch, tag or commit to document (default: the current HEAD or the default branch)." };
        var git = new Option<string?>("--git") { Description = "The Git provider to use, by registration name or kind (default: matched by host)." };
        var ai = new Option<string?>("--ai") { Description = "The AI provider to forecast for, by registration name or kind." };
        var publisher = new Option<string?>("--publisher") { Description = "The publisher, by registration name or kind (markdown, confluence)." };
        var output = new Option<string?>("--output", "-o") { Description = "The Markdown folder pages would be written to." };
        var model = new Option<string?>("--model") { Description = "Price the forecast for this model id when no AI provider is configured (e.g. claude-sonnet-5-5)." };
        var include = new Option<string[]>("--include") { Description = "Only read files matching these globs (gitignore syntax); repeatable.", AllowMultipleArgumentsPerToken = false };
        var exclude = new Option<string[]>("--exclude") { Description = "Skip files matching these globs (gitignore syntax); repeatable." };
        var preset = new Option<string?>("--preset") { Description = "The documentation preset to plan: overview, wiki, api, onboarding, or one from CodeDoc:Generation:PresetFiles." };
        var factsOnly = new Option<bool>("--facts-only") { Description = "Plan only the pages built from the code without a model." };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var files = new Option<bool>("--files") { Description = "List every included and excluded file, not only counts and examples." };

        var command = new Command("plan", "Show what documenting a repository would read, skip, cost and send where, without spending anything.")
        {
            repository, reference, git, ai, publisher, output, model, preset, factsOnly, include, exclude, json, files,
        };

        command.SetAction(async (result, cancellationToken) =>
        {
            var location = result.GetRequiredValue(repository);
            var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (result.GetValue(output) is { } folder)
            {
                overrides["CodeDoc:Markdown:OutputPath"] = folder;
            }

            AddList(overrides, "CodeDoc:Snapshot:Include", result.GetValue(include));
            AddList(overrides, "CodeDoc:Snapshot:Exclude", result.GetValue(exclude));

            await using var services = CliServices.Build(CodeDocCli.Settings(result, overrides), configure);
            if (!TryChooseGitProvider(services, location, result.GetValue(git), out var gitProvider))
            {
                await WriteMissingPathAsync(environment, location).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            var planner = services.GetRequiredService<IDocumentationPlanner>();
            var request = new PlanRequest
            {
                Location = location,
                Ref = result.GetValue(reference),
                GitProvider = gitProvider,
                AiProvider = result.GetValue(ai),
                Publisher = result.GetValue(publisher),
                ForecastModel = result.GetValue(model),
                Preset = result.GetValue(preset),
                FactsOnly = result.GetValue(factsOnly),
            };

            var asJson = result.GetValue(json);
            var plan = asJson || !environment.Interactive
                ? await planner.PlanAsync(request, progress: null, cancellationToken).ConfigureAwait(false)
                : await PlanWithStatusAsync(planner, request, environment, cancellationToken).ConfigureAwait(false);

            if (asJson)
            {
                await environment.Out.WriteLineAsync(PlanJson.Serialize(plan)).ConfigureAwait(false);
            }
            else
            {
                var prices = services.GetRequiredService<IModelPriceCatalog>();
                PlanView.Render(ConsoleFor(environment.Out, environment.Interactive), plan, prices, result.GetValue(files));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static IAnsiConsole ConsoleFor(TextWriter writer, bool interactive) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
    });

    private static async Task<DocumentationPlan> PlanWithStatusAsync(IDocumentationPlanner planner, PlanRequest request, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var console = ConsoleFor(environment.Error, interactive: true);
        return await console.Status().StartAsync("Resolving...", async context =>
        {
            var progress = new Progress<RunProgress>(p => context.Status(Markup.Escape(
                p.Stage == RunStage.Snapshot ? $"Reading files: {p.Done:N0} seen, {p.CurrentItem}" : p.Message)));
            return await planner.PlanAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static void AddList(Dictionary<string, string?> overrides, string key, string[]? values)
    {
        for (var i = 0; values is not null && i < values.Length; i++)
        {
            overrides[$"{key}:{i}"] = values[i];
        }
    }

    /// <summary>
    /// Chooses the Git provider for a location: the one asked for, or none (matched by host) when the location is an
    /// existing folder or a URL. "github.com/org/repo" looks like a relative path, so when no such folder exists a
    /// configured host that serves it is chosen; without one the location is a missing folder.
    /// </summary>
    internal static bool TryChooseGitProvider(IServiceProvider services, string location, string? requested, out string? gitProvider)
    {
        gitProvider = requested;
        if (LocalPathOf(location) is not { } path || Directory.Exists(path))
        {
            return true;
        }

        gitProvider ??= RemoteProviderServing(services, location);
        return gitProvider is not null;
    }

    internal static Task WriteMissingPathAsync(CliEnvironment environment, string location) =>
        environment.Error.WriteLineAsync(
            $"error: the path '{location}' does not exist or is not a folder. Give a folder, a git repository, or a repository URL.");

    /// <summary>The registration name of the first configured remote Git provider that serves a location, if any.</summary>
    internal static string? RemoteProviderServing(IServiceProvider services, string location) =>
        services.GetRequiredService<IProviderRegistry>().Registrations
            .Where(r => r.Category == ProviderCategory.Git && !string.Equals(r.Kind, "local", StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault(r => services.GetRequiredKeyedService<IGitProvider>(r.Name).TryParseRepository(location, out _))?.Name;

    /// <summary>The local path a location names, or <see langword="null"/> for a remote repository URL.</summary>
    internal static string? LocalPathOf(string location)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri))
        {
            if (uri.IsFile)
            {
                return uri.LocalPath;
            }

            if (uri.Scheme is "http" or "https" or "ssh" or "git")
            {
                return null;
            }
        }

        // scp-like clone addresses: git@host:org/repo.git
        var at = location.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && location.IndexOf(':', at) > at ? null : location;
    }
}
