using System.CommandLine;
using System.Data.Common;
using CodeDoc.Core;
using CodeDoc.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CodeDoc.ConsoleHost.Hosting;

/// <summary>
/// The services of a hosting verb (<c>jobs</c>, <c>history</c>, <c>audit</c>, ...): the same composition as
/// <c>generate</c> plus the host, with the key file created on first use and the store opened before anything else,
/// so a damaged database stops the verb at once with a message that names the file.
/// </summary>
internal sealed class HostingSession : IAsyncDisposable
{
    /// <summary>The actor id the console records in history and audit rows: no user name, no personal data.</summary>
    public const string Actor = "cli";

    private HostingSession(ServiceProvider services, IConfiguration configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    public ServiceProvider Services { get; }

    public IConfiguration Configuration { get; }

    public string DatabasePath => Configuration[HostingDefaults.DatabaseKey] ?? HostingDefaults.DefaultDatabasePath;

    public static async Task<HostingSession> OpenAsync(
        ParseResult result, CliEnvironment environment, Action<ICodeDocBuilder>? configure, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var configuration = CliServices.BuildConfiguration(CodeDocCli.Settings(result, overrides));
        await PrepareAsync(configuration, environment).ConfigureAwait(false);
        var services = CliServices.Build(configuration, hosting: true, configure);
        try
        {
            await CheckStoreAsync(services, configuration, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new HostingSession(services, configuration);
    }

    /// <summary>Checks the key file is not beside the database and creates it on first use.</summary>
    public static async Task PrepareAsync(IConfiguration configuration, CliEnvironment environment)
    {
        if (HostingDefaults.KeyFile(configuration) is { } keyFile)
        {
            await KeyFiles.EnsureAsync(keyFile, environment).ConfigureAwait(false);
        }
    }

    /// <summary>Opens the store (running its migrations) so a damaged or foreign file fails here, naming it.</summary>
    public static async Task CheckStoreAsync(IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var path = configuration[HostingDefaults.DatabaseKey] ?? HostingDefaults.DefaultDatabasePath;
        try
        {
            await services.GetRequiredService<IJobStore>().ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HostingStoreException ex) when (!ex.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new HostingStoreException($"The database '{path}' cannot be used: {ex.Message}", ex);
        }
        catch (DbException ex)
        {
            throw new HostingStoreException(
                $"The database '{path}' cannot be opened ({ex.Message}). If the file is damaged, move it aside (or run 'codedoc purge') and start again; give another file with --database.", ex);
        }
    }

    /// <summary>
    /// Decrypts every stored secret once, so a host started with a wrong or missing key stops at once with the key
    /// error instead of failing each run and webhook later.
    /// </summary>
    public static async Task CheckSecretsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var configurations = services.GetRequiredService<IProviderConfigurationStore>();
        foreach (var configuration in await configurations.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (configuration.Secrets.Count > 0)
            {
                await configurations.GetAsync(configuration.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        var repositories = services.GetRequiredService<IRepositoryStore>();
        foreach (var repository in await repositories.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            await repositories.GetAsync(repository.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks before deleting: --yes goes ahead, a terminal asks, and without one the verb stops naming --yes.</summary>
    public static async Task<bool> ConfirmAsync(CliEnvironment environment, string question, bool assumeYes, CancellationToken cancellationToken)
    {
        if (assumeYes)
        {
            return true;
        }

        if (!environment.Interactive)
        {
            await environment.Error.WriteLineAsync(question + " Nobody is at a terminal to confirm: run again with --yes to go ahead.").ConfigureAwait(false);
            return false;
        }

        var console = Commands.PlanCommand.ConsoleFor(environment.Error, interactive: true);
        return await console.ConfirmAsync(Markup.Escape(question) + " Go ahead?", defaultValue: false, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
