using System.CommandLine;
using CodeDoc.ConsoleHost.Commands;
using CodeDoc.ConsoleHost.Hosting;
using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.Extensions.Options;

namespace CodeDoc.ConsoleHost;

/// <summary>The <c>codedoc</c> command line: verbs, global options and the mapping of failures to exit codes.</summary>
internal static class CodeDocCli
{
    public static readonly Option<string?> ConfigOption = new("--config")
    {
        Description = "An extra JSON configuration file (same shape as appsettings.json).",
        Recursive = true,
    };

    public static readonly Option<bool> VerboseOption = new("--verbose", "-v")
    {
        Description = "Log details to standard error.",
        Recursive = true,
    };

    public static readonly Option<string?> DatabaseOption = new("--database")
    {
        Description = "The host's SQLite database (default: codedoc/codedoc.db in the user's local data folder).",
        Recursive = true,
    };

    public static readonly Option<string?> KeyFileOption = new("--key-file")
    {
        Description = "The key file that encrypts stored secrets (default: codedoc/keys.json in the user's application data folder; created on first use).",
        Recursive = true,
    };

    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="environment">Where to write.</param>
    /// <param name="configure">Extra registrations (tests add fakes here).</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C).</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, Action<ICodeDocBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("CodeDoc turns a repository into verified documentation. Start with: codedoc plan <path-or-url>")
        {
            ConfigOption,
            VerboseOption,
            DatabaseOption,
            KeyFileOption,
            PlanCommand.Create(environment, configure),
            GenerateCommand.Create(environment, configure),
            ProvidersCommand.Create(environment, configure),
            ServeCommand.Create(environment, configure),
            JobsCommand.Create(environment, configure),
            HistoryCommand.Create(environment, configure),
            AuditCommand.Create(environment, configure),
            PurgeCommand.Create(environment, configure),
            KeysCommand.Create(environment, configure),
        };

        var parsed = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = environment.Out, Error = environment.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var (code, message) = Describe(ex, cancellationToken);
            await environment.Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>Builds the settings every command shares from the parsed options.</summary>
    public static CliSettings Settings(ParseResult result, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (result.GetValue(DatabaseOption) is { Length: > 0 } database)
        {
            all[HostingDefaults.DatabaseKey] = Path.GetFullPath(database);
        }

        if (result.GetValue(KeyFileOption) is { Length: > 0 } keyFile)
        {
            all[HostingDefaults.KeyFileKey] = Path.GetFullPath(keyFile);
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new(result.GetValue(ConfigOption), result.GetValue(VerboseOption), all);
    }

    internal static (int Code, string Message) Describe(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Cancelled, "cancelled."),
        OptionsValidationException options => (ExitCodes.InvalidConfiguration, "the configuration is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, options.Failures.Select(f => "  - " + f))),
        CodeDocConfigurationException config => (ExitCodes.InvalidConfiguration, config.Message),
        GitProviderAuthenticationException or DocPublisherAuthenticationException or AiProviderAuthenticationException => (ExitCodes.AccessDenied, exception.Message),
        GitProviderNotFoundException or SnapshotException or InvalidDocumentSetException or ArgumentException => (ExitCodes.InvalidInput, exception.Message),
        SecretKeyException key => (ExitCodes.InvalidConfiguration, key.Message),
        HostingStoreException store => (ExitCodes.StoreUnavailable, store.Message),
        CodeDocException codeDoc => (ExitCodes.Failure, codeDoc.Message),
        UnauthorizedAccessException or IOException => (ExitCodes.InvalidInput, exception.Message),
        _ => (ExitCodes.Failure, $"unexpected {exception.GetType().Name}: {exception.Message}"),
    };
}
