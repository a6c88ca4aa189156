using System.CommandLine;
using System.Text.Json;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CodeDoc.ConsoleHost.Commands;

/// <summary><c>codedoc providers test</c>: checks every configured provider's access and prints a verdict each.</summary>
internal static class ProvidersCommand
{
    public static Command Create(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var json = new Option<bool>("--json") { Description = "Print the verdicts as JSON." };
        var repository = new Option<string?>("--repo") { Description = "Also check that the Git provider serving this repository can read it." };
        var test = new Command("test", "Check the access of every configured Git provider, model vendor and publisher.") { json, repository };
        test.SetAction(async (result, cancellationToken) =>
        {
            await using var services = CliServices.Build(CodeDocCli.Settings(result), configure);
            var verdicts = await CheckAllAsync(services, result.GetValue(repository), cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(verdicts, Rendering.PlanJson.Options)).ConfigureAwait(false);
            }
            else
            {
                Render(PlanCommand.ConsoleFor(environment.Out, environment.Interactive), verdicts);
            }

            return verdicts.All(v => v.Succeeded) ? ExitCodes.Success : ExitCodes.AccessDenied;
        });

        var providers = new Command("providers", "Work with the configured providers and the provider configurations the host stores.") { test };
        foreach (var stored in StoredProvidersCommand.Create(environment, configure))
        {
            providers.Subcommands.Add(stored);
        }

        return providers;
    }

    internal static async Task<IReadOnlyList<ProviderVerdict>> CheckAllAsync(IServiceProvider services, string? repositoryLocation, CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<IProviderRegistry>();
        ResolvedRepository? repository = repositoryLocation is null ? null : services.GetRequiredService<IGitProviderResolver>().Resolve(repositoryLocation);
        var verdicts = new List<ProviderVerdict>();
        foreach (var registration in registry.Registrations.OrderBy(r => r.Category).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            AccessCheckResult result;
            string? endpoint;
            try
            {
                switch (registration.Category)
                {
                    case ProviderCategory.Git:
                        var git = services.GetRequiredKeyedService<IGitProvider>(registration.Name);
                        endpoint = Show(git.Metadata.Endpoint);
                        var target = repository is not null && ReferenceEquals(repository.Provider, git) ? repository.Repository : null;
                        result = await git.CheckAccessAsync(target, cancellationToken).ConfigureAwait(false);
                        break;
                    case ProviderCategory.Ai:
                        var ai = services.GetRequiredKeyedService<IAiProvider>(registration.Name);
                        endpoint = Show(ai.Metadata.Endpoint);
                        result = await ai.CheckAccessAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        var publisher = services.GetRequiredKeyedService<IDocPublisher>(registration.Name);
                        endpoint = Show(publisher.Metadata.Endpoint);
                        result = await publisher.CheckAccessAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
            catch (CodeDocException ex)
            {
                endpoint = null;
                result = AccessCheckResult.From(new AccessCheckItem("provider", false, ex.Message));
            }

            verdicts.Add(new ProviderVerdict(registration.Category.ToString(), registration.Name, registration.Kind, endpoint, result.Succeeded, result.Checks));
        }

        return verdicts;
    }

    private static string? Show(Uri? endpoint) => endpoint is null ? null : endpoint.IsFile ? endpoint.LocalPath : EndpointRules.SafeDisplay(endpoint);

    private static void Render(IAnsiConsole console, IReadOnlyList<ProviderVerdict> verdicts)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Category", "Name", "Kind", "Endpoint", "Verdict", "Checks");
        foreach (var verdict in verdicts)
        {
            var checks = string.Join(Environment.NewLine, verdict.Checks.Select(c => $"{(c.Passed ? "ok  " : "FAIL")} {c.Name}: {c.Message}"));
            table.AddRow(
                Markup.Escape(verdict.Category),
                Markup.Escape(verdict.Name),
                Markup.Escape(verdict.Kind),
                Markup.Escape(verdict.Endpoint ?? "this machine"),
                verdict.Succeeded ? "[green]ok[/]" : "[red]failed[/]",
                Markup.Escape(checks));
        }

        console.Write(table);
        var failed = verdicts.Count(v => !v.Succeeded);
        console.MarkupLine(failed == 0
            ? $"All {verdicts.Count} providers passed."
            : $"[red]{failed} of {verdicts.Count} providers failed.[/] Fix what the checks say, then run 'codedoc providers test' again.");
    }
}

/// <summary>The verdict on one provider.</summary>
internal sealed record ProviderVerdict(string Category, string Name, string Kind, string? Endpoint, bool Succeeded, IReadOnlyList<AccessCheckItem> Checks);
