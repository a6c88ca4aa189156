using CodeDoc.ConsoleHost.Hosting;
using CodeDoc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.ConsoleHost;

/// <summary>Settings every command shares, from global options.</summary>
/// <param name="ConfigFile">An extra JSON configuration file, from <c>--config</c>.</param>
/// <param name="Verbose">Whether to log progress details to standard error.</param>
/// <param name="Overrides">Configuration keys set by command options (e.g. <c>--output</c>, <c>--database</c>).</param>
internal sealed record CliSettings(string? ConfigFile, bool Verbose, IReadOnlyDictionary<string, string?> Overrides);

/// <summary>
/// Composes CodeDoc for the command line only through <c>AddCodeDoc</c>, the providers' <c>Add...</c> methods and
/// <c>AddHosting</c>. Configuration, later sources winning: appsettings.json beside the program, codedoc.json in the
/// current folder, environment variables (<c>CodeDoc__Markdown__OutputPath</c>), <c>--config</c>, then command options.
/// </summary>
internal static class CliServices
{
    /// <summary>Builds the configuration every verb reads, with the console's hosting defaults filled in.</summary>
    public static IConfigurationRoot BuildConfiguration(CliSettings settings)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "codedoc.json"), optional: true)
            .AddEnvironmentVariables();
        if (settings.ConfigFile is { } file)
        {
            if (!File.Exists(file))
            {
                throw new CodeDocConfigurationException($"The configuration file '{file}' given with --config does not exist.");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        var overrides = new Dictionary<string, string?>(settings.Overrides, StringComparer.OrdinalIgnoreCase);
        if (settings.Verbose)
        {
            overrides["Logging:LogLevel:Default"] = "Information";
        }

        builder.AddInMemoryCollection(overrides);
        var configuration = builder.Build();
        var defaults = HostingDefaults.For(configuration);
        if (defaults.Count == 0)
        {
            return configuration;
        }

        // Added last, but only for keys no source set, so they never win over the user's choice.
        builder.AddInMemoryCollection(defaults);
        return builder.Build();
    }

    /// <summary>
    /// Registers CodeDoc, the configured providers and (when asked) the host on a service collection: the one
    /// composition the verbs' <see cref="ServiceProvider"/> and <c>serve</c>'s web application share.
    /// </summary>
    public static ICodeDocBuilder Compose(IServiceCollection services, IConfiguration configuration, bool hosting, Action<ICodeDocBuilder>? configure)
    {
        services.TryAddSingleton(configuration);
        services.AddLogging(logging => logging
            .ClearProviders()
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var codeDocSection = configuration.GetSection("CodeDoc");
        var codeDoc = services.AddCodeDoc(codeDocSection);
        ConfiguredProviders.Register(codeDoc, codeDocSection);
        if (hosting)
        {
            ConfiguredProviders.RegisterFactories(codeDoc);
            codeDoc.AddHosting(codeDocSection.GetSection("Hosting"));
        }

        configure?.Invoke(codeDoc);
        return codeDoc;
    }

    /// <summary>Builds and validates the services of a verb.</summary>
    public static ServiceProvider Build(CliSettings settings, Action<ICodeDocBuilder>? configure = null) =>
        Build(BuildConfiguration(settings), hosting: false, configure);

    /// <summary>Builds and validates the services of a verb from a configuration already built.</summary>
    public static ServiceProvider Build(IConfiguration configuration, bool hosting, Action<ICodeDocBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        Compose(services, configuration, hosting, configure);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            provider.GetService<IStartupValidator>()?.Validate();
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        return provider;
    }
}
