using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CodeDoc.ConsoleHost.Hosting;
using CodeDoc.ConsoleHost.Rendering;
using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace CodeDoc.ConsoleHost.Commands;

/// <summary><c>codedoc jobs add|list|run</c>: documentation jobs kept in the embedded store.</summary>
internal static class JobsCommand
{
    public static Command Create(CliEnvironment environment, Action<ICodeDocBuilder>? configure) =>
        new("jobs", "Documentation jobs: which repositories and branches to document, how, where to, and when.")
        {
            CreateAdd(environment, configure),
            CreateList(environment, configure),
            CreateRun(environment, configure),
        };

    private static Command CreateAdd(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var id = new Argument<string>("id") { Description = "The job's id, e.g. api-docs." };
        var repository = new Argument<string>("repo") { Description = "The repository: a URL of a configured Git host, or a local git repository." };
        var repositoryId = new Option<string?>("--repo-id") { Description = "The repository's id in the store (default: derived from the URL or folder name)." };
        var branches = new Option<string[]>("--branch", "-b") { Description = "A branch to follow; repeatable (default: main)." };
        var preset = new Option<string?>("--preset") { Description = "The documentation preset: overview, wiki, api, onboarding." };
        var ai = new Option<string?>("--ai") { Description = "The model: a stored provider configuration id, or a configured provider's name or kind." };
        var publisher = new Option<string?>("--publisher") { Description = "The publish target: a stored provider configuration id, or a configured publisher's name or kind (default: markdown)." };
        var output = new Option<string?>("--output", "-o") { Description = "Publish to this Markdown folder (stored as the job's own publisher configuration)." };
        var git = new Option<string?>("--git") { Description = "The stored Git provider configuration that reads the repository (default: the configured provider that serves the URL)." };
        var factsOnly = new Option<bool>("--facts-only") { Description = "Publish only the pages built from the code, without a model." };
        var schedule = new Option<string?>("--schedule") { Description = "A cron expression (five fields, UTC unless --time-zone) for scheduled runs." };
        var timeZone = new Option<string?>("--time-zone") { Description = "The time zone the schedule is read in (IANA or Windows id)." };
        var poll = new Option<string?>("--poll") { Description = "Compare each branch's head with the last documented commit this often (e.g. 15m, 1h, 00:30:00)." };
        var noPush = new Option<bool>("--no-push") { Description = "Do not start runs on push webhooks." };
        var webhookHost = new Option<string?>("--webhook-host") { Description = "The host kind whose webhooks this repository receives: github, gitlab, bitbucket-cloud, bitbucket-dc, azure-devops (default: from the URL)." };
        var webhookSecretEnv = new Option<string?>("--webhook-secret-env") { Description = "The environment variable holding the webhook secret (never given on the command line)." };
        var dailyCost = new Option<decimal?>("--daily-cost") { Description = "The most the job may spend per UTC day, in USD." };
        var monthlyCost = new Option<decimal?>("--monthly-cost") { Description = "The most the job may spend per UTC month, in USD." };
        var dailyTokens = new Option<long?>("--daily-tokens") { Description = "The most model tokens the job may use per UTC day." };
        var monthlyTokens = new Option<long?>("--monthly-tokens") { Description = "The most model tokens the job may use per UTC month." };
        var approvalAbove = new Option<decimal?>("--approval-above") { Description = "Runs started by a webhook, schedule or poll wait for approval when their forecast is above this many USD." };
        var disabled = new Option<bool>("--disabled") { Description = "Store the job switched off: it ignores every trigger." };
        var json = new Option<bool>("--json") { Description = "Print the stored job as JSON." };

        var command = new Command("add", "Add a job, or replace the job with this id.")
        {
            id, repository, repositoryId, branches, preset, ai, publisher, output, git, factsOnly, schedule, timeZone, poll, noPush,
            webhookHost, webhookSecretEnv, dailyCost, monthlyCost, dailyTokens, monthlyTokens, approvalAbove, disabled, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false);
            var services = session.Services;
            var jobId = result.GetRequiredValue(id);
            var location = result.GetRequiredValue(repository);
            var localPath = PlanCommand.LocalPathOf(location);
            if (localPath is not null && !Directory.Exists(localPath))
            {
                await PlanCommand.WriteMissingPathAsync(environment, location).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            var url = localPath is null ? location : Path.GetFullPath(localPath);
            var hosting = services.GetRequiredService<IHostingConfiguration>();
            var stored = await services.GetRequiredService<IProviderConfigurationStore>().ListAsync(cancellationToken).ConfigureAwait(false);
            var gitProvider = CheckProvider(services, stored, ProviderCategory.Git, result.GetValue(git), "--git", storedOnly: true);
            var aiProvider = result.GetValue(factsOnly) ? null : CheckProvider(services, stored, ProviderCategory.Ai, result.GetValue(ai), "--ai");
            var publisherId = CheckProvider(services, stored, ProviderCategory.Publisher, result.GetValue(publisher), "--publisher");
            if (result.GetValue(output) is { Length: > 0 } folder)
            {
                publisherId = jobId + "-folder";
                await hosting.SaveProviderAsync(
                    new ProviderConfiguration
                    {
                        Id = publisherId,
                        Category = ProviderCategory.Publisher,
                        Kind = "markdown",
                        DisplayName = $"Markdown folder of job {jobId}",
                        Settings = new Dictionary<string, string?> { ["OutputPath"] = Path.GetFullPath(folder) },
                    },
                    HostingSession.Actor,
                    cancellationToken).ConfigureAwait(false);
            }

            var repositories = services.GetRequiredService<IRepositoryStore>();
            var repoId = result.GetValue(repositoryId) ?? RepositoryIds.From(url);
            var existing = await repositories.GetAsync(repoId, cancellationToken).ConfigureAwait(false);
            var secret = result.GetValue(webhookSecretEnv) is { } variable ? SecretFromEnvironment(variable, "--webhook-secret-env") : existing?.WebhookSecret;
            var hostKind = result.GetValue(webhookHost) ?? existing?.WebhookHostKind ?? (secret is null ? null : WebhookHosts.FromUrl(url));
            if (secret is not null && hostKind is null)
            {
                throw new CodeDocConfigurationException($"Cannot tell which host sends the webhooks of '{url}'. Name it with --webhook-host (github, gitlab, bitbucket-cloud, bitbucket-dc or azure-devops).");
            }

            if (hostKind is not null && !WebhookHosts.Kinds.Contains(hostKind))
            {
                throw new CodeDocConfigurationException($"--webhook-host is '{hostKind}'. Use one of: {string.Join(", ", WebhookHosts.Kinds)}.");
            }

            await hosting.SaveRepositoryAsync(
                new WatchedRepository { Id = repoId, Url = url, GitProviderId = gitProvider, WebhookHostKind = hostKind, WebhookSecret = secret },
                HostingSession.Actor,
                cancellationToken).ConfigureAwait(false);

            var job = new JobDefinition
            {
                Id = jobId,
                Sources = [new JobSource(repoId, result.GetValue(branches) is { Length: > 0 } named ? [.. named.Distinct(StringComparer.Ordinal)] : ["main"])],
                Preset = result.GetValue(preset),
                AiProviderId = aiProvider,
                PublisherId = publisherId ?? "markdown",
                FactsOnly = result.GetValue(factsOnly),
                Triggers = new JobTriggers
                {
                    OnPush = !result.GetValue(noPush),
                    Schedule = result.GetValue(schedule),
                    TimeZone = result.GetValue(timeZone),
                    PollInterval = result.GetValue(poll) is { } interval ? Intervals.Parse(interval, "--poll") : null,
                },
                Limits = new JobLimits
                {
                    DailyCost = result.GetValue(dailyCost),
                    MonthlyCost = result.GetValue(monthlyCost),
                    DailyTokens = result.GetValue(dailyTokens),
                    MonthlyTokens = result.GetValue(monthlyTokens),
                    ApprovalAboveCost = result.GetValue(approvalAbove),
                },
                Enabled = !result.GetValue(disabled),
            };
            await hosting.SaveJobAsync(job, HostingSession.Actor, cancellationToken).ConfigureAwait(false);

            if (result.GetValue(json))
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(job, PlanJson.Options)).ConfigureAwait(false);
            }
            else
            {
                await environment.Out.WriteLineAsync($"Job '{job.Id}' documents {repoId} ({url}) on {string.Join(", ", job.Sources[0].Branches)} and publishes to {job.PublisherId}.").ConfigureAwait(false);
                if (hostKind is not null)
                {
                    await environment.Out.WriteLineAsync($"Point the repository's push webhook at /codedoc/webhooks/{hostKind} on 'codedoc serve', with the same secret.").ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateList(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var json = new Option<bool>("--json") { Description = "Print the jobs as JSON." };
        var command = new Command("list", "List the jobs.") { json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false);
            var jobs = await session.Services.GetRequiredService<IJobStore>().ListAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(jobs, PlanJson.Options)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var console = PlanCommand.ConsoleFor(environment.Out, environment.Interactive);
            if (jobs.Count == 0)
            {
                console.MarkupLine("No jobs. Add one with: codedoc jobs add <id> <repo> --branch main");
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Job", "Repositories", "Model", "Publisher", "Triggers", "Limits", "Enabled");
            foreach (var job in jobs.OrderBy(j => j.Id, StringComparer.Ordinal))
            {
                table.AddRow(
                    Markup.Escape(job.Id),
                    Markup.Escape(string.Join(Environment.NewLine, job.Sources.Select(s => $"{s.RepositoryId}: {string.Join(", ", s.Branches)}"))),
                    Markup.Escape(job.FactsOnly ? "facts only" : job.AiProviderId ?? "default"),
                    Markup.Escape(job.PublisherId),
                    Markup.Escape(Describe(job.Triggers)),
                    Markup.Escape(Describe(job.Limits)),
                    job.Enabled ? "yes" : "no");
            }

            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateRun(CliEnvironment environment, Action<ICodeDocBuilder>? configure)
    {
        var id = new Argument<string>("id") { Description = "The job to run." };
        var branch = new Option<string?>("--branch", "-b") { Description = "Run only this branch (default: every branch the job follows)." };
        var repositoryId = new Option<string?>("--repo-id") { Description = "Run only this repository of the job." };
        var full = new Option<bool>("--full") { Description = "Write every page again instead of reusing pages whose sources did not change." };
        var force = new Option<bool>("--force") { Description = "Overwrite pages people edited since the last publish." };
        var wait = new Option<bool>("--wait") { Description = "Run the worker here until the runs finish (the default; --wait false only queues them).", DefaultValueFactory = _ => true };
        var json = new Option<bool>("--json") { Description = "Print the finished runs' history rows as JSON." };
        var command = new Command("run", "Queue a run of a job and, by default, run it here, printing progress and its history row.") { id, branch, repositoryId, full, force, wait, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await HostingSession.OpenAsync(result, environment, configure, cancellationToken).ConfigureAwait(false);
            var services = session.Services;
            await HostingSession.CheckSecretsAsync(services, cancellationToken).ConfigureAwait(false);
            var options = new RunRequestOptions
            {
                Branch = result.GetValue(branch),
                RepositoryId = result.GetValue(repositoryId),
                FullRegeneration = result.GetValue(full),
                Force = result.GetValue(force),
            };

            IReadOnlyList<RunRecord> runs;
            if (!result.GetValue(wait))
            {
                runs = await services.GetRequiredService<ICodeDocJobs>().RunAsync(result.GetRequiredValue(id), HostingSession.Actor, options, cancellationToken).ConfigureAwait(false);
                await environment.Out.WriteLineAsync($"Queued {runs.Count} run(s): {string.Join(", ", runs.Select(r => r.Id))}. A 'codedoc serve' on this database runs them when it starts.").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            runs = await RunHereAsync(services, environment, result.GetRequiredValue(id), options, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await environment.Out.WriteLineAsync(JsonSerializer.Serialize(runs, PlanJson.Options)).ConfigureAwait(false);
            }
            else
            {
                HistoryView.Render(PlanCommand.ConsoleFor(environment.Out, environment.Interactive), runs);
            }

            return runs.Select(r => ExitCodeOf(r.Status)).FirstOrDefault(c => c != ExitCodes.Success);
        });
        return command;
    }

    /// <summary>Starts the worker in this process, queues the runs, and waits until each has finished.</summary>
    private static async Task<IReadOnlyList<RunRecord>> RunHereAsync(IServiceProvider services, CliEnvironment environment, string jobId, RunRequestOptions options, CancellationToken cancellationToken)
    {
        var monitor = services.GetRequiredService<IRunMonitor>();
        var history = services.GetRequiredService<IRunHistoryStore>();
        var changed = new SemaphoreSlim(0);
        void OnProgress(object? sender, RunProgressSnapshot snapshot) => environment.Error.WriteLine(Describe(snapshot));
        void OnStatus(object? sender, RunRecord run) => changed.Release();
        monitor.Progress += OnProgress;
        monitor.StatusChanged += OnStatus;
        var hosted = services.GetServices<IHostedService>().ToList();
        try
        {
            foreach (var service in hosted)
            {
                await service.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            var queued = await services.GetRequiredService<ICodeDocJobs>().RunAsync(jobId, HostingSession.Actor, options, cancellationToken).ConfigureAwait(false);
            await environment.Error.WriteLineAsync($"Queued {queued.Count} run(s) of job '{jobId}'.").ConfigureAwait(false);
            while (true)
            {
                var rows = new List<RunRecord>();
                foreach (var run in queued)
                {
                    rows.Add(await history.GetAsync(run.Id, cancellationToken).ConfigureAwait(false) ?? run);
                }

                if (rows.All(r => IsSettled(r.Status)))
                {
                    return rows;
                }

                // Events wake the loop at once; the timeout re-reads the store in case one was raised before we listened.
                await changed.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            monitor.Progress -= OnProgress;
            monitor.StatusChanged -= OnStatus;
            for (var i = hosted.Count - 1; i >= 0; i--)
            {
                await hosted[i].StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            changed.Dispose();
        }
    }

    private static bool IsSettled(RunStatus status) => status is not (RunStatus.Queued or RunStatus.Running);

    internal static int ExitCodeOf(RunStatus status) => status switch
    {
        RunStatus.Succeeded => ExitCodes.Success,
        RunStatus.Declined => ExitCodes.BudgetReached,
        RunStatus.AwaitingApproval => ExitCodes.NotConfirmed,
        RunStatus.Cancelled => ExitCodes.Cancelled,
        _ => ExitCodes.Failure,
    };

    private static string Describe(RunProgressSnapshot snapshot)
    {
        var parts = new List<string> { $"[{snapshot.Run.JobId} {snapshot.Run.Branch}] [{snapshot.Stage}] {snapshot.Message}" };
        if (snapshot.PagesTotal is { } total)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{snapshot.PagesDone}/{total} pages"));
        }

        if (snapshot.Tokens > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{snapshot.Tokens:N0} tokens"));
        }

        if (snapshot.Cost is { } cost && snapshot.Tokens > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"${cost:0.0000}"));
        }

        return string.Join(" · ", parts);
    }

    private static string Describe(JobTriggers triggers)
    {
        var parts = new List<string>();
        if (triggers.OnPush)
        {
            parts.Add("push");
        }

        if (triggers.Schedule is { } schedule)
        {
            parts.Add($"cron {schedule}{(triggers.TimeZone is { } zone ? " " + zone : " UTC")}");
        }

        if (triggers.PollInterval is { } poll)
        {
            parts.Add("poll every " + Intervals.Format(poll));
        }

        return parts.Count == 0 ? "manual only" : string.Join(", ", parts);
    }

    private static string Describe(JobLimits limits)
    {
        var parts = new List<string>();
        Add("day", limits.DailyCost, limits.DailyTokens);
        Add("month", limits.MonthlyCost, limits.MonthlyTokens);
        if (limits.ApprovalAboveCost is { } approval)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"approval above ${approval:0.00}"));
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);

        void Add(string period, decimal? cost, long? tokens)
        {
            if (cost is { } c)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"${c:0.00}/{period}"));
            }

            if (tokens is { } t)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{t:N0} tokens/{period}"));
            }
        }
    }

    /// <summary>Checks a provider name exists as a stored configuration or a configured registration, so a typo fails now rather than at the first run.</summary>
    private static string? CheckProvider(IServiceProvider services, IReadOnlyList<ProviderConfiguration> stored, ProviderCategory category, string? name, string option, bool storedOnly = false)
    {
        if (name is null)
        {
            return null;
        }

        if (stored.Any(c => c.Category == category && string.Equals(c.Id, name, StringComparison.Ordinal)))
        {
            return name;
        }

        // A repository names only a stored Git configuration; Git providers configured in code are matched by the URL.
        if (storedOnly)
        {
            throw new CodeDocConfigurationException(
                $"{option} names '{name}', which is not a stored Git provider configuration. Store one with 'codedoc providers add {name} --kind <kind> ...', or leave {option} out to use the configured provider that serves the URL.");
        }

        var registrations = services.GetRequiredService<IProviderRegistry>().Registrations.Where(r => r.Category == category).ToList();
        if (registrations.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Kind, name, StringComparison.OrdinalIgnoreCase)))
        {
            return name;
        }

        var known = stored.Where(c => c.Category == category).Select(c => c.Id).Concat(registrations.Select(r => r.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        throw new CodeDocConfigurationException(
            $"{option} names '{name}', which is neither a stored provider configuration ('codedoc providers add') nor a configured {category} provider. "
            + (known.Count == 0 ? "None is configured yet." : "Known: " + string.Join(", ", known) + "."));
    }

    /// <summary>Reads a secret from the environment: secrets never come from the command line, where shells and process lists keep them.</summary>
    internal static string SecretFromEnvironment(string variable, string option) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new CodeDocConfigurationException($"The environment variable '{variable}' named by {option} is not set or empty. Set it, then run the command again.");
}
