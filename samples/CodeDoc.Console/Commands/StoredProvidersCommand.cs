using System.CommandLine;
using System.Text.Json;
using CodeDoc.ConsoleHost.Hosting;
using CodeDoc.ConsoleHost.Rendering;
using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CodeDoc.ConsoleHost.Commands;

/// <summary>
/// <c>codedoc providers add|list|remove</c>: provider configurations kept in the host's store (secrets encrypted),
/// which jobs name with <c>--git</c>, <c>--ai</c> and <c>--publisher</c>. Secret values come only from environment
/// variables: a value on the command line stays in shell histories and process lists.
/// </summary>
internal static class StoredProvidersCommand
{
    private static readonly Dictionary<string, ProviderCategory> CategoryByKind = new(StringComparer.OrdinalIgnoreCase)
    {
        ["local"] = ProviderCategory.Git,
        ["github"] = ProviderCategory.Git,
        ["gitlab"] = ProviderCategory.Git,
        ["bitbucket"] = ProviderCategory.Git,
        ["azure-devops"] = ProviderCategory.Git,
        ["openai"] = ProviderCategory.Ai,
        ["azure-openai"] = ProviderCategory.Ai,
        ["openai-compatible"] = ProviderCategory.Ai,
        ["anthropic"] = ProviderCategory.Ai,
        ["gemini"] = ProviderCategory.Ai,
        ["ollama"] = ProviderCategory.Ai,
        ["markdown"] = ProviderCategory.Publisher,
        ["confluence"] = ProviderCategory.Publisher,
    };

    // Keys whose values are credentials: refused in --set so they can only arrive through --secret-env.
    // (SpaceKey and ProjectKey are plain: only names that end like a credential count.)
    private static readonly string[] SecretEndings = ["token", "apikey", "accesskey", "privatekey", "password", "secret", "credential", "credentials"];

    public static IEnumerable<Command> Create(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        yield return CreateAdd(environment, configure);
        yield return CreateList(environment, configure);
        yield return CreateRemove(environment, configure);
    }

    private static Command CreateAdd(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var id = new Argument<string>("id") { Description = "The configuration's id, e.g. github-oss; jobs name it with --git, --ai or --publisher." };
        var kind = new Option<string>("--kind") { Description = "The provider kind: " + string.Join(", ", CategoryByKind.Keys.Order(StringComparer.Ordinal)) + ".", Required = true };
        var name = new Option<string?>("--name") { Description = "A display name for reports." };
        var set = new Option<string[]>("--set") { Description = "A plain setting, Key=Value (e.g. BaseAddress=https://git.example.com, Model=..., OutputPath=docs); repeatable." };
        var secretEnv = new Option<string[]>("--secret-env") { Description = "A secret setting read from an environment variable, Key=VARIABLE (e.g. Token=GITHUB_TOKEN); repeatable." };
        var command = new Command("add", "Store a provider configuration (its secrets encrypted), or replace the one with this id.") { id, kind, name, set, secretEnv };
        command.SetAction(async (result, cancellationToken) =>
        {
            var providerKind = result.GetRequiredValue(kind);
            if (!CategoryByKind.TryGetValue(providerKind, out var category))
            {
                throw new CodeDocConfigurationException($"--kind is '{providerKind}', which this program does not know. Use one of: {string.Join(", ", CategoryByKind.Keys.Order(StringComparer.Ordinal))}.");
            }

            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in Pairs(result.GetValue(set), "--set"))
            {
                if (SecretEndings.Any(w => key.EndsWith(w, StringComparison.OrdinalIgnoreCase)) || key.Equals("key", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CodeDocConfigurationException($"'{key}' looks like a secret: give it with --secret-env {key}=VARIABLE so its value never appears on the command line.");
                }

                settings[key] = value;
            }

            var secrets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, variable) in Pairs(result.GetValue(secretEnv), "--secret-env"))
            {
                secrets[key] = JobsCommand.SecretFromEnvironment(variable, "--secret-env");
            }

            var configuration = new ProviderConfiguration
            {
                Id = result.GetRequiredValue(id),
                Category = category,
                Kind = providerKind.ToLowerInvariant(),
                DisplayName = result.GetValue(name),
                Settings = settings,
                Secrets = secrets,
            };

            await using var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false);
            await session.Services.GetRequiredService<IHostingConfiguration>().SaveProviderAsync(configuration, HostingSession.Actor, cancellationToken).ConfigureAwait(false);
            await environment.Out.WriteLineAsync(
                $"Stored {category} provider '{configuration.Id}' ({configuration.Kind}) with {settings.Count} setting(s) and {secrets.Count} encrypted secret(s).").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateList(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var json = new Option<bool>("--json") { Description = "Print the configurations as JSON (secret names only, never values)." };
        var command = new Command("list", "List the stored provider configurations: settings, and the names of their secrets.") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false);
            var configurations = await session.Services.GetRequiredService<IProviderConfigurationStore>().ListAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                var shown = configurations.Select(c => new { c.Id, category = c.Category.ToString(), c.Kind, c.DisplayName, c.Settings, secrets = c.Secrets.Keys.Order(StringComparer.Ordinal).ToList() });
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(shown, PlanJson.Options)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Id", "Category", "Kind", "Settings", "Secrets");
            foreach (var c in configurations.OrderBy(c => c.Id, StringComparer.Ordinal))
            {
                table.AddRow(
                    Markup.Escape(c.Id),
                    c.Category.ToString(),
                    Markup.Escape(c.Kind),
                    Markup.Escape(string.Join(Environment.NewLine, c.Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"))),
                    Markup.Escape(string.Join(", ", c.Secrets.Keys.Order(StringComparer.Ordinal))));
            }

            PlanCommand.ConsoleFor(environment.Out, environment.Interactive).Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateRemove(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var id = new Argument<string>("id") { Description = "The configuration to delete." };
        var command = new Command("remove", "Delete a stored provider configuration and its encrypted secrets.") { id };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false);
            var providerId = result.GetRequiredValue(id);
            if (!await session.Services.GetRequiredService<IHostingConfiguration>().DeleteProviderAsync(providerId, HostingSession.Actor, cancellationToken).ConfigureAwait(false))
            {
                await environment.Error.WriteLineAsync($"error: there is no stored provider configuration '{providerId}'. 'codedoc providers list' shows them.").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            await environment.Out.WriteLineAsync($"Deleted provider configuration '{providerId}'.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static IEnumerable<(string Key, string Value)> Pairs(string[]? values, string option)
    {
        foreach (var pair in values ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CodeDocConfigurationException($"{option} takes Key=Value, and one of its values has no '='.");
            }

            yield return (pair[..equals].Trim(), pair[(equals + 1)..]);
        }
    }
}
